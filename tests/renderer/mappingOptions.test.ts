import { describe, expect, it } from 'vitest'
import { computeMapping } from '@core/jobs/mapping'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { rgAnalysisRecord } from '@shared/project/rgRecords'
import { hiddenConfiguration, readMapping, sortedCouplings } from '../../src-renderer/src/charts/mappingData'
import {
  cobwebOption,
  cobwebPath,
  fieldFlowOption,
  flowCsv,
  zeroFieldTanhFlow
} from '../../src-renderer/src/charts/decimationOptions'
import {
  constantOffset,
  hScatterCsv,
  hScatterOption,
  residualBars,
  residualCsv,
  residualHistogramOption
} from '../../src-renderer/src/charts/mappingOptions'
import { scanCouplingsOption, scanCsv, scanExactnessOption } from '../../src-renderer/src/charts/mappingScanOptions'
import type { MappingSpec } from '@core/jobs/mapping'

/** A mapping as the project saves it (JSON, typed arrays as lists). */
function saved(spec: MappingSpec) {
  const result = computeMapping(spec, xoshiro128ss(7))
  const record = rgAnalysisRecord({ id: 'map1', name: 'm', kind: 'mapping', sourceId: null, spec, seed: 7, result })
  return { result, data: readMapping(JSON.parse(JSON.stringify(record))) }
}

type Series = { type: string; name?: string; data: unknown[]; yAxisIndex?: number }
const seriesOf = (option: unknown): Series[] => (option as { series: Series[] }).series

describe('readMapping', () => {
  it('reads a saved 1D decimation back: the numbers, H^RG and H^RBM over 2^M configurations, the flow', () => {
    const { result, data } = saved({ preset: 'decimation-1d', K: 0.8, h: 0.3, M: 4, steps: 3 })
    expect(data.preset).toBe('decimation-1d')
    expect(data.summary).toEqual(result.summary)
    expect(data.HRG).toEqual(Array.from(result.HRG))
    expect(data.HRBM).toHaveLength(16)
    expect(data.flow).toEqual(result.flow)
    expect(data.spec).toMatchObject({ K: 0.8, h: 0.3, seed: 7 })
    expect(data.couplings.majority).toBeNull()
    expect(data.hiddenColumns).toBe(1)
  })

  it('makes malformed fields empty or NaN instead of throwing', () => {
    const d = readMapping({ result: { summary: { deltaF: 'x' }, HRG: 'no', couplings: { rg: [{ order: 2 }] } } })
    expect(d.summary.deltaF).toBeNaN()
    expect(d.HRG).toEqual([])
    expect(d.HRBM).toBeNull()
    expect(d.couplings.rg[0]).toMatchObject({ order: 2, shape: '?', key: '' })
    expect(d.couplings.rg[0]!.value).toBeNaN()
    expect(readMapping({}).residuals).toEqual({ values: [], counts: [], probabilities: [] })
  })

  it('draws a hidden configuration from its index (bit j ⇔ h_j = +1), in rows for a 2D lattice', () => {
    expect(hiddenConfiguration(0b0101, 4)).toBe('↑↓↑↓')
    expect(hiddenConfiguration(0b0111, 4, 2)).toBe('↑↑ / ↑↓')
  })

  it('orders couplings largest |J| first with the constant last', () => {
    const row = (order: number, value: number) => ({
      order,
      shape: String(order),
      key: String(value),
      count: 1,
      value,
      spread: 0,
      example: 0
    })
    expect(sortedCouplings([row(0, -9), row(1, 0.1), row(2, -0.5), row(4, 0.2)]).map((r) => r.value)).toEqual([
      -0.5, 0.2, 0.1, -9
    ])
  })
})

describe('H^RG against H^RBM', () => {
  it('puts one point per h on the diagonal for the 1D decimation (Eq. 21), and exports them', () => {
    const { data } = saved({ preset: 'decimation-1d', K: 0.8, h: 0.3, M: 4 })
    const [diagonal, points] = seriesOf(hScatterOption(data.HRG, data.HRBM!))
    expect(diagonal!.name).toBe('H^RBM = H^RG')
    const [[x0, y0], [x1, y1]] = diagonal!.data as number[][]
    expect([x0, x1]).toEqual([y0, y1])
    expect(points!.data).toHaveLength(16)
    for (const [x, y] of points!.data as number[][]) {
      expect(Math.abs(x! - y!)).toBeLessThan(1e-10)
      expect(x!).toBeGreaterThanOrEqual(x0!)
      expect(x!).toBeLessThanOrEqual(x1!)
    }
    const csv = hScatterCsv(data.HRG, data.HRBM!)
    expect(csv.header).toEqual(['h_index', 'H_RG', 'H_RBM'])
    expect(csv.rows).toHaveLength(16)
  })
})

describe('constant offset of H^RBM', () => {
  it('finds the constant a saved H^RBM carries, and refuses a difference that varies with h', () => {
    expect(constantOffset([1, 2, 3], [6, 7, 8])).toBeCloseTo(5, 14)
    expect(constantOffset([1, 2, 3], [1, 2, 3])).toBe(0)
    expect(constantOffset([1, 2, 3], [6, 7, 8.001])).toBeNull()
    expect(constantOffset([1, 2], [1])).toBeNull()
  })
})

