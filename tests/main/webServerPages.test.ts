import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ApiHandlers } from '@shared/contract'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { createWebApi, type WebApi } from '../../src-renderer/src/api/webClient'
import { decodeMessage, encodeMessage } from '@shared/wire'

/** A page that is gone for good has its jobs stopped; one that reconnects in time keeps them. */
let dir: string
let next = 0
const handlers = {
  'jobs.start': async () => ({ jobId: `job-${++next}` })
} as unknown as ApiHandlers

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-pages-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html>')
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const socketFor = (host: WebHost) =>
  class extends WebSocket {
    constructor(url: string) {
      super(url, { origin: `http://127.0.0.1:${host.port}` })
    }
  }

const start = (api: WebApi) =>
  api['jobs.start']({ kind: 'ising.chain', title: 't', interactive: true, spec: {}, seed: 1 })
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

describe('jobs owned by a page', () => {
  let host: WebHost
  const gone: string[][] = []
  beforeAll(async () => {
    host = await startWebHost({
      handlers,
      subscribe: () => () => {},
      rendererDir: dir,
      log: () => {},
      clientGraceMs: 150,
      onClientGone: (ids) => gone.push(ids)
    })
  })
  afterAll(() => host.close())

  it('reports the jobs of a page that closed and did not come back', async () => {
    const api = createWebApi(new URL(host.url), { WebSocket: socketFor(host), storage: null })
    const a = await start(api)
    const b = await start(api)
    api.dispose()
    await sleep(60)
    expect(gone).toEqual([])
    await sleep(250)
    expect(gone).toEqual([[a.jobId, b.jobId]])
  })

  it('keeps the jobs of a page whose socket drops and comes back within the grace period', async () => {
    gone.length = 0
    const url = `${host.url.replace('http', 'ws').replace('/?', '/ws?')}&client=page42`
    const open = async () => {
      const ws = new WebSocket(url, { origin: `http://127.0.0.1:${host.port}` })
      await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)))
      return ws
    }
    const call = (ws: WebSocket) =>
      new Promise<unknown>((ok) => {
        ws.once('message', (data) => ok(decodeMessage(new Uint8Array(data as Buffer))))
        ws.send(
          encodeMessage({
            t: 'call',
            id: 1,
            channel: 'jobs.start',
            args: [{ kind: 'ising.chain', title: 't', interactive: true, spec: {}, seed: 1 }]
          })
        )
      })
    const first = await open()
    const answer = (await call(first)) as { value: { jobId: string } }
    first.close()
    await sleep(60)
    const second = await open() // the same page, reconnected
    await sleep(300)
    expect(gone).toEqual([])
    second.close()
    await sleep(300)
    expect(gone).toEqual([[answer.value.jobId]])
  })
})
