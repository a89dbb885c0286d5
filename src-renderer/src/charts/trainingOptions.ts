import type { LineSeriesOption } from 'echarts'
import type { MonitorRecord } from '@core/jobs/rbmTrainCheckpoint'
import type { Estimate } from '@core/rbm/isingMonitors'
import type { MonitorValues } from '@core/rbm/monitors'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import { CHI_ABS_LABEL } from '../logic/susceptibility'
import type { EChartsOption } from './echarts'
import { errorBarSeries, type ErrorPoint } from './errorBars'
import { legendBelow } from './legendLayout'

/**
 * Pure option builders for a training's per-epoch monitors (src-core/rbm/monitors.ts): one
 * curve per layer against its epoch, error bars where the value is an estimate (AIS ln Z,
 * observables of RBM samples), the data's Monte Carlo values as bands of ± their error.
 */

export interface Curve {
  name: string
  points: ErrorPoint[]
}

export interface Reference {
  name: string
  value: number
  error?: number
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : NaN)

/** One curve per layer (and per `label` when several values of a record are drawn). */
export function layerCurves(
  history: readonly MonitorRecord[],
  pick: (m: MonitorValues) => { value: unknown; error?: unknown } | null,
  label = ''
): Curve[] {
  const byLayer = new Map<number, ErrorPoint[]>()
  for (const h of history) {
    const got = h?.monitors ? pick(h.monitors) : null
    if (!got || !Number.isFinite(num(got.value))) continue
    const points = byLayer.get(h.layer) ?? []
    points.push({ x: h.epoch, y: num(got.value), error: num(got.error) })
    byLayer.set(h.layer, points)
  }
  return [...byLayer.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([layer, points]) => ({ name: `layer ${layer + 1}${label ? ` ${label}` : ''}`, points }))
}

export const reconstructionCurves = (h: readonly MonitorRecord[]) =>
  layerCurves(h, (m) => ({ value: m.reconstructionError }))
export const pseudoLikelihoodCurves = (h: readonly MonitorRecord[]) =>
  layerCurves(h, (m) => ({ value: m.pseudoLikelihood }))
export const freeEnergyGapCurves = (h: readonly MonitorRecord[]) =>
  layerCurves(h, (m) => (m.freeEnergyGap ? { value: m.freeEnergyGap.gap } : null))

/** ln p per example, training rows and held-out rows; the error bar is AIS's on ln Z. */
export function logLikelihoodCurves(h: readonly MonitorRecord[]): Curve[] {
  const err = (m: MonitorValues) => (m.logZMethod === 'ais' ? m.logZStderr : 0)
  return [
    ...layerCurves(h, (m) => ({ value: m.logLikelihood, error: err(m) }), 'train'),
    ...layerCurves(h, (m) => ({ value: m.logLikelihoodHeldOut, error: err(m) }), 'held out')
  ]
}

/** How ln Z was found in the newest record that has it. */
export function logLikelihoodMethod(h: readonly MonitorRecord[]): 'exact' | 'ais' | null {
  for (let i = h.length - 1; i >= 0; i--) if (h[i]?.monitors?.logZMethod) return h[i]!.monitors.logZMethod!
  return null
}

/** Keys of the monitors' IsingObservables; chiAbs is χ′ = N(⟨m²⟩ − ⟨|m|⟩²), as in datasets and sweeps. */
export type PhysicalKey = 'e' | 'absM' | 'c' | 'chiAbs'
export const PHYSICAL: { key: PhysicalKey; label: string; title: string }[] = [
  { key: 'e', label: 'e = ⟨H⟩/N', title: 'Energy per spin e of RBM samples' },
  { key: 'absM', label: '|m| = ⟨|Σv|⟩/N', title: 'Magnetisation |m| of RBM samples' },
  { key: 'c', label: 'c = Var(H)/N', title: 'Specific heat c of RBM samples' },
  { key: 'chiAbs', label: CHI_ABS_LABEL, title: `Susceptibility ${CHI_ABS_LABEL} of RBM samples` }
]

/** The RBM samples' observable per epoch (layer 1), and the data's value (newest) as a reference. */
export function physicalCurves(
  h: readonly MonitorRecord[],
  key: PhysicalKey
): { curves: Curve[]; reference: Reference | null } {
  const curves = layerCurves(
    h,
    (m) => {
      const e = m.physical?.model?.[key] as Estimate | undefined
      return e ? { value: e.value, error: e.error } : null
    },
    'RBM samples'
  )
  let reference: Reference | null = null
  for (let i = h.length - 1; i >= 0 && !reference; i--) {
    const d = h[i]?.monitors?.physical?.data?.[key] as Estimate | undefined
    if (d && Number.isFinite(num(d.value)))
      reference = { name: 'data (Monte Carlo)', value: d.value, error: num(d.error) }
  }
  return { curves, reference }
}

export function hasPhysical(h: readonly MonitorRecord[]): boolean {
  return h.some((r) => !!r?.monitors?.physical)
}

