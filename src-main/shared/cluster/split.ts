import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { MIN_DATASET_SAMPLES } from '@core/jobs/isingDataset'
import type { SweepSpec } from '@core/jobs/isingSweep'
import { sweepSpecSchema } from '../jobSpecSchemas'
import { modelDataFromProject, nextId } from '../project/model'
import type { ProjectDoc } from '../project/types'
import { BUNDLE_VERSION, MAX_UNITS, schemaProblem, type BundleManifest, type BundleTask } from './bundle'
import { toBundleJson } from './json'
import { splitFlow, splitMcrg, splitTraining, type KindSplit, type TrainingGrid } from './splitKinds'
import { STREAM_METHOD, unitStreams } from './streams'
import { isPlanned, plannedDatasetMark } from './planned'

/**
 * Splitting a project item into a bundle's tasks (pure: the CLI writes the files, the tests call
 * it directly). A sweep gives one unit per (L, K) point, each with its own burn-in; within a task
 * each point after the first of the same L starts from the previous point's final spins, as the
 * app's sweep does (`warmStart`, default on; off: each from the sweep's start). A dataset gives
 * shards of its samples, each an `ising.dataset` job with the dataset's burn-in and its fixed
 * thinning (a planned dataset's 'auto': each shard runs its own pilot and chooses its own); an MCRG analysis independent chains, an RG flow one unit per starting K, a training
 * a grid of trainings (splitKinds.ts).
 * Units are grouped `perTask` to a task. Each unit has its own stream (streams.ts). The same
 * item, seed and options give the same tasks, byte for byte, and the same bundle id.
 */

export interface SplitOptions {
  /** The bundle's seed (default: the item's own seed). */
  seed?: number
  /** Units per array task (default 1). */
  perTask?: number
  /** Shards of a dataset (default: 8, or fewer so each has at least 40 samples), or independent chains of an MCRG (default 8). */
  shards?: number
  /** A sweep's points start from the previous point's spins within a task (default true). */
  warmStart?: boolean
  /** A training's grid (default: the training's own configuration once). */
  grid?: TrainingGrid
  now?: Date
}

export interface SplitBundle {
  manifest: BundleManifest
  tasks: BundleTask[]
  /** Other files of the bundle (a training's packed dataset): path in the bundle and exact text; written with the tasks. */
  files?: { path: string; text: string }[]
}

type Unit = { label: string; spec: unknown }

