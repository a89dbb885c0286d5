import { DISTRIBUTION_MAX_SITES, enumerateExact } from '../ising/exact/enumeration'
import { exactSolve } from '../ising/exact/solve'
import { EXACT_OBSERVABLES, type ExactMethod, type ExactObservable, type ExactResult } from '../ising/exact/types'
import { modelFromData, type ModelData } from '../lattice/data'
import type { JobRunner } from './types'

export interface ExactSpec {
  model: ModelData
  /** Force a method; by default the solver picks (see exactSolve). */
  method?: ExactMethod
}

/** What only enumeration gives: P(v_i = +1) per site, ⟨v_i v_j⟩ at [i·N + j], P(v) by bit pattern (N ≤ 16). */
export interface ExactDetails {
  marginals?: Float64Array
  correlations?: Float64Array
  distribution?: Float64Array
}

/**
 * Exact solution of a model in a worker (enumeration of 2^24 states takes a second or two).
 * For N ≤ 16 the marginals, correlations and P(v) come with it whichever method led (2^16
 * states take milliseconds), so small systems always show them.
 */
export const runIsingExact: JobRunner<ExactSpec, ExactResult & ExactDetails> = async (spec, _rng, sink) => {
  const model = modelFromData(spec.model)
  sink.progress({ done: 0, total: 1, unit: 'solve', note: 'solving exactly' })
  const solved = exactSolve(model, {
    correlations: model.lattice.N <= 24,
    ...(spec.method ? { method: spec.method } : {})
  })
  if ('error' in solved) throw new Error(solved.error)
  const result: ExactResult & ExactDetails = solved
  if (result.method !== 'enumeration' && !spec.method && model.lattice.N <= DISTRIBUTION_MAX_SITES) {
    const full = enumerateExact(model, { correlations: true, distribution: true })
    Object.assign(result, {
      marginals: full.marginals,
      correlations: full.correlations,
      distribution: full.distribution
    })
  }
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
