import { describe, expect, it } from 'vitest'
import {
  correlationByLevelCsv,
  correlationByLevelOption,
  couplingRows,
  estimateText,
  histogramCentres,
  histogramsByLevelCsv,
  histogramsByLevelOption,
  levelObservableOption,
  levelObservablesCsv,
  readCascade
} from '../../src-renderer/src/charts/rgOptions'
import { flowSteps, readFlow } from '../../src-renderer/src/charts/rgFlowData'
import { flowDiagramOption, flowStepOption, renderArrow } from '../../src-renderer/src/charts/rgFlowOptions'
import { mcrgCsv, readMcrg } from '../../src-renderer/src/charts/mcrgData'
import {
  configurationLevels,
  levelPixels,
  levelSignature,
  blockSizes,
  levelsThatFit
} from '../../src-renderer/src/logic/rgLevels'
import { cascadeFromForm, flowFromForm, mcrgFromForm } from '../../src-renderer/src/logic/rgForms'
import { packRgba } from '../../src-renderer/src/logic/colors'
import { blockStep } from '@core/rg/blockSpin'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { KC } from '@core/ising/onsager'

const est = (value: number | null, error: number | null) => ({ value: value as number, error: error as number })
/** A saved cascade as JSON (NaN already null, as after a save). */
const cascadeAnalysis = {
  result: {
    rule: 'majority',
    b: 2,
    levels: [
      {
        level: 0,
        Lx: 8,
        Ly: 8,
        datasetId: 'data1',
        observables: {
          absM: est(0.3, 0.01),
          m2: est(0.12, 0.01),
          nearest: est(0.5, 0.02),
          correlation: [est(1, 0), est(0.4, 0.03), est(0.2, 0.04)],
          mHistogram: [0.25, 0.5, 0.25]
        },
        fit: { couplings: ['nearest', 'diagonal'], K: [0.41, 0.01], errors: [0.02, 0.01], converged: true },
        matched: { K: 0.42, KError: 0.01, correlation: 0.5, correlationError: 0.02 }
      },
      {
        level: 1,
        Lx: 4,
        Ly: 4,
        datasetId: 'data2',
        observables: {
          absM: est(0.4, 0.02),
          m2: est(0.2, 0.02),
          nearest: est(0.35, 0.03),
          correlation: [est(1, 0), est(0.3, 0.05)],
          mHistogram: [0.3, 0.4, 0.3]
        },
        fit: { couplings: ['nearest'], K: [0.3, 0.04], errors: [0.04], converged: true },
        matched: null,
        note: 'The matched coupling needs a square level of at least 3×3.'
      },
      {
        level: 2,
        Lx: 2,
        Ly: 2,
        datasetId: 'data3',
        observables: {
          absM: est(0.5, null),
          m2: est(0.3, 0.03),
          nearest: est(null, null),
          correlation: [],
          mHistogram: []
        },
        fit: null,
        matched: null
      }
    ]
  }
} as unknown as { result: Record<string, unknown> }

type S = { type: string; name: string; data: unknown[] }
const series = (o: object): S[] => (o as { series: S[] }).series