export function splitItem(doc: ProjectDoc, itemId: string, opts: SplitOptions = {}): SplitBundle | { error: string } {
  const p = doc.project
  const analysis = p.analyses.find((a) => a.id === itemId)
  const dataset = p.datasets.find((d) => d.id === itemId)
  const training = (p.trainings ?? []).find((t) => t.id === itemId)
  if (!analysis && !dataset && !training) {
    const choices = [
      ...p.analyses.filter((a) => a.kind === 'sweep' || a.kind === 'rg.mcrg' || a.kind === 'rg.flow'),
      ...p.datasets,
      ...(p.trainings ?? [])
    ].map((x) => x.id)
    return {
      error: `The project has no item "${itemId}"${choices.length ? `; sweeps, MCRG analyses, RG flows, datasets and trainings: ${choices.join(', ')}` : ''}.`
    }
  }
  const perTask = opts.perTask ?? 1
  if (!Number.isInteger(perTask) || perTask < 1 || perTask > MAX_UNITS)
    return { error: `--per-task must be a whole number from 1 to ${MAX_UNITS}.` }
  const taken = [...p.analyses, ...p.datasets, ...(p.trainings ?? []), ...p.models, ...p.runs].map((x) => x.id)
  // A planned analysis or dataset (planned.ts) receives its own results; anything else gets a new item beside it.
  const plan = dataset ? plannedDatasetMark(dataset) : null
  const planned = (analysis !== undefined && isPlanned(analysis)) || plan !== null
  const targetId = planned ? itemId : nextId(`${itemId}-cluster`, taken)
  let kind: BundleManifest['kind']
  let units: Unit[]
  let itemSeed: number
  let extra: Partial<BundleManifest>
  let name: string
  let files: NonNullable<SplitBundle['files']> = []
  const other = (split: KindSplit<unknown> | { error: string }, k: BundleManifest['kind']) => {
    if ('error' in split) return split
    kind = k
    ;({ name, itemSeed, units, extra } = split)
    files = split.files ?? []
    return null
  }
  if (analysis?.kind === 'rg.mcrg') {
    const failed = other(splitMcrg(analysis, opts.shards), 'mcrg')
    if (failed) return failed
  } else if (analysis?.kind === 'rg.flow') {
    const failed = other(splitFlow(analysis), 'rgflow')
    if (failed) return failed
  } else if (training) {
    const failed = other(splitTraining(doc, training, opts.grid ?? {}, targetId, taken), 'training')
    if (failed) return failed
  } else if (analysis) {
    if (analysis.kind !== 'sweep')
      return {
        error: `"${itemId}" is a ${analysis.kind} analysis; a bundle is made of a sweep, an MCRG, an RG flow, a dataset or a training.`
      }
    const problem = schemaProblem(sweepSpecSchema, analysis.spec)
    if (problem) return { error: `The sweep's spec is not valid (${problem}).` }
    const spec = sweepSpecSchema.parse(analysis.spec) as SweepSpec
    kind = 'sweep'
    name = analysis.name
    itemSeed = typeof analysis.spec['seed'] === 'number' ? analysis.spec['seed'] : 1
    units = spec.Ls.flatMap((L) =>
      spec.Ks.map((K) => ({ label: `L = ${L}, K = ${K}`, spec: { ...spec, Ls: [L], Ks: [K] } }))
    )
    extra = { sweep: spec, warmStart: opts.warmStart ?? true }
  } else {
    const d = dataset!
    if ('coarse' in d && d.coarse)
      return { error: `"${itemId}" is a coarse level of another dataset; export that one.` }
    const record = p.models.find((m) => m.id === d.modelId)
    if (!record) return { error: `The dataset's model "${d.modelId}" is not in the project.` }
    const model = modelDataFromProject(record, doc.arrays)
    if (!model.ok) return { error: `The dataset's model cannot be read: ${model.error}.` }
    const most = Math.floor(d.samples / MIN_DATASET_SAMPLES)
    const shards = opts.shards ?? Math.max(1, Math.min(8, most))
    if (!Number.isInteger(shards) || shards < 1 || shards > Math.min(most, MAX_UNITS))
      return {
        error: `${d.samples} samples make 1 to ${Math.max(1, most)} shards (each needs ${MIN_DATASET_SAMPLES} samples), not ${shards}.`
      }
    // A planned dataset has no arrays yet: its plan says what to keep and its thinning ('auto': each shard's pilot).
    const keepSamples = plan ? plan.keepSamples : d.arrays.samples !== undefined
    const thin = plan ? plan.thin : d.thin
    kind = 'dataset'
    name = d.name
    itemSeed = d.seed
    units = shardSizes(d.samples, shards).map((samples, k) => ({
      label: `shard ${k + 1} of ${shards} (${samples} samples)`,
      spec: {
        model: model.data,
        algorithm: d.algorithm,
        samples,
        burnIn: d.burnIn,
        thin,
        start: 'random',
        keepSamples
      }
    }))
    extra = {
      dataset: {
        modelId: d.modelId,
        samples: d.samples,
        burnIn: d.burnIn,
        thin,
        algorithm: d.algorithm,
        keepSamples
      }
    }
  }
  kind = kind!
  units = units!
  if (units.length > MAX_UNITS) return { error: `${units.length} units are more than a bundle holds (${MAX_UNITS}).` }
  const seed = opts.seed ?? itemSeed!
  if (!Number.isSafeInteger(seed)) return { error: `The seed must be a whole number, not ${seed}.` }
  if (kind === 'training' && (seed < 0 || seed > 0xffffffff))
    return { error: `A training's seed is a whole number from 0 to 4294967295, not ${seed}.` }
  const streams = unitStreams(seed, units.length)
  const nTasks = Math.ceil(units.length / perTask)
  const id = bundleIdOf(kind, itemId, seed, perTask, units, extra!.warmStart ?? null)
  const tasks = Array.from({ length: nTasks }, (_, index) => ({
    format: 'blockspin-cluster-task' as const,
    version: BUNDLE_VERSION,
    bundleId: id,
    index,
    kind,
    ...(kind === 'sweep' ? { warmStart: extra!.warmStart } : {}),
    ...(kind === 'training' ? { data: extra!.training!.data } : {}),
    units: units.slice(index * perTask, (index + 1) * perTask).map((u, k) => ({
      unit: index * perTask + k,
      label: u.label,
      spec: u.spec,
      stream: streams[index * perTask + k]!
    }))
  })) as BundleTask[]
  const manifest: BundleManifest = {
    format: 'blockspin-cluster-bundle',
    version: BUNDLE_VERSION,
    id,
    createdAt: (opts.now ?? new Date()).toISOString(),
    kind,
    item: { id: itemId, name: name! },
    target: { id: targetId, name: planned ? name! : `${name!} (cluster)` },
    seed,
    streams: STREAM_METHOD,
    tasks: nTasks,
    units: units.length,
    ...extra!
  }
  return { manifest, tasks, files }
}

/** `total` samples in `shards` parts differing by at most one (the first ones larger). */
export function shardSizes(total: number, shards: number): number[] {
  const base = Math.floor(total / shards)
  return Array.from({ length: shards }, (_, k) => base + (k < total % shards ? 1 : 0))
}

/** 16 hex digits of SHA-256 over what fixes the tasks: the same split gives the same id. */
function bundleIdOf(
  kind: string,
  itemId: string,
  seed: number,
  perTask: number,
  units: Unit[],
  warmStart: boolean | null
): string {
  const text = toBundleJson(
    warmStart === null ? { kind, itemId, seed, perTask, units } : { kind, itemId, seed, perTask, units, warmStart }
  )
  return bytesToHex(sha256(utf8ToBytes(text))).slice(0, 16)
}
