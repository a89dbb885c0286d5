import { describe, expect, it } from 'vitest'
import { errorBarData, errorBarSeries, renderErrorBar } from '../../src-renderer/src/charts/errorBars'
import {
  CROSSINGS_SERIES,
  crossingText,
  exactColor,
  exactLabel,
  exactOverlaySeries,
  KC_LABEL,
  ONSAGER_LABEL,
  seriesLabel,
  sweepChartCsv,
  sweepChartOption
} from '../../src-renderer/src/charts/sweepOptions'
import { legendLines } from '../../src-renderer/src/charts/legendLayout'
import { readSweep, sweepTableCsv, type SweepData } from '../../src-renderer/src/charts/sweepData'
import { kaufmanTorus } from '@core/ising/exact/kaufman'
import { KC, onsagerEnergyPerSpin, onsagerSpecificHeat, onsagerSpontaneousMagnetization } from '@core/ising/onsager'
import type { AnalysisV2 } from '@shared/project/types'
import type { SweepPoint } from '@core/jobs/isingSweep'

/** A saved sweep with smooth made-up values; U4 of sizes L and 2L cross at K = 0.44. */
function makeSweepAnalysis(
  options: { h?: number; Ls?: number[]; Ks?: number[]; equilibrated?: boolean } = {}
): AnalysisV2 {
  const Ls = options.Ls ?? [8, 16]
  const Ks = options.Ks ?? [0.38, 0.42, 0.46, 0.5]
  const h = options.h ?? 0
  const est = (value: number, error: number) => ({ value, error })
  const points: SweepPoint[] = Ls.flatMap((L) =>
    Ks.map((K) => ({
      L,
      K,
      e: est(-2 * K, 0.002),
      c: est(1 + K / L, 0.05),
      m: est(0, 0.01),
      absM: est(K, 0.01),
      m2: est(K * K, 0.01),
      chi: est(L * K, 0.5),
      chiAbs: est(L * K * 0.3, 0.2),
      u4: est(0.5 + (K - 0.44) * L * 0.1, 0.004),
      tauE: 2.5,
      tauAbsM: 4,
      equilibrated: options.equilibrated ?? true,
      acceptance: 0.4
    }))
  )
  return {
    id: 'a1',
    name: 'Sweep near Kc',
    kind: 'ising.sweep',
    sourceId: null,
    spec: { Ls, Ks, h, algorithm: 'wolff', burnIn: 1000, sweeps: 10000, start: 'random' },
    createdAt: '2024-01-01T00:00:00Z',
    arrays: {},
    result: { points } as unknown as Record<string, unknown>
  }
}

type AnySeries = {
  type: string
  name: string
  data: unknown[]
  lineStyle?: { type?: string; width?: number }
  markLine?: { data: { xAxis: number; name: string }[] }
  markArea?: { data: [{ xAxis: number }, { xAxis: number }][] }
}
const seriesOf = (o: object): AnySeries[] => (o as { series: AnySeries[] }).series

function sweep(h = 0, Ls = [8, 16]): SweepData {
  return readSweep(makeSweepAnalysis({ h, Ls }))
}

describe('error bars', () => {
  it('encode each point as [x, y, y − error, y + error] and skip missing values', () => {
    expect(
      errorBarData([
        { x: 0.4, y: -1.2, error: 0.01 },
        { x: 0.5, y: Number.NaN, error: 1 },
        { x: 0.6, y: 2, error: Number.NaN }
      ])
    ).toEqual([
      [0.4, -1.2, -1.21, -1.19],
      [0.6, 2, 2, 2]
    ])
    const s = errorBarSeries('L = 8', [{ x: 1, y: 2, error: 0.5 }], { color: '#123456' })
    expect(s.type).toBe('custom')
    expect(s.encode).toEqual({ x: 0, y: [2, 3] })
    expect(s.name).toBe('L = 8')
  })

  it('draw an I-beam from the lower to the upper end with caps', () => {
    const datum = [0.4, 1, 0.9, 1.1]
    const api = {
      value: (d: number) => datum[d],
      coord: ([x, y]: number[]) => [x * 1000, 500 - y * 100],
      visual: () => '#000'
    }
    const out = renderErrorBar(4)({} as never, api as never) as {
      children: { shape: { x1: number; y1: number; x2: number; y2: number } }[]
    }
    const [stem, low, high] = out.children.map((c) => c.shape)
    expect(stem).toEqual({ x1: 400, y1: 410, x2: 400, y2: 390 })
    expect(low).toEqual({ x1: 396, y1: 410, x2: 404, y2: 410 })
    expect(high).toEqual({ x1: 396, y1: 390, x2: 404, y2: 390 })
  })
})

