import type { CustomSeriesOption, CustomSeriesRenderItemAPI, LineSeriesOption } from 'echarts'
import { KC } from '@core/ising/onsager'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { estimateOf, LEVEL_COLORS, readFit, readMatched, type CouplingFitView, type MatchedView } from './rgOptions'
import type { Estimate } from '@core/stats/summary'

/**
 * Pure readers and chart options for an RG flow (rg.flow) and an MCRG table (rg.mcrg): K′
 * against K per step with error bars, the K′ = K line and the fixed point with its error; the
 * flow diagram in the (nearest, diagonal) coupling plane, an arrow per step; the MCRG rows.
 */

export interface FlowLevelView {
  level: number
  side: number
  fit: CouplingFitView | null
  matched: MatchedView | null
}
export interface FlowView {
  L: number
  rule: string
  b: number
  couplings: string[]
  points: { K: number; levels: FlowLevelView[] }[]
  fixedPoint: { matched: Estimate | null; fitted: Estimate | null }
}
/** Which measure of a level's nearest coupling: the pseudo-likelihood fit or the matched correlation. */
export type FlowMeasure = 'fitted' | 'matched'

const obj = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' ? (v as Record<string, unknown>) : {})
const fixed = (v: unknown): Estimate | null => {
  const o = obj(v)
  return typeof o.K === 'number' ? { value: o.K, error: typeof o.error === 'number' ? o.error : Number.NaN } : null
}

export function readFlow(analysis: { result?: Record<string, unknown> }): FlowView {
  const r = obj(analysis.result)
  const fp = obj(r.fixedPoint)
  return {
    L: Number(r.L),
    rule: String(r.rule ?? '—'),
    b: Number(r.b),
    couplings: Array.isArray(r.couplings) ? r.couplings.map(String) : [],
    points: (Array.isArray(r.points) ? r.points : []).map((p) => {
      const o = obj(p)
      return {
        K: Number(o.K),
        levels: (Array.isArray(o.levels) ? o.levels : []).map((l, i) => {
          const lo = obj(l)
          return { level: Number.isInteger(lo.level) ? (lo.level as number) : i, side: Number(lo.side), fit: readFit(lo.fit), matched: readMatched(lo.matched) }
        })
      }
    }),
    fixedPoint: { matched: fixed(fp.matched), fitted: fixed(fp.fitted) }
  }
}

/** A level's coupling `name` by the fit (or, for 'nearest' and the matched measure, by matching). */
export function levelCoupling(l: FlowLevelView | undefined, name: string, measure: FlowMeasure): Estimate | null {
  if (!l) return null
  if (measure === 'matched' && name === 'nearest') return l.matched ? { value: l.matched.K, error: l.matched.KError } : null
  const i = l.fit?.couplings.indexOf(name) ?? -1
  return i < 0 ? null : { value: l.fit!.K[i]!, error: l.fit!.errors[i]! }
}

/**
 * The steps n = 1, 2, …: points (K⁽ⁿ⁻¹⁾, K⁽ⁿ⁾) of the nearest coupling, with K⁽⁰⁾ the starting K
 * (exact) and later K⁽ⁿ⁻¹⁾ measured; the error bar is K⁽ⁿ⁾'s.
 */
export function flowSteps(flow: FlowView, measure: FlowMeasure): { step: number; points: { K: number; next: number; error: number }[] }[] {
  const steps = Math.max(0, ...flow.points.map((p) => p.levels.length - 1))
  return Array.from({ length: steps }, (_, s) => ({
    step: s + 1,
    points: flow.points.flatMap((p) => {
      const before = s === 0 ? { value: p.K, error: 0 } : levelCoupling(p.levels[s], 'nearest', measure)
      const after = levelCoupling(p.levels[s + 1], 'nearest', measure)
      return before && after && Number.isFinite(before.value) && Number.isFinite(after.value) ? [{ K: before.value, next: after.value, error: after.error }] : []
    })
  }))
}

