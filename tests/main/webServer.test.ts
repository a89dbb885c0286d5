import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { request } from 'node:http'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ApiHandlers, EventName, Events } from '@shared/contract'
import { decodeMessage, encodeMessage, type ServerMessage } from '@shared/wire'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { tokenCookieName } from '../../src-main/web/staticFiles'

type Emit = <E extends EventName>(name: E, payload: Events[E]) => void

let dir: string
let host: WebHost
let emit: Emit
let unsubscribed = 0
const calls: unknown[][] = []

const handlers = {
  'app.info': async () => ({ appName: 'Blockspin', version: '0.1.0', host: 'web' }),
  'jobs.snapshot': async (input: { jobId: string }) => {
    calls.push([input])
    return {
      ok: true,
      data: { spins: Int8Array.from([1, -1]), energy: Float64Array.from([NaN, -2.5]), none: undefined }
    }
  },
  'jobs.start': async (input: { rngState?: Uint32Array }) => {
    calls.push([input])
    return { jobId: `job-${input.rngState?.[0] ?? 'none'}` }
  },
  'jobs.control': async () => {
    throw new Error('There is no job j9.')
  }
} as unknown as ApiHandlers

/** Raw HTTP (fetch would normalise the paths these tests want to send as they are). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET') {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>(
    (resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: host.port, path, method, headers }, (res) => {
        let body = ''
        res.setEncoding('utf8').on('data', (chunk) => (body += chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }))
      })
      req.on('error', reject).end()
    }
  )
}

const origin = (): string => `http://127.0.0.1:${host.port}`

function open(
  query = `?token=${host.token}`,
  options: WebSocket.ClientOptions = { origin: origin() }
): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, options)
    ws.once('open', () => resolve(ws))
    ws.once('unexpected-response', (_req, res) => reject(new Error(`refused ${res.statusCode}`)))
    ws.once('error', reject)
  })
}

/** Collects every decoded message a socket receives. */
function inbox(ws: WebSocket): ServerMessage[] {
  const got: ServerMessage[] = []
  ws.on('message', (data: Buffer) =>
    got.push(decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.length)) as ServerMessage)
  )
  return got
}

async function until<T>(probe: () => T | undefined, ms = 3000): Promise<T> {
  const end = Date.now() + ms
  for (;;) {
    const value = probe()
    if (value !== undefined) return value
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

async function call(ws: WebSocket, got: ServerMessage[], id: number, channel: string, args: unknown[]) {
  ws.send(encodeMessage({ t: 'call', id, channel, args }))
  return until(() => got.find((m) => m.t === 'result' && m.id === id))
}

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'blockspin-web-'))
  dir = join(base, 'renderer')
  mkdirSync(join(dir, 'assets'), { recursive: true })
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Blockspin</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(base, 'secret.txt'), 'secret')
  symlinkSync(join(base, 'secret.txt'), join(dir, 'assets', 'link.txt'))
  host = await startWebHost({
    handlers,
    subscribe: (e) => ((emit = e), () => void unsubscribed++),
    rendererDir: dir,
    port: 0,
    log: () => {}
  })
})

afterAll(async () => {
  await host?.close()
  rmSync(join(dir, '..'), { recursive: true, force: true })
})

