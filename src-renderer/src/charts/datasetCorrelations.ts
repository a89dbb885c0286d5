import type { LineSeriesOption } from 'echarts'
import { integratedAutocorrelationTime } from '@core/stats'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import type { EChartsOption } from './echarts'

/**
 * Pure option builders for a dataset's correlation charts: the normalised autocorrelation
 * function ρ(t) of H and |M| over the stored samples (Sokal's window marked), and the connected
 * correlation function C(r) along x and y.
 */

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
  return {
    key,
    name: `${label}: τ_int = ${formatWithError(a.tauInt, a.error)}`,
    rho,
    window: a.window,
    tau: a.tauInt,
    tauError: a.error
  }
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

export const hasCorrelation = (c: CorrelationData | null | undefined): c is CorrelationData =>
  !!c && ((c.x?.length ?? 0) > 0 || (c.y?.length ?? 0) > 0)

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
  return {
    header: ['r', 'C_x', 'C_y'],
    rows: Array.from({ length: n }, (_, r) => [r, c.x?.[r] ?? Number.NaN, c.y?.[r] ?? Number.NaN])
  }
}