export function flowStepOption(flow: FlowView, measure: FlowMeasure): EChartsOption {
  const steps = flowSteps(flow, measure)
  const all = steps.flatMap((s) => s.points.flatMap((p) => [p.K, p.next]))
  const finite = [...all, KC].filter(Number.isFinite)
  const pad = 0.05 * (Math.max(...finite) - Math.min(...finite) || 1)
  const lo = Math.min(...finite) - pad
  const hi = Math.max(...finite) + pad
  const fp = flow.fixedPoint[measure]
  const series: (LineSeriesOption | CustomSeriesOption)[] = [
    { type: 'line', name: "K′ = K", data: [[lo, lo], [hi, hi]], symbol: 'none', silent: true, animation: false, color: '#8a93a3', lineStyle: { type: 'dashed', width: 1 } }
  ]
  steps.forEach(({ step, points }, i) => {
    const name = `step ${step - 1} → ${step}`
    const color = LEVEL_COLORS[i % LEVEL_COLORS.length]!
    series.push({
      type: 'line', name, color, symbol: 'circle', symbolSize: 6, animation: false,
      data: [...points].sort((a, b) => a.K - b.K).map((p) => [p.K, p.next, p.error]),
      tooltip: { formatter: (params: unknown) => { const v = (params as { value: number[] }).value; return `${name}: K = ${formatNumber(v[0]!, 4)} → K′ = ${formatWithError(v[1]!, v[2]!)}` } }
    })
    series.push(errorBarSeries(name, points.map((p) => ({ x: p.K, y: p.next, error: p.error })), { color }))
  })
  if (fp) {
    const label = `fixed point K* = ${Number.isFinite(fp.error) && fp.error > 0 ? formatWithError(fp.value, fp.error) : formatNumber(fp.value, 4)}`
    series.push({
      type: 'line', name: 'fixed point', data: [[fp.value, fp.value]], symbol: 'diamond', symbolSize: 11, color: '#d9480f', animation: false,
      markLine: { silent: true, symbol: 'none', animation: false, data: [{ xAxis: fp.value, label: { formatter: label, position: 'insideEndTop' }, lineStyle: { color: '#d9480f', width: 1 } }] },
      markArea: Number.isFinite(fp.error) && fp.error > 0 ? { silent: true, itemStyle: { color: 'rgba(217,72,15,0.12)' }, data: [[{ xAxis: fp.value - fp.error }, { xAxis: fp.value + fp.error }]] } : undefined
    })
  }
  series.push({
    type: 'line', name: `exact Kc = ${KC.toFixed(4)}`, data: [], silent: true,
    markLine: { silent: true, symbol: 'none', animation: false, data: [{ xAxis: KC, label: { formatter: `exact Kc = ${KC.toFixed(4)}`, position: 'insideStartTop' }, lineStyle: { type: 'dashed', color: '#8a93a3', width: 1 } }] }
  })
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 40, bottom: 48 },
    legend: { type: 'scroll', top: 4 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'K (before the step)', nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: 'K′ (after the step)', nameLocation: 'middle', nameGap: 50, scale: true },
    series
  }
}

/** [x1, y1, x2, y2] per arrow. */
export type ArrowDatum = [number, number, number, number]

/** Draws a segment with an arrowhead at its end, in pixel space; exported for tests. */
export function renderArrow(_params: unknown, api: CustomSeriesRenderItemAPI) {
  const [x1, y1] = api.coord([Number(api.value(0)), Number(api.value(1))])
  const [x2, y2] = api.coord([Number(api.value(2)), Number(api.value(3))])
  const stroke = api.visual('color') as string
  const angle = Math.atan2(y2! - y1!, x2! - x1!)
  const head = 11
  const wing = (sign: number) => [x2! - head * Math.cos(angle + sign * 0.4), y2! - head * Math.sin(angle + sign * 0.4)]
  return {
    type: 'group' as const,
    children: [
      { type: 'line' as const, shape: { x1, y1, x2, y2 }, style: { stroke, lineWidth: 1.5 } },
      { type: 'polygon' as const, shape: { points: [[x2!, y2!], wing(1), wing(-1)] }, style: { fill: stroke } }
    ]
  }
}

