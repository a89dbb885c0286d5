import type { LineSeriesOption } from 'echarts'
import { KC } from '@core/ising/onsager'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { CompareFlowView, CompareLevelView } from './compareData'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { legendBelow } from './legendLayout'
import { axisNumber, dashedLine, DBN_COLOR, GRID } from './compareStyle'
import { LEVEL_COLORS } from './rgOptions'

// Chart options and CSVs of the RG vs DBN comparison across levels: the RBM flow and the
// similarity per level (one level's panels are in compareLevelOptions.ts; the saved result is
// read by compareData.ts).

export const COMPARE_KC_LABEL = `exact Kc = ${formatNumber(KC, 5)}`
const REFERENCE_COLOR = '#8a93a3'

/**
 * Effective K of every iterate of the RBM flow per starting K, one RG step beside it, and Kc
 * (dashed, named in the legend under the plot: a label on the plot would sit on the flows that
 * start near it).
 */
export function flowOption(flow: readonly CompareFlowView[]): EChartsOption {
  const series = flow.flatMap((f, i) => {
    const color = LEVEL_COLORS[i % LEVEL_COLORS.length]!
    const name = `K₀ = ${formatNumber(f.K, 3)}`
    const pts = f.rbm
      .filter((s) => s.matched && Number.isFinite(s.matched.K))
      .map((s) => ({ x: s.step, y: s.matched!.K, error: s.matched!.KError }))
    const rbm: LineSeriesOption = {
      type: 'line',
      name,
      color,
      symbol: 'circle',
      symbolSize: 6,
      animation: false,
      data: pts.map((p) => [p.x, p.y, p.error])
    }
    const rg: LineSeriesOption = {
      type: 'line',
      name,
      color,
      symbol: 'diamond',
      symbolSize: 9,
      animation: false,
      lineStyle: { type: 'dashed' },
      data:
        f.rg && Number.isFinite(f.rg.K)
          ? [
              [0, f.K],
              [1, f.rg.K, f.rg.KError]
            ]
          : []
    }
    return [rbm, errorBarSeries(name, pts, { color }), rg]
  })
  const kc: LineSeriesOption = {
    type: 'line',
    name: COMPARE_KC_LABEL,
    data: [],
    symbol: 'none',
    silent: true,
    color: REFERENCE_COLOR,
    lineStyle: { type: 'dashed', width: 1, color: REFERENCE_COLOR },
    markLine: { ...dashedLine('', { yAxis: KC }), label: { show: false } }
  }
  const { legend, gridBottom } = legendBelow([...flow.map((f) => `K₀ = ${formatNumber(f.K, 3)}`), COMPARE_KC_LABEL])
  return {
    animation: false,
    grid: { ...GRID, top: 16, right: 24, bottom: gridBottom },
    legend,
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) =>
        `${(p as { seriesName: string }).seriesName}: K = ${formatNumber((p as { value: number[] }).value[1]!, 4)}`
    },
    xAxis: {
      type: 'value',
      name: 'iterate (RBM v → h → v: solid; one RG step: dashed ◆)',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      min: 0
    },
    yAxis: {
      type: 'value',
      name: 'effective K',
      nameLocation: 'middle',
      nameGap: 44,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    series: [...series, kc]
  }
}

/** The similarity per level with its error bar, against ln 2 (a unit identical to a block spin). */
export function similarityOption(levels: readonly CompareLevelView[]): EChartsOption {
  const pts = levels
    .map((l) => ({ x: l.level, y: l.similarity.information, error: l.similarity.informationError }))
    .filter((p) => Number.isFinite(p.y))
  const line: LineSeriesOption = {
    type: 'line',
    name: 'information',
    color: DBN_COLOR,
    symbol: 'circle',
    symbolSize: 8,
    animation: false,
    data: pts.map((p) => [p.x, p.y, p.error]),
    // The line's label past its right end; the sentence under the chart says ln 2 = identical.
    markLine: dashedLine('ln 2', { yAxis: Math.LN2 })
  }
  return {
    animation: false,
    grid: { ...GRID, right: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (p: unknown) => {
        const v = (p as { value: number[] }).value
        return `level ${v[0]}: ${formatNumber(v[1]!, 4)} ± ${formatNumber(v[2]!, 2)} nats`
      }
    },
    xAxis: {
      type: 'value',
      name: 'level',
      nameLocation: 'middle',
      nameGap: 26,
      minInterval: 1,
      min: 0.5,
      max: Math.max(1, ...levels.map((l) => l.level)) + 0.5,
      axisLabel: { formatter: (v: number) => (Number.isInteger(v) ? String(v) : '') }
    },
    yAxis: {
      type: 'value',
      name: 'nats',
      nameLocation: 'middle',
      nameGap: 44,
      min: 0,
      max: 0.8,
      interval: 0.1,
      axisLabel: { formatter: axisNumber }
    },
    series: [line, errorBarSeries('information', pts, { color: DBN_COLOR })]
  }
}

export const flowCsv = (flow: readonly CompareFlowView[]): CsvTable => ({
  header: ['K0', 'rg_step', 'step', 'K', 'K_error'],
  rows: flow.flatMap((f) => [
    ...f.rbm.map((s) => [f.K, 0, s.step, s.matched?.K ?? Number.NaN, s.matched?.KError ?? Number.NaN]),
    ...(f.rg ? [[f.K, 1, 1, f.rg.K, f.rg.KError]] : [])
  ])
})
export const similarityCsv = (levels: readonly CompareLevelView[]): CsvTable => ({
  header: ['level', 'information_nats', 'information_error', 'kl_m'],
  rows: levels.map((l) => [l.level, l.similarity.information, l.similarity.informationError, l.similarity.klM])
})
