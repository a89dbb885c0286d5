import type { IncomingMessage, ServerResponse } from 'node:http'
import { createHash, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { readFile, realpath, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'

/**
 * The web host's HTTP side: the built renderer as static files, behind the launch token, with
 * security headers on every answer. The WebSocket side (RPC and events) is in server.ts.
 */

const SECURITY_HEADERS = [
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin']
] as const

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json'
}

/** Cookies ignore ports, so the name carries it: two hosts on one machine do not clobber each other. */
export function tokenCookieName(port: number): string {
  return `blockspin_token_${port}`
}

/** Constant-time comparison (of digests, so lengths do not leak either). */
export function sameToken(given: string | null | undefined, token: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest()
  return timingSafeEqual(digest(given), digest(token))
}

function cookieValue(header: string | undefined, name: string): string | null {
  const part = (header ?? '').split(';').find((p) => p.slice(0, p.indexOf('=')).trim() === name)
  return part === undefined ? null : part.slice(part.indexOf('=') + 1).trim()
}

/** Who may ask: the launch token and the host names (which know the port only once listening). */
export interface PageAccess {
  token: string
  /** `127.0.0.1:PORT` and `localhost:PORT`. */
  allowedHosts(): string[]
  port(): number
}

export function requestUrl(req: IncomingMessage): URL | null {
  const base = 'http://127.0.0.1'
  return URL.canParse(req.url ?? '/', base) ? new URL(req.url ?? '/', base) : null
}

/** The token in the address (a launch link) or in this port's cookie. */
export function hasToken(req: IncomingMessage, url: URL, access: PageAccess): boolean {
  return (
    sameToken(url.searchParams.get('token'), access.token) ||
    sameToken(cookieValue(req.headers.cookie, tokenCookieName(access.port())), access.token)
  )
}

/** The real folder of the built renderer; throws one sentence when it has no index.html. */
export async function rendererRoot(dir: string): Promise<string> {
  const root = await realpath(resolve(dir)).catch(() => null)
  if (!root || !(await stat(join(root, 'index.html')).catch(() => null))?.isFile()) {
    throw new Error(`No built renderer in ${resolve(dir)} (index.html is missing); build the app first.`)
  }
  return root
}

/** The real file a request path names, or null when it is missing or outside the renderer. */
async function locate(root: string, pathname: string): Promise<string | null> {
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return null
  }
  if (decoded.includes('\0')) return null
  const candidate = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded))
  const inside = (p: string): boolean => p.startsWith(root + sep)
  if (!inside(candidate)) return null
  const real = await realpath(candidate).catch(() => null) // follows symlinks, then checks again
  if (!real || !inside(real) || !(await stat(real).catch(() => null))?.isFile()) return null
  return real
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, {
    'Content-Type': type,
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store'
  })
  res.end(body)
}

const NEEDS_LAUNCH_LINK =
  '<!doctype html><meta charset="utf-8"><title>Blockspin</title><p>This Blockspin page needs its ' +
  'launch link: open the address the web host printed when it started (it ends in <code>?token=…</code>).</p>\n'

/**
 * The page's own WebSocket: the host it was loaded from (127.0.0.1 or localhost) on this port,
 * nothing else. Requests with a host name the page is not served under get 127.0.0.1's.
 */
function ownSocket(req: IncomingMessage, access: PageAccess): string {
  const host = req.headers.host ?? ''
  return `ws://${access.allowedHosts().includes(host) ? host : access.allowedHosts()[0]}`
}

function setSecurityHeaders(res: ServerResponse, socket: string): void {
  res.setHeader(
    'Content-Security-Policy',
    [
      "default-src 'self'",
      `connect-src 'self' ${socket}`,
      // 'wasm-unsafe-eval' lets the page compile WebAssembly (its dense kernels); it allows no eval of JavaScript.
      "img-src 'self' data: blob:",
      "font-src 'self' data:",
      "style-src 'self' 'unsafe-inline'",
      "script-src 'self' 'wasm-unsafe-eval'",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "base-uri 'none'",
      "form-action 'none'"
    ].join('; ')
  )
  for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
}

/**
 * index.html's own policy (a meta tag, which is what Electron enforces) allows connections to
 * 'self' only; served here, it also names the page's WebSocket, since both policies apply.
 */
export function withOwnSocket(html: string, socket: string): string {
  return html.replace(
    /(<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*connect-src 'self')/,
    `$1 ${socket}`
  )
}

async function serve(req: IncomingMessage, res: ServerResponse, root: string, access: PageAccess): Promise<void> {
  const socket = ownSocket(req, access)
  setSecurityHeaders(res, socket)
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD')
    return send(res, 405, 'Only GET and HEAD are served here.\n')
  }
  const url = requestUrl(req)
  if (!url) return send(res, 400, 'Bad request.\n')
  if (!access.allowedHosts().includes(req.headers.host ?? ''))
    return send(res, 403, 'This host name is not served here.\n')
  if (!hasToken(req, url, access)) return send(res, 401, NEEDS_LAUNCH_LINK, 'text/html; charset=utf-8')
  if (sameToken(url.searchParams.get('token'), access.token)) {
    res.setHeader('Set-Cookie', `${tokenCookieName(access.port())}=${access.token}; HttpOnly; SameSite=Strict; Path=/`)
  }
  const file = await locate(root, url.pathname)
  if (!file) return send(res, 404, 'Not found.\n')
  const info = await stat(file)
  const isIndex = file === join(root, 'index.html')
  const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
  if (isIndex) {
    const page = Buffer.from(withOwnSocket(await readFile(file, 'utf8'), socket))
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': page.length, 'Cache-Control': 'no-store' })
    return void res.end(req.method === 'HEAD' ? undefined : page)
  }
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': 'no-cache' })
  if (req.method === 'HEAD') return void res.end()
  createReadStream(file)
    .on('error', () => res.destroy())
    .pipe(res)
}

/** The HTTP request handler: static files of `root` for holders of the token. */
export function staticFileHandler(
  root: string,
  access: PageAccess,
  log: (message: string) => void
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    serve(req, res, root, access).catch((error: unknown) => {
      log(`a request failed: ${(error instanceof Error ? error.message : String(error)) || 'The request failed.'}`)
      if (!res.headersSent) send(res, 500, 'Internal error.\n')
      else res.destroy()
    })
  }
}
