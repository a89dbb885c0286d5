import { describe, expect, it } from 'vitest'
import {
  ABSM_REFERENCE_LABEL,
  absMChartOption,
  ENERGY_REFERENCE_LABEL,
  energyChartOption,
  MAX_CHART_POINTS,
  onsagerAbsMReference,
  onsagerEnergyReference,
  seriesCsv
} from '../../src-renderer/src/charts/liveOptions'
import { KC, onsagerEnergyPerSpin, onsagerSpontaneousMagnetization } from '@core/ising/onsager'
import { formatNumber } from '../../src-renderer/src/logic/format'

type Series = {
  type: string
  data: [number, number][]
  sampling: string
  showSymbol: boolean
  name: string
  markLine: {
    data: { name?: string; yAxis: number }[]
    lineStyle: { type: string; width: number }
    label: { show: boolean; position?: string; formatter?: string }
  }
}
const firstSeries = (option: object): Series => (option as { series: Series[] }).series[0]
/** The exact reference's own series (named in the legend). */
const referenceSeries = (option: object): Series => (option as { series: Series[] }).series[1]
const legendNames = (option: object): string[] => (option as { legend: { data: string[] } }).legend.data

function input(n: number, K: number, h: number) {
  const sweeps = new Float64Array(n).map((_, i) => i + 1)
  const values = new Float64Array(n).map((_, i) => -1 + 0.001 * Math.sin(i))
  return { sweeps, values, K, h }
}

describe('live chart options', () => {
  it('draws the zero-field exact energy e = K·u(K) as a thin dashed line, named with its value in the legend', () => {
    const K = 0.408
    const option = energyChartOption(input(10, K, 0))
    const s = referenceSeries(option)
    expect(s.markLine.data).toHaveLength(1)
    expect(s.markLine.data[0].yAxis).toBe(K * onsagerEnergyPerSpin(K))
    // SCIENCE.md §5: u(0.408) = −1.15085489096674
    expect(s.markLine.data[0].yAxis).toBeCloseTo(0.408 * -1.15085489096674, 10)
    expect(s.markLine.lineStyle.type).toBe('dashed')
    expect(s.markLine.lineStyle.width).toBeLessThanOrEqual(1)
    expect(s.name).toBe(`${ENERGY_REFERENCE_LABEL} = ${formatNumber(K * onsagerEnergyPerSpin(K))}`)
    expect(legendNames(option)).toEqual([s.name])
    expect((option as { legend: { type: string } }).legend.type).toBe('plain')
  })

  it('writes nothing on the plot: the reference is named in the legend, above the plot', () => {
    for (const option of [energyChartOption(input(10, 0.5, 0)), absMChartOption(input(10, 0.5, 0))]) {
      expect(referenceSeries(option).markLine.label.show).toBe(false)
      const { grid, legend } = option as { grid: { top: number }; legend: { top: number; itemHeight: number } }
      expect(legend.top + legend.itemHeight).toBeLessThan(grid.top)
    }
  })

  it('draws the infinite-lattice |m| when h = 0, equal to Yang’s formula', () => {
    for (const K of [0.3, KC, 0.5, 0.8]) {
      const s = referenceSeries(absMChartOption(input(10, K, 0)))
      expect(s.markLine.data).toEqual([{ yAxis: onsagerSpontaneousMagnetization(K) }])
      expect(s.name.startsWith(ABSM_REFERENCE_LABEL)).toBe(true)
    }
    expect(referenceSeries(absMChartOption(input(10, 0.5, 0))).markLine.data[0].yAxis).toBeGreaterThan(0.9)
  })

  it('stretches the energy axis to keep the reference line in view (ECharts drops lines outside it)', () => {
    const ref = onsagerEnergyReference(0.408)
    const y = (
      energyChartOption(input(10, 0.408, 0)) as { yAxis: { min: (e: object) => number; max: (e: object) => number } }
    ).yAxis
    expect(y.min({ min: -0.41, max: -0.4 })).toBeLessThan(ref)
    expect(y.max({ min: -0.41, max: -0.4 })).toBe(-0.4)
    expect(y.min({ min: -0.9, max: -0.1 })).toBe(-0.9)
    const field = (energyChartOption(input(10, 0.408, 0.2)) as { yAxis: { min?: unknown } }).yAxis
    expect(field.min).toBeUndefined()
  })

  it('has no reference lines in a field (they would not apply)', () => {
    expect(referenceSeries(energyChartOption(input(10, 0.4, 0.1))).markLine.data).toEqual([])
    expect(referenceSeries(absMChartOption(input(10, 0.4, -0.01))).markLine.data).toEqual([])
    expect(legendNames(energyChartOption(input(10, 0.4, 0.1)))).toEqual([])
  })

  it('uses sublattice symmetry for antiferromagnetic K < 0', () => {
    expect(onsagerEnergyReference(-0.5)).toBe(onsagerEnergyReference(0.5))
    expect(onsagerAbsMReference(-0.8)).toBe(0)
    expect(() => energyChartOption(input(3, -0.3, 0))).not.toThrow()
  })

  it('feeds [sweep, value] pairs with LTTB, no symbols and no animation', () => {
    const option = energyChartOption(input(5, 0.4, 0)) as { animation: boolean }
    const s = firstSeries(option)
    expect(option.animation).toBe(false)
    expect(s.type).toBe('line')
    expect(s.sampling).toBe('lttb')
    expect(s.showSymbol).toBe(false)
    expect(s.data[0]).toEqual([1, -1])
    expect(s.data).toHaveLength(5)
  })

  it('gives the chart at most MAX_CHART_POINTS points of a long series', () => {
    const s = firstSeries(energyChartOption(input(200_000, 0.4, 0)))
    expect(s.data.length).toBeLessThanOrEqual(MAX_CHART_POINTS)
    expect(s.data[s.data.length - 1][0]).toBe(200_000)
  })

  it('exports every point as CSV rows', () => {
    const { sweeps, values } = input(3, 0.4, 0)
    expect(seriesCsv('e', sweeps, values)).toEqual({
      header: ['sweep', 'e'],
      rows: [
        [1, values[0]],
        [2, values[1]],
        [3, values[2]]
      ]
    })
  })
})

