import type { LineSeriesOption, MarkAreaComponentOption, MarkLineComponentOption } from 'echarts'
import { binderCrossings, type BinderCrossing } from '@core/ising/binder'
import { kaufmanTorus } from '@core/ising/exact/kaufman'
import { KC, onsagerSpecificHeat } from '@core/ising/onsager'
import type { SweepPoint } from '@core/jobs/isingSweep'
import type { Estimate } from '@core/stats'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import { CHI_ABS_LABEL, CHI_LABEL } from '../logic/susceptibility'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { legendBelow } from './legendLayout'
import { onsagerAbsMReference, onsagerEnergyReference } from './liveOptions'
import { formatK, pointsOfSize, type SweepData } from './sweepData'

/**
 * Pure option builders for a parameter sweep (observables against K, one curve per L, with
 * error bars) and its exact references, drawn as thin dashed labelled lines in zero field only:
 * Onsager's L → ∞ curves for e = K·u, c and |m|, and Kaufman's finite periodic L×L torus for e
 * and c (SCIENCE.md §1, §5).
 */

export type SweepQuantity = 'e' | 'c' | 'absM' | 'chi' | 'chiAbs' | 'u4'

export const SWEEP_QUANTITIES: Record<SweepQuantity, { title: string; axis: string }> = {
  e: { title: 'Energy per spin', axis: 'e = ⟨H⟩/N' },
  c: { title: 'Specific heat per spin', axis: 'c = Var(H)/N' },
  absM: { title: 'Magnetisation |m|', axis: '|m| = ⟨|Σv|⟩/N' },
  chi: { title: `Susceptibility ${CHI_LABEL}`, axis: CHI_LABEL },
  chiAbs: { title: `Susceptibility ${CHI_ABS_LABEL}`, axis: CHI_ABS_LABEL },
  u4: { title: 'Binder cumulant U4', axis: 'U4 = 1 − ⟨m⁴⟩/(3⟨m²⟩²)' }
}

/** Largest L for which finite-lattice exact curves are drawn. */
export const KAUFMAN_MAX_L = 128
export const ONSAGER_LABEL = 'Onsager (L → ∞)'
export const exactLabel = (L: number): string => `L = ${L} exact (Kaufman)`
export const seriesLabel = (L: number): string => `L = ${L} Monte Carlo`
/** Colours per lattice size, readable on light and dark panels. */
export const SIZE_COLORS = ['#3b82f6', '#e8590c', '#2f9e44', '#ae3ec9', '#0c8599', '#c2255c', '#a07d4f', '#5c7cfa']
const REFERENCE_COLOR = '#8a93a3'
const CROSSING_COLOR = '#d9480f'

/**
 * The exact curve of a size in the same hue as its Monte Carlo points but lighter (mixed halfway
 * with white, and dashed), so a point is never mistaken for the curve it is compared with.
 */
export function exactColor(color: string, t = 0.5): string {
  const n = parseInt(color.slice(1), 16)
  const mix = (c: number) => Math.round(c + (255 - c) * t)
  const rgb = [mix((n >> 16) & 255), mix((n >> 8) & 255), mix(n & 255)]
  return `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`
}

/** n evenly spaced couplings covering [a, b]. */
export function fineGrid(a: number, b: number, n = 241): number[] {
  if (!(b > a)) return [a]
  return Array.from({ length: n }, (_, i) => a + ((b - a) * i) / (n - 1))
}

/** Onsager's infinite-lattice value of `q` at K (zero field), or null where there is none or it diverges. */
export function onsagerReference(q: SweepQuantity, K: number): number | null {
  let v: number
  if (q === 'e') v = onsagerEnergyReference(K)
  else if (q === 'c') v = onsagerSpecificHeat(Math.abs(K))
  else if (q === 'absM') v = onsagerAbsMReference(K)
  else return null
  return Number.isFinite(v) ? v : null
}

