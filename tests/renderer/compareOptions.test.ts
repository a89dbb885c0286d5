import { describe, expect, it } from 'vitest'
import type { LineSeriesOption } from 'echarts'
import { compareCouplingRows, readCompare, type CompareLevelView } from '../../src-renderer/src/charts/compareData'
import { flowCsv, flowOption, similarityOption } from '../../src-renderer/src/charts/compareOptions'
import {
  correlationOption,
  mHistogramsOption,
  sizeHistogramOption,
  uniformBlockSize
} from '../../src-renderer/src/charts/compareLevelOptions'
import { compareFromForm, type CompareForm } from '../../src-renderer/src/logic/compareForm'
import { configurationCorrelation, unitCorrelation } from '../../src-renderer/src/logic/compareSample'

const est = (value: number, error: number) => ({ value, error })
/** A saved level as JSON gives it (lists, null for NaN). */
const savedLevel = {
  level: 1,
  blockSide: 2,
  rg: {
    Lx: 4,
    Ly: 4,
    observables: {
      absM: est(0.5, 0.01),
      m2: est(0.3, 0.01),
      nearest: est(0.4, 0.02),
      correlation: [est(1, 0), est(0.4, 0.02), est(0.1, 0.03)],
      mHistogram: [0.25, 0.5, 0.25]
    },
    fit: { couplings: ['nearest'], K: [0.3], errors: [0.01] }
  },
  dbn: {
    units: 2,
    x: [0.5, 2.5],
    y: [0.5, 0.5],
    size: [0.7, 1.2],
    block: [0, 1],
    overlap: [1, 0.8],
    sizeHistogram: [0, 1, 1, 0],
    mHistogram: [0.5, 0, 0.5],
    correlationByDistance: [{ r: 2, c: 0.2, pairs: 1 }],
    reconstructionFit: { couplings: ['nearest', 'field'], K: [0.25, null], errors: [0.02, 0.1] }
  },
  similarity: { information: 0.4, informationError: 0.05, klM: 0.1 }
}
const saved = {
  result: {
    levels: [savedLevel],
    flow: [
      {
        K: 0.3,
        rbm: [
          { step: 0, matched: { K: 0.3, KError: 0.01, correlation: 0.3, correlationError: 0.01 } },
          { step: 1, matched: { K: 0.38, KError: 0.02, correlation: 0.4, correlationError: 0.01 } }
        ],
        rg: { K: 0.2, KError: 0.03, correlation: 0.2, correlationError: 0.01 }
      }
    ]
  }
}

describe('reading a saved comparison', () => {
  it('reads levels and flow from JSON, null as NaN, and garbage as empty', () => {
    const v = readCompare(saved)
    expect(v.levels).toHaveLength(1)
    const l = v.levels[0]!
    expect(l.dbn.x).toEqual([0.5, 2.5])
    expect(l.rg.observables!.correlation[1]).toEqual(est(0.4, 0.02))
    expect(l.dbn.reconstructionFit!.K[1]).toBeNaN()
    expect(v.flow[0]!.rbm[1]!.matched!.K).toBe(0.38)
    expect(readCompare({ result: 'nonsense' })).toEqual({ levels: [], flow: [] })
  })
})