describe('live charts across parameter changes', () => {
  type Item = { name?: string; xAxis?: number; coord?: [number, number]; label?: { show: boolean; formatter?: string } }
  const spans = [
    { from: 1, to: 40, K: 0.3, h: 0 },
    { from: 41, to: 70, K: 0.6, h: 0 },
    { from: 71, to: 100, K: 0.6, h: 0.1 }
  ]
  const items = (option: object) => firstSeries(option).markLine.data as unknown as (Item | [Item, Item])[]
  const references = (option: object) => referenceSeries(option).markLine.data as unknown as [Item, Item][]

  it('draws each span’s own exact reference, from its first to its last sweep, the last one’s value in the legend', () => {
    const data = references(energyChartOption({ ...input(100, 0.6, 0.1), spans }))
    const pieces = data.filter((d): d is [Item, Item] => Array.isArray(d))
    // h ≠ 0 in the last span: no exact value there, so two pieces.
    expect(pieces.map(([a, b]) => [a.coord, b.coord])).toEqual([
      [
        [1, onsagerEnergyReference(0.3)],
        [40, onsagerEnergyReference(0.3)]
      ],
      [
        [41, onsagerEnergyReference(0.6)],
        [70, onsagerEnergyReference(0.6)]
      ]
    ])
    const absOption = absMChartOption({ ...input(70, 0.6, 0), spans: spans.slice(0, 2) })
    expect(references(absOption).map(([a]) => a.coord![1])).toEqual([0, onsagerAbsMReference(0.6)])
    expect(legendNames(absOption)).toEqual([`${ABSM_REFERENCE_LABEL} = ${formatNumber(onsagerAbsMReference(0.6))}`])
    // In a field now: the earlier spans' lines stay, named without a value.
    expect(legendNames(energyChartOption({ ...input(100, 0.6, 0.1), spans }))).toEqual([ENERGY_REFERENCE_LABEL])
  })

  it('marks where K or h changed with what changed, labelled under the axis, off the plot', () => {
    const option = energyChartOption({ ...input(100, 0.6, 0.1), spans })
    const marks = items(option).filter((d): d is Item => !Array.isArray(d) && d.xAxis !== undefined)
    expect(marks.map((m) => [m.xAxis, m.label!.formatter])).toEqual([
      [40.5, 'K = 0.6'],
      [70.5, 'h = 0.1']
    ])
    const label = firstSeries(option).markLine.label as unknown as { position: string; distance: number }
    expect(label.position).toBe('start')
    // The labels' row lies between the axis's numbers and the zoom slider.
    const bottom = (option as { grid: { bottom: number } }).grid.bottom
    expect(label.distance).toBeGreaterThanOrEqual(16)
    expect(label.distance + 14).toBeLessThanOrEqual(bottom - 18)
    expect((energyChartOption(input(10, 0.5, 0)) as { grid: { bottom: number } }).grid.bottom).toBeLessThan(bottom)
  })

  it('keeps every span’s reference inside the y-axis', () => {
    const y = (
      energyChartOption({ ...input(70, 0.6, 0), spans: spans.slice(0, 2) }) as {
        yAxis: { min: (e: object) => number; max: (e: object) => number }
      }
    ).yAxis
    const extent = { min: -1.001, max: -0.999 }
    expect(y.max(extent)).toBeGreaterThan(onsagerEnergyReference(0.3))
    expect(y.min(extent)).toBeLessThan(onsagerEnergyReference(0.6))
  })
})