describe('cascade charts', () => {
  const c = readCascade(cascadeAnalysis)

  it('reads levels, fits, matches and notes; nulls become NaN', () => {
    expect(c.rule).toBe('majority')
    expect(c.levels.map((l) => [l.level, l.Lx, l.datasetId])).toEqual([
      [0, 8, 'data1'],
      [1, 4, 'data2'],
      [2, 2, 'data3']
    ])
    expect(c.levels[1]!.note).toMatch(/3×3/)
    expect(c.levels[2]!.observables!.nearest.value).toBeNaN()
    expect(c.levels[0]!.matched!.K).toBe(0.42)
    expect(readCascade({}).levels).toEqual([])
  })

  it('draws an observable against the level with error bars, skipping missing values', () => {
    const s = series(levelObservableOption(c.levels, 'nearest'))
    expect(s[0]!.data).toEqual([
      [0, 0.5, 0.02],
      [1, 0.35, 0.03]
    ])
    expect(s[1]!.type).toBe('custom')
    expect(s[1]!.data).toEqual([
      [0, 0.5, 0.5 - 0.02, 0.5 + 0.02],
      [1, 0.35, 0.35 - 0.03, 0.35 + 0.03]
    ])
  })

  it('puts C(r) of every level on one chart, one curve and its bars per level', () => {
    const s = series(correlationByLevelOption(c.levels))
    expect(s.map((x) => x.name)).toEqual([
      'level 0 (8×8)',
      'level 0 (8×8)',
      'level 1 (4×4)',
      'level 1 (4×4)',
      'level 2 (2×2)',
      'level 2 (2×2)'
    ])
    expect(s[2]!.data).toEqual([
      [0, 1, 0],
      [1, 0.3, 0.05]
    ])
    expect(correlationByLevelCsv(c.levels).rows).toEqual([
      [0, 0, 1, 0],
      [0, 1, 0.4, 0.03],
      [0, 2, 0.2, 0.04],
      [1, 0, 1, 0],
      [1, 1, 0.3, 0.05]
    ])
  })

  it('draws the m histograms over bin centres of [−1, 1]', () => {
    const x = histogramCentres(3)
    x.forEach((v, i) => expect(v).toBeCloseTo([-2 / 3, 0, 2 / 3][i]!, 14))
    const s = series(histogramsByLevelOption(c.levels))
    expect(s[1]!.data).toEqual([
      [x[0], 0.3],
      [x[1], 0.4],
      [x[2], 0.3]
    ])
    expect(histogramsByLevelCsv(c.levels).rows).toHaveLength(6)
    expect(levelObservablesCsv(c.levels).rows[0]).toEqual([0, 8, 8, 0.3, 0.01, 0.12, 0.01, 0.5, 0.02])
  })

  it('tabulates each fitted coupling per level, blank where not fitted', () => {
    const rows = couplingRows(c.levels)
    expect(rows.map((r) => r.name)).toEqual(['nearest', 'diagonal'])
    expect(rows[0]!.values).toEqual([est(0.41, 0.02), est(0.3, 0.04), null])
    expect(rows[1]!.values).toEqual([est(0.01, 0.01), null, null])
    expect(estimateText(est(0.41, 0.02))).toBe('0.410 ± 0.020')
    expect(estimateText(null)).toBe('—')
  })
})

const flowAnalysis = {
  result: {
    L: 16,
    rule: 'majority',
    b: 2,
    couplings: ['nearest', 'diagonal'],
    points: [0.4, 0.48].map((K) => ({
      K,
      levels: [0, 1, 2].map((level) => ({
        level,
        side: 16 >> level,
        // Below Kc the coupling falls, above it grows: K⁽ⁿ⁾ = K + (K − Kc)·n.
        fit: {
          couplings: ['nearest', 'diagonal'],
          K: [K + (K - KC) * level, 0.05 * level],
          errors: [0.01, 0.005],
          converged: true
        },
        matched: { K: K + (K - KC) * level * 0.9, KError: 0.02, correlation: 0.5, correlationError: 0.01 }
      }))
    })),
    fixedPoint: { matched: { K: 0.44, error: 0.01 }, fitted: { K: KC, error: 0.005 } }
  }
} as unknown as { result: Record<string, unknown> }

