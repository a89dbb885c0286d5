import type { CompareResult, CompareSpec } from '@core/jobs/compareRgDbn'
import type { MappingResult, MappingSpec } from '@core/jobs/mapping'
import type { RgCascadeResult, RgCascadeSpec } from '@core/jobs/rgCascade'
import type { RgFlowResult, RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgResult, RgMcrgSpec } from '@core/jobs/rgMcrg'
import { nextId } from './model'
import type { NpyArray, ProjectAnalysis, ProjectDataset } from './types'

/**
 * RG and mapping results as project records (format 3), in one place for the app's data store
 * and the CLI: an rg.cascade analysis with one coarse dataset per level (int8 ±1 spins, or
 * float32 block averages, shape [samples, Ly′, Lx′]); rg.flow, rg.mcrg and mapping analyses with
 * their spec, seed and result. Results are stored as JSON (typed arrays as lists).
 */

export type RgAnalysisKind = 'rg.cascade' | 'rg.flow' | 'rg.mcrg' | 'mapping' | 'compare'
export const RG_ANALYSIS_KINDS: readonly RgAnalysisKind[] = ['rg.cascade', 'rg.flow', 'rg.mcrg', 'mapping', 'compare']

/** A JSON copy with typed arrays as plain lists (non-finite numbers become null, as JSON does). */
export function jsonOf(value: unknown): Record<string, unknown> {
  return JSON.parse(
    JSON.stringify(value, (_key, v: unknown) =>
      ArrayBuffer.isView(v) ? Array.from(v as unknown as ArrayLike<number>) : v
    )
  ) as Record<string, unknown>
}

export interface CascadeRecords {
  analysis: ProjectAnalysis
  datasets: ProjectDataset[]
  arrays: Record<string, NpyArray>
}

/**
 * The records of a finished cascade of `source`. `taken` lists the ids in use (the new records'
 * ids are chosen to avoid them); the analysis gets `analysisId`.
 */
export function cascadeRecords(opts: {
  analysisId: string
  name: string
  source: ProjectDataset
  spec: Omit<RgCascadeSpec, 'samples'>
  seed: number
  result: RgCascadeResult
  taken: Iterable<string>
  now?: Date
}): CascadeRecords {
  const { source, spec, result } = opts
  const createdAt = (opts.now ?? new Date()).toISOString()
  const used = new Set([...opts.taken, opts.analysisId])
  const datasets: ProjectDataset[] = []
  const arrays: Record<string, NpyArray> = {}
  const baseLevel = source.coarse?.level ?? 0
  let previous = source.id
  const levels = result.levels.map(({ data, ...level }) => {
    if (!data) return { ...jsonOf(level), datasetId: level.level === 0 ? source.id : null }
    const id = nextId('data', used)
    used.add(id)
    const arrayId = `${id}.samples`
    arrays[arrayId] =
      data instanceof Int8Array
        ? { dtype: '|i1', shape: [spec.count, level.Ly, level.Lx], data }
        : { dtype: '<f4', shape: [spec.count, level.Ly, level.Lx], data }
    datasets.push({
      id,
      // The level first: the tree truncates long names, and the levels must stay told apart.
      name: `Level ${baseLevel + level.level} (${spec.rule} ${spec.b}×${level.Ly === 1 ? 1 : spec.b}) of ${source.name}`,
      modelId: source.modelId,
      algorithm: source.algorithm,
      seed: source.seed,
      samples: spec.count,
      burnIn: source.burnIn,
      thin: source.thin,
      tauInt: source.tauInt,
      acceptance: source.acceptance,
      createdAt,
      arrays: { samples: arrayId },
      summary: jsonOf({ observables: level.observables, fit: level.fit, matched: level.matched }),
      coarse: {
        sourceId: previous,
        analysisId: opts.analysisId,
        rule: spec.rule,
        b: spec.b,
        level: baseLevel + level.level
      }
    })
    previous = id
    return { ...jsonOf(level), datasetId: id }
  })
  const { count: _count, ...shape } = spec
  const analysis: ProjectAnalysis = {
    id: opts.analysisId,
    name: opts.name,
    kind: 'rg.cascade',
    sourceId: source.id,
    spec: { ...jsonOf(shape), seed: opts.seed, samples: spec.count },
    createdAt,
    arrays: {},
    result: { rule: result.rule, b: result.b, levels }
  }
  return { analysis, datasets, arrays }
}

/** An rg.flow, rg.mcrg, mapping or compare (RG vs DBN) analysis; a compare spec keeps no samples or weights (its sourceId is the training). */
export function rgAnalysisRecord(opts: {
  id: string
  name: string
  kind: Exclude<RgAnalysisKind, 'rg.cascade'>
  sourceId: string | null
  spec: RgFlowSpec | RgMcrgSpec | MappingSpec | (Omit<CompareSpec, 'samples' | 'dbn'> & { datasetId: string })
  seed: number
  result: RgFlowResult | RgMcrgResult | MappingResult | CompareResult
  now?: Date
}): ProjectAnalysis {
  return {
    id: opts.id,
    name: opts.name,
    kind: opts.kind,
    sourceId: opts.sourceId,
    spec: { ...jsonOf(opts.spec), seed: opts.seed },
    createdAt: (opts.now ?? new Date()).toISOString(),
    arrays: {},
    result: jsonOf(opts.result)
  }
}