/** Lowest and highest value of the references with their error bars; null without references. */
export function referenceSpan(references: readonly Reference[]): { lo: number; hi: number } | null {
  const finite = references.filter((r) => Number.isFinite(r.value))
  if (!finite.length) return null
  const err = (r: Reference) => (Number.isFinite(r.error) ? Math.abs(r.error!) : 0)
  return { lo: Math.min(...finite.map((r) => r.value - err(r))), hi: Math.max(...finite.map((r) => r.value + err(r))) }
}

/** Colours of the references (the data), apart from the curves' (the theme's first colours). */
export const REFERENCE_COLORS = ['#e8590c', '#2f9e44']

/** A reference's legend entry: "data (Monte Carlo) 0.449 ± 0.010". */
export const referenceName = (r: Reference): string =>
  `${r.name} ${r.error ? formatWithError(r.value, r.error) : formatNumber(r.value)}`

/** Lines with points per curve, I-beams where errors are given, references as bands named in the legend. */
export function curvesOption(
  curves: readonly Curve[],
  yName: string,
  references: readonly Reference[] = []
): EChartsOption {
  const series: EChartsOption['series'] = []
  for (const c of curves) {
    const line: LineSeriesOption = {
      type: 'line',
      name: c.name,
      showSymbol: c.points.length < 60,
      symbolSize: 5,
      animation: false,
      data: c.points.map((p) => [p.x, p.y, p.error])
    }
    series.push(line)
    if (c.points.some((p) => p.error > 0)) series.push(errorBarSeries(c.name, c.points))
  }
  // The data's value as a line inside a band of ± its error, in a colour of its own, each
  // named with its value in the legend (a label on the plot would sit on the RBM points).
  references.forEach((r, i) => {
    const color = REFERENCE_COLORS[i % REFERENCE_COLORS.length]!
    const band = (r.error ?? 0) > 0
    series.push({
      type: 'line',
      name: referenceName(r),
      data: [],
      silent: true,
      color,
      lineStyle: { color, type: 'dashed', width: 1.5 },
      markLine: {
        silent: true,
        symbol: 'none',
        animation: false,
        label: { show: false },
        lineStyle: { type: 'dashed', width: 1.5, color },
        data: [{ name: r.name, yAxis: r.value }]
      },
      markArea: {
        silent: true,
        itemStyle: { color, opacity: 0.22 },
        data: band ? [[{ yAxis: r.value - r.error! }, { yAxis: r.value + r.error! }]] : []
      }
    })
  })
  // The y-axis covers the references and their bands too (ECharts scales to the series only).
  const span = referenceSpan(references)
  const extent = (edge: 'min' | 'max') => (v: { min: number; max: number }) => {
    const lo = Math.min(v.min, span?.lo ?? v.min)
    const hi = Math.max(v.max, span?.hi ?? v.max)
    // Rounded outward to a step of 1, 2 or 5 × 10ⁿ (about five per axis), so the end labels are round.
    const raw = (hi - lo || Math.abs(hi) || 1) / 5
    const p10 = 10 ** Math.floor(Math.log10(raw))
    const step = [1, 2, 5, 10].map((f) => f * p10).find((x) => x >= raw)!
    return edge === 'min' ? Math.floor(lo / step) * step : Math.ceil(hi / step) * step
  }
  const { legend, gridBottom } = legendBelow([...curves.map((c) => c.name), ...references.map(referenceName)], 46)
  return {
    animation: false,
    grid: { left: 76, right: 24, top: 16, bottom: gridBottom },
    legend,
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const { seriesName, value } = p as { seriesName: string; value: number[] }
        const [x, y, e] = value
        return `${seriesName}, epoch ${x}: ${e && e > 0 ? formatWithError(y!, e) : formatNumber(y!, 5)}`
      }
    },
    xAxis: { type: 'value', name: 'epoch', nameLocation: 'middle', nameGap: 26, minInterval: 1 },
    yAxis: {
      type: 'value',
      name: yName,
      nameLocation: 'middle',
      nameGap: 56,
      scale: true,
      ...(span ? { min: extent('min'), max: extent('max') } : {}),
      axisLabel: { formatter: (v: number) => formatNumber(v, 3) }
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series
  }
}

/** Wide CSV: epoch, then each curve's value and error. */
export function curvesCsv(curves: readonly Curve[], references: readonly Reference[] = []): CsvTable {
  const epochs = [...new Set(curves.flatMap((c) => c.points.map((p) => p.x)))].sort((a, b) => a - b)
  const header = [
    'epoch',
    ...curves.flatMap((c) => [c.name, `${c.name} error`]),
    ...references.flatMap((r) => [r.name, `${r.name} error`])
  ]
  const rows = epochs.map((x) => [
    x,
    ...curves.flatMap((c) => {
      const p = c.points.find((q) => q.x === x)
      return p ? [p.y, p.error] : [NaN, NaN]
    }),
    ...references.flatMap((r) => [r.value, r.error ?? NaN])
  ])
  return { header, rows }
}

/** Per-unit statistics of a receptive field or weight column. */
export function unitStats(values: ArrayLike<number>): { min: number; max: number; mean: number } {
  let min = Infinity
  let max = -Infinity
  let sum = 0
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!
    if (v < min) min = v
    if (v > max) max = v
    sum += v
  }
  return { min, max, mean: values.length ? sum / values.length : NaN }
}
