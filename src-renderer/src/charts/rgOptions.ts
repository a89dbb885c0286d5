import type { LineSeriesOption } from 'echarts'
import type { Estimate } from '@core/stats/summary'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { SIZE_COLORS } from './sweepOptions'

/**
 * Pure readers and chart options for a block-spin cascade (an rg.cascade analysis, or a coarse
 * dataset's summary): observables per level with jackknife error bars, C(r) of every level on
 * one chart, the histograms of m per level, and the couplings table's rows. Saved results are
 * read defensively (JSON: typed arrays became lists, NaN became null).
 */

export interface CouplingFitView {
  couplings: string[]
  K: number[]
  errors: number[]
  converged: boolean
}
export interface MatchedView {
  K: number
  KError: number
  correlation: number
  correlationError: number
}
export interface LevelObservablesView {
  absM: Estimate
  m2: Estimate
  nearest: Estimate
  correlation: Estimate[]
  mHistogram: number[]
}
export interface CascadeLevelView {
  level: number
  Lx: number
  Ly: number
  datasetId: string | null
  observables: LevelObservablesView | null
  fit: CouplingFitView | null
  matched: MatchedView | null
  note: string | null
}
export interface CascadeView {
  rule: string
  b: number
  levels: CascadeLevelView[]
}

export const LEVEL_COLORS = SIZE_COLORS
const num = (v: unknown): number => (typeof v === 'number' ? v : Number.NaN)
const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const nums = (v: unknown): number[] => (Array.isArray(v) ? v.map(num) : [])
export const estimateOf = (v: unknown): Estimate => ({ value: num(obj(v).value), error: num(obj(v).error) })

export function readFit(v: unknown): CouplingFitView | null {
  const o = obj(v)
  if (!Array.isArray(o.couplings) || !Array.isArray(o.K)) return null
  return { couplings: o.couplings.map(String), K: nums(o.K), errors: nums(o.errors), converged: o.converged !== false }
}
export function readMatched(v: unknown): MatchedView | null {
  const o = obj(v)
  if (typeof o.K !== 'number' && o.K !== null) return null
  return {
    K: num(o.K),
    KError: num(o.KError),
    correlation: num(o.correlation),
    correlationError: num(o.correlationError)
  }
}
export function readObservables(v: unknown): LevelObservablesView | null {
  const o = obj(v)
  if (!o.absM) return null
  return {
    absM: estimateOf(o.absM),
    m2: estimateOf(o.m2),
    nearest: estimateOf(o.nearest),
    correlation: Array.isArray(o.correlation) ? o.correlation.map(estimateOf) : [],
    mHistogram: nums(o.mHistogram)
  }
}

/** A saved rg.cascade analysis: its rule, b and levels (level 0 is the source dataset). */
export function readCascade(analysis: { result?: Record<string, unknown> }): CascadeView {
  const r = obj(analysis.result)
  const levels = (Array.isArray(r.levels) ? r.levels : []).map((raw, i): CascadeLevelView => {
    const o = obj(raw)
    return {
      level: Number.isInteger(o.level) ? (o.level as number) : i,
      Lx: num(o.Lx),
      Ly: num(o.Ly),
      datasetId: typeof o.datasetId === 'string' ? o.datasetId : null,
      observables: readObservables(o.observables),
      fit: readFit(o.fit),
      matched: readMatched(o.matched),
      note: typeof o.note === 'string' ? o.note : null
    }
  })
  return { rule: typeof r.rule === 'string' ? r.rule : '—', b: num(r.b), levels }
}

export type LevelQuantity = 'absM' | 'nearest' | 'm2'
export const LEVEL_QUANTITIES: Record<LevelQuantity, { title: string; axis: string }> = {
  absM: { title: 'Magnetisation |m| per level', axis: '|m|' },
  nearest: { title: 'Nearest-neighbour correlation per level', axis: '⟨s_i s_j⟩_nn' },
  m2: { title: 'm² per level', axis: '⟨m²⟩' }
}

const axisNumber = (v: number): string => formatNumber(v, 3)
const pointTip = (what: string) => (params: unknown) => {
  const v = (params as { value: number[] }).value
  return `level ${v[0]}: ${what} = ${formatWithError(v[1]!, v[2]!)}`
}

/** One observable against the level, with error bars. */
export function levelObservableOption(levels: readonly CascadeLevelView[], q: LevelQuantity): EChartsOption {
  const pts = levels.filter((l) => l.observables && Number.isFinite(l.observables[q].value))
  const name = LEVEL_QUANTITIES[q].axis
  const line: LineSeriesOption = {
    type: 'line',
    name,
    symbol: 'circle',
    symbolSize: 7,
    animation: false,
    data: pts.map((l) => [l.level, l.observables![q].value, l.observables![q].error]),
    tooltip: { formatter: pointTip(name) }
  }
  return {
    animation: false,
    grid: { left: 70, right: 24, top: 24, bottom: 48 },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'value',
      name: 'level',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      min: 0,
      max: Math.max(1, ...levels.map((l) => l.level))
    },
    yAxis: {
      type: 'value',
      name,
      nameLocation: 'middle',
      nameGap: 50,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    series: [
      line,
      errorBarSeries(
        name,
        pts.map((l) => ({ x: l.level, y: l.observables![q].value, error: l.observables![q].error }))
      )
    ]
  }
}