describe('web host over HTTP', () => {
  it('reports its address with a 64-hex-digit token', () => {
    expect(host.token).toMatch(/^[0-9a-f]{64}$/)
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`)
  })

  it('refuses the page without the token, with a sentence and the security headers', async () => {
    const res = await get('/')
    expect(res.status).toBe(401)
    expect(res.body).toMatch(/needs its launch link/)
    const csp = String(res.headers['content-security-policy'])
    for (const part of [
      "default-src 'self'",
      `connect-src 'self' ws://127.0.0.1:${host.port}`,
      "script-src 'self' 'wasm-unsafe-eval';",
      "object-src 'none'",
      "frame-ancestors 'none'",
      "img-src 'self' data: blob:",
      "style-src 'self' 'unsafe-inline'"
    ]) {
      expect(csp).toContain(part)
    }
    expect(res.headers['x-content-type-options']).toBe('nosniff')
    expect((await get('/?token=wrong')).status).toBe(401)
  })

  it('serves index.html with the token, sets the cookie, and then serves assets by cookie', async () => {
    const res = await get(`/?token=${host.token}`)
    expect(res.status).toBe(200)
    expect(res.body).toContain('<title>Blockspin</title>')
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(res.headers['cache-control']).toBe('no-store')
    const cookie = String(res.headers['set-cookie'])
    expect(cookie).toContain(`${tokenCookieName(host.port)}=${host.token}`)
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    const asset = await get('/assets/app.js', { cookie: `other=1; ${tokenCookieName(host.port)}=${host.token}` })
    expect(asset.status).toBe(200)
    expect(asset.headers['content-type']).toBe('text/javascript; charset=utf-8')
    expect((await get('/assets/app.js')).status).toBe(401)
    expect((await get('/assets/app.js', { cookie: `${tokenCookieName(host.port)}=nope` })).status).toBe(401)
  })

  it('refuses path traversal, symlink escapes, missing files, other methods and foreign host names', async () => {
    const t = `?token=${host.token}`
    for (const path of [
      '/..%2f..%2fetc/passwd',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%5c..%5csecret.txt',
      '/assets/link.txt',
      '/nope.js',
      '/assets',
      '/%00.js',
      '/%E0%A4%A'
    ]) {
      const res = await get(path + t)
      expect(res.status, path).toBeGreaterThanOrEqual(400)
      expect(res.body, path).not.toContain('secret')
    }
    expect((await get('/' + t, {}, 'POST')).status).toBe(405)
    expect((await get('/' + t, { host: `evil.example:${host.port}` })).status).toBe(403)
    expect((await get('/' + t, {}, 'HEAD')).status).toBe(200)
  })
})

describe('web host over WebSocket', () => {
  it('refuses upgrades without the token, from a foreign origin, without origin, or off /ws', async () => {
    await expect(open('')).rejects.toThrow('refused 401')
    await expect(open('?token=bad')).rejects.toThrow('refused 401')
    await expect(open(undefined, { origin: 'http://evil.example' })).rejects.toThrow('refused 403')
    await expect(open(undefined, { origin: `http://127.0.0.1:${host.port + 1}` })).rejects.toThrow('refused 403')
    await expect(open(undefined, {})).rejects.toThrow('refused 403')
    const other = new WebSocket(`ws://127.0.0.1:${host.port}/other?token=${host.token}`, { origin: origin() })
    await expect(
      new Promise((_, reject) => other.once('unexpected-response', (_q, r) => reject(r.statusCode)))
    ).rejects.toBe(404)
  })

  it('accepts the cookie instead of ?token=', async () => {
    const ws = await open('', { origin: origin(), headers: { cookie: `${tokenCookieName(host.port)}=${host.token}` } })
    ws.close()
  })

  it('round-trips a call with typed arrays both ways', async () => {
    const ws = await open()
    const got = inbox(ws)
    const snap = await call(ws, got, 1, 'jobs.snapshot', [{ jobId: 'j1' }])
    expect(snap).toMatchObject({ ok: true })
    const data = (snap as { value: { data: Record<string, unknown> } }).value.data
    expect(data.spins).toEqual(Int8Array.from([1, -1]))
    expect(data.energy).toBeInstanceOf(Float64Array)
    expect((data.energy as Float64Array)[0]).toBeNaN()
    expect('none' in data).toBe(true)
    const started = await call(ws, got, 2, 'jobs.start', [
      {
        kind: 'ising.chain',
        title: 'x',
        interactive: true,
        spec: { n: 4 },
        seed: 1,
        rngState: Uint32Array.from([77, 1])
      }
    ])
    expect(started).toEqual({ t: 'result', id: 2, ok: true, value: { jobId: 'job-77' } })
    expect((calls.at(-1)![0] as { rngState: unknown }).rngState).toBeInstanceOf(Uint32Array)
    ws.close()
  })

  it('answers invalid arguments, unknown channels, missing handlers and handler errors with ok:false sentences', async () => {
    const ws = await open()
    const got = inbox(ws)
    const bad = await call(ws, got, 1, 'jobs.control', [{ jobId: 'j', action: 'explode' }])
    expect(bad).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^Invalid arguments for jobs\.control: 0\.action: /)
    })
    expect(await call(ws, got, 2, 'fs.readFile', [])).toMatchObject({
      ok: false,
      error: 'Unknown channel "fs.readFile".'
    })
    expect(await call(ws, got, 3, 'recovery.list', [])).toMatchObject({
      ok: false,
      error: 'The host does not implement recovery.list.'
    })
    const thrown = await call(ws, got, 4, 'jobs.control', [{ jobId: 'j9', action: 'cancel' }])
    expect(thrown).toEqual({ t: 'result', id: 4, ok: false, error: 'There is no job j9.' })
    ws.close()
  })

  it('survives malformed messages and keeps answering', async () => {
    const ws = await open()
    const got = inbox(ws)
    ws.send('{"t":"call"}')
    ws.send(Buffer.from([1, 2, 3]))
    ws.send(encodeMessage({ t: 'call', id: 5, channel: 'app.info', args: 'nope' }))
    ws.send(encodeMessage({ hello: 1 }))
    expect(await until(() => got.find((m) => m.t === 'result' && m.id === 5))).toMatchObject({
      ok: false,
      error: /not a list/
    })
    expect(await call(ws, got, 6, 'app.info', [])).toMatchObject({ ok: true, value: { appName: 'Blockspin' } })
    ws.close()
  })

  it('delivers events to every client, frames included, in order', async () => {
    const [a, b] = [await open(), await open()]
    const [gotA, gotB] = [inbox(a), inbox(b)]
    emit('jobs.frame', {
      jobId: 'j1',
      frame: { spins: Int8Array.from([1, 1, -1]), series: { e: Float64Array.from([1]) } }
    })
    emit('menu', { command: 'save' })
    for (const got of [gotA, gotB]) {
      await until(() => (got.length >= 2 ? true : undefined))
      expect(got.map((m) => (m.t === 'event' ? m.name : m.t))).toEqual(['jobs.frame', 'menu'])
      expect((got[0] as { payload: { frame: { spins: unknown } } }).payload.frame.spins).toEqual(
        Int8Array.from([1, 1, -1])
      )
    }
    a.close()
    b.close()
  })
})

