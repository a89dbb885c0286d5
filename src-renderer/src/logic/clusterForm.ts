import { MIN_DATASET_SAMPLES } from '@core/jobs/isingDataset'
import { bundleFolderName } from '@shared/clusterContract'
import { DEFAULT_SLURM, slurmOptionsProblem, type SlurmOptions } from '@shared/cluster/script'
import { splitItem, type SplitBundle, type SplitOptions } from '@shared/cluster/split'
import type { NpyArray, ProjectDoc, ProjectJson } from '@shared/project/types'

/**
 * "Run on a cluster…" as typed: the Slurm options with the CLI's own sentences
 * (slurmOptionsProblem), the units per task and shards, the bundle folder's name, and the
 * bundle the project item splits into (splitItem, the CLI's split). Which items can go to a
 * cluster is splitItem's answer, not a list kept here.
 */

export interface ClusterFormValues {
  partition: string
  time: string
  mem: string
  cpus: string
  perTask: string
  /** Empty: the split's default. */
  shards: string
  /** A training's grid: learning rates and first hidden sizes (comma-separated; empty: the training's own), seeds of each. */
  rates: string
  hidden: string
  replicas: string
  /** The bundle's seed; empty: the item's own (the CLI's --seed). */
  seed: string
  /** A sweep's points start from the previous point's spins within a task (off: the CLI's --no-warm-start). */
  warmStart: boolean
  name: string
}

/** The CLI's defaults: the item's own seed (filled in once the dialog knows it), warm start on. */
export function defaultClusterForm(itemId: string, seed: number | null = null): ClusterFormValues {
  return {
    partition: '',
    time: DEFAULT_SLURM.time,
    mem: DEFAULT_SLURM.mem,
    cpus: String(DEFAULT_SLURM.cpus),
    perTask: '1',
    shards: '',
    rates: '',
    hidden: '',
    replicas: '1',
    seed: seed === null ? '' : String(seed),
    warmStart: true,
    name: `${itemId.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '') || 'item'}-bundle`
  }
}

/**
 * The project as splitItem reads it: project.json, the models' arrays and the datasets' (a
 * training's bundle packs its dataset's configurations). `light` stands each dataset's
 * configurations in by one of them: the split then says whether and how the item splits at once,
 * without packing and hashing megabytes, and the bundle is made from the real ones when written.
 */
export function splitDoc(
  project: ProjectJson,
  models: ProjectJson['models'],
  arrays: Record<string, NpyArray>,
  light = false
): ProjectDoc {
  const out = { ...arrays }
  if (light)
    for (const d of project.datasets) {
      const id = d.arrays.samples
      const a = id ? out[id] : undefined
      if (!id || !a || a.shape.length < 2) continue
      const row = a.shape.slice(1).reduce((x, y) => x * y, 1)
      out[id] = { ...a, shape: [1, ...a.shape.slice(1)], data: a.data.slice(0, row) } as NpyArray
    }
  return { project: { ...project, models }, arrays: out }
}

/**
 * Whether an item can go to a cluster (splitItem accepts it with the default options), answered
 * from the records alone for the inspector: a sweep or an MCRG is split
 * (its units are small specs, no arrays); a dataset or a training is judged by its kind and shape
 * (a dataset's model is in the project and its samples make a shard; a training's dataset kept
 * its configurations), without building models or packing samples. A model whose arrays do not
 * read is then found by the dialog, which says so.
 */
export function clusterCapable(project: ProjectJson, itemId: string, holds: (arrayId: string) => boolean): boolean {
  if (project.analyses.some((a) => a.id === itemId)) return !('error' in splitItem({ project, arrays: {} }, itemId))
  const dataset = project.datasets.find((d) => d.id === itemId)
  if (dataset)
    return (
      !('coarse' in dataset && dataset.coarse) &&
      project.models.some((m) => m.id === dataset.modelId) &&
      dataset.samples >= MIN_DATASET_SAMPLES
    )
  const training = (project.trainings ?? []).find((t) => t.id === itemId)
  if (!training || training.layers.length === 0) return false
  const samples = project.datasets.find((d) => d.id === training.datasetId)?.arrays.samples
  return samples !== undefined && holds(samples)
}

const WHOLE = /^\s*\d{1,9}\s*$/

export type ClusterFormCheck =
  { ok: true; slurm: SlurmOptions; bundle: SplitBundle } | { ok: false; problem: string; bundle: SplitBundle | null }

