/**
 * One independent part of an MCRG (a cluster bundle's unit): samples the torus as the rg.mcrg
 * job does (Wolff, its own burn-in, `count` configurations), blocks them through the cascade and
 * returns the per-level means and co-moments (rg/mcrgSums.ts) instead of T, so that parts run
 * anywhere pool into one MCRG with error bars over parts.
 */
import { blockCascade } from '../rg/blockSpin'
import { EVEN_OPERATORS } from '../rg/mcrg'
import { mcrgSums, type McrgSums } from '../rg/mcrgSums'
import type { RgMcrgSpec } from './rgMcrg'
import { validateRgMcrgSpec } from './rgMcrg'
import { sampleTorus, samplingSweeps } from './rgSampling'
import type { JobRunner } from './types'

export type RgMcrgSumsResult = McrgSums & { L: number; K: number; rule: RgMcrgSpec['rule']; sweeps: number }

export const runRgMcrgSums: JobRunner<RgMcrgSpec, RgMcrgSumsResult | null> = async (spec, rng, sink, signal) => {
  validateRgMcrgSpec(spec)
  const total = samplingSweeps(spec)
  const note = `${spec.L}² at K = ${spec.K}`
  sink.progress({ done: 0, total, unit: 'sweeps', note })
  const data = await sampleTorus(spec, rng, signal, (done) => sink.progress({ done, total, unit: 'sweeps', note }))
  if (!data) return null
  sink.progress({ done: total, total, unit: 'sweeps', note: 'blocking and summing' })
  const cascade = blockCascade(data, spec.count, { Lx: spec.L, Ly: spec.L }, spec.b, spec.rule, spec.levels, rng)
  const sums = mcrgSums(cascade, spec.count, spec.b, spec.operators ?? EVEN_OPERATORS)
  return { ...sums, L: spec.L, K: spec.K, rule: spec.rule, sweeps: total }
}
