import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { realpath, stat } from 'node:fs/promises'
import { extname, join, resolve, sep } from 'node:path'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { isChannel, validateInput, type ApiHandlers, type EventName, type Events } from '../shared/contract'
import { asClientMessage, callIdOf, decodeMessage, encodeMessage, type ServerMessage } from '../shared/wire'

export interface WebHostOptions {
  handlers: ApiHandlers
  /** Called once at start; returns the unsubscribe function called by close(). */
  subscribe: (emit: <E extends EventName>(name: E, payload: Events[E]) => void) => () => void
  /** The built renderer (contains index.html). */
  rendererDir: string
  /** 0 = a free port chosen by the system (the default). */
  port?: number
  host?: '127.0.0.1'
  /** Defaults to 32 random bytes in hex. */
  token?: string
  /** Largest accepted WebSocket message, in bytes (default 512 MB: project saves). */
  maxPayload?: number
  /** Problems that concern no particular call (default: console.warn). */
  log?: (message: string) => void
  /**
   * A page (identified by the `client` parameter of its socket address) has been gone for
   * `clientGraceMs`: these are the jobs it started, which nobody can see or stop any more.
   */
  onClientGone?: (jobIds: string[]) => void
  /** How long a page may stay disconnected (a network blip, a reconnect) before it counts as gone. Default 20 s. */
  clientGraceMs?: number
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=… — the page to open. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/** Beyond this many unsent bytes on a socket, job frames are merged instead of queued. */
export const FRAME_BUFFER_LIMIT = 8 * 1024 * 1024
const DEFAULT_MAX_PAYLOAD = 512 * 1024 * 1024
const SECURITY_HEADERS = [['X-Content-Type-Options', 'nosniff'], ['Referrer-Policy', 'no-referrer'], ['X-Frame-Options', 'DENY'],
  ['Cross-Origin-Opener-Policy', 'same-origin'], ['Cross-Origin-Resource-Policy', 'same-origin']] as const

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8', '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.gif': 'image/gif',
  '.webp': 'image/webp', '.ico': 'image/x-icon', '.woff': 'font/woff', '.woff2': 'font/woff2', '.ttf': 'font/ttf',
  '.wasm': 'application/wasm', '.txt': 'text/plain; charset=utf-8', '.webmanifest': 'application/manifest+json'
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

type FrameEvent = Events['jobs.frame']
const asRecord = (v: unknown): Record<string, unknown> | null =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v) ? (v as Record<string, unknown>) : null

function concatSeries(older: unknown, newer: unknown): unknown {
  if (newer === undefined) return older
  if (older instanceof Float64Array && newer instanceof Float64Array) {
    const out = new Float64Array(older.length + newer.length)
    out.set(older)
    out.set(newer, older.length)
    return out
  }
  if (Array.isArray(older) && Array.isArray(newer)) return [...older, ...newer]
  return newer
}

/**
 * Merges two frames of one job that a slow client has not received yet: the newer frame's
 * fields win, and each `series[k]` chunk is appended to the older one, so no sample is lost.
 * Pure: neither input is modified.
 */
export function coalesceFrames(older: FrameEvent, newer: FrameEvent): FrameEvent {
  const a = asRecord(older.frame)
  const b = asRecord(newer.frame)
  const sa = asRecord(a?.series)
  if (!b || !sa) return newer
  const sb = asRecord(b.series) ?? {}
  const keys = new Set([...Object.keys(sa), ...Object.keys(sb)])
  const series = Object.fromEntries([...keys].map((k) => [k, concatSeries(sa[k], sb[k])]))
  return { jobId: newer.jobId, frame: { ...b, series } }
}

/** What FrameQueue needs of a socket (a `ws` WebSocket, or a fake in tests). */
export interface FrameSocket {
  readonly bufferedAmount: number
  readonly readyState: number
  send(data: Uint8Array): void
}

const encodeFrame = (payload: FrameEvent): Uint8Array => encodeMessage({ t: 'event', name: 'jobs.frame', payload })

/**
 * Per-client back-pressure for job frames: while the socket has more than `limit` bytes unsent,
 * frames wait here, merged per job (latest fields, concatenated series), and a timer sends them
 * once the socket has drained.
 */
