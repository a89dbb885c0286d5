import type { SweepPoint } from '@core/jobs/isingSweep'
import type { Estimate } from '@core/stats'
import type { CsvTable } from '../logic/download'

// A parameter sweep as saved (its spec and points), read defensively, and the table of its points;
// the charts and their exact references are in sweepOptions.ts.

export interface SweepData {
  /** Field of the sweep; null when the saved spec does not say (then no exact overlays). */
  h: number | null
  algorithm: string | null
  burnIn: number | null
  sweeps: number | null
  Ls: number[]
  points: SweepPoint[]
}

const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN)
function estimate(v: unknown): Estimate {
  const o = (v ?? {}) as Partial<Estimate>
  return { value: num(o.value), error: num(o.error) }
}

/** Reads a saved sweep analysis defensively: malformed points are dropped, missing estimates become NaN. */
export function readSweep(analysis: { spec?: Record<string, unknown>; result?: Record<string, unknown> }): SweepData {
  const spec = (analysis.spec ?? {}) as Record<string, unknown>
  const raw = (analysis.result as { points?: unknown } | undefined)?.points
  const points: SweepPoint[] = []
  for (const p of Array.isArray(raw) ? raw : []) {
    const o = (p ?? {}) as Record<string, unknown>
    if (!Number.isInteger(o.L) || !Number.isFinite(o.K)) continue
    points.push({
      L: o.L as number,
      K: o.K as number,
      e: estimate(o.e),
      c: estimate(o.c),
      m: estimate(o.m),
      absM: estimate(o.absM),
      m2: estimate(o.m2),
      chi: estimate(o.chi),
      chiAbs: estimate(o.chiAbs),
      u4: estimate(o.u4),
      tauE: num(o.tauE),
      tauAbsM: num(o.tauAbsM),
      equilibrated: o.equilibrated === true,
      acceptance: num(o.acceptance)
    })
  }
  const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
  return {
    h: finite(spec.h),
    algorithm: typeof spec.algorithm === 'string' ? spec.algorithm : null,
    burnIn: finite(spec.burnIn),
    sweeps: finite(spec.sweeps),
    Ls: [...new Set(points.map((p) => p.L))].sort((a, b) => a - b),
    points
  }
}

/** Points of one size, sorted by K. */
export function pointsOfSize(points: readonly SweepPoint[], L: number): SweepPoint[] {
  return points.filter((p) => p.L === L).sort((a, b) => a.K - b.K)
}

/** A coupling as given, without padding zeros: 0.42 → "0.42", 0.4406868 → "0.440687". */
export const formatK = (K: number): string => (Number.isFinite(K) ? String(Number(K.toPrecision(6))) : '—')

const TABLE_ESTIMATES = ['e', 'c', 'm', 'absM', 'm2', 'chi', 'chiAbs', 'u4'] as const

/** CSV of every point: estimates with their errors, τ_int, equilibration (1/0) and acceptance. */
export function sweepTableCsv(data: SweepData): CsvTable {
  const header = [
    'L',
    'K',
    ...TABLE_ESTIMATES.flatMap((k) => [k, `${k}_error`]),
    'tau_e',
    'tau_absM',
    'equilibrated',
    'acceptance'
  ]
  const rows = data.Ls.flatMap((L) =>
    pointsOfSize(data.points, L).map((p) => [
      p.L,
      p.K,
      ...TABLE_ESTIMATES.flatMap((k) => [p[k].value, p[k].error]),
      p.tauE,
      p.tauAbsM,
      p.equilibrated ? 1 : 0,
      p.acceptance
    ])
  )
  return { header, rows }
}