describe('sweep chart options', () => {
  it('draws one point series and one error-bar series per L with extents value ± error', () => {
    const data = sweep()
    const series = seriesOf(sweepChartOption(data, 'c'))
    for (const L of [8, 16]) {
      const points = series.find((s) => s.type === 'line' && s.name === seriesLabel(L))!
      const bars = series.find((s) => s.type === 'custom' && s.name === seriesLabel(L))!
      const expected = data.points.filter((p) => p.L === L).sort((a, b) => a.K - b.K)
      expect(points.data).toEqual(expected.map((p) => [p.K, p.c.value, p.c.error]))
      expect(bars.data).toEqual(expected.map((p) => [p.K, p.c.value, p.c.value - p.c.error, p.c.value + p.c.error]))
    }
  })

  it('overlays Onsager and Kaufman as thin dashed lines equal to the exact values (h = 0)', () => {
    const data = sweep()
    const grid = [0.3, 0.408, 0.5]
    const e = exactOverlaySeries(data, 'e', grid)
    expect(e.map((s) => s.name)).toEqual([ONSAGER_LABEL, exactLabel(8), exactLabel(16)])
    for (const s of e) expect(s.lineStyle).toMatchObject({ type: 'dashed', width: 1 })
    const onsager = e[0]!.data as [number, number][]
    // SCIENCE.md §5: u(0.408) = −1.15085489096674, e = K·u.
    expect(onsager[1]![1]).toBeCloseTo(0.408 * -1.15085489096674, 12)
    grid.forEach((K, i) => {
      expect(onsager[i]![1]).toBe(K * onsagerEnergyPerSpin(K))
      expect((e[1]!.data as [number, number][])[i]![1]).toBe(kaufmanTorus(8, 8, K).e)
      expect((e[2]!.data as [number, number][])[i]![1]).toBe(kaufmanTorus(16, 16, K).e)
    })
    const c = exactOverlaySeries(data, 'c', grid)
    grid.forEach((K, i) => {
      expect((c[0]!.data as [number, number][])[i]![1]).toBe(onsagerSpecificHeat(K))
      expect((c[1]!.data as [number, number][])[i]![1]).toBe(kaufmanTorus(8, 8, K).c)
    })
    const m = exactOverlaySeries(data, 'absM', grid)
    expect(m.map((s) => s.name)).toEqual([ONSAGER_LABEL])
    expect((m[0]!.data as [number, number][]).map((p) => p[1])).toEqual(
      grid.map((K) => onsagerSpontaneousMagnetization(K))
    )
    expect(exactOverlaySeries(data, 'chi', grid)).toEqual([])
    expect(exactOverlaySeries(data, 'u4', grid)).toEqual([])
  })

  it('has no exact overlays in a field, and no Kaufman curve beyond L = 128', () => {
    for (const q of ['e', 'c', 'absM'] as const) {
      const names = seriesOf(sweepChartOption(sweep(0.1), q)).map((s) => s.name)
      expect(names).not.toContain(ONSAGER_LABEL)
      expect(names.some((n) => n.startsWith('exact'))).toBe(false)
    }
    expect(exactOverlaySeries(sweep(0, [16, 256]), 'e', [0.4]).map((s) => s.name)).toEqual([
      ONSAGER_LABEL,
      exactLabel(16)
    ])
    expect(
      exactOverlaySeries(readSweep({ spec: {}, result: makeSweepAnalysis({ h: 0, Ls: [8] }).result }), 'e')
    ).toEqual([])
  })

  it('marks the Binder crossings on the U4 chart, with exact Kc in zero field, named in the legend', () => {
    const series = seriesOf(sweepChartOption(sweep(), 'u4'))
    const marks = series.find((s) => s.name === CROSSINGS_SERIES)!
    expect(marks.markLine!.data[0]!.xAxis).toBeCloseTo(0.44, 10)
    expect(series.find((s) => s.name === KC_LABEL)!.markLine!.data[0]).toMatchObject({ xAxis: KC, name: KC_LABEL })
    const [lo, hi] = marks.markArea!.data[0]!
    expect(lo.xAxis).toBeLessThan(0.44)
    expect(hi.xAxis).toBeGreaterThan(0.44)
    const field = seriesOf(sweepChartOption(sweep(0.05), 'u4'))
    expect(field.find((s) => s.name === CROSSINGS_SERIES)!.markLine!.data.map((d) => d.name)).toEqual(['8∩16'])
    expect(field.some((s) => s.name === KC_LABEL)).toBe(false)
    const legend = (sweepChartOption(sweep(), 'u4') as { legend: { data: string[] } }).legend.data
    expect(legend).toContain(CROSSINGS_SERIES)
    expect(legend).toContain(KC_LABEL)
  })

  it('writes no label on the plot: references and crossings are named in the legend, where they cover no curve', () => {
    for (const q of ['e', 'c', 'absM', 'u4'] as const) {
      for (const s of seriesOf(sweepChartOption(sweep(0, [4, 8, 16, 32]), q)) as (AnySeries & {
        endLabel?: { show?: boolean }
        markLine?: { label?: { show?: boolean } }
      })[]) {
        expect(s.endLabel?.show ?? false, `${q}: ${s.name}`).toBe(false)
        if (s.markLine) expect(s.markLine.label?.show, `${q}: ${s.name}`).toBe(false)
      }
    }
  })

  it('gives each size’s Monte Carlo points and exact curve one hue but different colours and styles, each named', () => {
    const series = seriesOf(sweepChartOption(sweep(0, [4, 8, 16, 32]), 'e')) as (AnySeries & {
      color?: string
      symbol?: string
    })[]
    for (const L of [4, 8, 16, 32]) {
      const mc = series.find((s) => s.type === 'line' && s.name === seriesLabel(L))!
      const exact = series.find((s) => s.name === exactLabel(L))!
      expect(mc.name).toMatch(/Monte Carlo/)
      expect(exact.name).toMatch(/exact/)
      expect(mc.symbol).toBe('circle')
      expect(exact.symbol).toBe('none')
      expect(exact.lineStyle!.type).toBe('dashed')
      expect(exact.color).not.toBe(mc.color)
      expect(exact.color).toBe(exactColor(mc.color!))
    }
    const colors = series.filter((s) => s.type === 'line').map((s) => s.color)
    expect(new Set(colors).size).toBe(colors.length)
    expect(exactColor('#3b82f6')).toBe('#9dc1fb')
  })

  it('lays the legend out below the plot on wrapping lines, never as pages', () => {
    for (const Ls of [[8], [4, 8, 16, 32], [4, 8, 16, 32, 64, 128, 256, 512]]) {
      const option = sweepChartOption(sweep(0, Ls), 'e') as {
        legend: { type: string; data: string[]; bottom: number }
        grid: { bottom: number }
      }
      expect(option.legend.type).toBe('plain')
      expect(option.legend.data).toEqual([
        ...Ls.flatMap((L) => [seriesLabel(L), ...(L <= 128 ? [exactLabel(L)] : [])]),
        ONSAGER_LABEL
      ])
      expect(option.grid.bottom).toBeGreaterThanOrEqual(48 + 22 * legendLines(option.legend.data))
    }
    expect(legendLines(['a'])).toBe(1)
    expect(legendLines(Array.from({ length: 9 }, (_, i) => `L = ${i} exact (Kaufman)`))).toBeGreaterThanOrEqual(5)
  })

  it('describes a crossing with its error', () => {
    expect(crossingText({ L1: 8, L2: 16, K: 0.44123, error: 0.00091 })).toBe(
      'L = 8 and 16 cross at K = 0.4412 ± 0.0009'
    )
    expect(crossingText({ L1: 16, L2: 32, K: 0.44071, error: 0.00023 })).toBe(
      'L = 16 and 32 cross at K = 0.44071 ± 0.00023'
    )
    expect(crossingText({ L1: 4, L2: 8, K: 0.45, error: Infinity })).toBe('L = 4 and 8 cross at K = 0.45000')
    expect(KC_LABEL).toBe('exact Kc = 0.440687')
  })

  it('exports chart CSVs with exact columns only in zero field, and a full table', () => {
    const csv = sweepChartCsv(sweep(), 'e')
    expect(csv.header).toEqual(['L', 'K', 'e', 'e_error', 'onsager', 'exact_L'])
    const row = csv.rows[0]!
    expect(row[4]).toBe(row[1]! * onsagerEnergyPerSpin(row[1]!))
    expect(row[5]).toBe(kaufmanTorus(row[0]!, row[0]!, row[1]!).e)
    expect(sweepChartCsv(sweep(), 'absM').header).toEqual(['L', 'K', 'absM', 'absM_error', 'onsager'])
    expect(sweepChartCsv(sweep(), 'chiAbs').header).toEqual(['L', 'K', 'chiAbs', 'chiAbs_error'])
    expect(sweepChartCsv(sweep(0.2), 'e').header).toEqual(['L', 'K', 'e', 'e_error'])
    const table = sweepTableCsv(sweep())
    expect(table.header).toEqual([
      'L',
      'K',
      'e',
      'e_error',
      'c',
      'c_error',
      'm',
      'm_error',
      'absM',
      'absM_error',
      'm2',
      'm2_error',
      'chi',
      'chi_error',
      'chiAbs',
      'chiAbs_error',
      'u4',
      'u4_error',
      'tau_e',
      'tau_absM',
      'equilibrated',
      'acceptance'
    ])
    expect(table.rows).toHaveLength(sweep().points.length)
    for (const r of table.rows) expect(r).toHaveLength(table.header.length)
  })

  it('reads saved sweeps defensively', () => {
    expect(readSweep({ spec: {} })).toMatchObject({ h: null, Ls: [], points: [] })
    const data = readSweep({
      spec: { h: 0 },
      result: { points: [null, { L: 8 }, { L: 8, K: 0.4, e: { value: -0.6, error: 0.01 } }] }
    })
    expect(data.points).toHaveLength(1)
    expect(data.points[0]!.e).toEqual({ value: -0.6, error: 0.01 })
    expect(Number.isNaN(data.points[0]!.u4.value)).toBe(true)
    expect(() => sweepChartOption(data, 'u4')).not.toThrow()
  })
})
