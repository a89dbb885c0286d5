import type { DatasetResult, DatasetSpec } from '@core/jobs/isingDataset'
import type { SweepPoint } from '@core/jobs/isingSweep'
import { summarise } from '@core/stats'
import { datasetRecord } from '../project/datasetRecords'
import type { NpyArray, ProjectAnalysis, ProjectDataset, ProjectDoc } from '../project/types'
import type { BundleManifest, BundleTask, TaskResult } from './bundle'
import { mergeFlow, mergeMcrg, mergeTrainings, type FlowUnits, type McrgUnits, type TrainingUnits } from './mergeKinds'
import { isPlanned, isPlannedDataset } from './planned'

/**
 * Merging a bundle's results into its project (pure; the CLI reads and checks the files). What
 * is done becomes one record, `manifest.target`: a sweep analysis with the points in the
 * sweep's order (L, then K), or one dataset of the shards' samples in shard order; an MCRG or a
 * training grid or an RG flow as mergeKinds.ts says (one rg.mcrg analysis, one training per
 * configuration, one rg.flow analysis of the points sorted by K). The record is
 * a function of the bundle and its results only (its date is the bundle's), so merging the same
 * results again leaves the project exactly as it was, and merging after more tasks finished
 * replaces the record with a fuller one.
 */

type Units = TaskResult['units'][number][]
export type SweepUnits = Extract<TaskResult, { kind: 'sweep' }>['units']
export type DatasetUnits = Extract<TaskResult, { kind: 'dataset' }>['units']

export interface MergeOutcome {
  /** False when the project already held exactly this record (nothing to save). */
  changed: boolean
  /** Units merged, of the bundle's. */
  merged: number
  problem?: string
}

export function mergeInto(doc: ProjectDoc, m: BundleManifest, tasks: BundleTask[], units: Units): MergeOutcome {
  const p = doc.project
  const cluster = { bundleId: m.id, streams: m.streams, seed: m.seed, units: m.units, merged: units.length }
  const holder = [...p.analyses, ...p.datasets].find((x) => x.id === m.target.id)
  const holderBundle =
    holder && 'spec' in holder ? (holder.spec['cluster'] as { bundleId?: string } | undefined) : undefined
  const datasetBundle =
    holder && 'summary' in holder ? (holder.summary?.['cluster'] as { bundleId?: string } | undefined) : undefined
  // The item a planned analysis or dataset became (planned.ts) holds nothing yet: its bundle fills it.
  const plannedHere =
    holder !== undefined &&
    m.target.id === m.item.id &&
    ('kind' in holder ? isPlanned(holder) : isPlannedDataset(holder))
  if (holder && !plannedHere && (holderBundle ?? datasetBundle)?.bundleId !== m.id)
    return {
      changed: false,
      merged: 0,
      problem: `The project already has an item "${m.target.id}" that is not this bundle's.`
    }
  const sorted = [...units].sort((a, b) => a.unit - b.unit)
  if (m.kind === 'mcrg') return mergeMcrg(doc, m, sorted as McrgUnits, cluster)
  if (m.kind === 'rgflow') return mergeFlow(doc, m, sorted as FlowUnits, cluster)
  if (m.kind === 'training') return mergeTrainings(doc, m, tasks, sorted as TrainingUnits, cluster, sameArrays)
  if (m.kind === 'sweep') {
    const warm =
      m.warmStart === undefined
        ? {}
        : { warmStart: m.warmStart, startedFrom: (sorted as SweepUnits).map((u) => u.result.warmFrom ?? null) }
    const record: ProjectAnalysis = {
      id: m.target.id,
      name: m.target.name,
      kind: 'sweep',
      sourceId: null,
      spec: { ...m.sweep!, seed: m.seed, cluster: { ...cluster, merged: undefined } },
      createdAt: m.createdAt,
      arrays: {},
      result: JSON.parse(
        JSON.stringify({
          points: (sorted as SweepUnits).map((u) => u.result.points[0] as SweepPoint),
          cluster: { ...cluster, ...warm }
        })
      ) as Record<string, unknown>
    }
    const normal = JSON.parse(JSON.stringify(record)) as ProjectAnalysis
    const at = p.analyses.findIndex((a) => a.id === m.target.id)
    if (at >= 0 && JSON.stringify(p.analyses[at]) === JSON.stringify(normal))
      return { changed: false, merged: units.length }
    if (at >= 0) p.analyses[at] = normal
    else p.analyses.push(normal)
    return { changed: true, merged: units.length }
  }
  const first = tasks[0]!.units[0]!.spec as DatasetSpec
  const result = mergeShards(sorted as DatasetUnits)
  const d = m.dataset!
  const spec: DatasetSpec = { ...first, samples: result.energy.length, burnIn: d.burnIn, thin: d.thin }
  const made = datasetRecord({
    id: m.target.id,
    name: m.target.name,
    modelId: d.modelId,
    spec,
    seed: m.seed,
    result,
    now: new Date(m.createdAt)
  })
  // Thinning 'auto': each shard's pilot chose its own; the record keeps the largest and the cluster note each one.
  const thins = (sorted as DatasetUnits).map((u) => u.result.thin)
  made.dataset.summary = {
    ...made.dataset.summary,
    cluster: d.thin === 'auto' ? { ...cluster, thin: 'auto', shardThins: thins } : cluster
  }
  const record = JSON.parse(JSON.stringify(made.dataset)) as ProjectDataset
  const at = p.datasets.findIndex((x) => x.id === m.target.id)
  if (at >= 0 && JSON.stringify(p.datasets[at]) === JSON.stringify(record) && sameArrays(doc.arrays, made.arrays))
    return { changed: false, merged: units.length }
  for (const id of Object.values(at >= 0 ? p.datasets[at]!.arrays : {})) if (id) delete doc.arrays[id]
  Object.assign(doc.arrays, made.arrays)
  if (at >= 0) p.datasets[at] = record
  else p.datasets.push(record)
  return { changed: true, merged: units.length }
}