describe('trace residual histogram', () => {
  it('is one narrow bar at r = 0 holding every configuration for an exact kernel', () => {
    const { data } = saved({ preset: 'decimation-1d', K: 0.8, h: 0.3, M: 4 })
    const bars = residualBars(data.residuals)
    expect(bars).toHaveLength(1)
    expect(bars[0]!.count).toBe(256)
    expect(bars[0]!.probability).toBeCloseTo(1, 12)
    expect(bars[0]!.low).toBeLessThan(0)
    expect(bars[0]!.high).toBeGreaterThan(0)
  })

  it('spreads over r ≠ 0 for the counterexample, keeping every configuration and all of P', () => {
    const { data } = saved({ preset: 'lin-tegmark', K: 0.3, a: 1, lambda: 1 })
    const bars = residualBars(data.residuals, 12)
    expect(bars.length).toBeGreaterThan(1)
    expect(bars.length).toBeLessThanOrEqual(12)
    expect(bars.reduce((s, b) => s + b.count, 0)).toBe(2 ** 16)
    expect(bars.reduce((s, b) => s + b.probability, 0)).toBeCloseTo(1, 10)
    expect(Math.max(...bars.map((b) => Math.max(Math.abs(b.low), Math.abs(b.high))))).toBeGreaterThan(0.1)
    const option = residualHistogramOption(data.residuals) as { series: { data: number[][] }[] }
    expect(option.series[0]!.data.reduce((s, d) => s + d[2]!, 0)).toBe(2 ** 16)
    expect(residualCsv(data.residuals).rows).toHaveLength(data.residuals.values.length)
  })
})

describe('λ scan', () => {
  it('plots ΔF and the trace residual (0 for Kadanoff at every λ) and the couplings with their reach', () => {
    const model = {
      lattice: { kind: 'square' as const, Lx: 4, Ly: 4, periodicX: true, periodicY: true },
      uniform: { K: 0.3, h: 0 }
    }
    const { data } = saved({ preset: 'kernel', model, kernel: 'kadanoff', b: 2, lambda: 1, lambdas: [0.5, 1, 4] })
    const scan = data.scan!
    expect(scan.map((p) => p.lambda)).toEqual([0.5, 1, 4])
    const [dF, trace] = seriesOf(scanExactnessOption(scan))
    for (const [, y] of [...dF!.data, ...trace!.data] as number[][]) expect(Math.abs(y!)).toBeLessThan(1e-10)
    const series = seriesOf(scanCouplingsOption(scan))
    expect(series.map((s) => s.name)).toEqual(['J nearest', 'J diagonal', 'J plaquette', 'reach'])
    expect(series[3]!.yAxisIndex).toBe(1)
    // Ferromagnetic K > 0 gives a ferromagnetic coarse bond: J nearest < 0, stronger as λ grows.
    const nearest = (series[0]!.data as number[][]).map((d) => d[1]!)
    expect(nearest.every((J) => J < 0)).toBe(true)
    expect(nearest[2]!).toBeLessThan(nearest[0]!)
    expect(scanCsv(scan).rows[1]!.slice(0, 3)).toEqual([1, scan[1]!.deltaF, scan[1]!.traceResidual])
  })
})

describe('1D decimation flow', () => {
  it('iterates tanh K′ = tanh² K to SCIENCE.md §3’s values from K = 1', () => {
    const t = zeroFieldTanhFlow(1, 3)
    const K = t.map(Math.atanh)
    expect(K[1]).toBeCloseTo(0.662501373678932, 12)
    expect(K[2]).toBeCloseTo(0.350061138945253, 12)
    expect(K[3]).toBeCloseTo(0.113672067460211, 12)
  })

  it('draws the cobweb as a staircase between the map and the diagonal', () => {
    expect(cobwebPath([0.5, 0.25, 0.0625])).toEqual([
      [0.5, 0],
      [0.5, 0.25],
      [0.25, 0.25],
      [0.25, 0.0625],
      [0.0625, 0.0625]
    ])
    const [diagonal, map, flow] = seriesOf(cobwebOption(1, 3))
    expect(diagonal!.name).toBe('t′ = t')
    for (const [x, y] of map!.data as number[][]) expect(y).toBeCloseTo(x! * x!, 14)
    expect(flow!.data).toEqual(cobwebPath(zeroFieldTanhFlow(1, 3)))
  })

  it('draws the (K, h) flow from the input through every step, and exports it with ln A', () => {
    const { data } = saved({ preset: 'decimation-1d', K: 0.8, h: 0.3, M: 4, steps: 4 })
    const [path] = seriesOf(fieldFlowOption(0.8, 0.3, data.flow!))
    const points = path!.data as { value: number[]; label: { show: boolean } }[]
    expect(points).toHaveLength(5)
    expect(points[0]!.value).toEqual([0.8, 0.3, 0])
    expect(points[4]!.value).toEqual([data.flow![3]!.K, data.flow![3]!.h, 4])
    // Steps are named until the flow settles (K⁽³⁾ → K⁽⁴⁾ moves by 10⁻², under 4 % of the range).
    expect(points.map((p) => p.label.show)).toEqual([true, true, true, true, false])
    const csv = flowCsv(0.8, 0.3, data.flow!)
    expect(csv.header).toEqual(['n', 'K', 'h', 'lnA'])
    expect(csv.rows[1]).toEqual([1, data.flow![0]!.K, data.flow![0]!.h, data.flow![0]!.lnA])
  })
})
