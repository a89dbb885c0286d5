import { describe, expect, it } from 'vitest'
import { runJobOverPort } from '../../src-main/utility/host'
import type { JobCommand, JobRunner, JobSignal } from '@core/jobs/types'
import type { HostToWorker, Port, WorkerToHost } from '@shared/protocol'

// The host's JobSignal semantics, driven directly through a hand-held port.

/** A message without its version field (Omit distributed over the union). */
type Unversioned<T> = T extends unknown ? Omit<T, 'v'> : never

function harness(runners: Record<string, JobRunner>) {
  const out: WorkerToHost[] = []
  let deliver: (m: HostToWorker) => void = () => {}
  const port: Port<HostToWorker, WorkerToHost> = {
    postMessage: (m) => out.push(m),
    onMessage: (l) => ((deliver = l), () => (deliver = () => {}))
  }
  const finished = runJobOverPort(port, runners)
  const send = (m: Unversioned<HostToWorker>): void => deliver({ v: 1, ...m } as HostToWorker)
  const start = (kind: string, spec: unknown = null): void => send({ type: 'start', jobId: 'j', kind, spec, seed: 5 })
  return { out, finished, send, start }
}

/** Lets the event loop go round n times (each turn runs the host's pending setImmediate callbacks): no wall-clock wait. */
async function turns(n: number): Promise<void> {
  for (let k = 0; k < n; k++) await new Promise<void>((resolve) => setImmediate(resolve))
}

describe('runJobOverPort', () => {
  it('lets a tight loop see cancel, because next() yields to the event loop', async () => {
    const h = harness({
      spin: async (_s, _r, _k, signal) => {
        let steps = 0
        while (!signal.cancelled) {
          await signal.next()
          steps++
        }
        return steps
      }
    })
    h.start('spin')
    void turns(50).then(() => h.send({ type: 'control', action: 'cancel' }))
    await h.finished
    const done = h.out[h.out.length - 1] as Extract<WorkerToHost, { type: 'done' }>
    expect(done).toMatchObject({ type: 'done', cancelled: true })
    expect(done.result).toBeGreaterThan(10)
  })

  it('holds next() while paused until a command, resume or cancel arrives', async () => {
    const seen: Array<{ paused: boolean; commands: JobCommand[] }> = []
    let signalRef: JobSignal | null = null
    const h = harness({
      watch: async (_s, _r, _k, signal) => {
        signalRef = signal
        while (!signal.cancelled) {
          const commands = await signal.next()
          if (commands.length > 0 || signal.paused) seen.push({ paused: signal.paused, commands })
        }
        return null
      }
    })
    h.start('watch')
    await turns(5)
    h.send({ type: 'control', action: 'pause' })
    await turns(50)
    expect(seen).toEqual([]) // parked: no busy looping while paused
    h.send({ type: 'command', command: { type: 'step', count: 2 } })
    await turns(5)
    expect(seen).toEqual([{ paused: true, commands: [{ type: 'step', count: 2 }] }])
    expect((signalRef as unknown as JobSignal).paused).toBe(true)
    h.send({ type: 'control', action: 'cancel' })
    await h.finished
    expect(h.out[h.out.length - 1]).toMatchObject({ type: 'done', cancelled: true })
  })

  it('ends sleep early on cancel', async () => {
    const h = harness({
      nap: async (_s, _r, _k, signal) => {
        const t0 = signal.now()
        await signal.sleep(10_000)
        return signal.now() - t0
      }
    })
    h.start('nap')
    void turns(5).then(() => h.send({ type: 'control', action: 'cancel' }))
    await h.finished
    const done = h.out[h.out.length - 1] as Extract<WorkerToHost, { type: 'done' }>
    expect(done.result).toBeLessThan(1000)
  })

  it('forwards sink calls as messages and reports errors with message and stack', async () => {
    const h = harness({
      talk: async (_s, rng, sink) => {
        sink.progress({ done: 1, total: 2 })
        sink.frame({ a: 1, series: { x: Float64Array.of(rng.nextFloat()) } })
        sink.reply('r1', 'data')
        sink.log('hello')
        throw new RangeError('L must be ≥ 4, got 3')
      }
    })
    h.start('talk')
    await h.finished
    expect(h.out.map((m) => m.type)).toEqual(['progress', 'frame', 'reply', 'log', 'failed'])
    const failed = h.out[4] as Extract<WorkerToHost, { type: 'failed' }>
    expect(failed.error.message).toBe('L must be ≥ 4, got 3')
    expect(failed.error.stack).toMatch(/RangeError/)
  })

  it('refuses an unknown kind and a start from another protocol version', async () => {
    const a = harness({ known: async () => 1 })
    a.start('nope')
    await a.finished
    expect(a.out).toEqual([
      { v: 1, type: 'failed', error: { message: 'Unknown job kind "nope"; this worker runs: known.' } }
    ])
    const b = harness({ known: async () => 1 })
    b.send({ type: 'start', jobId: 'j', kind: 'known', spec: null, seed: 1, v: 9 } as unknown as HostToWorker)
    await b.finished
    expect(b.out[0]).toMatchObject({ type: 'failed', error: { message: expect.stringMatching(/version 9/) } })
  })
})