/** The flow in the (nearest, diagonal) plane: for each starting K, arrows level → level of the fitted couplings. */
export function flowDiagramOption(flow: FlowView, measure: FlowMeasure = 'fitted'): EChartsOption {
  const series: (LineSeriesOption | CustomSeriesOption)[] = []
  flow.points.forEach((p, i) => {
    const color = LEVEL_COLORS[i % LEVEL_COLORS.length]!
    const name = `K = ${formatNumber(p.K, 4)}`
    const at = p.levels.map((l, n) => {
      const x = n === 0 ? p.K : levelCoupling(l, 'nearest', measure)?.value
      const y = n === 0 ? 0 : levelCoupling(l, 'diagonal', 'fitted')?.value ?? 0
      return [x ?? Number.NaN, y] as [number, number]
    }).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    const arrows: ArrowDatum[] = at.slice(1).map((q, k) => [at[k]![0], at[k]![1], q[0], q[1]])
    series.push({ type: 'line', name, color, data: at, symbol: 'circle', symbolSize: 5, lineStyle: { opacity: 0 }, animation: false,
      tooltip: { formatter: (params: unknown) => { const v = (params as { value: number[]; dataIndex: number }); return `${name}, level ${v.dataIndex}: K_nn = ${formatNumber(v.value[0]!, 4)}, K_diag = ${formatNumber(v.value[1]!, 4)}` } } })
    series.push({ type: 'custom', name, color, silent: true, animation: false, renderItem: renderArrow as never, encode: { x: [0, 2], y: [1, 3] }, data: arrows })
  })
  series.push({ type: 'line', name: 'Kc', data: [[KC, 0]], symbol: 'diamond', symbolSize: 10, color: '#8a93a3', animation: false })
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 40, bottom: 48 },
    legend: { type: 'scroll', top: 4 },
    tooltip: { trigger: 'item' },
    xAxis: { type: 'value', name: 'K nearest', nameLocation: 'middle', nameGap: 26, scale: true },
    yAxis: { type: 'value', name: 'K diagonal', nameLocation: 'middle', nameGap: 50, scale: true },
    series
  }
}

/** CSV of every level of every starting K: the fitted couplings and the matched K, with errors. */
export function flowCsv(flow: FlowView): CsvTable {
  const names = flow.couplings
  return {
    header: ['K_start', 'level', 'side', ...names.flatMap((n) => [n, `${n}_error`]), 'matched', 'matched_error'],
    rows: flow.points.flatMap((p) =>
      p.levels.map((l) => [p.K, l.level, l.side, ...names.flatMap((n) => { const e = levelCoupling(l, n, 'fitted'); return [e?.value ?? Number.NaN, e?.error ?? Number.NaN] }), l.matched?.K ?? Number.NaN, l.matched?.KError ?? Number.NaN])
    )
  }
}

export interface McrgRow { level: number; lambda: Estimate; yt: Estimate; nu: Estimate }
export interface McrgView { L: number; K: number; rule: string; b: number; samples: number; operators: string[]; levels: McrgRow[] }

export function readMcrg(analysis: { result?: Record<string, unknown> }): McrgView {
  const r = obj(analysis.result)
  return {
    L: Number(r.L), K: Number(r.K), rule: String(r.rule ?? '—'), b: Number(r.b), samples: Number(r.samples),
    operators: Array.isArray(r.operators) ? r.operators.map(String) : [],
    levels: (Array.isArray(r.levels) ? r.levels : []).map((l, i) => {
      const o = obj(l)
      const est = (v: string, e: string) => estimateOf({ value: o[v], error: o[e] })
      return { level: Number.isInteger(o.level) ? (o.level as number) : i + 1, lambda: est('lambda', 'lambdaError'), yt: est('yt', 'ytError'), nu: est('nu', 'nuError') }
    })
  }
}
export function mcrgCsv(m: McrgView): CsvTable {
  return { header: ['level', 'lambda', 'lambda_error', 'yt', 'yt_error', 'nu', 'nu_error'], rows: m.levels.map((l) => [l.level, l.lambda.value, l.lambda.error, l.yt.value, l.yt.error, l.nu.value, l.nu.error]) }
}
