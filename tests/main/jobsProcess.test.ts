import { getPriority } from 'node:os'
import { afterEach, describe, expect, it } from 'vitest'
import { JobBroker, type JobBrokerOptions } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../../src-main/services/nodeWorker'
import type { JobInfo } from '@shared/protocol'
import type { JobFrame } from '@core/jobs/types'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import type { TestCountResult } from '../../src-main/utility/testRunners'

// Real child processes: the worker entry forked through tsx, with the test job kinds enabled.

const brokers: JobBroker[] = []
const logs: string[] = []

function makeBroker(opts: Partial<JobBrokerOptions> & { maxOldSpaceMb?: number } = {}): JobBroker {
  const { entry, execArgv } = defaultWorkerEntry()
  const broker = new JobBroker({
    maxBatchJobs: 4,
    spawn: () =>
      spawnNodeWorker({ entry, execArgv, env: { BLOCKSPIN_TEST_RUNNERS: '1' }, maxOldSpaceMb: opts.maxOldSpaceMb }),
    log: (line) => logs.push(line),
    ...opts
  })
  brokers.push(broker)
  return broker
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Resolves when the job's progress reaches `done` (from throttled updates or the latest info). */
async function progressAtLeast(broker: JobBroker, id: string, done: number, timeoutMs = 8000): Promise<void> {
  const t0 = Date.now()
  while ((broker.get(id)?.progress?.done ?? -1) < done) {
    if (Date.now() - t0 > timeoutMs)
      throw new Error(`job ${id} did not reach ${done}: ${JSON.stringify(broker.get(id))}`)
    await sleep(10)
  }
}

const count = (n: number, delayMs = 0, frameEvery = 0) => ({
  kind: 'test.count',
  title: `count to ${n}`,
  interactive: false,
  spec: { n, delayMs, frameEvery },
  seed: 7
})

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.shutdown()))
  logs.length = 0
})

