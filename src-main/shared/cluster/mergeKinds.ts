import type { MonitorRecord } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import { flowFixedPoints, type RgFlowPoint, type RgFlowResult } from '@core/jobs/rgFlow'
import { mcrgFromParts, type McrgSums } from '@core/rg/mcrgSums'
import { rgAnalysisRecord } from '../project/rgRecords'
import { trainingRecordAfter } from '../project/trainingSpec'
import type { NpyArray, ProjectAnalysis, ProjectDoc, ProjectTraining } from '../project/types'
import type { BundleManifest, BundleTask, TaskResult } from './bundle'
import type { TrainingUnitSpec } from './bundleUnits'

/**
 * Merging an MCRG bundle (its chains' co-moments pooled into one rg.mcrg analysis, as the app
 * records one, with jackknife errors over the chains), an RG flow (its points sorted by K into
 * one rg.flow analysis, the fixed point found again from them) and a training grid (each finished
 * configuration a done training of the dataset, as the app records one). Like merge.ts: the
 * records are functions of the bundle and its results only, so merging twice changes nothing.
 */

export type McrgUnits = Extract<TaskResult, { kind: 'mcrg' }>['units']
export type TrainingUnits = Extract<TaskResult, { kind: 'training' }>['units']
export type FlowUnits = Extract<TaskResult, { kind: 'rgflow' }>['units']

export interface KindOutcome {
  changed: boolean
  merged: number
  problem?: string
}

/** JSON with every object's keys sorted (a project read back may list a record's keys in another order). */
const canonical = (x: unknown): string =>
  JSON.stringify(x, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        )
      : v
  )

/** Compares two records as the project stores them (JSON, keys in any order). */
const sameJson = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b)

export function mergeMcrg(
  doc: ProjectDoc,
  m: BundleManifest,
  units: McrgUnits,
  cluster: Record<string, unknown>
): KindOutcome {
  if (units.length < 2)
    return {
      changed: false,
      merged: 0,
      problem: `An MCRG needs two finished chains for its error bars (${units.length} has finished); merge again when more tasks have.`
    }
  const parts = units.map((u) => u.result)
  let pooled: ReturnType<typeof mcrgFromParts>
  try {
    pooled = mcrgFromParts(parts as McrgSums[])
  } catch (e) {
    return { changed: false, merged: 0, problem: `The chains cannot be pooled: ${(e as Error).message}.` }
  }
  const spec = { ...m.mcrg!.spec, count: pooled.samples }
  const record: ProjectAnalysis = rgAnalysisRecord({
    id: m.target.id,
    name: m.target.name,
    kind: 'rg.mcrg',
    sourceId: m.mcrg!.sourceId,
    spec,
    seed: m.seed,
    result: {
      ...pooled,
      L: spec.L,
      K: spec.K,
      rule: spec.rule,
      sweeps: parts.reduce((s, r) => s + r.sweeps, 0)
    },
    now: new Date(m.createdAt)
  })
  record.spec['cluster'] = { ...cluster, merged: undefined }
  record.result = { ...record.result, cluster }
  return replaceAnalysis(doc, record, units.length)
}

export function mergeFlow(
  doc: ProjectDoc,
  m: BundleManifest,
  units: FlowUnits,
  cluster: Record<string, unknown>
): KindOutcome {
  const spec = m.flow!.spec
  const points = units
    .map((u) => ({ unit: u.unit, point: u.result.points[0]! as RgFlowPoint }))
    .sort((a, b) => a.point.K - b.point.K || a.unit - b.unit)
    .map((x) => x.point)
  const result: RgFlowResult = {
    L: spec.L,
    rule: spec.rule,
    b: spec.b,
    couplings: [...spec.couplings],
    points,
    fixedPoint: flowFixedPoints(points, spec.couplings)
  }
  const record: ProjectAnalysis = rgAnalysisRecord({
    id: m.target.id,
    name: m.target.name,
    kind: 'rg.flow',
    sourceId: null,
    spec: { ...spec, Ks: points.map((p) => p.K) },
    seed: m.seed,
    result,
    now: new Date(m.createdAt)
  })
  record.spec['cluster'] = { ...cluster, merged: undefined }
  record.result = { ...record.result, cluster }
  return replaceAnalysis(doc, record, units.length)
}