describe('flow charts and the MCRG table', () => {
  const flow = readFlow(flowAnalysis)

  it('pairs K before and after each step; the first step starts from the exact starting K', () => {
    const steps = flowSteps(flow, 'fitted')
    expect(steps.map((s) => s.step)).toEqual([1, 2])
    expect(steps[0]!.points[0]!.K).toBe(0.4)
    expect(steps[0]!.points[0]!.next).toBeCloseTo(0.4 + (0.4 - KC), 12)
    expect(steps[1]!.points[1]!.K).toBeCloseTo(0.48 + (0.48 - KC), 12)
    expect(flowSteps(flow, 'matched')[0]!.points[0]!.error).toBe(0.02)
  })

  it('draws K′ = K, the steps with error bars, and the fixed point with its band', () => {
    const o = flowStepOption(flow, 'fitted') as { series: (S & { markArea?: { data: { xAxis: number }[][] } })[] }
    expect(o.series[0]!.name).toBe('K′ = K')
    const fp = o.series.find((s) => s.name.startsWith('fixed point'))!
    expect(fp.data).toEqual([[KC, KC]])
    expect(fp.markArea!.data[0]!.map((p) => p.xAxis)).toEqual([KC - 0.005, KC + 0.005])
    expect(o.series.filter((s) => s.type === 'custom')).toHaveLength(2)
  })

  it('draws the flow in the (nearest, diagonal) plane as arrows level to level', () => {
    const s = series(flowDiagramOption(flow))
    const arrows = s.filter((x) => x.type === 'custom')
    expect(arrows).toHaveLength(2)
    expect(arrows[0]!.data).toHaveLength(2)
    const [x1, y1, x2, y2] = arrows[0]!.data[0] as number[]
    expect([x1, y1, y2]).toEqual([0.4, 0, 0.05])
    expect(x2).toBeCloseTo(0.4 + (0.4 - KC), 12)
    const api = {
      coord: ([x, y]: number[]) => [x! * 100, -y! * 100],
      value: (i: number) => [0, 0, 1, 0][i],
      visual: () => '#123456'
    }
    const g = renderArrow({}, api as never)
    expect(g.children[0]!.shape).toEqual({ x1: 0, y1: -0, x2: 100, y2: -0 })
    expect(g.children[1]!.style).toEqual({ fill: '#123456' })
  })

  it('reads the MCRG levels with their errors', () => {
    const m = readMcrg({
      result: {
        L: 32,
        K: KC,
        rule: 'majority',
        b: 2,
        samples: 100,
        operators: ['nearest'],
        levels: [
          { level: 1, lambda: 2.1, lambdaError: 0.1, yt: 1.07, ytError: 0.07, nu: 0.93, nuError: 0.06, T: [2.1] }
        ]
      }
    })
    expect(m.levels[0]).toEqual({ level: 1, lambda: est(2.1, 0.1), yt: est(1.07, 0.07), nu: est(0.93, 0.06) })
    expect(mcrgCsv(m).rows).toEqual([[1, 2.1, 0.1, 1.07, 0.07, 0.93, 0.06]])
  })
})

describe('levels of one configuration', () => {
  const rng = xoshiro128ss(9)
  const spins = Int8Array.from({ length: 64 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))

  it('are blockStep applied level after level, majority ties by the seeded coin', () => {
    const levels = configurationLevels(spins, { Lx: 8, Ly: 8 }, 2, 'majority', 5, 7)
    expect(levels.map((l) => [l.Lx, l.Ly])).toEqual([
      [8, 8],
      [4, 4],
      [2, 2],
      [1, 1]
    ])
    const coin = xoshiro128ss(7)
    const one = blockStep(spins, 1, { Lx: 8, Ly: 8 }, 2, 'majority', coin)
    expect(Array.from(levels[1]!.data)).toEqual(Array.from(one))
    expect(Array.from(levels[2]!.data)).toEqual(Array.from(blockStep(one, 1, { Lx: 4, Ly: 4 }, 2, 'majority', coin)))
    // The same seed gives the same levels.
    expect(levelSignature(configurationLevels(spins, { Lx: 8, Ly: 8 }, 2, 'majority', 3, 7)[3]!.data)).toBe(
      levelSignature(levels[3]!.data)
    )
  })

  it('averages are real block means; a chain blocks b × 1', () => {
    const avg = configurationLevels(spins, { Lx: 8, Ly: 8 }, 2, 'average', 1)
    expect(avg[1]!.data[0]).toBeCloseTo((spins[0]! + spins[1]! + spins[8]! + spins[9]!) / 4, 6)
    const chain = configurationLevels(
      Int8Array.from([1, 1, -1, 1, -1, -1, 1, -1, 1]),
      { Lx: 9, Ly: 1 },
      3,
      'majority',
      2
    )
    expect(chain.map((l) => Array.from(l.data))).toEqual([[1, 1, -1, 1, -1, -1, 1, -1, 1], [1, -1, 1], [1]])
    expect(blockSizes({ Lx: 12, Ly: 12 })).toEqual([2, 3, 4])
    expect(levelsThatFit({ Lx: 16, Ly: 16 }, 2, 9)).toBe(4)
  })

  it('paints ±1 in the spin colours and averages in between', () => {
    const up = [200, 100, 0, 255] as [number, number, number, number]
    const down = [0, 0, 100, 255] as [number, number, number, number]
    const px = levelPixels(Float32Array.from([1, -1, 0, 0.5]), up, down)
    expect(px[0]).toBe(packRgba(up))
    expect(px[1]).toBe(packRgba(down))
    expect(px[2]).toBe(packRgba([100, 50, 50, 255]))
    expect(px[3]).toBe(packRgba([150, 75, 25, 255]))
  })
})

