import type { CustomSeriesOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemReturn, LineSeriesOption } from 'echarts'
import { integratedAutocorrelationTime } from '../../../src-core/stats'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import type { EChartsOption } from './echarts'

/**
 * Pure option builders for a dataset's charts: histograms of m = M/N and e = H/N, the
 * normalised autocorrelation function ρ(t) of H and |M| over the stored samples (Sokal's
 * window marked), and the connected correlation function C(r) along x and y.
 */

export interface Histogram {
  /** Bin edges [low, high) per bin; the last bin also holds its upper edge. */
  low: number[]
  high: number[]
  counts: number[]
  /** Finite values counted (equals Σ counts). */
  total: number
}

/** Bin count from the sample size: √n, kept between 10 and 60. */
export const defaultBins = (n: number): number => Math.min(60, Math.max(10, Math.ceil(Math.sqrt(n))))

/**
 * The common spacing of values that lie on a grid (m = M/N steps by 2/N, e by 4K/N on a uniform
 * lattice), or null. Binning in multiples of it, centred on the grid, avoids empty and doubled
 * bins from aliasing.
 */
export function detectQuantum(values: ArrayLike<number>, maxDistinct = 2000): number | null {
  const distinct = new Set<number>()
  for (let i = 0; i < values.length; i++) {
    if (Number.isFinite(values[i])) distinct.add(values[i]!)
    if (distinct.size > maxDistinct) return null
  }
  const sorted = [...distinct].sort((a, b) => a - b)
  if (sorted.length < 2) return null
  const scale = Math.max(Math.abs(sorted[0]!), Math.abs(sorted[sorted.length - 1]!), 1e-300)
  let d = Infinity
  for (let i = 1; i < sorted.length; i++) d = Math.min(d, sorted[i]! - sorted[i - 1]!)
  if (!(d > 1e-12 * scale)) return null
  for (let i = 1; i < sorted.length; i++) {
    const k = (sorted[i]! - sorted[0]!) / d
    if (Math.abs(k - Math.round(k)) > 1e-6 * Math.max(1, k)) return null
  }
  return d
}

/** Histogram of the finite values; with a quantum, bins are whole multiples of it, centred on the grid. */
export function histogram(values: ArrayLike<number>, options: { bins?: number; quantum?: number | null } = {}): Histogram {
  let min = Infinity
  let max = -Infinity
  let total = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) continue
    total++
    if (v < min) min = v
    if (v > max) max = v
  }
  if (total === 0) return { low: [], high: [], counts: [], total: 0 }
  const target = Math.max(1, Math.round(options.bins ?? defaultBins(total)))
  const q = options.quantum
  let start: number
  let width: number
  let bins: number
  if (q && q > 0) {
    const steps = Math.round((max - min) / q) + 1
    const per = Math.max(1, Math.ceil(steps / target))
    width = per * q
    start = min - q / 2
    bins = Math.ceil(steps / per)
  } else if (max === min) {
    width = 1e-3 * Math.max(1, Math.abs(min))
    start = min - width / 2
    bins = 1
  } else {
    width = (max - min) / target
    start = min
    bins = target
  }
  const counts = new Array<number>(bins).fill(0)
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (!Number.isFinite(v)) continue
    counts[Math.min(bins - 1, Math.max(0, Math.floor((v - start) / width + 1e-9)))]!++
  }
  return { low: counts.map((_, b) => start + b * width), high: counts.map((_, b) => start + (b + 1) * width), counts, total }
}

const perSite = (values: ArrayLike<number>, N: number): Float64Array => Float64Array.from(values as ArrayLike<number>, (v) => v / N)

/** Histogram of m = M/N (M = Σv steps by 2, so bins are multiples of 2/N). */
export function magnetisationHistogram(M: ArrayLike<number>, N: number, bins?: number): Histogram {
  return histogram(perSite(M, N), { bins, quantum: 2 / N })
}

/** Histogram of e = H/N (binned on the energy grid when the values lie on one). */
export function energyHistogram(H: ArrayLike<number>, N: number, bins?: number): Histogram {
  const e = perSite(H, N)
  return histogram(e, { bins, quantum: detectQuantum(e) })
}

function renderBar(_params: unknown, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const [x0, y0] = api.coord([api.value(0), api.value(2)])
  const [x1, y1] = api.coord([api.value(1), 0])
  return { type: 'rect', shape: { x: x0, y: y0, width: Math.max(1, x1 - x0 - 1), height: y1 - y0 }, style: { fill: api.visual('color') as string } }
}

export function histogramOption(h: Histogram, xName: string): EChartsOption {
  const series: CustomSeriesOption = {
    type: 'custom',
    name: 'samples',
    renderItem: renderBar as CustomSeriesOption['renderItem'],
    encode: { x: [0, 1], y: 2 },
    data: h.counts.map((c, b) => [h.low[b]!, h.high[b]!, c]),
    tooltip: {
      formatter: (p) => {
        const v = (p as { value: number[] }).value
        return `${xName} ∈ [${formatNumber(v[0]!, 5)}, ${formatNumber(v[1]!, 5)}): ${v[2]} samples`
      }
    }
  }
  return {
    animation: false,
    grid: { left: 56, right: 20, top: 20, bottom: 44 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: xName, nameLocation: 'middle', nameGap: 26, scale: true, axisLabel: { formatter: (v: number) => formatNumber(v, 3) } },
    yAxis: { type: 'value', name: 'samples', min: 0, minInterval: 1 },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series: [series]
  }
}

