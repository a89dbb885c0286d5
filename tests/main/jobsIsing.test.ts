import { afterEach, describe, expect, it } from 'vitest'
import { JobBroker } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../../src-main/services/nodeWorker'
import { runIsingChain } from '@core/jobs/isingChain'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import { frameSpins } from '@core/ising/spinBits'
import type { JobFrame, JobSignal, JobSink } from '@core/jobs/types'

// The production 'ising.chain' kind through a real worker process (no test kinds enabled),
// checked bit for bit against the same runner called in this process.

const brokers: JobBroker[] = []

function makeBroker(): JobBroker {
  const { entry, execArgv } = defaultWorkerEntry()
  const broker = new JobBroker({ maxBatchJobs: 2, frameHz: 30, spawn: () => spawnNodeWorker({ entry, execArgv }) })
  brokers.push(broker)
  return broker
}

afterEach(async () => {
  await Promise.all(brokers.splice(0).map((b) => b.shutdown()))
})

const spec = (extra: Partial<IsingChainSpec> = {}): IsingChainSpec => ({
  L: 16,
  K: 0.44,
  h: 0.01,
  algorithm: 'metropolis',
  sweepsPerFrame: 4,
  seed: 2024,
  start: 'hot',
  targetSweeps: 60,
  maxFps: 0,
  ...extra
})

/** The runner in this process with a host that never pauses or cancels. */
async function runInProcess(s: IsingChainSpec, seed: number): Promise<IsingChainResult> {
  const sink: JobSink<IsingFrame> = { progress: () => {}, frame: () => {}, reply: () => {}, log: () => {} }
  const signal: JobSignal = {
    cancelled: false,
    paused: false,
    next: async () => [],
    sleep: async () => {},
    now: () => performance.now()
  }
  return runIsingChain(s, xoshiro128ss(seed), sink, signal)
}

describe('ising.chain through the real worker', () => {
  it('streams frames and ends with the same spins as an in-process run', async () => {
    const broker = makeBroker()
    const frames: JobFrame[] = []
    const id = broker.start({ kind: 'ising.chain', title: 'L=16', interactive: false, spec: spec(), seed: 2024 })
    broker.on('frame', (e) => e.jobId === id && frames.push(e.frame))
    const outcome = await broker.wait(id)
    expect(outcome.status).toBe('done')
    const remote = (outcome as { result: IsingChainResult }).result
    const local = await runInProcess(spec(), 2024)

    expect(remote.spins).toBeInstanceOf(Int8Array)
    expect(remote.sweep).toBe(60)
    expect(remote.spins).toEqual(local.spins)
    expect(remote.energy).toEqual(local.energy)
    expect(remote.rngState).toEqual(local.rngState)

    expect(frames.length).toBeGreaterThan(0)
    const last = frames[frames.length - 1] as IsingFrame
    expect(last.sweep).toBe(60)
    // Spins cross the worker's pipe at one bit each (16² spins: 32 bytes).
    expect(last.spinBits).toBeInstanceOf(Uint8Array)
    expect(last.spinBits.length).toBe(32)
    expect(frameSpins(last)).toEqual(local.spins)
    // Coalesced frames still carry every sweep's energy, in order.
    const energy = frames.flatMap((f) => Array.from(f.series?.energy ?? []))
    expect(energy).toEqual(Array.from(local.energy))
    expect(broker.get(id)).toMatchObject({ status: 'done', fraction: 1, progress: { done: 60, total: 60 } })
  })

  it('continues a checkpoint (rngState) bit-identically to an uninterrupted run', async () => {
    const broker = makeBroker()
    const first = broker.start({
      kind: 'ising.chain',
      title: 'a',
      interactive: false,
      spec: spec({ targetSweeps: 24 }),
      seed: 7
    })
    const half = ((await broker.wait(first)) as { result: IsingChainResult }).result
    const resumed = broker.start({
      kind: 'ising.chain',
      title: 'b',
      interactive: false,
      spec: spec({ targetSweeps: 60, resume: half }),
      seed: 7,
      rngState: half.rngState
    })
    const whole = ((await broker.wait(resumed)) as { result: IsingChainResult }).result
    const local = await runInProcess(spec(), 7)
    expect(whole.sweep).toBe(60)
    expect(whole.spins).toEqual(local.spins)
    expect(whole.absM).toEqual(local.absM)
  })

  it("fails with the runner's own sentence for an invalid spec", async () => {
    const broker = makeBroker()
    const id = broker.start({ kind: 'ising.chain', title: 'bad', interactive: true, spec: spec({ L: 3 }), seed: 1 })
    const outcome = await broker.wait(id)
    expect(outcome.status).toBe('failed')
    expect((outcome as { error: string }).error).toMatch(/L/)
  })
})