/** Kaufman's exact e or c of the periodic L×L torus at K (zero field), or null where it does not apply. */
export function kaufmanReference(q: SweepQuantity, L: number, K: number): number | null {
  if ((q !== 'e' && q !== 'c') || L < 3 || L > KAUFMAN_MAX_L) return null
  try {
    const v = kaufmanTorus(L, L, K)[q]
    return v !== undefined && Number.isFinite(v) ? v : null
  } catch {
    return null // an odd torus at K < 0 is frustrated: no formula
  }
}

/** Exact references are drawn for the zero-field model only. */
export const hasExact = (data: SweepData): boolean => data.h === 0

/** A thin dashed exact curve; named in the legend, not labelled on the plot (labels there cover the data). */
function referenceSeries(name: string, data: [number, number | null][], color: string): LineSeriesOption {
  return {
    type: 'line',
    name,
    data,
    symbol: 'none',
    silent: false,
    animation: false,
    z: 0,
    color,
    lineStyle: { type: 'dashed', width: 1, opacity: 0.95, color },
    tooltip: { valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 6) : '—') }
  }
}

/** The dashed exact overlays for one chart (empty unless h = 0 and the quantity has an exact curve). */
export function exactOverlaySeries(data: SweepData, q: SweepQuantity, grid?: number[]): LineSeriesOption[] {
  if (!hasExact(data) || data.points.length === 0) return []
  const Ks = data.points.map((p) => p.K)
  const Kgrid = grid ?? fineGrid(Math.min(...Ks), Math.max(...Ks))
  const out: LineSeriesOption[] = []
  if (q === 'e' || q === 'c' || q === 'absM') {
    out.push(
      referenceSeries(
        ONSAGER_LABEL,
        Kgrid.map((K) => [K, onsagerReference(q, K)]),
        REFERENCE_COLOR
      )
    )
  }
  data.Ls.forEach((L, i) => {
    if ((q !== 'e' && q !== 'c') || L < 3 || L > KAUFMAN_MAX_L) return
    out.push(
      referenceSeries(
        exactLabel(L),
        Kgrid.map((K) => [K, kaufmanReference(q, L, K)]),
        exactColor(SIZE_COLORS[i % SIZE_COLORS.length]!)
      )
    )
  })
  return out
}

const estimateOf = (p: SweepPoint, q: SweepQuantity): Estimate => p[q]

/** The Monte Carlo curves: per L, markers with their I-beams, joined by a thin solid line. */
function measuredSeries(data: SweepData, q: SweepQuantity): (LineSeriesOption | ReturnType<typeof errorBarSeries>)[] {
  return data.Ls.flatMap((L, i) => {
    const color = SIZE_COLORS[i % SIZE_COLORS.length]!
    const pts = pointsOfSize(data.points, L).filter((p) => Number.isFinite(estimateOf(p, q).value))
    const name = seriesLabel(L)
    const line: LineSeriesOption = {
      type: 'line',
      name,
      color,
      symbol: 'circle',
      symbolSize: 6,
      z: 2,
      animation: false,
      lineStyle: { width: 1, color, opacity: 0.8 },
      data: pts.map((p) => [p.K, estimateOf(p, q).value, estimateOf(p, q).error]),
      tooltip: {
        formatter: (params) => {
          const v = (params as { value: number[] }).value
          return `${name}, K = ${formatK(v[0]!)}<br/>${SWEEP_QUANTITIES[q].axis} = ${formatWithError(v[1]!, v[2]!)}`
        }
      }
    }
    return [
      line,
      errorBarSeries(
        name,
        pts.map((p) => ({ x: p.K, y: estimateOf(p, q).value, error: estimateOf(p, q).error })),
        { color }
      )
    ]
  })
}

/** Significant digits of an error by the Particle Data Group rule: two when it starts with 10–35, else one. */
export function errorDigits(error: number): 1 | 2 {
  const lead = Math.floor(error / 10 ** (Math.floor(Math.log10(error)) - 2))
  return lead < 355 ? 2 : 1
}

/** "L = 8 and 16 cross at K = 0.4412 ± 0.0009". */
export function crossingText(c: BinderCrossing): string {
  const K =
    Number.isFinite(c.error) && c.error > 0 ? formatWithError(c.K, c.error, errorDigits(c.error)) : formatNumber(c.K, 5)
  return `L = ${c.L1} and ${c.L2} cross at K = ${K}`
}

