import { formatCount, formatNumber } from '../logic/format'
import { CHI_ABS_LABEL, CHI_LABEL } from '../logic/susceptibility'
import { hasCorrelation, type CorrelationData } from './datasetCorrelations'

/**
 * A dataset's saved summary (project JSON: any part may be missing) read into what the dataset
 * view shows, and the table rows' labels.
 */

export type ObservableKey = 'e' | 'm' | 'absM' | 'm2' | 'c' | 'chi' | 'chiAbs' | 'u4'
export type SeriesKey = 'H' | 'M' | 'absM' | 'M2'
type Est = { value: number; error: number }
type Tau = { value: number; error: number; window: number; reliable: boolean }

export interface DatasetSummaryView {
  n: number | null
  estimates: Partial<Record<ObservableKey, Est>>
  tau: Partial<Record<SeriesKey, Tau>>
  ess: Partial<Record<SeriesKey, number>>
  equilibration: { ok: boolean; message: string } | null
  correlation: CorrelationData | null
  xi: Est | null
  tauIntSweeps: number | null
  totalSweeps: number | null
}

export const OBSERVABLES: { key: ObservableKey; label: string }[] = [
  { key: 'e', label: 'e = ⟨H⟩/N' },
  { key: 'm', label: 'm = ⟨Σv⟩/N' },
  { key: 'absM', label: '|m| = ⟨|Σv|⟩/N' },
  { key: 'm2', label: 'm² = ⟨(Σv)²⟩/N²' },
  { key: 'c', label: 'c = Var(H)/N' },
  { key: 'chi', label: CHI_LABEL },
  { key: 'chiAbs', label: CHI_ABS_LABEL },
  { key: 'u4', label: 'Binder U4 = 1 − ⟨m⁴⟩/(3⟨m²⟩²)' }
]
export const SERIES: { key: SeriesKey; label: string }[] = [
  { key: 'H', label: 'H' },
  { key: 'M', label: 'M = Σv' },
  { key: 'absM', label: '|M|' },
  { key: 'M2', label: 'M²' }
]

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const finite = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null)
const est = (v: unknown): Est | null =>
  isObj(v) && finite(v.value) !== null ? { value: v.value as number, error: finite(v.error) ?? Number.NaN } : null
const numbers = (v: unknown): number[] | null =>
  Array.isArray(v)
    ? v.map((x) => (typeof x === 'number' ? x : Number.NaN))
    : isObj(v)
      ? Object.keys(v)
          .sort((a, b) => +a - +b)
          .map((k) => Number(v[k]))
      : null

/** Reads `meta.summary` as saved: { summary: McSummary, correlation, xi, tauIntSweeps, totalSweeps } (or a bare McSummary). */
export function readDatasetSummary(raw: unknown): DatasetSummaryView {
  const outer = isObj(raw) ? raw : {}
  const s = isObj(outer.summary) ? outer.summary : 'e' in outer ? outer : {}
  const estimates: DatasetSummaryView['estimates'] = {}
  for (const { key } of OBSERVABLES) {
    const e = est(s[key])
    if (e) estimates[key] = e
  }
  const tau: DatasetSummaryView['tau'] = {}
  const ess: DatasetSummaryView['ess'] = {}
  for (const { key } of SERIES) {
    const t = isObj(s.tauInt) ? s.tauInt[key] : undefined
    if (isObj(t) && finite(t.value) !== null)
      tau[key] = {
        value: t.value as number,
        error: finite(t.error) ?? Number.NaN,
        window: finite(t.window) ?? Number.NaN,
        reliable: t.reliable !== false
      }
    const n = isObj(s.ess) ? finite(s.ess[key]) : null
    if (n !== null) ess[key] = n
  }
  const eq = s.equilibration
  const corr = outer.correlation
  const correlation = isObj(corr) ? { x: numbers(corr.x), y: numbers(corr.y) } : null
  return {
    n: finite(s.n),
    estimates,
    tau,
    ess,
    equilibration:
      isObj(eq) && typeof eq.ok === 'boolean'
        ? { ok: eq.ok, message: typeof eq.message === 'string' ? eq.message : '' }
        : null,
    correlation: hasCorrelation(correlation) ? correlation : null,
    xi: est(outer.xi),
    tauIntSweeps: finite(outer.tauIntSweeps),
    totalSweeps: finite(outer.totalSweeps)
  }
}

export interface Fact {
  key: string
  label: string
  text: string
  /** Shown as a warning (the pilot was too short to trust its τ_int). */
  warn?: boolean
}

const PILOT_LABELS = { e: 'e', m: 'm', absM: '|m|' } as const
type PilotKey = keyof typeof PILOT_LABELS

/**
 * The facts about how `thin` was chosen: τ_int of the pilot (which observable's set the
 * thinning, and the others'), and the pilot's length, cap and reliability when recorded.
 * `savedTau` is the summary's tauIntSweeps, for datasets whose record lacks tauInt.
 */
export function thinningFacts(meta: { tauInt?: unknown; thinning?: unknown }, savedTau: number | null): Fact[] {
  const fmt = (v: number) => formatNumber(v, 3)
  const t = isObj(meta.thinning) ? meta.thinning : null
  const taus = t && isObj(t.tauSweeps) ? t.tauSweeps : null
  const setBy = t && typeof t.setBy === 'string' && t.setBy in PILOT_LABELS ? (t.setBy as PilotKey) : null
  const lead = setBy && taus ? finite(taus[setBy]) : null
  if (t && taus && setBy && lead !== null) {
    const others = (Object.keys(PILOT_LABELS) as PilotKey[])
      .filter((k) => k !== setBy && finite(taus[k]) !== null)
      .map((k) => `${PILOT_LABELS[k]} ${fmt(taus[k] as number)}`)
    const pilot = finite(t.pilotSweeps)
    const cap = finite(t.pilotMaxSweeps)
    const reliable = t.reliable === true
    const length = pilot === null ? '—' : formatCount(pilot)
    const capText = cap === null ? '' : ` of at most ${formatCount(cap)}`
    return [
      {
        key: 'tau',
        label: 'τ_int of the pilot (sweeps)',
        text: `${fmt(lead)} of ${PILOT_LABELS[setBy]} (sets thin)${others.length ? `; ${others.join(', ')}` : ''}`
      },
      {
        key: 'pilot',
        label: 'pilot (sweeps)',
        text: reliable
          ? `${length}${capText}: τ_int reliable (≥ 100 τ_int)`
          : `${length}, its cap: τ_int not reliable (< 100 τ_int), thin may be too short`,
        warn: !reliable
      }
    ]
  }
  const tau = finite(meta.tauInt) ?? savedTau
  return [
    { key: 'tau', label: 'τ_int of the pilot (sweeps)', text: tau === null ? 'not measured (thin fixed)' : fmt(tau) }
  ]
}
