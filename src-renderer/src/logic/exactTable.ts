/**
 * The numbers of an exact solution as the exact view shows and exports them: every observable
 * with the method that gave it, Onsager's infinite-lattice value beside it where that applies,
 * and rounding residue (|x| below 1e-12 of the observable's scale) shown as 0, never 3.7×10⁻¹⁸.
 */
import type { ModelData } from '@core/lattice/data'
import {
  onsagerEnergyPerSpin,
  onsagerFreeEnergy,
  onsagerSpecificHeat,
  onsagerSpontaneousMagnetization
} from '@core/ising/onsager'
import type { ProjectAnalysis } from '@shared/project/types'
import { CHI_ABS_LABEL, CHI_LABEL } from './susceptibility'

export const EXACT_ROWS: { key: string; label: string }[] = [
  { key: 'lnZ', label: 'ln Z' },
  { key: 'f', label: 'f = −ln Z/N' },
  { key: 'e', label: 'e = ⟨H⟩/N' },
  { key: 'c', label: 'c = Var(H)/N' },
  { key: 'm', label: 'm = ⟨Σv⟩/N' },
  { key: 'absM', label: '|m| = ⟨|Σv|⟩/N' },
  { key: 'm2', label: 'm² = ⟨(Σv)²⟩/N²' },
  { key: 'chi', label: CHI_LABEL },
  { key: 'chiAbs', label: CHI_ABS_LABEL }
]

/** Human names of the exact methods. */
export const EXACT_METHOD_NAMES: Record<string, string> = {
  enumeration: 'enumeration',
  'transfer-matrix-1d': '1D transfer matrix',
  'strip-transfer-matrix': 'strip transfer matrix',
  kaufman: 'Kaufman’s formula'
}
export const methodName = (id: string): string => EXACT_METHOD_NAMES[id] ?? id

/** Below this fraction of the observable's scale a value is rounding residue. */
export const ZERO_FRACTION = 1e-12

/** The scale of an observable: per-spin values are O(1); ln Z grows with N. */
function scaleOf(key: string, result: Record<string, unknown>): number {
  if (key === 'lnZ') return Math.max(1, Math.abs(Number(result.lnZ) || 0))
  return 1
}

/** x, or 0 when |x| is below 1e-12 of `scale` (a symmetric m computed as 3.7×10⁻¹⁸). */
export function cleanZero(x: number, scale = 1): number {
  return Math.abs(x) < ZERO_FRACTION * Math.abs(scale) ? 0 : x
}

/**
 * The coupling K of a uniform ferromagnetic square lattice (no diagonals) in zero field, the
 * model whose N → ∞ limit Onsager solved (SCIENCE.md §5); null for any other model.
 */
export function onsagerCoupling(model: ModelData): number | null {
  const { lattice, uniform } = model
  if (lattice.kind !== 'square' || lattice.diagonals) return null
  const K = uniform.K
  const Kx = uniform.Kx ?? K
  const Ky = uniform.Ky ?? K
  if (!(K > 0) || Kx !== K || Ky !== K || uniform.h !== 0) return null
  if (model.fields && model.fields.some((h) => h !== 0)) return null
  if (model.couplings && model.couplings.some((k) => k !== K)) return null
  return K
}

/** Onsager's (and Yang's for |m|) infinite-lattice value of an observable at K, where one exists. */
export function onsagerValue(key: string, K: number): number | null {
  switch (key) {
    case 'f':
      return -onsagerFreeEnergy(K)
    case 'e':
      return K * onsagerEnergyPerSpin(K)
    case 'c':
      return onsagerSpecificHeat(K)
    case 'absM':
      return onsagerSpontaneousMagnetization(K)
    default:
      return null
  }
}

export interface ExactRow {
  key: string
  label: string
  value: number
  method: string
  infinite: number | null
}

/** The rows of an exact analysis: observables it holds, each with its method and Onsager's value. */
export function exactRows(analysis: ProjectAnalysis): ExactRow[] {
  const result = (analysis.result ?? {}) as Record<string, unknown>
  const by = (typeof result.supplementedBy === 'object' && result.supplementedBy) || {}
  const K = typeof analysis.spec.onsagerK === 'number' ? analysis.spec.onsagerK : null
  return EXACT_ROWS.filter(({ key }) => typeof result[key] === 'number').map(({ key, label }) => ({
    key,
    label,
    value: cleanZero(result[key] as number, scaleOf(key, result)),
    method: methodName(String((by as Record<string, string>)[key] ?? result.method)),
    infinite: K === null ? null : onsagerValue(key, K)
  }))
}

/** CSV of the observables: name, value (full precision), method, infinite-lattice value. */
export function exactCsv(rows: ExactRow[]): string {
  const cell = (v: string | number | null) =>
    v === null ? '' : typeof v === 'number' ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
  const lines = ['observable,value,method,infinite_lattice']
  for (const r of rows) lines.push([r.key, r.value, r.method, r.infinite].map(cell).join(','))
  return lines.join('\r\n') + '\r\n'
}

/** JSON of the whole solution: observables, their methods, and the per-site arrays when kept. */
export function exactJson(
  analysis: ProjectAnalysis,
  rows: ExactRow[],
  arrays: Record<string, ArrayLike<number> | undefined>
): string {
  const out: Record<string, unknown> = {
    name: analysis.name,
    method: analysis.result?.method,
    N: analysis.result?.N,
    observables: Object.fromEntries(
      rows.map((r) => [r.key, { value: r.value, method: r.method, infinite: r.infinite }])
    )
  }
  for (const [name, values] of Object.entries(arrays)) if (values) out[name] = Array.from(values)
  return JSON.stringify(out, null, 2)
}

/** The `count` most probable configurations of P(v), as (bit pattern, probability), largest first. */
export function topConfigurations(distribution: ArrayLike<number>, count: number): { pattern: number; p: number }[] {
  const all = Array.from(distribution, (p, pattern) => ({ pattern, p }))
  return all.sort((a, b) => b.p - a.p || a.pattern - b.pattern).slice(0, count)
}

/** "Exact solution of M", or with " (2)", " (3)"… when that name is taken. */
export function uniqueName(base: string, taken: Iterable<string>): string {
  const names = new Set(taken)
  if (!names.has(base)) return base
  let k = 2
  while (names.has(`${base} (${k})`)) k++
  return `${base} (${k})`
}