export const levelLabel = (l: { level: number; Lx: number; Ly: number }): string => `level ${l.level} (${l.Lx}×${l.Ly})`

/** C(r) of every level on one chart (r in units of that level's lattice spacing), with error bars. */
export function correlationByLevelOption(levels: readonly CascadeLevelView[]): EChartsOption {
  const series = levels.flatMap((l, i) => {
    const c = l.observables?.correlation ?? []
    const color = LEVEL_COLORS[i % LEVEL_COLORS.length]!
    const name = levelLabel(l)
    const pts = c.map((e, r) => ({ x: r, y: e.value, error: e.error })).filter((p) => Number.isFinite(p.y))
    const line: LineSeriesOption = {
      type: 'line',
      name,
      color,
      symbol: 'circle',
      symbolSize: 5,
      animation: false,
      data: pts.map((p) => [p.x, p.y, p.error]),
      tooltip: {
        formatter: (params: unknown) =>
          `${name}, r = ${(params as { value: number[] }).value[0]}: C = ${formatWithError((params as { value: number[] }).value[1]!, (params as { value: number[] }).value[2]!)}`
      }
    }
    return [line, errorBarSeries(name, pts, { color })]
  })
  return {
    animation: false,
    grid: { left: 70, right: 24, top: 40, bottom: 48 },
    legend: { type: 'scroll', top: 4, data: levels.map(levelLabel) },
    tooltip: { trigger: 'item' },
    xAxis: {
      type: 'value',
      name: 'r (lattice spacings of the level)',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1
    },
    yAxis: {
      type: 'value',
      name: 'C(r)',
      nameLocation: 'middle',
      nameGap: 50,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    series
  }
}

/** Bin centres of an m histogram of `bins` equal bins over [−1, 1]. */
export const histogramCentres = (bins: number): number[] =>
  Array.from({ length: bins }, (_, i) => -1 + (2 * (i + 0.5)) / bins)

/** The histograms of m per level, as step lines over the bin centres (fractions of configurations). */
export function histogramsByLevelOption(levels: readonly CascadeLevelView[]): EChartsOption {
  const series: LineSeriesOption[] = levels.map((l, i) => {
    const h = l.observables?.mHistogram ?? []
    const x = histogramCentres(h.length)
    return {
      type: 'line',
      name: levelLabel(l),
      color: LEVEL_COLORS[i % LEVEL_COLORS.length]!,
      step: 'middle',
      symbol: 'none',
      animation: false,
      data: h.map((f, k) => [x[k]!, f])
    }
  })
  return {
    animation: false,
    grid: { left: 70, right: 24, top: 40, bottom: 48 },
    legend: { type: 'scroll', top: 4, data: levels.map(levelLabel) },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 3) : '—') },
    xAxis: { type: 'value', name: 'm', nameLocation: 'middle', nameGap: 26, min: -1, max: 1 },
    yAxis: {
      type: 'value',
      name: 'fraction',
      nameLocation: 'middle',
      nameGap: 50,
      axisLabel: { formatter: axisNumber }
    },
    series
  }
}

/** CSV of the per-level observables. */
export function levelObservablesCsv(levels: readonly CascadeLevelView[]): CsvTable {
  const q = ['absM', 'm2', 'nearest'] as const
  return {
    header: ['level', 'Lx', 'Ly', ...q.flatMap((k) => [k, `${k}_error`])],
    rows: levels.map((l) => [
      l.level,
      l.Lx,
      l.Ly,
      ...q.flatMap((k) => [l.observables?.[k].value ?? Number.NaN, l.observables?.[k].error ?? Number.NaN])
    ])
  }
}
/** CSV of C(r): one row per level and r. */
export function correlationByLevelCsv(levels: readonly CascadeLevelView[]): CsvTable {
  return {
    header: ['level', 'r', 'C', 'C_error'],
    rows: levels.flatMap((l) => (l.observables?.correlation ?? []).map((e, r) => [l.level, r, e.value, e.error]))
  }
}
/** CSV of the m histograms: one row per level and bin. */
export function histogramsByLevelCsv(levels: readonly CascadeLevelView[]): CsvTable {
  return {
    header: ['level', 'm', 'fraction'],
    rows: levels.flatMap((l) => {
      const h = l.observables?.mHistogram ?? []
      const x = histogramCentres(h.length)
      return h.map((f, k) => [l.level, x[k]!, f])
    })
  }
}

/** One row of the couplings table: a coupling's K ± σ per level ('' where not fitted). */
export interface CouplingRow {
  name: string
  values: (Estimate | null)[]
}
/** The fitted couplings of every level, one row per coupling name (in the order first seen). */
export function couplingRows(levels: readonly CascadeLevelView[]): CouplingRow[] {
  const names = [...new Set(levels.flatMap((l) => l.fit?.couplings ?? []))]
  return names.map((name) => ({
    name,
    values: levels.map((l) => {
      const i = l.fit?.couplings.indexOf(name) ?? -1
      return i < 0 ? null : { value: l.fit!.K[i]!, error: l.fit!.errors[i]! }
    })
  }))
}

/** "0.4102 ± 0.0031", or the value alone when there is no error. */
export function estimateText(e: Estimate | null | undefined): string {
  if (!e || !Number.isFinite(e.value)) return '—'
  return Number.isFinite(e.error) && e.error > 0 ? formatWithError(e.value, e.error) : formatNumber(e.value, 4)
}
