import { describe, expect, it } from 'vitest'
import { runDatasetShard } from '@core/jobs/datasetShard'
import { silentSink } from '@core/jobs/isingDataset'
import type { JobSignal } from '@core/jobs/types'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { datasetUnitResult, manifestSchema, taskSchema, type TaskResult } from '@shared/cluster/bundle'
import { mergeInto } from '@shared/cluster/merge'
import { isPlannedDataset, plannedDataset, plannedDatasetMark } from '@shared/cluster/planned'
import { splitItem, type SplitBundle } from '@shared/cluster/split'
import { streamState } from '@shared/cluster/streams'
import { projectV3Schema } from '@shared/project/schema/v3'
import { planMerge } from '../../src-renderer/src/logic/clusterMerge'
import { clusterProject } from './clusterFixtures'

/** A dataset planned for a cluster from the dataset form: its bundle fills the dataset itself. */

const ok = (x: SplitBundle | { error: string }): SplitBundle => {
  if ('error' in x) throw new Error(x.error)
  return x
}

function plannedProject(thin: 'auto' | number, keepSamples = true) {
  const doc = clusterProject()
  doc.project.datasets = [
    plannedDataset({
      id: 'data1',
      name: 'Samples at K = 0.3',
      modelId: 'm1',
      algorithm: 'wolff',
      seed: 11,
      samples: 80,
      burnIn: 20,
      thin,
      keepSamples,
      now: new Date('2025-01-01T00:00:00Z')
    })
  ]
  doc.arrays = {}
  return doc
}

const signal: JobSignal = {
  cancelled: false,
  paused: false,
  next: async () => [],
  sleep: async () => {},
  now: () => 0
}

async function runUnits(b: SplitBundle): Promise<TaskResult['units']> {
  const units: unknown[] = []
  for (const t of b.tasks)
    for (const u of t.units) {
      const spec = u.spec as Parameters<typeof runDatasetShard>[0]
      const run = await runDatasetShard(spec, xoshiro128ssFromState(streamState(u.stream)), silentSink, signal)
      const result = datasetUnitResult.parse(run.result)
      units.push({ unit: u.unit, stream: u.stream, seconds: 1, result })
    }
  return units as TaskResult['units']
}

describe('a dataset planned for a cluster', () => {
  it('is a project record of the current format with no arrays, its plan in the summary', () => {
    const doc = plannedProject('auto', false)
    const d = doc.project.datasets[0]!
    expect(isPlannedDataset(d)).toBe(true)
    expect(plannedDatasetMark(d)).toEqual({ planned: true, keepSamples: false, thin: 'auto' })
    expect(d).toMatchObject({ samples: 80, burnIn: 20, thin: 1, seed: 11, arrays: {} })
    expect(projectV3Schema.safeParse(JSON.parse(JSON.stringify(doc.project))).success).toBe(true)
    expect(isPlannedDataset(clusterProject().project.datasets[0]!)).toBe(false)
    expect(isPlannedDataset({ summary: { planned: 'yes' } })).toBe(false)
  })

  it('splits into shards of the dataset itself, with its thinning (auto: each shard runs its pilot)', async () => {
    const doc = plannedProject('auto', false)
    const b = ok(splitItem(doc, 'data1', { shards: 2 }))
    expect(b.manifest.target).toEqual({ id: 'data1', name: 'Samples at K = 0.3' })
    expect(manifestSchema.parse(b.manifest).dataset).toMatchObject({ thin: 'auto', keepSamples: false, samples: 80 })
    for (const t of b.tasks) expect(taskSchema.safeParse(t).success).toBe(true)
    expect(b.tasks.flatMap((t) => t.units.map((u) => (u.spec as { thin: unknown }).thin))).toEqual(['auto', 'auto'])
    const units = await runUnits(b)
    const thins = units.map((u) => (u.result as { thin: number }).thin)
    expect(thins.every((x) => Number.isInteger(x) && x >= 1)).toBe(true)
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: true, merged: 2 })
    expect(doc.project.datasets).toHaveLength(1)
    const d = doc.project.datasets[0]!
    expect(isPlannedDataset(d)).toBe(false)
    expect(d).toMatchObject({ id: 'data1', samples: 80, thin: Math.max(...thins) })
    expect(d.arrays.samples).toBeUndefined()
    expect(d.summary!['cluster']).toMatchObject({ thin: 'auto', shardThins: thins })
  }, 60_000)

  it('is filled once by its bundle with a fixed thinning; merging again changes nothing', async () => {
    const doc = plannedProject(3)
    const b = ok(splitItem(doc, 'data1', { shards: 2 }))
    expect(b.tasks[0]!.units[0]!.spec).toMatchObject({ thin: 3, keepSamples: true, burnIn: 20 })
    const units = await runUnits(b)
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: true, merged: 2 })
    const d = doc.project.datasets[0]!
    expect(d).toMatchObject({ id: 'data1', name: 'Samples at K = 0.3', samples: 80, thin: 3 })
    expect(doc.arrays[d.arrays.samples!]!.shape).toEqual([80, 8, 8])
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: false, merged: 2 })
    // The dataset is no longer planned: another bundle of it makes its own item beside it.
    expect(ok(splitItem(doc, 'data1', { shards: 2, seed: 5 })).manifest.target.id).not.toBe('data1')
    // A bundle of another planned dataset with the same id is refused, as before.
    const other = ok(splitItem(plannedProject(3), 'data1', { shards: 2, seed: 9 }))
    expect(mergeInto(doc, other.manifest, other.tasks, units).problem).toBe(
      `The project already has an item "data1" that is not this bundle's.`
    )
  }, 60_000)

  it('is replaced in the open project by the app’s Merge results…, with its arrays', async () => {
    const doc = plannedProject(3)
    const b = ok(splitItem(doc, 'data1', { shards: 2 }))
    const units = await runUnits(b)
    const plan = planMerge(doc.project, doc.arrays, { manifest: b.manifest, tasks: b.tasks, units, notes: [] })
    expect(plan.report).toMatchObject({ title: 'Results merged', itemId: 'data1' })
    expect(plan.changes).toHaveLength(1)
    expect(plan.changes[0]).toMatchObject({
      collection: 'datasets',
      replaces: true,
      record: { id: 'data1', samples: 80 }
    })
    expect(Object.keys(plan.changes[0]!.arrays).sort()).toEqual([
      'data1.energy',
      'data1.magnetisation',
      'data1.samples'
    ])
  }, 60_000)
})
