import type { Estimate } from '@core/stats/summary'
import { readFit, readMatched, readObservables } from './rgOptions'
import type { CouplingFitView, LevelObservablesView, MatchedView } from './rgOptions'

/**
 * Pure readers and chart options for an RG-vs-DBN comparison (a 'compare' analysis, result =
 * CompareResult of core/jobs/compareRgDbn.ts saved as JSON: typed arrays became lists, NaN null).
 * Distances are in sites of the data lattice on both sides, so block spins (r · bˡ) and units
 * (distance of receptive-field centroids) share one axis.
 */

export interface CompareDbnView {
  units: number
  x: number[]
  y: number[]
  size: number[]
  block: number[]
  overlap: number[]
  sizeHistogram: number[]
  mHistogram: number[]
  correlationByDistance: { r: number; c: number; pairs: number }[]
  reconstructionFit: CouplingFitView | null
}
export interface CompareLevelView {
  level: number
  blockSide: number
  rg: { Lx: number; Ly: number; observables: LevelObservablesView | null; fit: CouplingFitView | null }
  dbn: CompareDbnView
  similarity: { information: number; informationError: number; klM: number }
}
export interface CompareFlowView {
  K: number
  rbm: { step: number; matched: MatchedView | null }[]
  rg: MatchedView | null
}
export interface CompareView {
  levels: CompareLevelView[]
  flow: CompareFlowView[]
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN)
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(num) : [])
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

export function readCompare(analysis: { result?: unknown }): CompareView {
  const r = obj(analysis.result)
  const levels = list(r.levels).map((raw, i): CompareLevelView => {
    const o = obj(raw)
    const rg = obj(o.rg)
    const d = obj(o.dbn)
    const s = obj(o.similarity)
    return {
      level: Number.isInteger(o.level) ? (o.level as number) : i + 1,
      blockSide: num(o.blockSide),
      rg: { Lx: num(rg.Lx), Ly: num(rg.Ly), observables: readObservables(rg.observables), fit: readFit(rg.fit) },
      dbn: {
        units: num(d.units),
        x: nums(d.x),
        y: nums(d.y),
        size: nums(d.size),
        block: nums(d.block),
        overlap: nums(d.overlap),
        sizeHistogram: nums(d.sizeHistogram),
        mHistogram: nums(d.mHistogram),
        correlationByDistance: list(d.correlationByDistance).map((p) => ({
          r: num(obj(p).r),
          c: num(obj(p).c),
          pairs: num(obj(p).pairs)
        })),
        reconstructionFit: readFit(d.reconstructionFit)
      },
      similarity: { information: num(s.information), informationError: num(s.informationError), klM: num(s.klM) }
    }
  })
  const flow = list(r.flow).map((raw): CompareFlowView => {
    const o = obj(raw)
    return {
      K: num(o.K),
      rbm: list(o.rbm).map((p) => ({ step: num(obj(p).step), matched: readMatched(obj(p).matched) })),
      rg: readMatched(o.rg)
    }
  })
  return { levels, flow }
}

/** One coupling per row: block spins' K ± σ and the DBN reconstructions' K ± σ, per level. */
export interface CompareCouplingRow {
  name: string
  values: { rg: Estimate | null; dbn: Estimate | null }[]
}
export function compareCouplingRows(levels: readonly CompareLevelView[]): CompareCouplingRow[] {
  const names = [
    ...new Set(levels.flatMap((l) => [...(l.rg.fit?.couplings ?? []), ...(l.dbn.reconstructionFit?.couplings ?? [])]))
  ]
  const pick = (fit: CouplingFitView | null, name: string): Estimate | null => {
    const i = fit?.couplings.indexOf(name) ?? -1
    return i < 0 ? null : { value: fit!.K[i]!, error: fit!.errors[i]! }
  }
  return names.map((name) => ({
    name,
    values: levels.map((l) => ({ rg: pick(l.rg.fit, name), dbn: pick(l.dbn.reconstructionFit, name) }))
  }))
}
