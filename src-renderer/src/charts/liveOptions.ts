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

/** Points handed to a chart at most. */
export const MAX_CHART_POINTS = 4000

export const ENERGY_REFERENCE_LABEL = 'Onsager e = K·u(K)'
export const ABSM_REFERENCE_LABEL = 'Onsager |m| (L→∞)'

export interface LiveChartInput {
  sweeps: ArrayLike<number>
  values: ArrayLike<number>
  K: number
  h: number
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

function referenceLine(label: string, value: number | null): MarkLineComponentOption {
  return {
    silent: true,
    symbol: 'none',
    animation: false,
    lineStyle: { type: 'dashed', width: 1, opacity: 0.85 },
    label: {
      show: true,
      position: 'insideEndTop',
      formatter: `${label} = ${value === null ? '' : formatNumber(value)}`
    },
    // An empty list removes a previous line when options are merged (h became non-zero).
    data: value === null ? [] : [{ name: label, yAxis: value }]
  }
}

/**
 * Axis bounds that keep the reference value in view: ECharts drops mark lines outside the axis
 * extent, and early in a run (or from a cold start) the data may not reach the exact value.
 */
function extentIncluding(value: number | null): {
  min?: (e: { min: number; max: number }) => number
  max?: (e: { min: number; max: number }) => number
} {
  if (value === null) return {}
  const pad = (e: { min: number; max: number }): number =>
    0.05 * (Math.max(e.max, value) - Math.min(e.min, value) || 0.1)
  return {
    min: (e) => (value < e.min ? value - pad(e) : e.min),
    max: (e) => (value > e.max ? value + pad(e) : e.max)
  }
}

function lineChart(
  input: LiveChartInput,
  name: string,
  yName: string,
  reference: { label: string; value: number | null },
  yRange?: [number, number]
): EChartsOption {
  const data = toChartPairs(input.sweeps, input.values, input.maxPoints ?? MAX_CHART_POINTS)
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
          ...extentIncluding(reference.value),
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
        markLine: referenceLine(reference.label, reference.value)
      }
    ]
  }
}

/** Exact references apply to the zero-field model only. */
const zeroField = (h: number): boolean => h === 0

/** Energy per spin e = H/N against sweeps, with Onsager's e = K·u(K) when h = 0. */
export function energyChartOption(input: LiveChartInput): EChartsOption {
  const value = zeroField(input.h) ? onsagerEnergyReference(input.K) : null
  return lineChart(input, 'e = H/N', 'e = H/N', { label: ENERGY_REFERENCE_LABEL, value })
}

/** |m| = |Σv|/N against sweeps, with the infinite-lattice spontaneous magnetisation when h = 0. */
export function absMChartOption(input: LiveChartInput): EChartsOption {
  const value = zeroField(input.h) ? onsagerAbsMReference(input.K) : null
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
