import type { Estimate } from '@core/stats/summary'
import { readFit, readMatched, type CouplingFitView, type MatchedView } from './rgOptions'

/** Readers of a saved RG flow (rg.flow): its points, their levels' couplings, and the first step K → K′. */

export interface FlowLevelView {
  level: number
  side: number
  fit: CouplingFitView | null
  matched: MatchedView | null
  /** What the job said about this level's fit (no finite fit in some jackknife blocks, no convergence). */
  note: string | null
}
export interface FlowView {
  L: number
  rule: string
  b: number
  couplings: string[]
  points: { K: number; levels: FlowLevelView[] }[]
  fixedPoint: { matched: Estimate | null; fitted: Estimate | null }
}
/** Which measure of a level's nearest coupling: the pseudo-likelihood fit or the matched correlation. */
export type FlowMeasure = 'fitted' | 'matched'

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const fixed = (v: unknown): Estimate | null => {
  const o = obj(v)
  return typeof o.K === 'number' ? { value: o.K, error: typeof o.error === 'number' ? o.error : Number.NaN } : null
}

export function readFlow(analysis: { result?: Record<string, unknown> }): FlowView {
  const r = obj(analysis.result)
  const fp = obj(r.fixedPoint)
  return {
    L: Number(r.L),
    rule: String(r.rule ?? '—'),
    b: Number(r.b),
    couplings: Array.isArray(r.couplings) ? r.couplings.map(String) : [],
    points: (Array.isArray(r.points) ? r.points : []).map((p) => {
      const o = obj(p)
      return {
        K: Number(o.K),
        levels: (Array.isArray(o.levels) ? o.levels : []).map((l, i) => {
          const lo = obj(l)
          return {
            level: Number.isInteger(lo.level) ? (lo.level as number) : i,
            side: Number(lo.side),
            fit: readFit(lo.fit),
            matched: readMatched(lo.matched),
            note: typeof lo.note === 'string' && lo.note ? lo.note : null
          }
        })
      }
    }),
    fixedPoint: { matched: fixed(fp.matched), fitted: fixed(fp.fitted) }
  }
}

/**
 * A level's coupling `name` by the fit (or, for 'nearest' and the matched measure, by matching).
 * A fit that did not converge (its couplings running off to infinity) gives none.
 */
export function levelCoupling(l: FlowLevelView | undefined, name: string, measure: FlowMeasure): Estimate | null {
  if (!l) return null
  if (measure === 'matched' && name === 'nearest')
    return l.matched ? { value: l.matched.K, error: l.matched.KError } : null
  if (!l.fit?.converged) return null
  const i = l.fit.couplings.indexOf(name)
  return i < 0 ? null : { value: l.fit!.K[i]!, error: l.fit!.errors[i]! }
}

/** Every level's note, with the starting K and the level it belongs to, in the flow's order. */
export function flowNotes(flow: FlowView): { K: number; level: number; side: number; note: string }[] {
  return flow.points.flatMap((p) =>
    p.levels.flatMap((l) => (l.note ? [{ K: p.K, level: l.level, side: l.side, note: l.note }] : []))
  )
}

/**
 * The steps n = 1, 2, …: points (K⁽ⁿ⁻¹⁾, K⁽ⁿ⁾) of the nearest coupling, with K⁽⁰⁾ the starting K
 * (exact) and later K⁽ⁿ⁻¹⁾ measured; the error bar is K⁽ⁿ⁾'s. By the fit, a point carries the
 * note of level n's fit when it has one.
 */
export function flowSteps(
  flow: FlowView,
  measure: FlowMeasure
): { step: number; points: { K: number; next: number; error: number; note?: string }[] }[] {
  const steps = Math.max(0, ...flow.points.map((p) => p.levels.length - 1))
  return Array.from({ length: steps }, (_, s) => ({
    step: s + 1,
    points: flow.points.flatMap((p) => {
      const before = s === 0 ? { value: p.K, error: 0 } : levelCoupling(p.levels[s], 'nearest', measure)
      const after = levelCoupling(p.levels[s + 1], 'nearest', measure)
      return before && after && Number.isFinite(before.value) && Number.isFinite(after.value)
        ? [
            {
              K: before.value,
              next: after.value,
              error: after.error,
              ...(measure === 'fitted' && p.levels[s + 1]?.note ? { note: p.levels[s + 1]!.note! } : {})
            }
          ]
        : []
    })
  }))
}