describe('comparison charts', () => {
  const level: CompareLevelView = readCompare(saved).levels[0]!
  const sample = { mBlocks: 0.5, mUnits: -0.25, blocks: [{ r: 0, c: 0.75 }], units: [{ r: 2, c: 0.1 }] }

  it('histograms of m: both sides over the bin centres, this sample marked on each', () => {
    const o = mHistogramsOption(level, sample)
    const [rg, dbn] = o.series as LineSeriesOption[]
    const close = (got: unknown, want: number[][]) =>
      (got as number[][]).forEach((p, k) => p.forEach((v, i) => expect(v).toBeCloseTo(want[k]![i]!, 12)))
    close(rg!.data, [
      [-2 / 3, 0.25],
      [0, 0.5],
      [2 / 3, 0.25]
    ])
    close(dbn!.data, [
      [-2 / 3, 0.5],
      [0, 0],
      [2 / 3, 0.5]
    ])
    expect((rg!.markLine as { data: unknown[] }).data).toEqual([{ xAxis: 0.5 }])
    expect((dbn!.markLine as { data: unknown[] }).data).toEqual([{ xAxis: -0.25 }])
    expect((mHistogramsOption(level).series as LineSeriesOption[])[0]!.markLine).toBeUndefined()
  })

  it('C(r): block distances in data-lattice sites (r · bˡ) with error bars, the units by centroid distance, the sample dashed', () => {
    const o = correlationOption(level, sample)
    const series = o.series as { name: string; type: string; data: unknown[] }[]
    expect(series[0]!.data).toEqual([
      [0, 1, 0],
      [2, 0.4, 0.02],
      [4, 0.1, 0.03]
    ])
    expect(series[1]!.type).toBe('custom')
    const bars = series[1]!.data as number[][]
    ;[
      [0, 1, 1, 1],
      [2, 0.4, 0.38, 0.42],
      [4, 0.1, 0.07, 0.13]
    ].forEach((want, k) => want.forEach((v, i) => expect(bars[k]![i]).toBeCloseTo(v, 12)))
    expect(series[2]!.data).toEqual([[2, 0.2, 1]])
    expect(series.map((s) => s.name).slice(3)).toEqual(['this sample: blocks', 'this sample: units (2p − 1)'])
    expect(correlationOption(level).series).toHaveLength(3)
  })

  it('sizes: the bins over [0, b√2] against the RMS radius of a uniform b×b block, √((b² − 1)/6)', () => {
    expect(uniformBlockSize(2)).toBeCloseTo(Math.SQRT1_2, 12) // four sites at distance √½ from the centre
    expect(uniformBlockSize(1)).toBe(0)
    const o = sizeHistogramOption(level)
    const bar = (o.series as { data: number[][]; markLine: { data: unknown[] } }[])[0]!
    const top = 2 * Math.SQRT2
    // Bin edges, the last bin's count repeated at the right edge so the step closes it.
    expect(bar.data.map((d) => d[0])).toEqual([0, 0.25, 0.5, 0.75, 1].map((f) => f * top))
    expect(bar.data.map((d) => d[1])).toEqual([0, 1, 1, 0, 0])
    expect(bar.markLine.data).toEqual([{ xAxis: Math.SQRT1_2 }])
  })

  it('flow: every RBM iterate with its error, one RG step from K₀, and the Kc line', () => {
    const view = readCompare(saved)
    const o = flowOption(view.flow)
    const all = o.series as { name: string; data: unknown[]; markLine?: { data: { yAxis: number }[] } }[]
    const [rbm, bars, rg] = all
    expect(rbm!.data).toEqual([
      [0, 0.3, 0.01],
      [1, 0.38, 0.02]
    ])
    expect(bars!.data).toHaveLength(2)
    expect(rg!.data).toEqual([
      [0, 0.3],
      [1, 0.2, 0.03]
    ])
    expect(all[all.length - 1]!.markLine!.data[0]!.yAxis).toBeCloseTo(0.4406867935, 9)
    expect(flowCsv(view.flow).rows).toEqual([
      [0.3, 0, 0, 0.3, 0.01],
      [0.3, 0, 1, 0.38, 0.02],
      [0.3, 1, 1, 0.2, 0.03]
    ])
  })

  it('similarity: one point per level with its error bar, against ln 2', () => {
    const o = similarityOption([level])
    const [line] = o.series as { data: unknown[]; markLine: { data: { yAxis: number }[] } }[]
    expect(line!.data).toEqual([[1, 0.4, 0.05]])
    expect(line!.markLine.data[0]!.yAxis).toBe(Math.LN2)
  })

  it('couplings: block spins beside the reconstruction fit, a blank where a side did not fit that coupling', () => {
    const rows = compareCouplingRows([level])
    expect(rows.map((r) => r.name)).toEqual(['nearest', 'field'])
    expect(rows[0]!.values[0]).toEqual({ rg: est(0.3, 0.01), dbn: est(0.25, 0.02) })
    expect(rows[1]!.values[0]!.rg).toBeNull()
  })
})