export const CROSSINGS_SERIES = 'Binder crossings (± error)'
export const KC_LABEL = `exact Kc = ${KC.toFixed(6)}`

/**
 * The crossings' vertical marks with their ±error bands, and exact Kc in zero field, each on an
 * empty carrier series named in the legend: labels on the plot would sit on the U4 curves, which
 * all meet there (the crossings are listed under the charts, pair by pair).
 */
function crossingSeries(crossings: BinderCrossing[], zeroField: boolean): LineSeriesOption[] {
  const lines: NonNullable<MarkLineComponentOption['data']> = crossings.map((c) => ({
    xAxis: c.K,
    name: `${c.L1}∩${c.L2}`
  }))
  const bands: NonNullable<MarkAreaComponentOption['data']> = crossings
    .filter((c) => Number.isFinite(c.error) && c.error > 0)
    .map((c) => [{ xAxis: c.K - c.error }, { xAxis: c.K + c.error }])
  const carrier = (
    name: string,
    color: string,
    type: 'solid' | 'dashed',
    marks: NonNullable<MarkLineComponentOption['data']>
  ): LineSeriesOption => ({
    type: 'line',
    name,
    data: [],
    silent: true,
    color,
    lineStyle: { color, type, width: 1 },
    markLine: {
      silent: true,
      symbol: 'none',
      animation: false,
      label: { show: false },
      lineStyle: { type, width: 1, color },
      data: marks
    }
  })
  const out: LineSeriesOption[] = [
    {
      ...carrier(CROSSINGS_SERIES, CROSSING_COLOR, 'solid', lines),
      markArea: { silent: true, itemStyle: { color: 'rgba(217,72,15,0.12)' }, data: bands }
    }
  ]
  if (zeroField) out.push(carrier(KC_LABEL, REFERENCE_COLOR, 'dashed', [{ xAxis: KC, name: KC_LABEL }]))
  return out
}

export function sweepChartOption(data: SweepData, q: SweepQuantity, grid?: number[]): EChartsOption {
  const series: EChartsOption['series'] = [...exactOverlaySeries(data, q, grid), ...measuredSeries(data, q)]
  if (q === 'u4') series.push(...crossingSeries(binderCrossings(data.points), hasExact(data)))
  // Each size's Monte Carlo entry next to its exact curve's, then the references for all sizes.
  const present = new Set(series.map((s) => s.name as string))
  const names = [
    ...data.Ls.flatMap((L) => [seriesLabel(L), exactLabel(L)]),
    ONSAGER_LABEL,
    CROSSINGS_SERIES,
    KC_LABEL
  ].filter((n) => present.has(n))
  const { legend, gridBottom } = legendBelow(names)
  return {
    animation: false,
    grid: { left: 76, right: 24, top: 16, bottom: gridBottom },
    legend,
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'K', nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: {
      type: 'value',
      name: SWEEP_QUANTITIES[q].axis,
      nameLocation: 'middle',
      nameGap: 54,
      scale: true,
      axisLabel: { formatter: (v: number) => formatNumber(v, 3) }
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series
  }
}

/** CSV of one chart: L, K, value, error, and the exact references at each K (empty where none). */
export function sweepChartCsv(data: SweepData, q: SweepQuantity): CsvTable {
  const exact = hasExact(data)
  const withOnsager = exact && q !== 'chi' && q !== 'chiAbs' && q !== 'u4'
  const withKaufman = exact && (q === 'e' || q === 'c')
  const header = ['L', 'K', q, `${q}_error`]
  if (withOnsager) header.push('onsager')
  if (withKaufman) header.push('exact_L')
  const rows = data.Ls.flatMap((L) =>
    pointsOfSize(data.points, L).map((p) => {
      const row = [p.L, p.K, p[q].value, p[q].error]
      if (withOnsager) row.push(onsagerReference(q, p.K) ?? Number.NaN)
      if (withKaufman) row.push(kaufmanReference(q, p.L, p.K) ?? Number.NaN)
      return row
    })
  )
  return { header, rows }
}
