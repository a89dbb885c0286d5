import { describe, expect, it } from 'vitest'
import { KC } from '@core/ising/onsager'
import type { FlowView } from '../../src-renderer/src/charts/rgFlowData'
import {
  fixedPointLabel,
  flowDiagramOption,
  flowStepOption,
  KC_FLOW_LABEL
} from '../../src-renderer/src/charts/rgFlowOptions'
import { COMPARE_KC_LABEL, flowOption, similarityOption } from '../../src-renderer/src/charts/compareOptions'
import type { CompareFlowView, CompareLevelView } from '../../src-renderer/src/charts/compareData'
import { legendLines, LEGEND_WIDTH } from '../../src-renderer/src/charts/legendLayout'

/**
 * The RG flow's and the comparison's flow charts: legends wrap under the plot (never paged), with
 * room for every line, and the fixed point and exact Kc are named there instead of on the plot.
 */

type Mark = { label?: { show?: boolean; position?: string }; data?: { label?: { show?: boolean } }[] }
type Option = {
  grid: { top: number; bottom: number; right: number }
  legend: { type: string; bottom?: number; top?: number; data: string[] }
  series: { name: string; type: string; markLine?: Mark }[]
}

/** Every label a chart writes on its plot through mark lines (none may show inside the grid). */
const shownMarkLabels = (o: Option): string[] =>
  o.series.flatMap((s) =>
    s.markLine && s.markLine.label?.show !== false && s.markLine.label?.position !== 'end'
      ? [s.name]
      : (s.markLine?.data ?? []).filter((d) => d.label?.show).map(() => s.name)
  )

/** Six starting K, three levels each: K⁽ⁿ⁾ = K + (K − Kc)·n. */
const flow: FlowView = {
  L: 32,
  rule: 'majority',
  b: 2,
  couplings: ['nearest', 'diagonal'],
  points: [0.36, 0.4, 0.42, 0.44, 0.46, 0.5].map((K) => ({
    K,
    levels: [0, 1, 2, 3].map((level) => ({
      level,
      side: 32 >> level,
      fit: {
        couplings: ['nearest', 'diagonal'],
        K: [K + (K - KC) * level, 0.05 * level],
        errors: [0.01, 0.005],
        converged: true
      },
      matched: null
    }))
  })),
  fixedPoint: { matched: null, fitted: { value: 0.4412, error: 0.0031 } }
} as unknown as FlowView

function expectWrappingLegend(o: Option, names: string[]): void {
  expect(o.legend.type).toBe('plain')
  expect(o.legend.data).toEqual(names)
  // Under the plot, with the grid's bottom leaving a line of 22 px for each line of entries.
  expect(o.legend.bottom).toBeDefined()
  const lines = legendLines(names, LEGEND_WIDTH)
  expect(lines).toBeGreaterThan(1)
  expect(o.grid.bottom).toBeGreaterThanOrEqual(40 + lines * 22)
  expect(o.grid.top).toBeLessThan(24)
}

describe('RG flow charts', () => {
  it('K′ against K: the steps, K′ = K, the fixed point with its value and exact Kc in a wrapping legend', () => {
    const o = flowStepOption(flow, 'fitted') as unknown as Option
    const fixed = fixedPointLabel({ value: 0.4412, error: 0.0031 })
    expect(fixed).toBe('fixed point K* = 0.4412 ± 0.0031')
    expectWrappingLegend(o, ['K′ = K', 'step 0 → 1', 'step 1 → 2', 'step 2 → 3', fixed, KC_FLOW_LABEL])
    expect(shownMarkLabels(o)).toEqual([])
    const kc = o.series.find((s) => s.name === KC_FLOW_LABEL)!
    expect((kc.markLine!.data as unknown as { xAxis: number }[])[0]!.xAxis).toBe(KC)
  })

  it('the flow diagram: one legend entry per starting K and Kc, wrapping', () => {
    const o = flowDiagramOption(flow) as unknown as Option
    expectWrappingLegend(o, [...flow.points.map((p) => `K = ${p.K.toFixed(4)}`), KC_FLOW_LABEL])
  })
})

describe('comparison flow charts', () => {
  const compareFlow: CompareFlowView[] = [0.3, 0.4, 0.44, 0.5, 0.55].map((K) => ({
    K,
    rbm: [0, 1, 2].map((step) => ({
      step,
      matched: { K: K - 0.02 * step, KError: 0.01, correlation: 0.4, correlationError: 0.01 }
    })),
    rg: { K: K + 0.05, KError: 0.02, correlation: 0.4, correlationError: 0.01 }
  })) as unknown as CompareFlowView[]

  it('the RBM flow: one entry per starting K and exact Kc, wrapping under the plot, nothing written on it', () => {
    const o = flowOption(compareFlow) as unknown as Option
    expectWrappingLegend(o, [...compareFlow.map((f) => `K₀ = ${f.K.toFixed(3)}`), COMPARE_KC_LABEL])
    expect(shownMarkLabels(o)).toEqual([])
  })

  it('the similarity: ln 2 labelled past the plot’s right end, in the margin kept for it', () => {
    const level = { level: 1, similarity: { information: 0.69, informationError: 0.01, klM: 0 } }
    const o = similarityOption([level as unknown as CompareLevelView]) as unknown as Option
    const mark = o.series[0]!.markLine as Mark & { label: { position: string; formatter: string } }
    expect(mark.label.position).toBe('end')
    const widest = Math.max(...mark.label.formatter.split('\n').map((l) => [...l].length))
    expect(widest * 7 + 5).toBeLessThanOrEqual(o.grid.right)
  })
})
