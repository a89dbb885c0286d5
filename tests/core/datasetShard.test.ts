import { describe, expect, it } from 'vitest'
import type { McAlgorithm } from '@core/ising/mc/sampler'
import type { DatasetCheckpoint } from '@core/jobs/datasetCheckpoint'
import { runDatasetShard, type DatasetShardResult, type DatasetShardSpec } from '@core/jobs/datasetShard'
import { runIsingDataset } from '@core/jobs/isingDataset'
import { dataFromModel } from '@core/lattice/data'
import { presetModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { FakeJobHost } from './fakeJobHost'

/** A dataset shard stopped part-way (in burn-in, in the pilot, while sampling) and resumed ends as an uninterrupted one. */

const torus = dataFromModel(presetModel('ferromagnet', { L: 8, K: 0.4 }), { K: 0.4, h: 0 })

const shard = (algorithm: McAlgorithm, more: Partial<DatasetShardSpec> = {}): DatasetShardSpec => ({
  model: torus,
  algorithm,
  samples: 60,
  burnIn: 60,
  thin: 3,
  start: 'random',
  keepSamples: true,
  ...more
})

/** Runs the shard from seed `seed`'s stream, cancelling at the host's `cancelAt`-th yield. */
async function run(spec: DatasetShardSpec, seed: number, cancelAt?: number) {
  const host = new FakeJobHost((call, h) => {
    if (call === cancelAt) h.cancelled = true
  })
  const result = await runDatasetShard(spec, xoshiro128ss(seed), host.sink, host.signal)
  return { result, frames: host.frames as { checkpoint?: DatasetCheckpoint }[] }
}

/** Stopped at each of `stops` (yield counts of each run) and resumed from its checkpoint, to the end. */
async function interrupted(spec: DatasetShardSpec, seed: number, stops: number[]): Promise<DatasetShardResult[]> {
  const outs: DatasetShardResult[] = []
  let resume: DatasetCheckpoint | undefined
  for (const stop of [...stops, undefined]) {
    const { result } = await run({ ...spec, ...(resume ? { resume } : {}) }, seed, stop)
    outs.push(result)
    resume = result.checkpoint ?? undefined
  }
  return outs
}

describe('a dataset shard that stops and resumes', () => {
  it('gives the dataset job’s result for the same generator', async () => {
    const spec = shard('wolff')
    const host = new FakeJobHost()
    const { checkpointMs: _, ...dataset } = spec
    const whole = await runIsingDataset(dataset, xoshiro128ss(3), host.sink, host.signal)
    const { result } = await run(spec, 3)
    expect(result).toMatchObject({ complete: true, checkpoint: null })
    expect(result.result).toEqual(whole)
  })

  it.each([
    ['metropolis', {}],
    ['heatbath', {}],
    ['wolff', {}],
    ['sw', {}],
    ['metropolis', { kernel: 'general' }],
    ['wolff', { keepSamples: false }]
  ] as [McAlgorithm, Partial<DatasetShardSpec>][])(
    'stopped in burn-in and twice while sampling, it ends bit for bit as an uninterrupted run (%s, %o)',
    async (algorithm, more) => {
      const spec = shard(algorithm, more)
      const { result: straight } = await run(spec, 21)
      const parts = await interrupted(spec, 21, [1, 5, 4])
      const stops = parts.slice(0, -1).map((p) => p.checkpoint!)
      expect(parts.slice(0, -1).every((p) => !p.complete && p.result === null)).toBe(true)
      expect(stops[0]!.burnIn).toBeLessThan(spec.burnIn)
      expect(stops[0]!.energy.length).toBe(0)
      expect(stops[1]!.sampled).toBeGreaterThan(0)
      expect(stops[2]!.done).toBeGreaterThan(stops[1]!.done)
      expect(stops[2]!.energy.length).toBe(stops[2]!.stored)
      expect(stops[2]!.stored).toBeGreaterThan(stops[1]!.stored)
      const last = parts.at(-1)!
      expect(last.complete).toBe(true)
      expect(last.result).toEqual(straight.result)
    }
  )

  it('stopped in the τ_int pilot, it resumes from the pilot’s start; stopped after, with the thinning it chose', async () => {
    const spec = shard('metropolis', { thin: 'auto', pilotSweeps: 200, pilotMaxSweeps: 400, samples: 40 })
    const { result: straight } = await run(spec, 5)
    const parts = await interrupted(spec, 5, [9, 40])
    const [inPilot, sampling] = parts.slice(0, 2).map((p) => p.checkpoint!)
    expect(inPilot).toMatchObject({ burnIn: spec.burnIn, done: spec.burnIn, thin: null, thinning: null })
    expect(sampling!.thin).toBe(straight.result!.thin)
    expect(sampling!.thinning).toEqual(straight.result!.thinning)
    expect(sampling!.sampled).toBeGreaterThan(0)
    expect(parts.at(-1)!.result).toEqual(straight.result)
  })

  it('sends its state in frames as it runs; a run resumed from any of them ends as the uninterrupted one', async () => {
    const spec = shard('wolff', { checkpointMs: 150 })
    const { result: straight, frames } = await run(spec, 8)
    const states = frames.flatMap((f) => (f.checkpoint ? [f.checkpoint] : []))
    expect(states.length).toBeGreaterThan(2)
    for (const resume of [states[0]!, states[Math.floor(states.length / 2)]!, states.at(-1)!]) {
      const { result } = await run({ ...spec, resume }, 8)
      expect(result.result).toEqual(straight.result)
    }
  })

  it('refuses a checkpoint of another dataset', async () => {
    const spec = shard('wolff')
    const [stopped] = await interrupted(spec, 2, [12])
    const cp = stopped!.checkpoint!
    await expect(run({ ...spec, thin: 4, resume: cp }, 2)).rejects.toThrow(/thinning 3 is not this dataset/)
    await expect(run({ ...spec, resume: { ...cp, stored: cp.stored + 2 } }, 2)).rejects.toThrow(/do not fit/)
    const other = { ...spec, model: dataFromModel(presetModel('ferromagnet', { L: 6, K: 0.4 }), { K: 0.4, h: 0 }) }
    await expect(run({ ...other, resume: cp }, 2)).rejects.toThrow(/spins and series/)
  })
})
