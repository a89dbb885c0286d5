import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ApiHandlers, EventName, Events } from '@shared/contract'
import { startWebHost, type WebHost, type WebHostOptions } from '../../src-main/web/server'
import { CONNECTION_LOST, createWebApi, socketUrl, type WebApi } from '../../src-renderer/src/api/webClient'

type Emit = <E extends EventName>(name: E, payload: Events[E]) => void

let dir: string
let emit: Emit
const never = new Promise<never>(() => {})

const handlers = {
  'app.info': async () => ({ appName: 'Blockspin', version: '0.1.0', host: 'web' }),
  'jobs.snapshot': async ({ jobId }: { jobId: string }) => ({
    ok: true,
    data: { jobId, spins: Int8Array.from([1, -1, 1]) }
  }),
  'jobs.control': async () => {
    throw new Error('There is no job j9.')
  },
  'jobs.list': () => never
} as unknown as ApiHandlers

const options = (extra: Partial<WebHostOptions> = {}): WebHostOptions => ({
  handlers,
  subscribe: (e) => ((emit = e), () => {}),
  rendererDir: dir,
  log: () => {},
  ...extra
})

/** `ws` as the page's WebSocket: a browser always sends its Origin; Node's client must be told. */
const socketFor = (host: WebHost) =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, { origin: `http://127.0.0.1:${host.port}` })
    }
  }

const client = (host: WebHost, extra = {}): WebApi =>
  createWebApi(new URL(host.url), {
    WebSocket: socketFor(host),
    storage: null,
    minDelayMs: 20,
    maxDelayMs: 100,
    ...extra
  })

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-client-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html>')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('createWebApi against the web host', () => {
  let host: WebHost
  let api: WebApi
  beforeAll(async () => {
    host = await startWebHost(options())
    api = client(host)
  })
  afterAll(async () => {
    api.dispose()
    await host.close()
  })

  it('exposes one function per channel and answers calls made before the socket opens', async () => {
    expect(typeof api['project.save']).toBe('function')
    expect(await api['app.info']()).toMatchObject({ appName: 'Blockspin', host: 'web' })
  })

  it('carries typed arrays', async () => {
    const snap = (await api['jobs.snapshot']({ jobId: 'j1' })) as {
      ok: true
      data: { jobId: string; spins: Int8Array }
    }
    expect(snap.data.jobId).toBe('j1')
    expect(snap.data.spins).toEqual(Int8Array.from([1, -1, 1]))
  })

  it('rejects with the host’s sentence for handler errors and invalid arguments', async () => {
    await expect(api['jobs.control']({ jobId: 'j9', action: 'cancel' })).rejects.toThrow('There is no job j9.')
    const bad = { jobId: '', action: 'cancel' } as const
    await expect(api['jobs.control'](bad)).rejects.toThrow(/^Invalid arguments for jobs\.control: 0\.jobId/)
    await expect(
      api['jobs.start']({
        kind: 'ising.chain',
        title: '',
        interactive: true,
        spec: 1,
        seed: 1,
        rngState: new Map() as never
      })
    ).rejects.toThrow(/Cannot send a Map/)
  })

  it('dispatches events to listeners until they unsubscribe', async () => {
    const frames: Events['jobs.frame'][] = []
    const menus: string[] = []
    const off = api.on('jobs.frame', (p) => frames.push(p))
    api.on('menu', (p) => menus.push(p.command))
    api.on('menu', () => {
      throw new Error('a broken listener does not stop the others')
    })
    const original = console.error
    console.error = () => {}
    try {
      emit('jobs.frame', { jobId: 'j', frame: { series: { e: Float64Array.from([1, 2]) } } })
      emit('menu', { command: 'open' })
      await expect.poll(() => menus).toEqual(['open'])
      expect(frames).toEqual([{ jobId: 'j', frame: { series: { e: Float64Array.from([1, 2]) } } }])
      off()
      emit('jobs.frame', { jobId: 'j', frame: {} })
      emit('menu', { command: 'save' })
      await expect.poll(() => menus).toEqual(['open', 'save'])
      expect(frames).toHaveLength(1)
    } finally {
      console.error = original
    }
  })
})

describe('connection loss', () => {
  it('rejects unanswered calls, reconnects when the host is back, and stops on dispose', async () => {
    const first = await startWebHost(options())
    const api = client(first)
    await api['app.info']()
    const hanging = api['jobs.list']()
    await first.close()
    await expect(hanging).rejects.toThrow(CONNECTION_LOST)

    const second = await startWebHost(options({ port: first.port, token: first.token }))
    try {
      await expect
        .poll(
          async () =>
            api['app.info']().then(
              () => 'up',
              (e: Error) => e.message
            ),
          { timeout: 5000 }
        )
        .toBe('up')
      const pending = api['jobs.list']()
      api.dispose()
      await expect(pending).rejects.toThrow(CONNECTION_LOST)
      await expect(api['app.info']()).rejects.toThrow(CONNECTION_LOST)
    } finally {
      await second.close()
    }
  })

  it('explains a refused socket the same way (wrong token)', async () => {
    const host = await startWebHost(options())
    const api = createWebApi(new URL(`http://127.0.0.1:${host.port}/?token=wrong`), {
      WebSocket: socketFor(host),
      storage: null,
      minDelayMs: 1000
    })
    try {
      await expect(api['app.info']()).rejects.toThrow(CONNECTION_LOST)
    } finally {
      api.dispose()
      await host.close()
    }
  })
})

describe('socketUrl', () => {
  it('uses the page token, remembers it, and falls back to it after a reload', () => {
    const store = new Map<string, string>()
    const storage = {
      getItem: (k: string) => store.get(k) ?? null,
      setItem: (k: string, v: string) => void store.set(k, v)
    }
    expect(socketUrl(new URL('http://127.0.0.1:5174/?token=abc'), storage)).toBe('ws://127.0.0.1:5174/ws?token=abc')
    expect(socketUrl(new URL('http://127.0.0.1:5174/'), storage)).toBe('ws://127.0.0.1:5174/ws?token=abc')
    expect(socketUrl(new URL('https://lab.example/app/?token=x%2By'), null)).toBe('wss://lab.example/ws?token=x%2By')
    expect(socketUrl({ href: 'http://127.0.0.1:1/' }, null)).toBe('ws://127.0.0.1:1/ws')
  })
})
