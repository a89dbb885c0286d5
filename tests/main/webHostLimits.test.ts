import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import type { ApiHandlers, EventName, Events } from '@shared/contract'
import { decodeMessage, encodeMessage } from '@shared/wire'
import { FrameQueue, MAX_PENDING_FRAME_BYTES, type FrameSocket } from '../../src-main/web/frameQueue'
import { DEFAULT_MAX_PAYLOAD, startWebHost, type WebHost } from '../../src-main/web/server'

/** What one page can make the web host do: every call answered, jobs and buffers bounded. */

let dir: string
let next = 0
let host: WebHost
let emit: <E extends EventName>(name: E, payload: Events[E]) => void = () => {}
const handlers = {
  'app.info': async () => ({ appName: 'Blockspin' }),
  'jobs.start': async () => ({ jobId: `job-${++next}` })
} as unknown as ApiHandlers

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-limits-'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html>')
  host = await startWebHost({ handlers, subscribe: (e) => ((emit = e), () => {}), rendererDir: dir, log: () => {} })
})
afterAll(async () => {
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

interface Page {
  call: (bytes: Uint8Array) => Promise<unknown>
  /** The next message the page receives (an event, say). */
  next: () => Promise<unknown>
  close: () => void
}

async function openPage(client: string): Promise<Page> {
  const ws = new WebSocket(`${host.url.replace('http', 'ws').replace('/?', '/ws?')}&client=${client}`, {
    origin: `http://127.0.0.1:${host.port}`
  })
  await new Promise((ok, fail) => (ws.once('open', ok), ws.once('error', fail)))
  const next = () =>
    new Promise<unknown>((ok, fail) => {
      const timer = setTimeout(() => fail(new Error('no answer')), 3000)
      ws.once('message', (data) => (clearTimeout(timer), ok(decodeMessage(new Uint8Array(data as Buffer)))))
    })
  const call = (bytes: Uint8Array) => {
    const answer = next()
    ws.send(bytes)
    return answer
  }
  return { call, next, close: () => ws.close() }
}

/** A message with this JSON structure and no array blocks, as wire.ts frames it ("BSW1", length, JSON). */
function rawMessage(structure: string): Uint8Array {
  const json = new TextEncoder().encode(structure)
  const out = new Uint8Array((8 + json.length + 7) & ~7)
  out.set([0x42, 0x53, 0x57, 0x31])
  new DataView(out.buffer).setUint32(4, json.length, true)
  out.set(json, 8)
  return out
}

describe('calls the host cannot decode', () => {
  it('get an error reply with their id instead of silence', async () => {
    const page = await openPage('undecodable')
    const unknownTag = rawMessage('{"t":"call","id":7,"channel":"app.info","args":[{"$":"Float128Array","o":0,"n":1}]}')
    expect(await page.call(unknownTag)).toMatchObject({
      t: 'result',
      id: 7,
      ok: false,
      error: expect.stringMatching(/unknown tag/)
    })
    const outside = rawMessage('{"t":"call","id":8,"channel":"app.info","args":[{"$":"Float64Array","o":0,"n":1000}]}')
    expect(await page.call(outside)).toMatchObject({
      t: 'result',
      id: 8,
      ok: false,
      error: expect.stringMatching(/outside the message/)
    })
    // A well-formed call still works on the same socket.
    expect(await page.call(encodeMessage({ t: 'call', id: 9, channel: 'app.info', args: [] }))).toMatchObject({
      id: 9,
      ok: true
    })
    page.close()
  })
})

describe('interactive jobs per page', () => {
  const start = (id: number, interactive: boolean) =>
    encodeMessage({
      t: 'call',
      id,
      channel: 'jobs.start',
      args: [{ kind: 'ising.chain', title: 't', interactive, spec: {}, seed: 1 }]
    })

  it('are capped; batch jobs are not, and a finished job frees its place', async () => {
    const page = await openPage('greedy')
    const ids: string[] = []
    for (let k = 1; k <= 4; k++)
      ids.push(((await page.call(start(k, true))) as { value: { jobId: string } }).value.jobId)
    const refused = await page.call(start(5, true))
    expect(refused).toEqual({
      t: 'result',
      id: 5,
      ok: false,
      error: 'This page already runs 4 interactive jobs, the most it may; stop one first.'
    })
    expect(await page.call(start(6, false))).toMatchObject({ id: 6, ok: true })
    // Another page has its own allowance.
    const other = await openPage('other')
    expect(await other.call(start(1, true))).toMatchObject({ id: 1, ok: true })
    const update = page.next()
    emit('jobs.update', { id: ids[0]!, status: 'cancelled' } as Events['jobs.update'])
    expect(await update).toMatchObject({ t: 'event', name: 'jobs.update' })
    expect(await page.call(start(7, true))).toMatchObject({ id: 7, ok: true })
    expect(await page.call(start(8, true))).toMatchObject({ id: 8, ok: false })
    page.close()
    other.close()
  })
})

describe('buffers', () => {
  it('the WebSocket message limit stays well below 512 MB, above the largest dataset (256 MiB)', () => {
    expect(DEFAULT_MAX_PAYLOAD).toBeGreaterThan(256 * 1024 ** 2)
    expect(DEFAULT_MAX_PAYLOAD).toBeLessThanOrEqual(300 * 1024 ** 2)
  })

  it('a socket that never drains is closed once its merged frames pass the limit, instead of growing', () => {
    let terminated = 0
    const socket: FrameSocket = {
      bufferedAmount: 1 << 30,
      readyState: 1,
      send: () => undefined,
      terminate: () => void terminated++
    }
    const queue = new FrameQueue(socket, 8 * 1024 * 1024, 20, 4 * 1024 * 1024)
    const chunk = () => ({ jobId: 'j', frame: { series: { e: new Float64Array(64 * 1024) } } }) // 512 KiB
    for (let k = 0; k < 8; k++) queue.push(chunk())
    expect([terminated, queue.size]).toEqual([0, 1])
    queue.push(chunk())
    expect([terminated, queue.size]).toEqual([1, 0])
    expect(MAX_PENDING_FRAME_BYTES).toBe(64 * 1024 * 1024)
  })
})
