import type { MappingSummary } from '@core/jobs/mapping'
import type { CouplingRow } from '@core/rg/couplingTable'
import type { Decimation1dStep } from '@core/rg/decimation1d'
import type { LambdaScanPoint } from '@core/rg/lambdaScan'

/**
 * A saved mapping analysis read back (shared/project/rgRecords.ts stores the MappingResult of
 * src-core/jobs/mapping.ts as JSON, typed arrays as lists, non-finite numbers as null). Read
 * defensively: a malformed field becomes empty or NaN rather than an exception in the view.
 */

export type ScanPoint = Omit<LambdaScanPoint, 'rows'>

export interface Residuals {
  values: number[]
  counts: number[]
  probabilities: number[]
}

export interface MappingData {
  /** MappingSpec['preset'] as saved (null when absent). */
  preset: string | null
  title: string
  spec: Record<string, unknown>
  summary: MappingSummary
  HRG: number[]
  HRBM: number[] | null
  couplings: { rg: CouplingRow[]; rbm: CouplingRow[] | null; majority: CouplingRow[] | null }
  residuals: Residuals
  flow: Decimation1dStep[] | null
  scan: ScanPoint[] | null
  /** Columns of the coarse lattice, for drawing a configuration h (1 for a chain). */
  hiddenColumns: number
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : Number.NaN)
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])
const numbers = (v: unknown): number[] => list(v).map(num)
const optional = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined)

function rows(v: unknown): CouplingRow[] {
  return list(v).map((r) => {
    const o = obj(r)
    return {
      order: num(o.order),
      shape: typeof o.shape === 'string' ? o.shape : '?',
      key: typeof o.key === 'string' ? o.key : '',
      count: num(o.count),
      value: num(o.value),
      spread: num(o.spread),
      example: num(o.example)
    }
  })
}

/** Columns of the coarse lattice each preset maps to (square presets are 2×2, a kernel's follows its model). */
function hiddenColumns(preset: MappingData['preset'], spec: Record<string, unknown>): number {
  if (preset === 'lin-tegmark' || preset === 'block-2x2') return 2
  if (preset !== 'kernel') return 1
  const lattice = obj(obj(spec.model).lattice)
  const b = num(spec.b)
  if (lattice.kind !== 'square' || !(b >= 1)) return 1
  return Math.max(1, Math.ceil(num(lattice.Lx) / b) || 1)
}

export function readMapping(analysis: {
  spec?: Record<string, unknown>
  result?: Record<string, unknown>
}): MappingData {
  const r = obj(analysis.result)
  const spec = obj(analysis.spec)
  const s = obj(r.summary)
  const preset = typeof r.preset === 'string' ? r.preset : null
  const couplings = obj(r.couplings)
  const residuals = obj(r.residuals)
  const summary: MappingSummary = { deltaF: num(s.deltaF), traceResidual: num(s.traceResidual) }
  for (const key of ['maxHDiff', 'kl', 'traceResidualNormalised', 'maxEq22'] as const) {
    const value = optional(s[key])
    if (value !== undefined) summary[key] = value
  }
  return {
    preset,
    title: typeof r.title === 'string' ? r.title : '',
    spec,
    summary,
    HRG: numbers(r.HRG),
    HRBM: Array.isArray(r.HRBM) ? numbers(r.HRBM) : null,
    couplings: {
      rg: rows(couplings.rg),
      rbm: Array.isArray(couplings.rbm) ? rows(couplings.rbm) : null,
      majority: Array.isArray(couplings.majority) ? rows(couplings.majority) : null
    },
    residuals: {
      values: numbers(residuals.values),
      counts: numbers(residuals.counts),
      probabilities: numbers(residuals.probabilities)
    },
    flow: Array.isArray(r.flow)
      ? list(r.flow).map((x) => ({ K: num(obj(x).K), h: num(obj(x).h), lnA: num(obj(x).lnA) }))
      : null,
    scan: Array.isArray(r.scan)
      ? list(r.scan).map((x) => {
          const o = obj(x)
          return {
            lambda: num(o.lambda),
            deltaF: num(o.deltaF),
            traceResidual: num(o.traceResidual),
            nearest: num(o.nearest),
            diagonal: num(o.diagonal),
            plaquette: num(o.plaquette),
            reach: num(o.reach)
          }
        })
      : null,
    hiddenColumns: hiddenColumns(preset, spec)
  }
}

/**
 * A hidden configuration drawn in text: bit j of `index` is h_j = +1 (the engine's indexing),
 * ↑ for +1 and ↓ for −1, rows of `columns` separated by " / ".
 */
export function hiddenConfiguration(index: number, M: number, columns = 1): string {
  const spins = Array.from({ length: M }, (_, j) => ((index >> j) & 1 ? '↑' : '↓'))
  if (columns <= 1 || columns >= M) return spins.join('')
  const out: string[] = []
  for (let i = 0; i < M; i += columns) out.push(spins.slice(i, i + columns).join(''))
  return out.join(' / ')
}

/** Coupling rows largest |J| first, the constant J_∅ (a free-energy shift) last. */
export function sortedCouplings(table: readonly CouplingRow[]): CouplingRow[] {
  const constant = table.filter((r) => r.order === 0)
  const rest = table.filter((r) => r.order !== 0).sort((a, b) => Math.abs(b.value) - Math.abs(a.value))
  return [...rest, ...constant]
}
