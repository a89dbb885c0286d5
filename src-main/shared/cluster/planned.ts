import type { ProjectAnalysis, ProjectDataset } from '../project/types'

/**
 * An analysis planned for a cluster: made by a launch dialog's "Run on a cluster…" (a sweep, an
 * MCRG or an RG flow of a size meant for a cluster), its spec and seed as a run here would have them and no
 * result yet. Its bundle merges into the item itself, so the results arrive where it was planned;
 * anything else a bundle makes is a new item beside its source.
 */

/** The kinds a launch dialog can plan for a cluster. */
export type PlannedKind = 'sweep' | 'rg.mcrg' | 'rg.flow'

/** Whether the analysis is planned and still has no result. */
export function isPlanned(a: Pick<ProjectAnalysis, 'result'> | { result?: unknown }): boolean {
  const r = (a as { result?: unknown }).result
  return typeof r === 'object' && r !== null && (r as Record<string, unknown>)['planned'] === true
}

/** The record of an analysis planned for a cluster. */
export function plannedAnalysis(opts: {
  id: string
  name: string
  kind: PlannedKind
  spec: object
  seed: number
  now?: Date
}): ProjectAnalysis {
  return {
    id: opts.id,
    name: opts.name,
    kind: opts.kind,
    sourceId: null,
    spec: { ...(JSON.parse(JSON.stringify(opts.spec)) as Record<string, unknown>), seed: opts.seed },
    createdAt: (opts.now ?? new Date()).toISOString(),
    arrays: {},
    result: { planned: true }
  }
}

/**
 * A dataset planned for a cluster (the dataset form's "Run on a cluster…"): the record a run here
 * would make, with its model, algorithm, seed, samples and burn-in, no arrays, and in `summary`
 * the mark `planned: true`, whether to keep the configurations and the thinning asked for (a
 * number, or 'auto': each shard's own pilot chooses it). The project's `thin` stays a whole number
 * (the fixed one, or 1 while 'auto' is still to be chosen) so the file's format is unchanged.
 */
export interface PlannedDatasetMark {
  planned: true
  keepSamples: boolean
  thin: 'auto' | number
}

/** Whether the dataset is planned for a cluster and still has no samples. */
export function isPlannedDataset(d: { summary?: Record<string, unknown> | undefined }): boolean {
  return plannedDatasetMark(d) !== null
}

/** The plan of a planned dataset (null for any other). */
export function plannedDatasetMark(d: { summary?: Record<string, unknown> | undefined }): PlannedDatasetMark | null {
  const s = d.summary
  if (typeof s !== 'object' || s === null || s['planned'] !== true) return null
  const thin = s['thin']
  return {
    planned: true,
    keepSamples: s['keepSamples'] !== false,
    thin: thin === 'auto' ? 'auto' : typeof thin === 'number' && Number.isInteger(thin) && thin >= 1 ? thin : 1
  }
}

/** The record of a dataset planned for a cluster. */
export function plannedDataset(opts: {
  id: string
  name: string
  modelId: string
  algorithm: ProjectDataset['algorithm']
  seed: number
  samples: number
  burnIn: number
  thin: 'auto' | number
  keepSamples: boolean
  now?: Date
}): ProjectDataset {
  const mark: PlannedDatasetMark = { planned: true, keepSamples: opts.keepSamples, thin: opts.thin }
  return {
    id: opts.id,
    name: opts.name,
    modelId: opts.modelId,
    algorithm: opts.algorithm,
    seed: opts.seed,
    samples: opts.samples,
    burnIn: opts.burnIn,
    thin: opts.thin === 'auto' ? 1 : opts.thin,
    tauInt: null,
    acceptance: null,
    createdAt: (opts.now ?? new Date()).toISOString(),
    arrays: {},
    summary: { ...mark }
  }
}
