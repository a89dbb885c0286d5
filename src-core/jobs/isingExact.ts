import { exactSolve } from '../ising/exact/solve'
import { EXACT_OBSERVABLES, type ExactMethod, type ExactObservable, type ExactResult } from '../ising/exact/types'
import { modelFromData, type ModelData } from '../lattice/data'
import type { JobRunner } from './types'

export interface ExactSpec {
  model: ModelData
  /** Force a method; by default the solver picks (see exactSolve). */
  method?: ExactMethod
}

/** Exact solution of a model in a worker (enumeration of 2^24 states takes a second or two). */
export const runIsingExact: JobRunner<ExactSpec, ExactResult> = async (spec, _rng, sink) => {
  const model = modelFromData(spec.model)
  sink.progress({ done: 0, total: 1, unit: 'solve', note: 'solving exactly' })
  const result = exactSolve(model, { correlations: model.lattice.N <= 24, ...(spec.method ? { method: spec.method } : {}) })
  if ('error' in result) throw new Error(result.error)
  sink.progress({ done: 1, total: 1, unit: 'solve' })
  return result
}

/** method, N, lnZ, f, the observables found, and which of them another method supplied. */
export type ExactSummary = Record<string, number | string | Partial<Record<ExactObservable, ExactMethod>>>

/** The per-site observables of an exact result, in the CLI's JSON field order. */
export function exactSummary(r: ExactResult): ExactSummary {
  const out: ExactSummary = { method: r.method, N: r.N, lnZ: r.lnZ, f: r.f }
  for (const key of EXACT_OBSERVABLES) {
    const v = r[key]
    if (v !== undefined) out[key] = v
  }
  if (r.supplementedBy && Object.keys(r.supplementedBy).length > 0) out.supplementedBy = { ...r.supplementedBy }
  return out
}
