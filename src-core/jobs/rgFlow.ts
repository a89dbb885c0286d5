/**
 * The RG flow of the uniform ferromagnet (issue: RG engine): for each starting K on a grid, sample
 * the L×L torus, block it level after level, and measure each level's effective couplings: the
 * pseudo-likelihood fit (nearest, diagonal, … — the flow diagram in the (nearest, diagonal) plane)
 * and the matched nearest coupling. Below Kc the flow runs to K = 0, above it to K = ∞; the fixed
 * point is where the first step K → K′ changes direction (K′ − K changes sign), interpolated
 * linearly between grid points, its error propagated from K′'s error bars.
 */
import { blockCascade, maxLevels, type BlockRule } from '../rg/blockSpin'
import { matchedCoupling, type MatchedCoupling } from '../rg/matchedCoupling'
import { fitCouplings, type CouplingFit, type CouplingName } from '../rg/pseudoLikelihood'
import { sampleTorus, samplingSweeps, validateTorusSampling } from './rgSampling'
import type { JobRunner } from './types'

export interface RgFlowSpec {
  L: number
  Ks: number[]
  rule: Exclude<BlockRule, 'average'>
  b: number
  levels: number
  /** Samples per starting K, sweeps between them, burn-in sweeps. */
  count: number
  between: number
  burnIn: number
  couplings: CouplingName[]
}

export interface RgFlowLevel {
  level: number
  side: number
  /** null when the fit is degenerate on this level (a nearly frozen or tiny level): see note. */
  fit: CouplingFit | null
  matched: MatchedCoupling | null
  note?: string
}

export interface RgFlowPoint {
  K: number
  levels: RgFlowLevel[]
}

export interface FixedPoint {
  K: number
  error: number
}

export interface RgFlowResult {
  L: number
  rule: RgFlowSpec['rule']
  b: number
  couplings: CouplingName[]
  points: RgFlowPoint[]
  /** Where K′ − K of the first step changes sign, by the matched coupling and by the fit's nearest coupling. */
  fixedPoint: { matched: FixedPoint | null; fitted: FixedPoint | null }
}

/** The zero of K′(K) − K between grid points where it changes sign (the first such crossing). */
export function flowFixedPoint(points: { K: number; next: number; error: number }[]): FixedPoint | null {
  const sorted = [...points].sort((p, q) => p.K - q.K)
  for (let i = 1; i < sorted.length; i++) {
    const a = sorted[i - 1]!
    const c = sorted[i]!
    const da = a.next - a.K
    const dc = c.next - c.K
    if (da === 0) return { K: a.K, error: a.error }
    if (da * dc > 0) continue
    const slope = (dc - da) / (c.K - a.K)
    const K = a.K - da / slope
    // δK* from the two end points' errors, weighted by where K* falls between them.
    const t = (K - a.K) / (c.K - a.K)
    const error = Math.hypot((1 - t) * a.error, t * c.error) / Math.abs(slope)
    return { K, error }
  }
  return null
}

export function validateRgFlowSpec(spec: RgFlowSpec): void {
  if (!Array.isArray(spec.Ks) || spec.Ks.length < 1 || spec.Ks.length > 64)
    throw new RangeError('give 1 to 64 starting couplings')
  for (const K of spec.Ks)
    validateTorusSampling(
      { L: spec.L, K, count: spec.count, between: spec.between, burnIn: spec.burnIn },
      'the RG flow'
    )
  if (spec.rule !== 'majority' && spec.rule !== 'decimation')
    throw new RangeError(`the flow blocks by majority or decimation, not ${String(spec.rule)}`)
  const possible = Number.isInteger(spec.b) && spec.b >= 2 ? maxLevels({ Lx: spec.L, Ly: spec.L }, spec.b) : 0
  if (!Number.isInteger(spec.levels) || spec.levels < 1 || spec.levels > possible) {
    throw new RangeError(
      `a ${spec.L}² lattice allows ${possible} level${possible === 1 ? '' : 's'} of ${String(spec.b)}×${String(spec.b)} blocks, not ${String(spec.levels)}`
    )
  }
  if (!spec.couplings.includes('nearest')) throw new RangeError('the flow fits at least the nearest coupling')
}

export const runRgFlow: JobRunner<RgFlowSpec, RgFlowResult | null> = async (spec, rng, sink, signal) => {
  validateRgFlowSpec(spec)
  const perPoint = samplingSweeps({ L: spec.L, K: 1, count: spec.count, between: spec.between, burnIn: spec.burnIn })
  const total = perPoint * spec.Ks.length
  const points: RgFlowPoint[] = []
  for (const [index, K] of spec.Ks.entries()) {
    const note = `K = ${K}`
    const base = index * perPoint
    const data = await sampleTorus(
      { L: spec.L, K, count: spec.count, between: spec.between, burnIn: spec.burnIn },
      rng,
      signal,
      (done) => sink.progress({ done: base + done, total, unit: 'sweeps', note })
    )
    if (!data) return null
    const cascade = blockCascade(data, spec.count, { Lx: spec.L, Ly: spec.L }, spec.b, spec.rule, spec.levels, rng)
    const levels: RgFlowLevel[] = cascade.map(({ level, grid, data: d }) => {
      let fit: CouplingFit | null = null
      let note: string | undefined
      try {
        fit = fitCouplings(d as Int8Array, spec.count, grid, spec.couplings)
        if (!fit.converged) note = 'The pseudo-likelihood fit did not converge: the level is nearly frozen.'
        else if (fit.runaway > 0)
          note =
            `Leaving out ${fit.runaway} of ${fit.blocks} blocks of samples left no finite fit: the fit hinges on ` +
            `a few samples, and its error bar comes from the other ${fit.blocks - fit.runaway}.`
      } catch (e) {
        note = `No fit on this level: ${(e as Error).message}.`
      }
      return {
        level,
        side: grid.Lx,
        fit,
        matched: grid.Lx >= 3 ? matchedCoupling(d, spec.count, grid) : null,
        ...(note ? { note } : {})
      }
    })
    points.push({ K, levels })
    sink.frame({ points: points.length, last: points[points.length - 1] })
  }
  return {
    L: spec.L,
    rule: spec.rule,
    b: spec.b,
    couplings: [...spec.couplings],
    points,
    fixedPoint: flowFixedPoints(points, spec.couplings)
  }
}

/**
 * The fixed points of a flow's points (any order) by the matched coupling and by the fit's
 * nearest coupling: where the first step's K′ − K changes sign (a merged cluster flow's too).
 */
export function flowFixedPoints(points: RgFlowPoint[], couplings: CouplingName[]): RgFlowResult['fixedPoint'] {
  const nearest = couplings.indexOf('nearest')
  const step = (pick: (l: RgFlowLevel) => { next: number; error: number } | null) =>
    flowFixedPoint(
      points.flatMap((p) => {
        const next = p.levels[1] ? pick(p.levels[1]) : null
        return next ? [{ K: p.K, ...next }] : []
      })
    )
  return {
    matched: step((l) => (l.matched ? { next: l.matched.K, error: l.matched.KError } : null)),
    fitted: step((l) => (l.fit?.converged ? { next: l.fit.K[nearest]!, error: l.fit.errors[nearest]! } : null))
  }
}