/** The form checked field by field, and the bundle it makes; the first problem as one sentence. */
export function checkClusterForm(doc: ProjectDoc, itemId: string, v: ClusterFormValues): ClusterFormCheck {
  const fail = (problem: string, bundle: SplitBundle | null = null): ClusterFormCheck => ({
    ok: false,
    problem,
    bundle
  })
  if (!WHOLE.test(v.perTask)) return fail(`Units per task takes a whole number, not "${v.perTask.slice(0, 20)}".`)
  if (v.shards.trim() && !WHOLE.test(v.shards))
    return fail(`Shards takes a whole number, not "${v.shards.slice(0, 20)}".`)
  const grid = gridOf(v)
  if (typeof grid === 'string') return fail(grid)
  const seed = v.seed.trim() ? Number(v.seed) : undefined
  if (seed !== undefined && (!/^\s*-?\d{1,16}\s*$/.test(v.seed) || !Number.isSafeInteger(seed)))
    return fail(`Seed takes a whole number (up to 16 digits), not "${v.seed.slice(0, 20)}".`)
  const opts: SplitOptions = {
    perTask: Number(v.perTask),
    warmStart: v.warmStart,
    ...(seed !== undefined ? { seed } : {}),
    ...(v.shards.trim() ? { shards: Number(v.shards) } : {}),
    ...(Object.keys(grid).length ? { grid } : {})
  }
  const split = splitItem(doc, itemId, opts)
  if ('error' in split)
    return fail(
      split.error
        .replace(/^--per-task\b/, 'Units per task')
        .replace(/^--shards\b/, 'Shards')
        .replace(/^A training's seed is/, 'A training’s seed is')
    )
  const cpus = WHOLE.test(v.cpus) ? Number(v.cpus) : NaN
  const slurm: SlurmOptions = {
    time: v.time.trim(),
    mem: v.mem.trim(),
    cpus,
    ...(v.partition.trim() ? { partition: v.partition.trim() } : {})
  }
  if (Number.isNaN(cpus))
    return fail(`CPUs per task takes a whole number from 1 to 1024, not "${v.cpus.slice(0, 20)}".`, split)
  const problem = slurmOptionsProblem(slurm)
  if (problem) return fail(fieldWords(problem), split)
  if (!bundleFolderName.safeParse(v.name).success)
    return fail('The bundle folder’s name takes letters, digits, _ . and - (not starting with a dot or -).', split)
  return { ok: true, slurm, bundle: split }
}

/** A training's grid as typed, or the sentence saying which field is not a list of numbers. */
function gridOf(v: ClusterFormValues): NonNullable<SplitOptions['grid']> | string {
  const list = (text: string): number[] | null => {
    const parts = text.split(/[,\s]+/).filter(Boolean)
    const values = parts.map(Number)
    return parts.length && values.every(Number.isFinite) ? values : null
  }
  const grid: NonNullable<SplitOptions['grid']> = {}
  if (v.rates.trim()) {
    const rates = list(v.rates)
    if (!rates) return `Learning rates takes numbers separated by commas, not "${v.rates.slice(0, 30)}".`
    grid.learningRates = rates
  }
  if (v.hidden.trim()) {
    const hidden = list(v.hidden)
    if (!hidden) return `Hidden units takes whole numbers separated by commas, not "${v.hidden.slice(0, 30)}".`
    grid.hidden = hidden
  }
  if (v.replicas.trim() !== '1') {
    if (!WHOLE.test(v.replicas)) return `Seeds of each takes a whole number, not "${v.replicas.slice(0, 20)}".`
    grid.replicas = Number(v.replicas)
  }
  return grid
}

/** The CLI's option names as the dialog's fields call them. */
function fieldWords(sentence: string): string {
  return sentence
    .replace(/^--partition takes/, 'Partition takes')
    .replace(/^--time takes/, 'Time per task takes')
    .replace(/^--mem takes/, 'Memory per task takes')
    .replace(/^--cpus takes/, 'CPUs per task takes')
}

/** "6 tasks of 2 units each (12 units)". */
export function bundleSummary(b: SplitBundle): string {
  const { tasks, units } = b.manifest
  const per = Math.max(...b.tasks.map((t) => t.units.length))
  const what: Record<string, [string, string]> = {
    sweep: ['sweep point', 'sweep points'],
    dataset: ['shard of samples', 'shards of samples'],
    mcrg: ['independent chain', 'independent chains'],
    training: ['training', 'trainings']
  }
  const [one, many] = what[b.manifest.kind] ?? ['unit', 'units']
  return `${tasks} array task${tasks === 1 ? '' : 's'}, ${per === 1 ? 'one unit' : `up to ${per} units`} each: ${units} ${units === 1 ? one : many}.`
}
