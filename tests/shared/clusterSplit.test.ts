import { describe, expect, it } from 'vitest'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { taskSchema } from '@shared/cluster/bundle'
import { fromBundleJson, toBundleJson } from '@shared/cluster/json'
import { shardSizes, splitItem, type SplitBundle } from '@shared/cluster/split'
import { streamState, unitStreams } from '@shared/cluster/streams'
import { clusterProject } from './clusterFixtures'

function split(itemId: string, opts: Parameters<typeof splitItem>[2] = {}): SplitBundle {
  const made = splitItem(clusterProject(), itemId, { now: new Date('2025-02-01T00:00:00Z'), ...opts })
  if ('error' in made) throw new Error(made.error)
  return made
}

const draws = (state: Uint32Array, n: number): number[] => {
  const g = xoshiro128ssFromState(state)
  return Array.from({ length: n }, () => g.nextUint32())
}

describe('unit streams', () => {
  it('are the seed’s stream jumped index + 1 times, never the seed’s own', () => {
    const streams = unitStreams(42, 5)
    const g = xoshiro128ss(42)
    const own = Array.from(g.getState())
    for (const s of streams) {
      g.jump()
      expect(s.state).toEqual(Array.from(g.getState()))
      expect(s.state).not.toEqual(own)
      expect(s.seed).toBe(42)
    }
    expect(streams.map((s) => s.index)).toEqual([0, 1, 2, 3, 4])
  })

  it('give different numbers per unit, and the same numbers for the same seed', () => {
    const streams = unitStreams(42, 20)
    const firsts = streams.map((s) => draws(streamState(s), 64).join(','))
    expect(new Set(firsts).size).toBe(20)
    // No 32-bit output of one stream's first 2000 appears among another's (a shared or shifted
    // stream would repeat them; independent ones collide with probability ~1e-3).
    const a = new Set(draws(streamState(streams[0]!), 2000))
    const shared = draws(streamState(streams[1]!), 2000).filter((x) => a.has(x)).length
    expect(shared).toBeLessThanOrEqual(1)
    expect(unitStreams(42, 20)).toEqual(streams)
    expect(unitStreams(43, 1)[0]!.state).not.toEqual(streams[0]!.state)
  })
})

describe('splitting a sweep', () => {
  it('gives one unit per (L, K) point, grouped per task, each with its own stream', () => {
    const one = split('sweep1')
    expect(one.manifest).toMatchObject({
      kind: 'sweep',
      tasks: 6,
      units: 6,
      seed: 7,
      target: { id: 'sweep1-cluster1' }
    })
    expect(one.tasks.map((t) => t.units[0]!.label)).toEqual([
      'L = 4, K = 0.3',
      'L = 4, K = 0.4',
      'L = 4, K = 0.5',
      'L = 6, K = 0.3',
      'L = 6, K = 0.4',
      'L = 6, K = 0.5'
    ])
    expect(one.tasks[4]!.units[0]!.spec).toMatchObject({ Ls: [6], Ks: [0.4], sweeps: 1000, burnIn: 100 })
    const grouped = split('sweep1', { perTask: 4 })
    expect(grouped.tasks.map((t) => t.units.map((u) => u.unit))).toEqual([
      [0, 1, 2, 3],
      [4, 5]
    ])
    const states = grouped.tasks.flatMap((t) => t.units.map((u) => u.stream.state.join(',')))
    expect(new Set(states).size).toBe(6)
    // Grouping changes which task runs a unit, not the unit's stream.
    expect(grouped.tasks[1]!.units[0]!.stream).toEqual(one.tasks[4]!.units[0]!.stream)
  })

  it('is reproducible: the same item and seed give the same task files and bundle id', () => {
    const a = split('sweep1', { perTask: 2 })
    const b = split('sweep1', { perTask: 2, now: new Date('2030-01-01T00:00:00Z') })
    expect(a.tasks.map(toBundleJson)).toEqual(b.tasks.map(toBundleJson))
    expect(a.manifest.id).toBe(b.manifest.id)
    const c = split('sweep1', { perTask: 2, seed: 8 })
    expect(c.manifest.id).not.toBe(a.manifest.id)
    expect(c.tasks[0]!.units[0]!.stream.state).not.toEqual(a.tasks[0]!.units[0]!.stream.state)
  })

  it('writes task files that read back through the task schema', () => {
    for (const task of [...split('sweep1').tasks, ...split('data1').tasks]) {
      const back = taskSchema.safeParse(fromBundleJson(toBundleJson(task)))
      expect(back.success).toBe(true)
    }
  })
})

describe('splitting a dataset', () => {
  it('gives shards of its samples with the dataset’s burn-in and thinning', () => {
    const { manifest, tasks } = split('data1', { shards: 3 })
    expect(manifest).toMatchObject({ kind: 'dataset', units: 3, seed: 11 })
    const specs = tasks.map((t) => t.units[0]!.spec) as { samples: number; thin: number; burnIn: number }[]
    expect(specs.map((s) => s.samples)).toEqual([134, 133, 133])
    expect(specs.every((s) => s.thin === 2 && s.burnIn === 100)).toBe(true)
    expect(split('data1').manifest.units).toBe(8)
  })

  it('refuses shards of fewer than 40 samples, unknown items and other analyses in one sentence', () => {
    const doc = clusterProject()
    expect(splitItem(doc, 'data1', { shards: 11 })).toEqual({
      error: '400 samples make 1 to 10 shards (each needs 40 samples), not 11.'
    })
    expect(splitItem(doc, 'nope')).toEqual({
      error: 'The project has no item "nope"; sweeps, MCRG analyses, RG flows, datasets and trainings: sweep1, data1.'
    })
    expect(splitItem(doc, 'sweep1', { perTask: 0 })).toEqual({
      error: '--per-task must be a whole number from 1 to 100000.'
    })
  })

  it('splits samples evenly', () => {
    expect(shardSizes(10, 3)).toEqual([4, 3, 3])
    expect(shardSizes(9, 3)).toEqual([3, 3, 3])
  })
})

describe('bundle JSON', () => {
  it('keeps typed arrays and non-finite numbers', () => {
    const value = {
      a: Int8Array.of(-1, 1),
      b: Float64Array.of(0.5, NaN),
      c: [Infinity, -Infinity],
      d: Uint32Array.of(7)
    }
    expect(fromBundleJson(toBundleJson(value))).toEqual(value)
  })

  it('refuses unknown tags and arrays of the wrong byte length', () => {
    expect(() => fromBundleJson('{"x":{"$typed":"BigInt64Array","b64":""}}')).toThrow(SyntaxError)
    expect(() => fromBundleJson('{"x":{"$typed":"Float64Array","b64":"AAAA"}}')).toThrow(/whole number/)
    expect(() => fromBundleJson('{"x":{"$num":"1e400"}}')).toThrow(SyntaxError)
    expect(() => fromBundleJson('{"x":{"$typed":"Int8Array","b64":"%%%"}}')).toThrow(/base64/)
  })
})