export function histogramCsv(h: Histogram, column: string): CsvTable {
  return { header: [`${column}_low`, `${column}_high`, 'count'], rows: h.counts.map((c, b) => [h.low[b]!, h.high[b]!, c]) }
}

export interface AcfCurve {
  key: string
  name: string
  /** ρ(0..) : up to Sokal's window from integratedAutocorrelationTime, then further lags for context. */
  rho: number[]
  window: number
  tau: number
  tauError: number
}

/** ρ(t) of a series with Sokal's window; shown to max(3·window, 20) lags (fewer for short series). */
export function autocorrelationCurve(key: string, label: string, series: ArrayLike<number>): AcfCurve | null {
  const n = series.length
  if (n < 2) return null
  const a = integratedAutocorrelationTime(series)
  const rho = Array.from(a.rho)
  const last = Math.min(n - 1, Math.max(3 * a.window, 20))
  if (a.variance > 0) {
    for (let t = rho.length; t <= last; t++) {
      let s = 0
      for (let i = 0; i + t < n; i++) s += (series[i]! - a.mean) * (series[i + t]! - a.mean)
      rho.push(s / (n - t) / a.variance)
    }
  }
  return { key, name: `${label}: τ_int = ${formatWithError(a.tauInt, a.error)}`, rho, window: a.window, tau: a.tauInt, tauError: a.error }
}

export function autocorrelationOption(curves: AcfCurve[]): EChartsOption {
  const series: LineSeriesOption[] = curves.map((c, i) => ({
    type: 'line',
    name: c.name,
    showSymbol: c.rho.length <= 60,
    symbolSize: 4,
    animation: false,
    data: c.rho.map((r, t) => [t, r]),
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      lineStyle: { type: 'dashed', width: 1 },
      // Alternate ends so two windows at the same lag keep readable labels.
      label: { formatter: `window M = ${c.window}`, position: i % 2 === 0 ? 'insideEndTop' : 'insideMiddleBottom' },
      data: [{ xAxis: c.window, name: 'window' }]
    }
  }))
  return {
    animation: false,
    grid: { left: 56, right: 24, top: 36, bottom: 44 },
    legend: { top: 4 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 4) : String(v)) },
    xAxis: { type: 'value', name: 'lag t (samples)', nameLocation: 'middle', nameGap: 26, min: 0, minInterval: 1 },
    yAxis: { type: 'value', name: 'ρ(t)', max: 1 },
    series
  }
}

export function autocorrelationCsv(curves: AcfCurve[]): CsvTable {
  const lags = Math.max(0, ...curves.map((c) => c.rho.length))
  const rows = Array.from({ length: lags }, (_, t) => [t, ...curves.map((c) => c.rho[t] ?? Number.NaN)])
  return { header: ['lag', ...curves.map((c) => `rho_${c.key}`)], rows }
}

export interface CorrelationData {
  x: ArrayLike<number> | null
  y: ArrayLike<number> | null
}

export const hasCorrelation = (c: CorrelationData | null | undefined): c is CorrelationData => !!c && ((c.x?.length ?? 0) > 0 || (c.y?.length ?? 0) > 0)

export function correlationOption(c: CorrelationData): EChartsOption {
  const line = (name: string, v: ArrayLike<number>): LineSeriesOption => ({
    type: 'line',
    name,
    symbolSize: 4,
    animation: false,
    data: Array.from(v, (value, r) => [r, value])
  })
  const series: LineSeriesOption[] = []
  if (c.x?.length) series.push(line('along x', c.x))
  if (c.y?.length) series.push(line('along y', c.y))
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 36, bottom: 44 },
    legend: { top: 4 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 4) : String(v)) },
    xAxis: { type: 'value', name: 'distance r', nameLocation: 'middle', nameGap: 26, min: 0, minInterval: 1 },
    yAxis: { type: 'value', name: 'C(r) = ⟨v₀v_r⟩ − ⟨v₀⟩⟨v_r⟩', scale: true },
    series
  }
}

export function correlationCsv(c: CorrelationData): CsvTable {
  const n = Math.max(c.x?.length ?? 0, c.y?.length ?? 0)
  return { header: ['r', 'C_x', 'C_y'], rows: Array.from({ length: n }, (_, r) => [r, c.x?.[r] ?? Number.NaN, c.y?.[r] ?? Number.NaN]) }
}

// ── The saved summary (project JSON: any part may be missing) and its table rows.

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
  { key: 'chi', label: 'χ = N(⟨m²⟩−⟨m⟩²)' },
  { key: 'chiAbs', label: 'χ′ = N(⟨m²⟩−⟨|m|⟩²)' },
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
const est = (v: unknown): Est | null => (isObj(v) && finite(v.value) !== null ? { value: v.value as number, error: finite(v.error) ?? Number.NaN } : null)
const numbers = (v: unknown): number[] | null =>
  Array.isArray(v) ? v.map((x) => (typeof x === 'number' ? x : Number.NaN)) : isObj(v) ? Object.keys(v).sort((a, b) => +a - +b).map((k) => Number(v[k])) : null

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
    if (isObj(t) && finite(t.value) !== null) tau[key] = { value: t.value as number, error: finite(t.error) ?? Number.NaN, window: finite(t.window) ?? Number.NaN, reliable: t.reliable !== false }
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
    equilibration: isObj(eq) && typeof eq.ok === 'boolean' ? { ok: eq.ok, message: typeof eq.message === 'string' ? eq.message : '' } : null,
    correlation: hasCorrelation(correlation) ? correlation : null,
    xi: est(outer.xi),
    tauIntSweeps: finite(outer.tauIntSweeps),
    totalSweeps: finite(outer.totalSweeps)
  }
}