export class FrameQueue {
  private readonly pending = new Map<string, FrameEvent>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly socket: FrameSocket,
    private readonly limit = FRAME_BUFFER_LIMIT,
    private readonly intervalMs = 20
  ) {}

  get size(): number { return this.pending.size }

  /** `encoded` returns the frame's bytes, shared by every client that sends it as is. */
  push(event: FrameEvent, encoded: () => Uint8Array = () => encodeFrame(event)): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (this.pending.size === 0 && this.socket.bufferedAmount <= this.limit) {
      this.socket.send(encoded())
      return
    }
    const previous = this.pending.get(event.jobId)
    this.pending.set(event.jobId, previous ? coalesceFrames(previous, event) : event)
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs)
      this.timer.unref?.()
    }
  }

  /** Sends everything pending now (before any other event, so the order of events is kept). */
  flush(): void {
    this.stop()
    const frames = [...this.pending.values()]
    this.pending.clear()
    if (this.socket.readyState !== WebSocket.OPEN) return
    for (const frame of frames) this.socket.send(encodeFrame(frame))
  }

  dispose(): void {
    this.stop()
    this.pending.clear()
  }

  private tick(): void {
    if (this.socket.readyState !== WebSocket.OPEN) this.dispose()
    else if (this.socket.bufferedAmount <= this.limit) this.flush()
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer), (this.timer = null)
  }
}

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)) || 'The request failed.'

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error('The web host only listens on 127.0.0.1.')
  const token = opts.token ?? randomBytes(32).toString('hex')
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) throw new Error('The web host token must be 16–256 letters, digits, "-" or "_".')
  const log = opts.log ?? ((message: string) => console.warn(`Blockspin web host: ${message}`))
  const root = await realpath(resolve(opts.rendererDir)).catch(() => null)
  if (!root || !(await stat(join(root, 'index.html')).catch(() => null))?.isFile()) {
    throw new Error(`No built renderer in ${resolve(opts.rendererDir)} (index.html is missing); build the app first.`)
  }

  let port = 0
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)
  const cookieName = (): string => tokenCookieName(port)
  const parseUrl = (req: IncomingMessage): URL | null => URL.canParse(req.url ?? '/', 'http://127.0.0.1') ? new URL(req.url ?? '/', 'http://127.0.0.1') : null
  const hasToken = (req: IncomingMessage, url: URL): boolean =>
    sameToken(url.searchParams.get('token'), token) || sameToken(cookieValue(req.headers.cookie, cookieName()), token)

  /** The real file a request path names, or null when it is missing or outside the renderer. */
  const locate = async (pathname: string): Promise<string | null> => {
    let decoded = ''
    try { decoded = decodeURIComponent(pathname) } catch { return null }
    if (decoded.includes('\0')) return null
    const candidate = resolve(root, '.' + (decoded === '/' ? '/index.html' : decoded))
    const inside = (p: string): boolean => p.startsWith(root + sep)
    if (!inside(candidate)) return null
    const real = await realpath(candidate).catch(() => null) // follows symlinks, then checks again
    if (!real || !inside(real) || !(await stat(real).catch(() => null))?.isFile()) return null
    return real
  }

  const send = (res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void => {
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body), 'Cache-Control': 'no-store' })
    res.end(body)
  }

  const serve = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    res.setHeader('Content-Security-Policy', [
      "default-src 'self'", `connect-src 'self' ${allowedHosts().map((h) => `ws://${h}`).join(' ')}`,
      // 'wasm-unsafe-eval' lets the page compile WebAssembly (its dense kernels); it allows no eval of JavaScript.
      "img-src 'self' data: blob:", "font-src 'self' data:", "style-src 'self' 'unsafe-inline'", "script-src 'self' 'wasm-unsafe-eval'", "object-src 'none'",
      "frame-ancestors 'none'", "base-uri 'none'", "form-action 'none'"
    ].join('; '))
    for (const [name, value] of SECURITY_HEADERS) res.setHeader(name, value)
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD')
      return send(res, 405, 'Only GET and HEAD are served here.\n')
    }
    const url = parseUrl(req)
    if (!url) return send(res, 400, 'Bad request.\n')
    if (!allowedHosts().includes(req.headers.host ?? '')) return send(res, 403, 'This host name is not served here.\n')
    if (!hasToken(req, url)) {
      return send(res, 401, '<!doctype html><meta charset="utf-8"><title>Blockspin</title><p>This Blockspin page needs its ' +
        'launch link: open the address the web host printed when it started (it ends in <code>?token=…</code>).</p>\n',
        'text/html; charset=utf-8')
    }
    if (sameToken(url.searchParams.get('token'), token)) {
      res.setHeader('Set-Cookie', `${cookieName()}=${token}; HttpOnly; SameSite=Strict; Path=/`)
    }
    const file = await locate(url.pathname)
    if (!file) return send(res, 404, 'Not found.\n')
    const info = await stat(file)
    const isIndex = file === join(root, 'index.html')
    const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream'
    res.writeHead(200, { 'Content-Type': type, 'Content-Length': info.size, 'Cache-Control': isIndex ? 'no-store' : 'no-cache' })
    if (req.method === 'HEAD') return void res.end()
    createReadStream(file).on('error', () => res.destroy()).pipe(res)
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      log(`a request failed: ${messageOf(error)}`)
      if (!res.headersSent) send(res, 500, 'Internal error.\n')
      else res.destroy()
    })
  })

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD })
  const clients = new Map<WebSocket, FrameQueue>()
  /** Per page: its open sockets, the jobs it started, and the timer that declares it gone. */
  const pages = new Map<string, { sockets: Set<WebSocket>; jobs: Set<string>; gone: ReturnType<typeof setTimeout> | null }>()
  const pageOf = new Map<WebSocket, string>()
  const graceMs = opts.clientGraceMs ?? 20_000

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const refuse = (status: number, text: string): void => {
      socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`)
    }
    const url = parseUrl(req)
    if (!url || url.pathname !== '/ws') return refuse(404, 'Not Found')
    if (!allowedHosts().includes(req.headers.host ?? '') || !allowedOrigins().includes(req.headers.origin ?? '')) {
      return refuse(403, 'Forbidden')
    }
    if (!hasToken(req, url)) return refuse(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const reply = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState !== WebSocket.OPEN) return
    let bytes: Uint8Array
    try {
      bytes = encodeMessage(message)
    } catch (error) {
      if (message.t !== 'result') return log(`an event could not be sent: ${messageOf(error)}`)
      bytes = encodeMessage({ t: 'result', id: message.id, ok: false, error: `The answer could not be sent: ${messageOf(error)}` })
    }
    ws.send(bytes)
  }

  const answer = async (ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> => {
    let id: number | null = null
    try {
      if (!isBinary) throw new Error('Malformed message: expected a binary message.')
      const raw = decodeMessage(toBytes(data))
      id = callIdOf(raw)
      const call = asClientMessage(raw)
      if (!isChannel(call.channel)) throw new Error(`Unknown channel "${String(call.channel).slice(0, 100)}".`)
      const checked = validateInput(call.channel, call.args)
      if (!checked.ok) throw new Error(checked.error)
      const handler = opts.handlers[call.channel] as unknown as ((...args: unknown[]) => Promise<unknown>) | undefined
      if (typeof handler !== 'function') throw new Error(`The host does not implement ${call.channel}.`)
      const value = await handler.apply(opts.handlers, checked.args as unknown[])
      if (call.channel === 'jobs.start') {
        const page = pages.get(pageOf.get(ws) ?? '')
        page?.jobs.add((value as { jobId: string }).jobId)
      }
      reply(ws, { t: 'result', id: call.id, ok: true, value })
    } catch (error) {
      if (id === null) log(messageOf(error))
      else reply(ws, { t: 'result', id, ok: false, error: messageOf(error) })
    }
  }

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    clients.set(ws, new FrameQueue(ws))
    const pageId = (parseUrl(req)?.searchParams.get('client') ?? '').slice(0, 64)
    if (pageId) {
      const page = pages.get(pageId) ?? { sockets: new Set<WebSocket>(), jobs: new Set<string>(), gone: null }
      if (page.gone) clearTimeout(page.gone)
      page.gone = null
      page.sockets.add(ws)
      pages.set(pageId, page)
      pageOf.set(ws, pageId)
    }
    ws.on('message', (data, isBinary) => void answer(ws, data, isBinary))
    ws.on('error', (error) => log(`a connection failed: ${error.message}`))
    ws.on('close', () => {
      clients.get(ws)?.dispose()
      clients.delete(ws)
      const page = pageId ? pages.get(pageId) : undefined
      pageOf.delete(ws)
      if (!page) return
      page.sockets.delete(ws)
      if (page.sockets.size > 0) return
      page.gone = setTimeout(() => {
        pages.delete(pageId)
        if (page.jobs.size > 0) opts.onClientGone?.([...page.jobs])
      }, graceMs)
      page.gone.unref?.()
    })
  })

  const emit = <E extends EventName>(name: E, payload: Events[E]): void => {
    let bytes: Uint8Array | null = null
    try {
      const encoded = (): Uint8Array => (bytes ??= encodeMessage({ t: 'event', name, payload }))
      for (const [ws, queue] of clients) {
        if (name === 'jobs.frame') {
          queue.push(payload as FrameEvent, encoded)
        } else if (ws.readyState === WebSocket.OPEN) {
          queue.flush()
          ws.send(encoded())
        }
      }
    } catch (error) {
      log(`the ${name} event could not be sent: ${messageOf(error)}`)
    }
  }

  server.on('error', (error) => log(`server error: ${error.message}`))
  await new Promise<void>((done, failed) => {
    const onError = (error: NodeJS.ErrnoException): void =>
      failed(error.code !== 'EADDRINUSE' ? error
        : Object.assign(new Error(`Port ${opts.port} on ${host} is already in use; choose another one.`), { code: error.code }))
    server.once('error', onError)
    server.listen(opts.port ?? 0, host, () => (server.off('error', onError), done()))
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
  const unsubscribe = opts.subscribe(emit)

  let closing: Promise<void> | null = null
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      (closing ??= (async () => {
        unsubscribe()
        for (const [ws, queue] of clients) queue.dispose(), ws.terminate()
        clients.clear()
        for (const page of pages.values()) if (page.gone) clearTimeout(page.gone)
        pages.clear()
        await new Promise<void>((done) => wss.close(() => done()))
        server.closeAllConnections()
        await new Promise<void>((done) => server.close(() => done()))
      })())
  }
}
