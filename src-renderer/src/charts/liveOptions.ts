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

const referenceText = (label: string, value: number | null): string =>
  `${label} = ${value === null ? '' : formatNumber(value)}`

/** A parameter as typed, at most four significant digits (Kc shows as 0.4407). */
const short = (v: number): string => String(Number(v.toPrecision(4)))

/** What changed at the start of `span` (after `before`): "K = 0.6", "h = 0.1" or both. */
function changeLabel(before: ParamSpan, span: ParamSpan): string {
  const parts: string[] = []
  if (span.K !== before.K) parts.push(`K = ${short(span.K)}`)
  if (span.h !== before.h) parts.push(`h = ${short(span.h)}`)
  return parts.join(', ')
}

/**
 * The exact reference as a thin dashed line: across the chart for one K and h, or one piece per
 * span (each at its own K and h, labelled on the last) with a dotted mark where K or h changed.
 */
function referenceLine(
  label: string,
  reference: Reference,
  input: LiveChartInput
): { markLine: MarkLineComponentOption; values: number[] } {
  const base: MarkLineComponentOption = {
    silent: true,
    symbol: 'none',
    animation: false,
    lineStyle: { type: 'dashed', width: 1, opacity: 0.85 }
  }
  const spans = input.spans ?? []
  if (spans.length < 2) {
    const value = reference(input.K, input.h)
    return {
      markLine: {
        ...base,
        label: { show: true, position: 'insideEndTop', formatter: referenceText(label, value) },
        // An empty list removes a previous line when options are merged (h became non-zero).
        data: value === null ? [] : [{ name: label, yAxis: value }]
      },
      values: value === null ? [] : [value]
    }
  }
  const data: NonNullable<MarkLineComponentOption['data']> = []
  const values: number[] = []
  spans.forEach((span, i) => {
    if (i > 0) {
      data.push({
        name: 'change',
        xAxis: span.from - 0.5,
        lineStyle: { type: 'dotted', width: 1, opacity: 0.9 },
        label: { show: true, position: 'insideEndTop', formatter: changeLabel(spans[i - 1]!, span) }
      })
    }
    const value = reference(span.K, span.h)
    if (value === null) return
    values.push(value)
    const last = i === spans.length - 1
    data.push([
      {
        name: label,
        coord: [span.from, value],
        label: last ? { show: true, position: 'insideEndTop', formatter: referenceText(label, value) } : { show: false }
      },
      { coord: [span.to, value] }
    ])
  })
  return { markLine: { ...base, data }, values }
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

function lineChart(
  input: LiveChartInput,
  name: string,
  yName: string,
  reference: { label: string; value: Reference },
  yRange?: [number, number]
): EChartsOption {
  const data = toChartPairs(input.sweeps, input.values, input.maxPoints ?? MAX_CHART_POINTS)
  const { markLine, values } = referenceLine(reference.label, reference.value, input)
  return {
    animation: false,
    grid: { left: 64, right: 24, top: 24, bottom: 52 },
    tooltip: {
      trigger: 'axis',
      valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 5) : String(v))
    },
    xAxis: { type: 'value', name: 'sweep', nameLocation: 'middle', nameGap: 22, min: 'dataMin', max: 'dataMax' },
    yAxis: yRange
      ? { type: 'value', name: yName, min: yRange[0], max: yRange[1] }
      : {
          type: 'value',
          name: yName,
          scale: true,
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
