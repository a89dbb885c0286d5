import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { ApiHandlers } from '@shared/contract'
import { startWebHost, type WebHost } from '../../src-main/web/server'

/**
 * The renderer's Content-Security-Policy: the meta tag of index.html (what Electron enforces)
 * and the web host's header and served page. No inline or eval'd scripts, connections only to
 * the page's own origin (and, served by the web host, its own WebSocket on its own port), no
 * plugins, no <base>, no framing.
 */
const root = fileURLToPath(new URL('../..', import.meta.url))
const INDEX = join(root, 'src-renderer', 'index.html')

/** Directive → its sources, from a policy string. */
function directives(policy: string): Map<string, string[]> {
  const out = new Map<string, string[]>()
  for (const part of policy.split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/)
    if (name) out.set(name, sources)
  }
  return out
}

function metaPolicy(html: string): string {
  const match = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/.exec(html)
  if (!match) throw new Error('index.html has no Content-Security-Policy meta tag')
  return match[1]!
}

function expectStrict(policy: Map<string, string[]>, connect: string[]): void {
  expect(policy.get('default-src')).toEqual(["'self'"])
  expect(policy.get('script-src')).toEqual(["'self'", "'wasm-unsafe-eval'"])
  expect(policy.get('connect-src')).toEqual(["'self'", ...connect])
  expect(policy.get('object-src')).toEqual(["'none'"])
  expect(policy.get('base-uri')).toEqual(["'none'"])
  for (const [name, sources] of policy) {
    // No wildcards or whole schemes anywhere; data: and blob: only for images and fonts.
    for (const source of sources) expect(source, name).not.toMatch(/\*|^'unsafe-eval'$|^https?:$|^wss?:$|^file:$/)
    if (!['img-src', 'font-src'].includes(name)) expect(sources, name).not.toContain('data:')
    if (name !== 'style-src') expect(sources, name).not.toContain("'unsafe-inline'")
  }
}

describe('index.html (the desktop app)', () => {
  it('allows scripts from the app only and connections to its own origin only', () => {
    const policy = directives(metaPolicy(readFileSync(INDEX, 'utf8')))
    expectStrict(policy, [])
    expect(policy.get('frame-src')).toEqual(["'none'"])
    expect(policy.get('form-action')).toEqual(["'none'"])
  })
})

describe('the web host', () => {
  let host: WebHost
  let dir: string
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'blockspin-csp-'))
    copyFileSync(INDEX, join(dir, 'index.html'))
    host = await startWebHost({
      handlers: {} as ApiHandlers,
      subscribe: () => () => {},
      rendererDir: dir,
      log: () => {}
    })
  })
  afterAll(async () => {
    await host.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const get = (path: string, hostHeader: string) =>
    new Promise<{ status: number; csp: string; body: string }>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path, headers: { host: hostHeader } }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk) => (body += chunk))
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, csp: String(res.headers['content-security-policy']), body })
        )
      })
      req.on('error', reject).end()
    })

  it('names only the page’s own WebSocket, on its own port, in its header and in the page it serves', async () => {
    for (const name of ['127.0.0.1', 'localhost']) {
      const socket = `ws://${name}:${host.port}`
      const page = await get(`/?token=${host.token}`, `${name}:${host.port}`)
      expect(page.status).toBe(200)
      const header = directives(page.csp)
      expectStrict(header, [socket])
      expect(header.get('frame-ancestors')).toEqual(["'none'"])
      const meta = directives(metaPolicy(page.body))
      expectStrict(meta, [socket])
      expect(page.body).toContain('<title>Blockspin</title>')
    }
  })

  it('gives refused requests the same strict header', async () => {
    const refused = await get('/', `127.0.0.1:${host.port}`)
    expect(refused.status).toBe(401)
    expectStrict(directives(refused.csp), [`ws://127.0.0.1:${host.port}`])
    const foreign = await get(`/?token=${host.token}`, `evil.example:${host.port}`)
    expect(foreign.status).toBe(403)
    expect(directives(foreign.csp).get('connect-src')).toEqual(["'self'", `ws://127.0.0.1:${host.port}`])
  })
})
