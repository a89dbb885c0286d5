import type {
  CustomSeriesOption,
  CustomSeriesRenderItemAPI,
  CustomSeriesRenderItemReturn,
  LineSeriesOption
} from 'echarts'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { EChartsOption } from './echarts'
import { hiddenConfiguration, type Residuals } from './mappingData'

/**
 * Pure option builders for the mapping view (SCIENCE.md §2, §3, §7): H^RG(h) against H^RBM(h)
 * over every hidden configuration (on the diagonal when Eq. 21 holds), the trace residual
 * r(v) = ln Tr_h e^{T(v,h)} over every v (Eq. 9 holds iff it is all zero), the λ scan of the
 * Kadanoff kernel (mappingScanOptions.ts), and the 1D decimation's cobweb tanh K′ = tanh² K and
 * (K, h) flow (decimationOptions.ts). The helpers all of them share are exported here.
 */

export const REFERENCE_COLOR = '#8a93a3'
export const axisNumber = (v: number): string => formatNumber(v, 3)
/** Axis labels without the padded ends, which would crowd the nearest round tick. */
export const innerLabels = { formatter: axisNumber, showMinLabel: false, showMaxLabel: false }
/** A thin dashed reference line; `label` is drawn at its end (the name is in the tooltip and CSV). */
export const reference = (name: string, data: number[][], label: string | null = name): LineSeriesOption => ({
  type: 'line',
  name,
  data,
  showSymbol: false,
  silent: true,
  lineStyle: { type: 'dashed', width: 1, color: REFERENCE_COLOR },
  itemStyle: { color: REFERENCE_COLOR },
  endLabel: { show: label !== null, formatter: label ?? '', color: REFERENCE_COLOR },
  z: 1
})

export function extent(values: readonly number[]): [number, number] {
  const finite = values.filter(Number.isFinite)
  if (!finite.length) return [0, 1]
  const lo = Math.min(...finite)
  const hi = Math.max(...finite)
  const pad = hi > lo ? (hi - lo) * 0.05 : Math.max(1e-3, Math.abs(hi) * 0.05)
  return [lo - pad, hi + pad]
}

/**
 * The constant c with H^RBM = H^RG + c at every h, or null when the difference is not constant.
 * A saved H^RBM may carry its normalisation (block-2x2 adds ln Z_RBM − ln Z); Z cancels in Eq. 21,
 * so the scatter compares the two up to that constant.
 */
export function constantOffset(HRG: readonly number[], HRBM: readonly number[]): number | null {
  if (!HRG.length || HRG.length !== HRBM.length) return null
  const diff = HRG.map((x, i) => HRBM[i]! - x)
  const c = diff.reduce((s, d) => s + d, 0) / diff.length
  const scale = Math.max(1, ...HRG.map(Math.abs), ...HRBM.map(Math.abs))
  return diff.every((d) => Math.abs(d - c) <= 1e-9 * scale) ? c : null
}

/** One point per hidden configuration h: (H^RG(h), H^RBM(h)), with the diagonal y = x. */
export function hScatterOption(HRG: readonly number[], HRBM: readonly number[], columns = 1): EChartsOption {
  const M = Math.round(Math.log2(Math.max(1, HRG.length)))
  const data = HRG.map((x, i) => [x, HRBM[i] ?? Number.NaN, i])
  const [lo, hi] = extent([...HRG, ...HRBM])
  return {
    animation: false,
    grid: { left: 64, right: 48, top: 20, bottom: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const v = (p as { value: number[] }).value
        if (v.length < 3) return ''
        return `h = ${hiddenConfiguration(v[2]!, M, columns)}<br/>H^RG = ${formatNumber(v[0]!, 8)}<br/>H^RBM = ${formatNumber(v[1]!, 8)}`
      }
    },
    xAxis: {
      type: 'value',
      name: 'H^RG(h)',
      nameLocation: 'middle',
      nameGap: 28,
      min: lo,
      max: hi,
      axisLabel: innerLabels
    },
    yAxis: {
      type: 'value',
      name: 'H^RBM(h)',
      nameLocation: 'middle',
      nameGap: 48,
      min: lo,
      max: hi,
      axisLabel: innerLabels
    },
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' }
    ],
    series: [
      reference(
        'H^RBM = H^RG',
        [
          [lo, lo],
          [hi, hi]
        ],
        'y = x'
      ),
      { type: 'scatter', name: 'configurations h', data, symbolSize: 7, z: 2 }
    ]
  }
}