export function sameArrays(have: Record<string, NpyArray>, want: Record<string, NpyArray>): boolean {
  return Object.entries(want).every(([id, a]) => {
    const b = have[id]
    if (!b || b.dtype !== a.dtype || b.shape.join() !== a.shape.join()) return false
    const x = new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength)
    const y = new Uint8Array(b.data.buffer, b.data.byteOffset, b.data.byteLength)
    return x.length === y.length && x.every((v, i) => v === y[i])
  })
}

function concat<T extends Float64Array | Int8Array>(parts: T[], make: (n: number) => T): T {
  const out = make(parts.reduce((n, p) => n + p.length, 0))
  let at = 0
  for (const p of parts) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/**
 * Independent shards as one dataset: the samples and series end to end; the observables
 * summarised again over all samples; the correlation function the sample-weighted mean of the
 * shards' and ξ the weighted mean of theirs (errors combined as independent).
 */
export function mergeShards(units: DatasetUnits): DatasetResult {
  const rs = units.map((u) => u.result)
  const n = rs.map((r) => r.energy.length)
  const total = n.reduce((a, b) => a + b, 0)
  const w = n.map((k) => k / total)
  const energy = concat(
    rs.map((r) => r.energy),
    (k) => new Float64Array(k)
  )
  const magnetisation = concat(
    rs.map((r) => r.magnetisation),
    (k) => new Float64Array(k)
  )
  const samples = rs.every((r) => r.samples)
    ? concat(
        rs.map((r) => r.samples!),
        (k) => new Int8Array(k)
      )
    : null
  const N = rs[0]!.N
  const mean = (pick: (r: (typeof rs)[number]) => Float64Array | null): Float64Array | null => {
    const parts = rs.map(pick)
    if (parts.some((x) => !x || x.length !== parts[0]!.length)) return null
    return parts[0]!.map((_, i) => parts.reduce((s, x, k) => s + w[k]! * x![i]!, 0))
  }
  const xis = rs.map((r) => r.xi)
  return {
    N,
    samples,
    energy,
    magnetisation,
    burnIn: rs[0]!.burnIn,
    thin: Math.max(...rs.map((r) => r.thin)),
    tauIntSweeps: null,
    thinning: null,
    acceptance: rs.reduce((s, r, k) => s + w[k]! * r.acceptance, 0),
    totalSweeps: rs.reduce((s, r) => s + r.totalSweeps, 0),
    kernel: rs[0]!.kernel as DatasetResult['kernel'],
    summary: summarise(
      { H: energy, M: magnetisation, absM: magnetisation.map(Math.abs), M2: magnetisation.map((x) => x * x) },
      N
    ),
    correlation: rs.every((r) => r.correlation)
      ? { x: mean((r) => r.correlation!.x), y: mean((r) => r.correlation!.y) }
      : null,
    xi: xis.every((x) => x)
      ? {
          value: xis.reduce((s, x, k) => s + w[k]! * x!.value, 0),
          error: Math.sqrt(xis.reduce((s, x, k) => s + (w[k]! * x!.error) ** 2, 0))
        }
      : null
  }
}
