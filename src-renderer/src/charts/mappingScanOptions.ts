import type { LineSeriesOption } from 'echarts'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { EChartsOption } from './echarts'
import type { ScanPoint } from './mappingData'
import { axisNumber } from './mappingOptions'

// The λ scan of Kadanoff's kernel (rg/lambdaScan.ts): exactness and the coarse couplings against λ.

const lineOf = (name: string, data: number[][], yAxisIndex = 0): LineSeriesOption => ({
  type: 'line',
  name,
  data,
  symbolSize: 6,
  yAxisIndex
})

/** The Kadanoff kernel's exactness against λ: ΔF and max_v |r(v)| (both 0 for every λ, §7). */
export function scanExactnessOption(scan: readonly ScanPoint[]): EChartsOption {
  return {
    animation: false,
    grid: { left: 72, right: 28, top: 48, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatNumber(Number(v), 4) },
    xAxis: { type: 'value', name: 'λ', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: { type: 'value', name: 'ΔF, max|r|', axisLabel: { formatter: axisNumber } },
    series: [
      lineOf(
        'ΔF',
        scan.map((p) => [p.lambda, p.deltaF])
      ),
      lineOf(
        'max_v |r(v)|',
        scan.map((p) => [p.lambda, p.traceResidual])
      )
    ]
  }
}

/** The coarse couplings against λ (H = Σ J_S Π h: J < 0 ferromagnetic), and their reach on a second axis. */
export function scanCouplingsOption(scan: readonly ScanPoint[]): EChartsOption {
  return {
    animation: false,
    grid: { left: 72, right: 72, top: 48, bottom: 48 },
    legend: { top: 0 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => formatNumber(Number(v), 4) },
    xAxis: { type: 'value', name: 'λ', nameLocation: 'middle', nameGap: 28, scale: true },
    yAxis: [
      { type: 'value', name: 'J', axisLabel: { formatter: axisNumber } },
      { type: 'value', name: 'reach', min: 0, splitLine: { show: false }, axisLabel: { formatter: axisNumber } }
    ],
    series: [
      lineOf(
        'J nearest',
        scan.map((p) => [p.lambda, p.nearest])
      ),
      lineOf(
        'J diagonal',
        scan.map((p) => [p.lambda, p.diagonal])
      ),
      lineOf(
        'J plaquette',
        scan.map((p) => [p.lambda, p.plaquette])
      ),
      {
        ...lineOf(
          'reach',
          scan.map((p) => [p.lambda, p.reach]),
          1
        ),
        lineStyle: { type: 'dotted' }
      }
    ]
  }
}

export function scanCsv(scan: readonly ScanPoint[]): CsvTable {
  return {
    header: ['lambda', 'deltaF', 'trace_residual', 'J_nearest', 'J_diagonal', 'J_plaquette', 'reach'],
    rows: scan.map((p) => [p.lambda, p.deltaF, p.traceResidual, p.nearest, p.diagonal, p.plaquette, p.reach])
  }
}