export function hScatterCsv(HRG: readonly number[], HRBM: readonly number[]): CsvTable {
  return { header: ['h_index', 'H_RG', 'H_RBM'], rows: HRG.map((x, i) => [i, x, HRBM[i] ?? Number.NaN]) }
}

export interface ResidualBar {
  low: number
  high: number
  /** Configurations v with r(v) in [low, high). */
  count: number
  /** Σ P(v) over them. */
  probability: number
}

/**
 * The residual distribution binned: up to `bins` equal bins over its range; a single value gets
 * one narrow bar centred on it (r = 0 for an exact kernel).
 */
export function residualBars(r: Residuals, bins = 30): ResidualBar[] {
  const idx = r.values.map((_, i) => i).filter((i) => Number.isFinite(r.values[i]!) && (r.counts[i] ?? 0) > 0)
  if (!idx.length) return []
  const lo = Math.min(...idx.map((i) => r.values[i]!))
  const hi = Math.max(...idx.map((i) => r.values[i]!))
  if (hi - lo < 1e-12 * Math.max(1, Math.abs(hi))) {
    const half = Math.max(0.01, Math.abs(hi) * 0.01)
    return [
      {
        low: lo - half,
        high: hi + half,
        count: idx.reduce((s, i) => s + r.counts[i]!, 0),
        probability: idx.reduce((s, i) => s + (r.probabilities[i] ?? 0), 0)
      }
    ]
  }
  const n = Math.min(bins, idx.length)
  const width = (hi - lo) / n
  const bars = Array.from({ length: n }, (_, b) => ({
    low: lo + b * width,
    high: lo + (b + 1) * width,
    count: 0,
    probability: 0
  }))
  for (const i of idx) {
    const bar = bars[Math.min(n - 1, Math.floor((r.values[i]! - lo) / width))]!
    bar.count += r.counts[i]!
    bar.probability += r.probabilities[i] ?? 0
  }
  return bars.filter((b) => b.count > 0)
}

function renderBar(_params: unknown, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn {
  const [x0, y0] = api.coord([api.value(0), api.value(2)])
  const [x1, y1] = api.coord([api.value(1), 0])
  return {
    type: 'rect',
    shape: { x: x0, y: y0, width: Math.max(2, x1 - x0 - 1), height: y1 - y0 },
    style: { fill: api.visual('color') as string }
  }
}

/** Histogram of r(v) = ln Tr_h e^{T(v,h)} over every v, counting configurations; r = 0 marked. */
export function residualHistogramOption(r: Residuals): EChartsOption {
  const bars = residualBars(r)
  // One bar (an exact kernel): leave room either side so it reads as a spike at r = 0.
  const widen = bars.length === 1 ? 4 * (bars[0]!.high - bars[0]!.low) : 0
  const [lo, hi] = extent(bars.flatMap((b) => [b.low - widen, b.high + widen, 0]))
  const series: CustomSeriesOption = {
    type: 'custom',
    name: 'configurations v',
    renderItem: renderBar as CustomSeriesOption['renderItem'],
    encode: { x: [0, 1], y: 2 },
    data: bars.map((b) => [b.low, b.high, b.count, b.probability]),
    tooltip: {
      formatter: (p) => {
        const v = (p as { value: number[] }).value
        return `r ∈ [${formatNumber(v[0]!, 4)}, ${formatNumber(v[1]!, 4)}): ${v[2]} configurations, Σ P(v) = ${formatNumber(v[3]!, 4)}`
      }
    }
  }
  const top = Math.max(1, ...bars.map((b) => b.count)) * 1.05
  return {
    animation: false,
    grid: { left: 72, right: 28, top: 28, bottom: 48 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'value',
      name: 'r(v) = ln Tr_h e^T',
      nameLocation: 'middle',
      nameGap: 28,
      min: lo,
      max: hi,
      splitNumber: 4,
      axisLabel: innerLabels
    },
    yAxis: { type: 'value', name: 'configurations v', nameLocation: 'middle', nameGap: 50, min: 0, minInterval: 1 },
    series: [
      series,
      reference(
        'exact: r = 0',
        [
          [0, 0],
          [0, top]
        ],
        'exact'
      )
    ]
  }
}

export function residualCsv(r: Residuals): CsvTable {
  return {
    header: ['r', 'configurations', 'probability'],
    rows: r.values.map((v, i) => [v, r.counts[i] ?? Number.NaN, r.probabilities[i] ?? Number.NaN])
  }
}