describe('jobs through real worker processes', () => {
  it('runs a job to done with progress, rate, ETA and the seeded generator', async () => {
    const broker = makeBroker()
    const updates: JobInfo[] = []
    broker.on('update', (info) => updates.push(info))
    const t0 = Date.now()
    const id = broker.start(count(40, 10))
    const outcome = await broker.wait(id)
    const seconds = (Date.now() - t0) / 1000
    expect(outcome.status).toBe('done')
    const result = (outcome as { result: TestCountResult }).result
    expect(result.count).toBe(40)
    expect(result.firstDraw).toBe(xoshiro128ss(7).nextUint32())
    const midway = updates.filter((u) => u.status === 'running' && u.etaSeconds !== null)
    expect(midway.length).toBeGreaterThan(0)
    const last = midway[midway.length - 1]
    expect(last.fraction).toBeGreaterThan(0)
    expect(last.fraction).toBeLessThan(1)
    // About 100 steps a second (10 ms sleeps), generously bounded for a loaded machine.
    expect(last.rate).toBeGreaterThan(10)
    expect(last.rate).toBeLessThan(1000)
    expect(last.etaSeconds).toBeGreaterThanOrEqual(0)
    // Progress updates are throttled (≤ 5/s plus status changes) though every step is reported.
    expect(updates.length).toBeLessThanOrEqual(5 * seconds + 6)
    const final = broker.get(id) as JobInfo
    expect(final).toMatchObject({ status: 'done', fraction: 1, etaSeconds: 0, error: null })
    expect(final.pid).toBeGreaterThan(0)
    expect(logs.some((l) => l.startsWith(`[job ${id} pid ${final.pid}]`))).toBe(true)
  })

  it('runs batch jobs at a lower scheduling priority than interactive ones', async () => {
    const broker = makeBroker()
    const batch = broker.start(count(1_000_000, 2))
    const live = broker.start({ ...count(1_000_000, 2), interactive: true })
    await progressAtLeast(broker, batch, 2)
    await progressAtLeast(broker, live, 2)
    expect(getPriority(broker.get(batch)!.pid!)).toBe(10)
    expect(getPriority(broker.get(live)!.pid!)).toBe(getPriority())
  })

  it('cancels a running job quickly', async () => {
    const broker = makeBroker()
    const id = broker.start(count(1_000_000, 2))
    await progressAtLeast(broker, id, 5)
    const doneAtCancel = broker.get(id)!.progress!.done
    expect(broker.control(id, 'cancel')).toBe(true)
    const outcome = await broker.wait(id)
    expect(outcome.status).toBe('cancelled')
    // Quickly, counted in the job's own 2 ms steps rather than by the wall clock (a loaded
    // machine slows both alike): fewer than 500 steps (≈ 1 s) after the last progress seen.
    const stoppedAt = (outcome as { result: TestCountResult }).result.count
    expect(stoppedAt - doneAtCancel, `cancelled at ${doneAtCancel}, stopped at ${stoppedAt}`).toBeLessThan(500)
    expect(broker.get(id)?.status).toBe('cancelled')
    expect(broker.control(id, 'cancel')).toBe(false)
  })

  it('pauses (progress stops) and resumes (progress continues)', async () => {
    const broker = makeBroker()
    const id = broker.start(count(1_000_000, 2))
    await progressAtLeast(broker, id, 5)
    expect(broker.control(id, 'pause')).toBe(true)
    expect(broker.get(id)?.status).toBe('paused')
    await sleep(300) // let in-flight steps and throttled updates settle
    const frozen = broker.get(id)?.progress?.done ?? -1
    await sleep(400)
    expect(broker.get(id)?.progress?.done).toBe(frozen)
    expect(broker.control(id, 'resume')).toBe(true)
    expect(broker.get(id)?.status).toBe('running')
    await progressAtLeast(broker, id, frozen + 5)
    broker.control(id, 'cancel')
    expect((await broker.wait(id)).status).toBe('cancelled')
  })

  it('delivers live command edits and answers snapshots', async () => {
    const broker = makeBroker()
    const id = broker.start(count(1_000_000, 5))
    await progressAtLeast(broker, id, 2)
    const snap = await broker.snapshot(id)
    expect(snap.ok).toBe(true)
    expect((snap as { data: { n: number; count: number } }).data.n).toBe(1_000_000)
    expect((snap as { data: { count: number } }).data.count).toBeGreaterThanOrEqual(2)
    expect(broker.command(id, { type: 'edit', params: { n: 0, note: 'stop here' } })).toBe(true)
    const outcome = await broker.wait(id)
    expect(outcome.status).toBe('done')
    const result = (outcome as { result: TestCountResult }).result
    expect(result.n).toBe(0)
    expect(result.edits).toEqual([{ n: 0, note: 'stop here' }])
    expect(await broker.snapshot(id)).toEqual({ ok: false, error: `Job ${id} is not running.` })
  })

  it('reports a thrown error as the failure message', async () => {
    const broker = makeBroker()
    const id = broker.start({ ...count(0), kind: 'test.throw', spec: { message: 'Lattice size must be even.' } })
    expect(await broker.wait(id)).toEqual({ status: 'failed', error: 'Lattice size must be even.' })
    expect(broker.get(id)?.error).toBe('Lattice size must be even.')
  })

  it('fails an unknown kind with a clear sentence', async () => {
    const broker = makeBroker()
    const id = broker.start({ ...count(0), kind: 'no.such.kind' })
    const outcome = await broker.wait(id)
    expect(outcome.status).toBe('failed')
    expect((outcome as { error: string }).error).toMatch(
      /^Unknown job kind "no\.such\.kind"; this worker runs: .*test\.count/
    )
  })

  it('marks a job whose worker exits as failed while another job completes', async () => {
    const broker = makeBroker()
    const survivor = broker.start(count(30, 10))
    const doomed = broker.start({ ...count(0), kind: 'test.exit' })
    expect(await broker.wait(doomed)).toEqual({
      status: 'failed',
      error: 'The worker process exited unexpectedly (code 3).'
    })
    const outcome = await broker.wait(survivor)
    expect(outcome.status).toBe('done')
    expect((outcome as { result: TestCountResult }).result.count).toBe(30)
    expect(logs.some((l) => l.includes('test.exit is about to exit'))).toBe(true)
  })

  it('reports a worker that runs out of heap memory', async () => {
    const broker = makeBroker({ maxOldSpaceMb: 64 })
    const id = broker.start({ ...count(0), kind: 'test.oom' })
    expect(await broker.wait(id)).toEqual({ status: 'failed', error: 'The worker process ran out of memory.' })
  })

  it('queues batch jobs beyond maxBatchJobs in FIFO order; interactive jobs start at once', async () => {
    const broker = makeBroker({ maxBatchJobs: 1 })
    const first = broker.start(count(20, 10))
    const second = broker.start(count(5, 0))
    const third = broker.start(count(5, 0))
    expect(broker.get(first)?.status).toBe('running')
    expect(broker.get(second)?.status).toBe('queued')
    expect(broker.get(third)?.status).toBe('queued')
    const live = broker.start({ ...count(3, 0), interactive: true })
    expect(broker.get(live)?.status).toBe('running')
    expect((await broker.wait(live)).status).toBe('done')
    expect(broker.get(second)?.status).toBe('queued')
    await broker.wait(first)
    await broker.wait(second)
    await broker.wait(third)
    const [a, b, c] = [first, second, third].map((id) => broker.get(id) as JobInfo)
    expect(b.startedAt as number).toBeGreaterThanOrEqual(a.finishedAt as number)
    expect(c.startedAt as number).toBeGreaterThanOrEqual(b.finishedAt as number)
    expect([a, b, c].map((j) => j.status)).toEqual(['done', 'done', 'done'])
  })

  it('coalesces throttled frames without losing series points', async () => {
    const broker = makeBroker({ frameHz: 20 })
    const frames: JobFrame[] = []
    const t0 = Date.now()
    const id = broker.start(count(3000, 0, 1))
    broker.on('frame', (e) => e.jobId === id && frames.push(e.frame))
    expect((await broker.wait(id)).status).toBe('done')
    const seconds = (Date.now() - t0) / 1000
    expect(frames.length).toBeGreaterThan(0)
    // 3000 frames sent; at most 20 a second (plus the leading one and the final flush) arrive.
    expect(frames.length).toBeLessThanOrEqual(20 * seconds + 2)
    expect(frames.length).toBeLessThan(3000)
    expect(frames[frames.length - 1].count).toBe(3000)
    const counts = frames.flatMap((f) => Array.from(f.series?.count ?? []))
    expect(counts).toEqual(Array.from({ length: 3000 }, (_, i) => i + 1))
    const halves = frames.flatMap((f) => Array.from(f.series?.half ?? []))
    expect(halves).toEqual(counts.map((c) => c / 2))
  })

  it('carries typed arrays across the process boundary and continues a saved generator', async () => {
    const broker = makeBroker()
    const spec = {
      spins: Int8Array.from([1, -1, -1, 1]),
      energy: Float64Array.from([-2, -1.5, Math.PI]),
      state: Uint32Array.from([0xffffffff, 1, 2, 3]),
      nested: { deep: [Float64Array.of(0.1)] }
    }
    const id = broker.start({ ...count(0), kind: 'test.echo', spec })
    const outcome = (await broker.wait(id)) as { status: string; result: typeof spec }
    expect(outcome.result.spins).toBeInstanceOf(Int8Array)
    expect(outcome.result.energy).toBeInstanceOf(Float64Array)
    expect(outcome.result.state).toBeInstanceOf(Uint32Array)
    expect(outcome.result).toEqual(spec)

    const rngState = Uint32Array.from([0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321])
    const resumed = broker.start({ ...count(0), rngState })
    const r = (await broker.wait(resumed)) as { result: TestCountResult }
    expect(r.result.firstDraw).toBe(xoshiro128ssFromState(rngState).nextUint32())
  })

  it('shutdown cancels queued and running jobs', async () => {
    const broker = makeBroker({ maxBatchJobs: 1 })
    const running = broker.start(count(1_000_000, 2))
    const queued = broker.start(count(10))
    await progressAtLeast(broker, running, 1)
    await broker.shutdown()
    expect(broker.get(running)?.status).toBe('cancelled')
    expect(broker.get(queued)?.status).toBe('cancelled')
    expect(() => broker.start(count(1))).toThrow(/shut down/)
  })
})
