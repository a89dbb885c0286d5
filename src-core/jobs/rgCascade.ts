/**
 * Block-spin cascade of a dataset (issue: RG engine): every level's configurations, its
 * observables, and its effective couplings (pseudo-likelihood fit for ±1 levels, matched nearest
 * coupling on square levels of at least 3×3), all with error bars. The coarse levels come back as
 * arrays a project stores as datasets (int8 for majority and decimation, float32 for averages).
 */
import { BLOCK_RULES, blockCascade, type BlockRule, type LevelData } from '../rg/blockSpin'
import { levelObservables, type LevelObservables } from '../rg/levelObservables'
import { matchedCoupling, type MatchedCoupling } from '../rg/matchedCoupling'
import { COUPLING_NAMES, fitCouplings, type CouplingFit, type CouplingName } from '../rg/pseudoLikelihood'
import type { JobRunner } from './types'

export interface RgCascadeSpec {
  /** ±1 configurations, count × Ly × Lx, row-major (a dataset's samples). */
  samples: Int8Array
  count: number
  Lx: number
  Ly: number
  rule: BlockRule
  b: number
  levels: number
  /** Couplings the pseudo-likelihood fit estimates at each ±1 level ([] for none). */
  couplings: CouplingName[]
}

export interface RgCascadeLevel {
  level: number
  Lx: number
  Ly: number
  /** The level's configurations (absent for level 0, the input). */
  data?: LevelData
  observables: LevelObservables
  fit: CouplingFit | null
  matched: MatchedCoupling | null
  /** Why a fit or match is missing, in one sentence. */
  note?: string
}

export interface RgCascadeResult {
  rule: BlockRule
  b: number
  levels: RgCascadeLevel[]
}

export function validateRgCascadeSpec(spec: RgCascadeSpec): void {
  const { count, Lx, Ly } = spec
  if (!Number.isInteger(count) || count < 1)
    throw new RangeError(`the dataset has no configurations (count ${String(count)})`)
  if (!Number.isInteger(Lx) || !Number.isInteger(Ly) || Lx < 2 || Ly < 1)
    throw new RangeError(`the lattice must be at least 2 wide, got ${Lx}×${Ly}`)
  if (!(spec.samples instanceof Int8Array) || spec.samples.length !== count * Lx * Ly) {
    throw new RangeError(`expected ${count} configurations of ${Lx}×${Ly} spins`)
  }
  if (!BLOCK_RULES.includes(spec.rule)) throw new RangeError(`unknown block rule ${String(spec.rule)}`)
  if (!spec.couplings.every((c) => COUPLING_NAMES.includes(c)))
    throw new RangeError(`unknown coupling among ${spec.couplings.join(', ')}`)
}

export const runRgCascade: JobRunner<RgCascadeSpec, RgCascadeResult | null> = async (spec, rng, sink, signal) => {
  validateRgCascadeSpec(spec)
  const { count, rule, b } = spec
  const total = spec.levels + 1
  sink.progress({ done: 0, total, unit: 'levels', note: 'blocking' })
  const cascade = blockCascade(spec.samples, count, { Lx: spec.Lx, Ly: spec.Ly }, b, rule, spec.levels, rng)
  const levels: RgCascadeLevel[] = []
  for (const { level, grid, data } of cascade) {
    await signal.next()
    if (signal.cancelled) return null
    const notes: string[] = []
    let fit: CouplingFit | null = null
    let matched: MatchedCoupling | null = null
    if (data instanceof Float32Array)
      notes.push('Block averages are not ±1 spins: effective couplings are fitted for majority and decimation levels.')
    else {
      if (spec.couplings.length) {
        const usable =
          grid.Ly === 1 ? spec.couplings.filter((c) => c !== 'diagonal' && c !== 'plaquette') : spec.couplings
        try {
          fit = usable.length ? fitCouplings(data, count, grid, usable) : null
          if (fit && !fit.converged)
            notes.push('The pseudo-likelihood fit did not converge: the level is nearly frozen.')
        } catch (e) {
          notes.push((e as Error).message)
        }
      }
      if (grid.Ly > 1 && Math.min(grid.Lx, grid.Ly) >= 3) matched = matchedCoupling(data, count, grid)
      else notes.push('The matched coupling needs a square level of at least 3×3.')
    }
    levels.push({
      level,
      Lx: grid.Lx,
      Ly: grid.Ly,
      ...(level > 0 ? { data } : {}),
      observables: levelObservables(data, count, grid),
      fit,
      matched,
      ...(notes.length ? { note: notes.join(' ') } : {})
    })
    sink.progress({ done: level + 1, total, unit: 'levels', note: `level ${level}` })
  }
  return { rule, b, levels }
}
