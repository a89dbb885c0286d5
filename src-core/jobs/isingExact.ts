import { exactSolve } from '../ising/exact/solve'
import type { ExactMethod, ExactResult } from '../ising/exact/types'
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

/** The per-site observables of an exact result, in the CLI's JSON field order. */
export function exactSummary(r: ExactResult): Record<string, number | string> {
  const out: Record<string, number | string> = { method: r.method, N: r.N, lnZ: r.lnZ, f: r.f }
  for (const key of ['e', 'c', 'm', 'absM', 'm2', 'chi', 'chiAbs'] as const) {
    const v = r[key]
    if (v !== undefined) out[key] = v
  }
  return out
}
