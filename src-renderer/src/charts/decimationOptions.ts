import type { Decimation1dStep } from '@core/rg/decimation1d'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { EChartsOption } from './echarts'
import { axisNumber, reference } from './mappingOptions'

// The 1D decimation (SCIENCE.md §3): the cobweb of tanh K′ = tanh² K and the (K, h) flow.

/** tanh K⁽ⁿ⁾ of the zero-field recursion tanh K′ = tanh² K (SCIENCE.md §3), n = 0…steps. */
export function zeroFieldTanhFlow(K: number, steps: number): number[] {
  const t = [Math.tanh(K)]
  for (let n = 0; n < steps; n++) t.push(t[n]! * t[n]!)
  return t
}

/** The cobweb staircase of t ↦ t²: (t₀, 0) → (t₀, t₁) → (t₁, t₁) → (t₁, t₂) → … */
export function cobwebPath(t: readonly number[]): number[][] {
  const path: number[][] = t.length ? [[t[0]!, 0]] : []
  for (let n = 0; n + 1 < t.length; n++) path.push([t[n]!, t[n + 1]!], [t[n + 1]!, t[n + 1]!])
  return path
}

/** Cobweb of tanh K′ = tanh² K from K: the map, the diagonal, and the staircase toward K* = 0. */
export function cobwebOption(K: number, steps: number): EChartsOption {
  const t = zeroFieldTanhFlow(K, steps)
  const lo = Math.min(0, t[0]!)
  const curve = Array.from({ length: 101 }, (_, i) => {
    const x = lo + ((1 - lo) * i) / 100
    return [x, x * x]
  })
  return {
    animation: false,
    grid: { left: 64, right: 28, top: 36, bottom: 48 },
    legend: { top: 0 },
    tooltip: {
      trigger: 'item',
      formatter: (p) =>
        `t = ${formatNumber((p as { value: number[] }).value[0]!, 6)}, t′ = ${formatNumber((p as { value: number[] }).value[1]!, 6)}`
    },
    xAxis: { type: 'value', name: 't = tanh K', nameLocation: 'middle', nameGap: 28, min: lo, max: 1 },
    yAxis: { type: 'value', name: 't′ = tanh K′', nameLocation: 'middle', nameGap: 44, min: 0, max: 1 },
    series: [
      reference(
        't′ = t',
        [
          [Math.max(lo, 0), Math.max(lo, 0)],
          [1, 1]
        ],
        null
      ),
      { type: 'line', name: 't′ = t²', data: curve, showSymbol: false, silent: true },
      {
        type: 'line',
        name: `flow from K = ${formatNumber(K, 4)}`,
        data: cobwebPath(t),
        symbolSize: 5,
        lineStyle: { width: 1.5 }
      }
    ]
  }
}

/** The (K, h) flow of the decimation with a field: K⁽ⁿ⁾ → 0 while h⁽ⁿ⁾ grows to a fixed h*. */
export function fieldFlowOption(K: number, h: number, flow: readonly Decimation1dStep[]): EChartsOption {
  const points = [[K, h, 0], ...flow.map((s, n) => [s.K, s.h, n + 1])]
  // Name the steps that moved: near the fixed point the labels would pile up on one spot.
  const range = Math.max(1e-12, ...points.map((p) => Math.abs(p[0]! - K)), ...points.map((p) => Math.abs(p[1]! - h)))
  const moved = points.map(
    (p, i) => i === 0 || Math.hypot(p[0]! - points[i - 1]![0]!, p[1]! - points[i - 1]![1]!) > 0.04 * range
  )
  return {
    animation: false,
    grid: { left: 64, right: 28, top: 20, bottom: 48 },
    tooltip: {
      trigger: 'item',
      formatter: (p) => {
        const v = (p as { value: number[] }).value
        return `n = ${v[2]}: K = ${formatNumber(v[0]!, 6)}, h = ${formatNumber(v[1]!, 6)}`
      }
    },
    xAxis: {
      type: 'value',
      name: 'K⁽ⁿ⁾',
      nameLocation: 'middle',
      nameGap: 28,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    yAxis: {
      type: 'value',
      name: 'h⁽ⁿ⁾',
      nameLocation: 'middle',
      nameGap: 44,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    series: [
      {
        type: 'line',
        name: '(K, h) flow',
        data: points.map((value, i) => ({ value, label: { show: moved[i] } })),
        symbolSize: 7,
        label: { formatter: (p) => `n = ${(p as { value: number[] }).value[2]}`, position: 'top' }
      }
    ]
  }
}

export function flowCsv(K: number, h: number, flow: readonly Decimation1dStep[]): CsvTable {
  return {
    header: ['n', 'K', 'h', 'lnA'],
    rows: [[0, K, h, Number.NaN], ...flow.map((s, n) => [n + 1, s.K, s.h, s.lnA])]
  }
}
