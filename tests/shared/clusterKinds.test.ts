import { describe, expect, it } from 'vitest'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { splitItem } from '@shared/cluster/split'
import { mergeInto } from '@shared/cluster/merge'
import type { TaskResult } from '@shared/cluster/bundle'
import { checkResultFor } from '../../src-main/services/clusterFiles'
import { clusterKindsProject, mcrgChainUnit } from './clusterKindsFixtures'

const ok = <T>(x: T | { error: string }): T => {
  if (typeof x === 'object' && x && 'error' in x) throw new Error(x.error)
  return x as T
}
const streamsOf = (tasks: { units: { stream: { state: number[] } }[] }[]) =>
  tasks.flatMap((t) => t.units.map((u) => u.stream.state.join()))

describe('splitting an MCRG and a training grid', () => {
  it('an MCRG gives independent chains sharing its samples, each with its own stream', () => {
    const b = ok(splitItem(clusterKindsProject({ count: 203 }), 'mcrg1', { shards: 4, perTask: 3 }))
    expect(b.manifest).toMatchObject({ kind: 'mcrg', units: 4, tasks: 2, seed: 5, target: { id: 'mcrg1-cluster1' } })
    const counts = b.tasks.flatMap((t) => t.units.map((u) => (u.spec as { count: number }).count))
    expect(counts).toEqual([51, 51, 51, 50])
    expect(new Set(streamsOf(b.tasks)).size).toBe(4)
    expect(splitItem(clusterKindsProject(), 'mcrg1', { shards: 1 })).toEqual({
      error: '200 samples make 2 to 50 independent chains (each needs 4 samples; error bars need two), not 1.'
    })
  })

  it('a grid gives one training per learning rate × hidden size × seed, on the packed data', () => {
    const doc = clusterKindsProject()
    const grid = { learningRates: [0.01, 0.05], hidden: [8, 16], replicas: 3 }
    const b = ok(splitItem(doc, 'train1', { grid, perTask: 5 }))
    expect(b.manifest).toMatchObject({ kind: 'training', units: 12, tasks: 3 })
    const specs = b.tasks.flatMap((t) => t.units.map((u) => u.spec as { id: string; layers: { nh: number }[] }))
    expect(new Set(specs.map((s) => s.id)).size).toBe(12)
    expect(specs.map((s) => s.layers[0]!.nh)).toEqual([8, 8, 8, 16, 16, 16, 8, 8, 8, 16, 16, 16])
    expect(new Set(streamsOf(b.tasks)).size).toBe(12)
    const file = b.files![0]!
    expect(file.path).toBe('data/samples.json')
    expect(b.manifest.training!.data.sha256).toBe(bytesToHex(sha256(utf8ToBytes(file.text))))
    // The same split again: the same bundle, byte for byte.
    const again = ok(splitItem(doc, 'train1', { grid, perTask: 5, now: new Date(b.manifest.createdAt) }))
    expect(JSON.stringify(again)).toBe(JSON.stringify(b))
  })

  it('a sweep bundle warm-starts by default, and a cold one is another bundle', () => {
    const doc = clusterKindsProject()
    const warm = ok(splitItem(doc, 'sweep1', { perTask: 3 }))
    const cold = ok(splitItem(doc, 'sweep1', { perTask: 3, warmStart: false }))
    expect(warm.tasks[0]).toMatchObject({ warmStart: true })
    expect(cold.tasks[0]).toMatchObject({ warmStart: false })
    expect(warm.manifest.id).not.toBe(cold.manifest.id)
  })
})

describe('merging an MCRG and trainings', () => {
  const mcrgUnit = (unit: number, stream: unknown, shift = 0) => mcrgChainUnit(unit, stream, shift, 50)

  it('pools the chains once, names what is missing, and refuses one chain or a misfit in one sentence', () => {
    const doc = clusterKindsProject()
    const b = ok(splitItem(doc, 'mcrg1', { shards: 4, perTask: 2 }))
    const units = b.tasks.flatMap((t) => t.units.map((u) => mcrgUnit(u.unit, u.stream, u.unit)))
    const one = mergeInto(doc, b.manifest, b.tasks, units.slice(0, 1) as TaskResult['units'])
    expect(one.problem).toBe(
      'An MCRG needs two finished chains for its error bars (1 has finished); merge again when more tasks have.'
    )
    expect(mergeInto(doc, b.manifest, b.tasks, units as TaskResult['units'])).toEqual({ changed: true, merged: 4 })
    expect(mergeInto(doc, b.manifest, b.tasks, units as TaskResult['units'])).toEqual({ changed: false, merged: 4 })
    const record = doc.project.analyses.find((a) => a.id === 'mcrg1-cluster1')!
    expect(record).toMatchObject({ kind: 'rg.mcrg', result: { samples: 200, blocks: 4 } })

    const check = checkResultFor(b.tasks[0]!)
    const result = { format: 'blockspin-cluster-result', version: 1, kind: 'mcrg', bundleId: b.manifest.id, index: 0 }
    const file = { ...result, resumed: 0, host: 'n1', units: units.slice(0, 2) }
    expect(check(file)).toMatchObject({ ok: true })
    const moved = { ...units[1]!, result: { ...units[1]!.result, L: 32 } }
    expect(check({ ...file, units: [units[0], moved] })).toEqual({
      ok: false,
      problem: 'its unit 1 is not what the task asked for (a 32² lattice at K = 0.4406868, majority 2×2)'
    })
    const bad = { ...units[1]!, result: { ...units[1]!.result, levels: units[1]!.result.levels.slice(0, 1) } }
    expect(check({ ...file, units: [units[0], bad] })).toEqual({
      ok: false,
      problem: 'its unit 1 is not what the task asked for (other operators or levels)'
    })
  })

  it('refuses a training id the project uses for something else', () => {
    const doc = clusterKindsProject()
    const b = ok(splitItem(doc, 'train1', { grid: { hidden: [4] } }))
    const id = (b.tasks[0]!.units[0]!.spec as { id: string }).id
    doc.project.trainings!.push({ ...doc.project.trainings![0]!, id })
    const layer = { nv: 64, nh: 4, visibleUnits: '01', hiddenUnits: '01' }
    const dbn = {
      layers: [{ ...layer, W: new Float32Array(256), a: new Float32Array(64), b: new Float32Array(4) }],
      passUp: 'probabilities'
    }
    const unit = {
      unit: 0,
      stream: b.tasks[0]!.units[0]!.stream,
      seconds: 1,
      result: { dbn, history: [], arithmetic: [] }
    }
    expect(mergeInto(doc, b.manifest, b.tasks, [unit] as unknown as TaskResult['units']).problem).toBe(
      `The project already has an item "${id}" that is not this bundle's.`
    )
    const check = checkResultFor(b.tasks[0]!)
    const wrong = {
      ...unit,
      result: {
        ...unit.result,
        dbn: { ...dbn, layers: [{ ...dbn.layers[0]!, nh: 5, b: new Float32Array(5), W: new Float32Array(320) }] }
      }
    }
    const file = {
      format: 'blockspin-cluster-result',
      version: 1,
      kind: 'training',
      bundleId: b.manifest.id,
      index: 0,
      resumed: 0,
      host: 'n',
      units: [wrong]
    }
    expect(check(file)).toEqual({
      ok: false,
      problem: 'its unit 0 is not what the task asked for (a network of 5 hidden units)'
    })
  })
})
