import { afterEach, describe, expect, it, vi } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { decodeMessage } from '@shared/wire'
import { coalesceFrameEvents, FrameQueue, type FrameSocket } from '../../src-main/web/frameQueue'
import { startWebHost } from '../../src-main/web/server'

const f64 = (...xs: number[]) => Float64Array.from(xs)

class FakeSocket implements FrameSocket {
  bufferedAmount = 0
  readyState = 1
  sent: unknown[] = []
  send(data: Uint8Array): void {
    this.sent.push(decodeMessage(data))
  }
}

afterEach(() => {
  vi.useRealTimers()
})

describe('coalesceFrameEvents', () => {
  it('keeps the newest fields and concatenates every series', () => {
    const older = { jobId: 'j', frame: { sweep: 1, spins: Int8Array.from([1]), series: { e: f64(1, 2), m: f64(0.5) } } }
    const newer = { jobId: 'j', frame: { sweep: 2, spins: Int8Array.from([-1]), series: { e: f64(3), c: f64(9) } } }
    const merged = coalesceFrameEvents(older, newer)
    expect(merged).toEqual({
      jobId: 'j',
      frame: { sweep: 2, spins: Int8Array.from([-1]), series: { e: f64(1, 2, 3), m: f64(0.5), c: f64(9) } }
    })
    expect(older.frame.series.e).toEqual(f64(1, 2))
    expect(newer.frame.series.e).toEqual(f64(3))
  })

  it('keeps a field only the older frame has, as the JobFrame contract says (other fields replaced)', () => {
    // The web host's own merge used to drop it whenever the older frame had series.
    const older = { jobId: 'j', frame: { sweep: 1, spins: Int8Array.from([1, -1]), series: { e: f64(1) } } }
    const newer = { jobId: 'j', frame: { sweep: 2, series: { e: f64(2) } } }
    expect(coalesceFrameEvents(older, newer)).toEqual({
      jobId: 'j',
      frame: { sweep: 2, spins: Int8Array.from([1, -1]), series: { e: f64(1, 2) } }
    })
  })

  it('handles frames without series and non-object frames', () => {
    const a = { jobId: 'j', frame: { sweep: 1 } }
    const b = { jobId: 'j', frame: { sweep: 2, series: { e: f64(1) } } }
    expect(coalesceFrameEvents(a, b)).toEqual(b)
    expect(coalesceFrameEvents(b, a)).toEqual({ jobId: 'j', frame: { sweep: 1, series: { e: f64(1) } } })
    expect(coalesceFrameEvents(b, { jobId: 'j', frame: null })).toEqual({ jobId: 'j', frame: null })
    expect(coalesceFrameEvents({ jobId: 'j', frame: null }, b)).toBe(b)
    // Series sent as plain arrays are joined as the contract's Float64Array.
    const plain = coalesceFrameEvents(
      { jobId: 'j', frame: { series: { e: [1] } } },
      { jobId: 'j', frame: { series: { e: [2] } } }
    )
    expect(plain).toEqual({ jobId: 'j', frame: { series: { e: f64(1, 2) } } })
  })
})

describe('FrameQueue', () => {
  it('sends at once while the socket keeps up', () => {
    const socket = new FakeSocket()
    const queue = new FrameQueue(socket, 100)
    queue.push({ jobId: 'a', frame: { n: 1 } })
    queue.push({ jobId: 'a', frame: { n: 2 } })
    expect(socket.sent).toHaveLength(2)
    expect(queue.size).toBe(0)
  })

  it('merges frames per job while the socket is behind, and sends them once it drains', () => {
    vi.useFakeTimers()
    const socket = new FakeSocket()
    const queue = new FrameQueue(socket, 100, 20)
    socket.bufferedAmount = 1000
    queue.push({ jobId: 'a', frame: { n: 1, series: { e: f64(1) } } })
    queue.push({ jobId: 'b', frame: { n: 1, series: { e: f64(10) } } })
    queue.push({ jobId: 'a', frame: { n: 2, series: { e: f64(2) } } })
    socket.bufferedAmount = 0
    queue.push({ jobId: 'a', frame: { n: 3, series: { e: f64(3) } } }) // still queued: keeps order
    expect(socket.sent).toHaveLength(0)
    expect(queue.size).toBe(2)
    vi.advanceTimersByTime(25)
    expect(socket.sent).toEqual([
      { t: 'event', name: 'jobs.frame', payload: { jobId: 'a', frame: { n: 3, series: { e: f64(1, 2, 3) } } } },
      { t: 'event', name: 'jobs.frame', payload: { jobId: 'b', frame: { n: 1, series: { e: f64(10) } } } }
    ])
    expect(queue.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('waits while the socket stays behind, and flush() sends regardless', () => {
    vi.useFakeTimers()
    const socket = new FakeSocket()
    const queue = new FrameQueue(socket, 100, 20)
    socket.bufferedAmount = 1000
    queue.push({ jobId: 'a', frame: { series: { e: f64(1) } } })
    vi.advanceTimersByTime(200)
    expect(socket.sent).toHaveLength(0)
    queue.flush()
    expect(socket.sent).toHaveLength(1)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('drops its frames and stops when the socket closes', () => {
    vi.useFakeTimers()
    const socket = new FakeSocket()
    const queue = new FrameQueue(socket, 100, 20)
    socket.bufferedAmount = 1000
    queue.push({ jobId: 'a', frame: {} })
    socket.readyState = 3
    vi.advanceTimersByTime(25)
    expect(queue.size).toBe(0)
    expect(vi.getTimerCount()).toBe(0)
    queue.push({ jobId: 'a', frame: {} })
    expect(socket.sent).toHaveLength(0)
  })
})

describe('slow clients over a real socket', () => {
  it('loses no series sample when a client stops reading for a while', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'blockspin-frames-'))
    writeFileSync(join(dir, 'index.html'), '')
    let emit!: (name: 'jobs.frame' | 'jobs.result', payload: never) => void
    const host = await startWebHost({
      handlers: {} as never,
      rendererDir: dir,
      log: () => {},
      subscribe: (e) => ((emit = e as typeof emit), () => {})
    })
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
        origin: `http://127.0.0.1:${host.port}`
      })
      await new Promise((r) => ws.once('open', r))
      const received: number[] = []
      let frames = 0
      let done = false
      ws.on('message', (data: Buffer) => {
        const m = decodeMessage(new Uint8Array(data.buffer, data.byteOffset, data.length)) as {
          name: string
          payload: { frame: { series: { i: Float64Array } } }
        }
        if (m.name === 'jobs.result') done = true
        else (frames++, received.push(...m.payload.frame.series.i))
      })
      const raw = (ws as unknown as { _socket: { pause(): void; resume(): void } })._socket
      raw.pause()
      const count = 120
      for (let i = 0; i < count; i++) {
        emit('jobs.frame', { jobId: 'j', frame: { spins: new Int8Array(512 * 1024), series: { i: f64(i) } } } as never)
        await new Promise((r) => setImmediate(r))
      }
      emit('jobs.result', { jobId: 'j', result: null, cancelled: false } as never)
      raw.resume()
      await expect.poll(() => done, { timeout: 20_000 }).toBe(true)
      expect(received).toEqual(Array.from({ length: count }, (_, i) => i))
      expect(frames).toBeLessThan(count) // some frames were merged
      ws.close()
    } finally {
      await host.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