describe('one configuration', () => {
  it('C(r) of a checkerboard and of a uniform configuration on a 4×4 torus', () => {
    const checker = Int8Array.from({ length: 16 }, (_, i) => (((i % 4) + Math.floor(i / 4)) % 2 ? 1 : -1))
    expect(configurationCorrelation(checker, { Lx: 4, Ly: 4 }, 2)).toEqual([
      { r: 0, c: 1 },
      { r: 2, c: -1 },
      { r: 4, c: 1 }
    ])
    expect(configurationCorrelation(new Int8Array(16).fill(1), { Lx: 4, Ly: 4 }, 1).map((p) => p.c)).toEqual([0, 0, 0])
  })
  it('units by 2p − 1, binned by centroid distance on the torus (minimum image)', () => {
    // Three units on a 4×4 torus at x = 0, 1, 3: distances 1 (0–1), 1 (0–3 wraps), 2 (1–3).
    const c = unitCorrelation([1, 0, 1], [0, 1, 3], [0, 0, 0], { Lx: 4, Ly: 4 })
    const m = 1 / 3
    // s = (1, −1, 1), m = 1/3: r = 1 pairs give −1 and +1, the r = 2 pair −1.
    expect(c).toEqual([
      { r: 1, c: 0 - m * m },
      { r: 2, c: -1 - m * m }
    ])
  })
  it('units: the same numbers for every configuration on the same centroids, and for other centroids or grids', () => {
    // The distances between units are binned once per layer; each configuration only sums products.
    const direct = (p: number[], x: number[], y: number[], g: { Lx: number; Ly: number }) => {
      const s = p.map((v) => 2 * v - 1)
      const m = s.reduce((a, v) => a + v, 0) / s.length
      const bins = new Map<number, { sum: number; pairs: number }>()
      const wrap = (d: number, L: number) => Math.min(((d % L) + L) % L, L - (((d % L) + L) % L))
      for (let j = 0; j < s.length; j++)
        for (let k = j + 1; k < s.length; k++) {
          const r = Math.round(Math.hypot(wrap(x[j]! - x[k]!, g.Lx), wrap(y[j]! - y[k]!, g.Ly)))
          const bin = bins.get(r) ?? { sum: 0, pairs: 0 }
          bin.sum += s[j]! * s[k]!
          bin.pairs++
          bins.set(r, bin)
        }
      return [...bins].sort((a, b) => a[0] - b[0]).map(([r, { sum, pairs }]) => ({ r, c: sum / pairs - m * m }))
    }
    let seed = 7
    const next = () => (seed = (seed * 1103515245 + 12345) >>> 0) / 2 ** 32
    const x = Array.from({ length: 30 }, () => 10 * next())
    const y = Array.from({ length: 30 }, () => 10 * next())
    for (const g of [
      { Lx: 10, Ly: 10 },
      { Lx: 10, Ly: 10 },
      { Lx: 12, Ly: 8 }
    ]) {
      const p = Array.from({ length: 30 }, () => next())
      expect(unitCorrelation(p, x, y, g)).toEqual(direct(p, x, y, g))
    }
    const x2 = x.map((v) => (v + 3) % 10)
    const p = Array.from({ length: 30 }, () => next())
    expect(unitCorrelation(p, x2, y, { Lx: 10, Ly: 10 })).toEqual(direct(p, x2, y, { Lx: 10, Ly: 10 }))
  })
})

describe('the Compare with RG form', () => {
  const form = (over: Partial<CompareForm> = {}): CompareForm => ({
    rule: 'majority',
    b: '2',
    couplings: ['nearest'],
    Ks: '0.3, 0.44',
    steps: '3',
    count: '100',
    seed: '5',
    ...over
  })
  it('gives the comparison it describes', () => {
    expect(compareFromForm(form(), { Lx: 16, Ly: 16 })).toEqual({
      rule: 'majority',
      b: 2,
      couplings: ['nearest'],
      seed: 5,
      flow: { Ks: [0.3, 0.44], steps: 3, count: 100 }
    })
    expect(compareFromForm(form({ Ks: ' ' }), { Lx: 16, Ly: 16 })).toEqual({
      rule: 'majority',
      b: 2,
      couplings: ['nearest'],
      seed: 5
    })
  })
  it('says in one sentence what to fix', () => {
    expect(compareFromForm(form({ b: '3' }), { Lx: 16, Ly: 16 })).toMatch(/b = 3 does not divide the 16×16 lattice/)
    expect(compareFromForm(form({ b: '1' }), { Lx: 16, Ly: 16 })).toMatch(/at least 2/)
    expect(compareFromForm(form({ Ks: '0.3, x' }), { Lx: 16, Ly: 16 })).toMatch(/starting K/)
    expect(compareFromForm(form({ steps: '0' }), { Lx: 16, Ly: 16 })).toMatch(/1 to 50 iterates/)
    expect(compareFromForm(form({ count: '5' }), { Lx: 16, Ly: 16 })).toMatch(/10 to 100,000/)
    expect(compareFromForm(form(), { Lx: 16, Ly: 8 })).toMatch(/square tori/)
    expect(compareFromForm(form({ seed: '-1' }), { Lx: 16, Ly: 16 })).toMatch(/seed/)
  })
})