describe('RG forms', () => {
  const cascade = { rule: 'majority' as const, b: '2', levels: '3', couplings: ['nearest' as const], seed: '5' }

  it('accept a cascade that fits and say what to fix otherwise', () => {
    expect(cascadeFromForm(cascade, { Lx: 16, Ly: 16 })).toEqual({
      rule: 'majority',
      b: 2,
      levels: 3,
      couplings: ['nearest'],
      seed: 5
    })
    expect(cascadeFromForm({ ...cascade, levels: '5' }, { Lx: 16, Ly: 16 })).toBe(
      'A 16×16 lattice allows 1 to 4 levels of 2×2 blocks.'
    )
    expect(cascadeFromForm({ ...cascade, b: '3' }, { Lx: 16, Ly: 16 })).toMatch(/does not divide the 16×16 lattice/)
    expect(cascadeFromForm({ ...cascade, b: '1' }, { Lx: 16, Ly: 16 })).toMatch(/at least 2/)
    expect(cascadeFromForm({ ...cascade, seed: '-1' }, { Lx: 16, Ly: 16 })).toMatch(/seed/)
  })

  it('validate flows and MCRG with the engines’ sentences', () => {
    const flow = {
      L: '16',
      Ks: '0.4, 0.45',
      rule: 'majority' as const,
      b: '2',
      levels: '2',
      count: '50',
      between: '1',
      burnIn: '10',
      couplings: ['nearest' as const],
      seed: '1'
    }
    expect(flowFromForm(flow)).toMatchObject({ spec: { L: 16, Ks: [0.4, 0.45], levels: 2 }, seed: 1 })
    expect(flowFromForm({ ...flow, Ks: '0.4, x' })).toMatch(/^Give the starting couplings/)
    expect(flowFromForm({ ...flow, couplings: ['diagonal'] })).toBe('The flow fits at least the nearest coupling.')
    expect(flowFromForm({ ...flow, levels: '9' })).toMatch(/^A 16² lattice allows 4 levels/)
    const mcrg = {
      L: '32',
      K: '0.4406868',
      rule: 'majority' as const,
      b: '2',
      levels: '3',
      count: '100',
      between: '1',
      burnIn: '10',
      operators: ['nearest' as const],
      seed: '2'
    }
    expect(mcrgFromForm(mcrg)).toMatchObject({ spec: { L: 32, K: 0.4406868, levels: 3 }, seed: 2 })
    expect(mcrgFromForm({ ...mcrg, levels: '4' })).toMatch(/^A 32² lattice allows 3 MCRG levels/)
    expect(mcrgFromForm({ ...mcrg, K: '' })).toMatch(/^The coupling K must be a number/)
    expect(mcrgFromForm({ ...mcrg, operators: [] })).toBe('Choose at least one even operator.')
  })
})
