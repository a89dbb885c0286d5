import { onsagerEnergyPerSpin, onsagerSpontaneousMagnetization } from '@core/ising/onsager'
import { toChartPairs } from '../logic/seriesBuffer'
import { formatNumber } from '../logic/format'
import type { MarkLineComponentOption } from 'echarts'
import type { EChartsOption } from './echarts'

/**
 * Pure option builders for the live chain's charts (energy per spin and |m| against sweeps).
 * The store keeps every point; a chart gets at most `maxPoints` of them (min/max per bucket),
 * and ECharts' LTTB thins those further to the pixels available.
 */

/**
 * Milliseconds between two redraws of the charts of an L×L chain: 10 a second, 4 from 512² on,
 * where each frame already costs the page a megabyte to receive and draw and both charts'
 * redraws would cost as much again (the series grow by one point per sweep either way).
 */
export function chartIntervalMs(L: number): number {
  return L >= 512 ? 250 : 100
}

/** Points handed to a chart at most. */
export const MAX_CHART_POINTS = 4000

export const ENERGY_REFERENCE_LABEL = 'Onsager e = K·u(K)'
export const ABSM_REFERENCE_LABEL = 'Onsager |m| (L→∞)'

/** Sweeps `from` to `to` (inclusive) ran at one K and h. */
export interface ParamSpan {
  from: number
  to: number
  K: number
  h: number
}

export interface LiveChartInput {
  sweeps: ArrayLike<number>
  values: ArrayLike<number>
  /** The chain's K and h now (the whole history when `spans` has fewer than two entries). */
  K: number
  h: number
  /** Where K or h changed: each span gets its own exact reference and a mark where it begins. */
  spans?: readonly ParamSpan[]
  maxPoints?: number
}

/**
 * Exact infinite-lattice energy per spin e = K·u(K) in zero field (SCIENCE.md §1, §5). For K < 0
 * flipping one sublattice maps the antiferromagnet onto the ferromagnet with the same energy, so
 * e(K) = e(|K|).
 */
export function onsagerEnergyReference(K: number): number {
  const k = Math.abs(K)
  return k * onsagerEnergyPerSpin(k)
}

/**
 * Exact infinite-lattice |m| in zero field: Yang's spontaneous magnetisation for K > Kc, 0 below.
 * For K < 0 the uniform magnetisation vanishes (the order is staggered), so 0.
 */
export function onsagerAbsMReference(K: number): number {
  return K > 0 ? onsagerSpontaneousMagnetization(K) : 0
}

type Reference = (K: number, h: number) => number | null

/** The exact references' colour: apart from the chain's own line, as on the sweep charts. */
export const REFERENCE_COLOR = '#8a93a3'

/** The legend's name of the exact reference: its value at the chain's current K and h, where it applies. */
export const referenceName = (label: string, value: number | null): string =>
  value === null ? label : `${label} = ${formatNumber(value)}`

/** A parameter as typed, at most four significant digits (Kc shows as 0.4407). */
const short = (v: number): string => String(Number(v.toPrecision(4)))

/** What changed at the start of `span` (after `before`): "K = 0.6", "h = 0.1" or both. */
function changeLabel(before: ParamSpan, span: ParamSpan): string {
  const parts: string[] = []
  if (span.K !== before.K) parts.push(`K = ${short(span.K)}`)
  if (span.h !== before.h) parts.push(`h = ${short(span.h)}`)
  return parts.join(', ')
}

const MARK_BASE = { silent: true, symbol: 'none', animation: false } as const

/**
 * Dotted vertical marks where K or h changed, labelled with what changed under the x axis's
 * numbers, outside the plot (labels inside it would sit on the history they mark).
 */
function changeMarks(spans: readonly ParamSpan[]): MarkLineComponentOption {
  return {
    ...MARK_BASE,
    lineStyle: { type: 'dotted', width: 1, opacity: 0.9 },
    label: { show: true, position: 'start', distance: CHANGE_LABEL_DISTANCE },
    data: spans.slice(1).map((span, i) => ({
      name: 'change',
      xAxis: span.from - 0.5,
      label: { formatter: changeLabel(spans[i]!, span) }
    }))
  }
}

/**
 * The exact reference as a thin dashed line: across the chart for one K and h, or one piece per
 * span at its own K and h. Unlabelled: its series' legend entry names it with its current value.
 */
function referenceLine(
  reference: Reference,
  input: LiveChartInput
): { markLine: MarkLineComponentOption; values: number[]; current: number | null } {
  const base: MarkLineComponentOption = {
    ...MARK_BASE,
    label: { show: false },
    lineStyle: { type: 'dashed', width: 1, opacity: 0.95, color: REFERENCE_COLOR }
  }
  const current = reference(input.K, input.h)
  const spans = input.spans ?? []
  if (spans.length < 2) {
    // An empty list removes a previous line when options are merged (h became non-zero).
    const data = current === null ? [] : [{ yAxis: current }]
    return { markLine: { ...base, data }, values: current === null ? [] : [current], current }
  }
  const data: NonNullable<MarkLineComponentOption['data']> = []
  const values: number[] = []
  for (const span of spans) {
    const value = reference(span.K, span.h)
    if (value === null) continue
    values.push(value)
    data.push([{ coord: [span.from, value] }, { coord: [span.to, value] }])
  }
  const last = spans[spans.length - 1]!
  return { markLine: { ...base, data }, values, current: reference(last.K, last.h) }
}

