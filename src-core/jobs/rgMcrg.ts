/**
 * Swendsen's MCRG as a job (issue: RG engine): samples a critical (or any) torus with Wolff,
 * blocks every configuration through the cascade and returns the linearised RG matrix, its
 * leading eigenvalue, y_t and ν with jackknife errors per level (rg/mcrg.ts).
 */
import { blockCascade, maxLevels } from '../rg/blockSpin'
import { EVEN_OPERATORS, MCRG_MIN_SIDE, mcrg, type EvenOperator, type McrgResult } from '../rg/mcrg'
import { sampleTorus, samplingSweeps, validateTorusSampling, type TorusSampling } from './rgSampling'
import type { JobRunner } from './types'

export interface RgMcrgSpec extends TorusSampling {
  rule: 'majority' | 'decimation'
  b: number
  levels: number
  operators?: EvenOperator[]
}

export type RgMcrgResult = McrgResult & { L: number; K: number; rule: RgMcrgSpec['rule']; sweeps: number }

export function validateRgMcrgSpec(spec: RgMcrgSpec): void {
  validateTorusSampling(spec, 'MCRG')
  if (spec.rule !== 'majority' && spec.rule !== 'decimation')
    throw new RangeError(`MCRG blocks by majority or decimation, not ${String(spec.rule)}`)
  if (!Number.isInteger(spec.b) || spec.b < 2 || spec.L % spec.b !== 0)
    throw new RangeError(`the block size b = ${String(spec.b)} must divide L = ${spec.L}`)
  // Levels whose side stays ≥ MCRG_MIN_SIDE.
  let side = spec.L
  let possible = 0
  while (side % spec.b === 0 && side / spec.b >= MCRG_MIN_SIDE) {
    side /= spec.b
    possible++
  }
  if (
    !Number.isInteger(spec.levels) ||
    spec.levels < 1 ||
    spec.levels > Math.min(possible, maxLevels({ Lx: spec.L, Ly: spec.L }, spec.b))
  ) {
    throw new RangeError(
      `a ${spec.L}² lattice allows ${possible} MCRG level${possible === 1 ? '' : 's'} of ${spec.b}×${spec.b} blocks (each at least ${MCRG_MIN_SIDE}×${MCRG_MIN_SIDE}), not ${String(spec.levels)}`
    )
  }
  if (spec.operators && (spec.operators.length === 0 || !spec.operators.every((o) => EVEN_OPERATORS.includes(o)))) {
    throw new RangeError(`choose operators among ${EVEN_OPERATORS.join(', ')}`)
  }
}

export const runRgMcrg: JobRunner<RgMcrgSpec, RgMcrgResult | null> = async (spec, rng, sink, signal) => {
  validateRgMcrgSpec(spec)
  const total = samplingSweeps(spec)
  const note = `${spec.L}² at K = ${spec.K}`
  sink.progress({ done: 0, total, unit: 'sweeps', note })
  const data = await sampleTorus(spec, rng, signal, (done) => sink.progress({ done, total, unit: 'sweeps', note }))
  if (!data) return null
  sink.progress({ done: total, total, unit: 'sweeps', note: 'blocking and linearising' })
  const cascade = blockCascade(data, spec.count, { Lx: spec.L, Ly: spec.L }, spec.b, spec.rule, spec.levels, rng)
  const result = mcrg(cascade, spec.count, spec.b, spec.operators ?? EVEN_OPERATORS)
  return { ...result, L: spec.L, K: spec.K, rule: spec.rule, sweeps: total }
}
