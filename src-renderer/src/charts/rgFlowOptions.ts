import type { CustomSeriesOption, CustomSeriesRenderItemAPI, LineSeriesOption, MarkLineComponentOption } from 'echarts'
import { KC } from '@core/ising/onsager'
import type { CsvTable } from '../logic/download'
import { formatNumber, formatWithError } from '../logic/format'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { legendBelow } from './legendLayout'
import { LEVEL_COLORS } from './rgOptions'
import { flowSteps, levelCoupling, type FlowMeasure, type FlowView } from './rgFlowData'

/**
 * Chart options for an RG flow (rg.flow; readers in rgFlowData.ts): K′ against K per step with
 * error bars, the K′ = K line and the fixed point with its error; the flow diagram in the
 * (nearest, diagonal) coupling plane, an arrow per step. The legend wraps under the plot and
 * names the fixed point (with its value) and exact Kc: labels on the plot would sit on the
 * steps' points, which all cross K′ = K there.
 */

const FIXED_POINT_COLOR = '#d9480f'
const REFERENCE_COLOR = '#8a93a3'
export const KC_FLOW_LABEL = `exact Kc = ${KC.toFixed(4)}`

/** "fixed point K* = 0.441 ± 0.004" (the legend's name of the fixed point's series). */
export function fixedPointLabel(fp: { value: number; error: number }): string {
  const value =
    Number.isFinite(fp.error) && fp.error > 0 ? formatWithError(fp.value, fp.error) : formatNumber(fp.value, 4)
  return `fixed point K* = ${value}`
}

/** A vertical line at x, unlabelled (its series' legend entry names it). */
const verticalMark = (
  x: number,
  lineStyle: { color: string; width: number; type?: 'dashed' }
): MarkLineComponentOption => ({
  silent: true,
  symbol: 'none',
  animation: false,
  label: { show: false },
  data: [{ xAxis: x, lineStyle }]
})

/** Exact Kc as a dashed vertical line on an empty series, so the legend shows and names it. */
function kcCarrier(): LineSeriesOption {
  const lineStyle = { type: 'dashed' as const, color: REFERENCE_COLOR, width: 1 }
  return {
    type: 'line',
    name: KC_FLOW_LABEL,
    data: [],
    symbol: 'none',
    silent: true,
    color: REFERENCE_COLOR,
    lineStyle,
    markLine: verticalMark(KC, lineStyle)
  }
}

/** Text from the project file inside the tooltip's HTML. */
const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)

/** Each series' name once, in order (a step's error bars share its name). */
const legendNames = (series: { name?: unknown }[]): string[] => [
  ...new Set(series.map((s) => s.name).filter((n): n is string => typeof n === 'string'))
]

export function flowStepOption(flow: FlowView, measure: FlowMeasure): EChartsOption {
  const steps = flowSteps(flow, measure)
  const all = steps.flatMap((s) => s.points.flatMap((p) => [p.K, p.next]))
  const finite = [...all, KC].filter(Number.isFinite)
  const pad = 0.05 * (Math.max(...finite) - Math.min(...finite) || 1)
  const lo = Math.min(...finite) - pad
  const hi = Math.max(...finite) + pad
  const fp = flow.fixedPoint[measure]
  const series: (LineSeriesOption | CustomSeriesOption)[] = [
    {
      type: 'line',
      name: 'K′ = K',
      data: [
        [lo, lo],
        [hi, hi]
      ],
      symbol: 'none',
      silent: true,
      animation: false,
      color: REFERENCE_COLOR,
      lineStyle: { type: 'dashed', width: 1 }
    }
  ]
  steps.forEach(({ step, points }, i) => {
    const name = `step ${step - 1} → ${step}`
    const color = LEVEL_COLORS[i % LEVEL_COLORS.length]!
    const sorted = [...points].sort((a, b) => a.K - b.K)
    series.push({
      type: 'line',
      name,
      color,
      symbol: 'circle',
      symbolSize: 6,
      animation: false,
      data: sorted.map((p) => [p.K, p.next, p.error]),
      tooltip: {
        formatter: (params: unknown) => {
          const { value: v, dataIndex } = params as { value: number[]; dataIndex: number }
          const note = sorted[dataIndex]?.note
          const text = `${name}: K = ${formatNumber(v[0]!, 4)} → K′ = ${formatWithError(v[1]!, v[2]!)}`
          return note ? `${text}<br>${escapeHtml(note)}` : text
        }
      }
    })
    series.push(
      errorBarSeries(
        name,
        points.map((p) => ({ x: p.K, y: p.next, error: p.error })),
        { color }
      )
    )
  })
  if (fp) {
    series.push({
      type: 'line',
      name: fixedPointLabel(fp),
      data: [[fp.value, fp.value]],
      symbol: 'diamond',
      symbolSize: 11,
      color: FIXED_POINT_COLOR,
      animation: false,
      markLine: verticalMark(fp.value, { color: FIXED_POINT_COLOR, width: 1 }),
      markArea:
        Number.isFinite(fp.error) && fp.error > 0
          ? {
              silent: true,
              itemStyle: { color: 'rgba(217,72,15,0.12)' },
              data: [[{ xAxis: fp.value - fp.error }, { xAxis: fp.value + fp.error }]]
            }
          : undefined
    })
  }
  series.push(kcCarrier())
  const { legend, gridBottom } = legendBelow(legendNames(series))
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 16, bottom: gridBottom },
    legend,
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
    const at = p.levels
      .map((l, n) => {
        const x = n === 0 ? p.K : levelCoupling(l, 'nearest', measure)?.value
        const y = n === 0 ? 0 : (levelCoupling(l, 'diagonal', 'fitted')?.value ?? 0)
        return [x ?? Number.NaN, y] as [number, number]
      })
      .filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y))
    const arrows: ArrowDatum[] = at.slice(1).map((q, k) => [at[k]![0], at[k]![1], q[0], q[1]])
    series.push({
      type: 'line',
      name,
      color,
      data: at,
      symbol: 'circle',
      symbolSize: 5,
      lineStyle: { opacity: 0 },
      animation: false,
      tooltip: {
        formatter: (params: unknown) => {
          const v = params as { value: number[]; dataIndex: number }
          return `${name}, level ${v.dataIndex}: K_nn = ${formatNumber(v.value[0]!, 4)}, K_diag = ${formatNumber(v.value[1]!, 4)}`
        }
      }
    })
    series.push({
      type: 'custom',
      name,
      color,
      silent: true,
      animation: false,
      renderItem: renderArrow as never,
      encode: { x: [0, 2], y: [1, 3] },
      data: arrows
    })
  })
  series.push({
    type: 'line',
    name: KC_FLOW_LABEL,
    data: [[KC, 0]],
    symbol: 'diamond',
    symbolSize: 10,
    color: REFERENCE_COLOR,
    animation: false
  })
  const { legend, gridBottom } = legendBelow(legendNames(series))
  return {
    animation: false,
    grid: { left: 70, right: 30, top: 16, bottom: gridBottom },
    legend,
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
      p.levels.map((l) => [
        p.K,
        l.level,
        l.side,
        ...names.flatMap((n) => {
          const e = levelCoupling(l, n, 'fitted')
          return [e?.value ?? Number.NaN, e?.error ?? Number.NaN]
        }),
        l.matched?.K ?? Number.NaN,
        l.matched?.KError ?? Number.NaN
      ])
    )
  }
}
