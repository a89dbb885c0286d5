import type { CustomSeriesOption, CustomSeriesRenderItemAPI, CustomSeriesRenderItemReturn } from 'echarts'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { EChartsOption } from './echarts'

/**
 * Pure option builders for a dataset's histograms of m = M/N and e = H/N (also used for the
 * training view's histograms). The autocorrelation and C(r) charts are datasetCorrelations.ts,
 * the saved summary's reader datasetSummary.ts.
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
export function histogram(
  values: ArrayLike<number>,
  options: { bins?: number; quantum?: number | null } = {}
): Histogram {
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
  return {
    low: counts.map((_, b) => start + b * width),
    high: counts.map((_, b) => start + (b + 1) * width),
    counts,
    total
  }
}

const perSite = (values: ArrayLike<number>, N: number): Float64Array =>
  Float64Array.from(values as ArrayLike<number>, (v) => v / N)

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
  return {
    type: 'rect',
    shape: { x: x0, y: y0, width: Math.max(1, x1 - x0 - 1), height: y1 - y0 },
    style: { fill: api.visual('color') as string }
  }
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
    xAxis: {
      type: 'value',
      name: xName,
      nameLocation: 'middle',
      nameGap: 26,
      scale: true,
      axisLabel: { formatter: (v: number) => formatNumber(v, 3) }
    },
    yAxis: { type: 'value', name: 'samples', min: 0, minInterval: 1 },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series: [series]
  }
}

export function histogramCsv(h: Histogram, column: string): CsvTable {
  return {
    header: [`${column}_low`, `${column}_high`, 'count'],
    rows: h.counts.map((c, b) => [h.low[b]!, h.high[b]!, c])
  }
}