/** The analysis put in the project in place of the one with its id, or found there already (nothing changed). */
function replaceAnalysis(doc: ProjectDoc, record: ProjectAnalysis, merged: number): KindOutcome {
  const p = doc.project
  const normal = JSON.parse(JSON.stringify(record)) as ProjectAnalysis
  const at = p.analyses.findIndex((a) => a.id === record.id)
  if (at >= 0 && sameJson(p.analyses[at], normal)) return { changed: false, merged }
  if (at >= 0) p.analyses[at] = normal
  else p.analyses.push(normal)
  return { changed: true, merged }
}

export function mergeTrainings(
  doc: ProjectDoc,
  m: BundleManifest,
  tasks: BundleTask[],
  units: TrainingUnits,
  cluster: Record<string, unknown>,
  sameArrays: (have: Record<string, NpyArray>, want: Record<string, NpyArray>) => boolean
): KindOutcome {
  const p = doc.project
  const t = m.training!
  if (!p.datasets.some((d) => d.id === t.datasetId))
    return {
      changed: false,
      merged: 0,
      problem: `The project has no dataset "${t.datasetId}" to add the trainings to.`
    }
  const specs = new Map<number, TrainingUnitSpec>()
  for (const task of tasks) if (task.kind === 'training') for (const u of task.units) specs.set(u.unit, u.spec)
  const others = [...p.models, ...p.runs, ...p.datasets, ...p.analyses].map((x) => x.id)
  const made: { record: ProjectTraining; arrays: Record<string, NpyArray> }[] = []
  for (const u of units) {
    const spec = specs.get(u.unit)!
    const held = (p.trainings ?? []).find((x) => x.id === spec.id)
    const heldBundle = (held as { cluster?: { bundleId?: string } } | undefined)?.cluster?.bundleId
    if (others.includes(spec.id) || (held && heldBundle !== m.id))
      return {
        changed: false,
        merged: 0,
        problem: `The project already has an item "${spec.id}" that is not this bundle's.`
      }
    const stored: ProjectTraining = {
      id: spec.id,
      name: spec.name,
      datasetId: t.datasetId,
      visibleUnits: spec.visibleUnits,
      layers: spec.layers,
      options: spec.options as ProjectTraining['options'],
      passUp: spec.passUp,
      seed: m.seed,
      status: 'draft',
      createdAt: m.createdAt,
      arrays: {},
      monitors: spec.monitors as ProjectTraining['monitors']
    }
    const after = trainingRecordAfter(stored, {
      dbn: u.result.dbn as Dbn,
      history: u.result.history as MonitorRecord[],
      arithmetic: u.result.arithmetic
    })
    const record = {
      ...after.record,
      cluster: { ...cluster, unit: u.unit, stream: u.stream.state, config: spec.config }
    }
    made.push({ record: JSON.parse(JSON.stringify(record)) as ProjectTraining, arrays: after.arrays })
  }
  const trainings = p.trainings ?? []
  const same = made.every(({ record, arrays }) => {
    const held = trainings.find((x) => x.id === record.id)
    return held && sameJson(held, record) && sameArrays(doc.arrays, arrays)
  })
  if (same) return { changed: false, merged: units.length }
  for (const { record, arrays } of made) {
    const at = trainings.findIndex((x) => x.id === record.id)
    for (const id of Object.values(at >= 0 ? trainings[at]!.arrays : {})) if (id) delete doc.arrays[id]
    Object.assign(doc.arrays, arrays)
    if (at >= 0) trainings[at] = record
    else trainings.push(record)
  }
  p.trainings = trainings
  return { changed: true, merged: units.length }
}