/**
 * Axis bounds that keep the reference value in view: ECharts drops mark lines outside the axis
 * extent, and early in a run (or from a cold start) the data may not reach the exact value.
 */
function extentIncluding(values: number[]): {
  min?: (e: { min: number; max: number }) => number
  max?: (e: { min: number; max: number }) => number
} {
  if (values.length === 0) return {}
  const low = Math.min(...values)
  const high = Math.max(...values)
  const pad = (e: { min: number; max: number }): number => 0.05 * (Math.max(e.max, high) - Math.min(e.min, low) || 0.1)
  return {
    min: (e) => (low < e.min ? low - pad(e) : e.min),
    max: (e) => (high > e.max ? high + pad(e) : e.max)
  }
}

/** Pixels from the x axis down to the change marks' labels (under its numbers). */
const CHANGE_LABEL_DISTANCE = 20

/**
 * A chain's history: the series, its exact reference (dashed, named with its value in the
 * legend above the plot) and the marks where K or h changed (labelled under the axis). Nothing is
 * written on the plot itself, where it would cover the history.
 */
function lineChart(
  input: LiveChartInput,
  name: string,
  yName: string,
  reference: { label: string; value: Reference },
  yRange?: [number, number]
): EChartsOption {
  const data = toChartPairs(input.sweeps, input.values, input.maxPoints ?? MAX_CHART_POINTS)
  const { markLine, values, current } = referenceLine(reference.value, input)
  const spans = input.spans ?? []
  const refName = referenceName(reference.label, current)
  return {
    animation: false,
    // Bottom: the axis's numbers, the change marks' labels (when there are any), the zoom slider.
    grid: { left: 64, right: 56, top: 24, bottom: spans.length > 1 ? 54 : 42 },
    legend: {
      type: 'plain',
      top: 2,
      right: 8,
      itemHeight: 10,
      data: values.length ? [refName] : []
    },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 5) : String(v))
    },
    xAxis: { type: 'value', name: 'sweep', nameGap: 8, min: 'dataMin', max: 'dataMax' },
    yAxis: yRange
      ? { type: 'value', name: yName, min: yRange[0], max: yRange[1], splitNumber: 2 }
      : {
          type: 'value',
          name: yName,
          scale: true,
          // Few ticks: at 1280×720 the chart is about 180 px tall.
          splitNumber: 3,
          ...extentIncluding(values),
          // The data-driven ends are not round numbers: label only the regular ticks.
          axisLabel: { showMinLabel: false, showMaxLabel: false, formatter: (v: number) => formatNumber(v, 3) }
        },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'slider', xAxisIndex: 0, filterMode: 'none', height: 14, bottom: 4 }
    ],
    series: [
      {
        type: 'line',
        name,
        data,
        sampling: 'lttb',
        showSymbol: false,
        animation: false,
        lineStyle: { width: 1.5 },
        markLine: changeMarks(spans)
      },
      {
        // The reference's own series: the legend shows it dashed and grey, and hides it on a click.
        type: 'line',
        name: refName,
        data: [],
        symbol: 'none',
        silent: true,
        animation: false,
        color: REFERENCE_COLOR,
        lineStyle: { type: 'dashed', width: 1, color: REFERENCE_COLOR },
        markLine
      }
    ]
  }
}

/** Exact references apply to the zero-field model only. */
const zeroField = (h: number): boolean => h === 0

/** Energy per spin e = H/N against sweeps, with Onsager's e = K·u(K) where h = 0. */
export function energyChartOption(input: LiveChartInput): EChartsOption {
  const value = (K: number, h: number) => (zeroField(h) ? onsagerEnergyReference(K) : null)
  return lineChart(input, 'e = H/N', 'e = H/N', { label: ENERGY_REFERENCE_LABEL, value })
}

/** |m| = |Σv|/N against sweeps, with the infinite-lattice spontaneous magnetisation where h = 0. */
export function absMChartOption(input: LiveChartInput): EChartsOption {
  const value = (K: number, h: number) => (zeroField(h) ? onsagerAbsMReference(K) : null)
  return lineChart(input, '|m|', '|m|', { label: ABSM_REFERENCE_LABEL, value }, [0, 1])
}

/** CSV of a per-sweep series (every point, not the chart's thinned copy). */
export function seriesCsv(
  column: string,
  sweeps: ArrayLike<number>,
  values: ArrayLike<number>
): { header: string[]; rows: number[][] } {
  const n = Math.min(sweeps.length, values.length)
  const rows: number[][] = new Array(n)
  for (let i = 0; i < n; i++) rows[i] = [sweeps[i], values[i]]
  return { header: ['sweep', column], rows }
}