describe('web host limits and shutdown', () => {
  it('closes a connection whose message exceeds maxPayload, and stays up', async () => {
    const small = await startWebHost({
      handlers,
      subscribe: () => () => {},
      rendererDir: dir,
      maxPayload: 1024,
      log: () => {}
    })
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${small.port}/ws?token=${small.token}`, {
        origin: `http://127.0.0.1:${small.port}`
      })
      await new Promise((r) => ws.once('open', r))
      const code = new Promise((r) => ws.once('close', (c) => r(c)))
      ws.send(encodeMessage({ t: 'call', id: 1, channel: 'app.info', args: [new Uint8Array(4096)] }))
      expect(await code).toBe(1009)
      const again = new WebSocket(`ws://127.0.0.1:${small.port}/ws?token=${small.token}`, {
        origin: `http://127.0.0.1:${small.port}`
      })
      await new Promise((r) => again.once('open', r))
      again.close()
    } finally {
      await small.close()
    }
  })

  it('refuses a missing renderer, a bad token and a busy port with clear errors', async () => {
    const base = { handlers, subscribe: () => () => {}, log: () => {} }
    await expect(startWebHost({ ...base, rendererDir: join(dir, 'missing') })).rejects.toThrow(/index\.html is missing/)
    await expect(startWebHost({ ...base, rendererDir: dir, token: 'short' })).rejects.toThrow(/token must be/)
    await expect(startWebHost({ ...base, rendererDir: dir, port: host.port })).rejects.toThrow(/already in use/)
    await expect(startWebHost({ ...base, rendererDir: dir, port: host.port })).rejects.toMatchObject({
      code: 'EADDRINUSE'
    })
  })

  it('close() unsubscribes, disconnects clients and is idempotent', async () => {
    let unsub = 0
    const h = await startWebHost({ handlers, subscribe: () => () => void unsub++, rendererDir: dir, log: () => {} })
    const ws = new WebSocket(`ws://127.0.0.1:${h.port}/ws?token=${h.token}`, { origin: `http://127.0.0.1:${h.port}` })
    await new Promise((r) => ws.once('open', r))
    const closed = new Promise((r) => ws.once('close', r))
    await Promise.all([h.close(), h.close()])
    await closed
    expect(unsub).toBe(1)
  })
})
