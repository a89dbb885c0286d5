import { describe, expect, it } from 'vitest'
import {
  curvesOption,
  REFERENCE_COLORS,
  referenceSpan,
  type Curve,
  type Reference
} from '../../src-renderer/src/charts/trainingOptions'

/**
 * The RBM-vs-data monitors: the data's value sits far from the RBM points early in training,
 * and the chart exists to compare the two, so both must be on the axes, the data as a band.
 */
const rbm: Curve[] = [
  {
    name: 'RBM samples',
    points: [
      { x: 1, y: 0.1, error: 0.01 },
      { x: 2, y: 0.15, error: 0.01 }
    ]
  }
]
const data: Reference = { name: 'data (Monte Carlo)', value: 0.8, error: 0.02 }

type Axis = { min?: (v: { min: number; max: number }) => number; max?: (v: { min: number; max: number }) => number }
type Series = { markArea?: { data: [{ yAxis: number }, { yAxis: number }][] } }

describe('RBM-vs-data monitor charts', () => {
  it('the y-axis covers the data’s value and its error bar as well as the RBM points', () => {
    const option = curvesOption(rbm, '|m|', [data])
    const y = option.yAxis as Axis
    expect(typeof y.min).toBe('function')
    const seriesExtent = { min: 0.09, max: 0.16 }
    expect(y.min!(seriesExtent)).toBeLessThanOrEqual(0.09)
    expect(y.max!(seriesExtent)).toBeGreaterThanOrEqual(0.82)
    // The ends are round numbers (steps of 1, 2 or 5 × 10ⁿ), not the data's extremes.
    expect(y.min!(seriesExtent)).toBe(0)
    expect(y.max!(seriesExtent)).toBeCloseTo(1, 12)
  })

  it('draws the data’s error bar as a band', () => {
    const option = curvesOption(rbm, '|m|', [data])
    const band = (option.series as Series[]).find((s) => s.markArea)!.markArea!.data[0]!
    expect(band[0].yAxis).toBeCloseTo(0.78, 12)
    expect(band[1].yAxis).toBeCloseTo(0.82, 12)
  })

  it('draws the data in a colour of its own, named with its value in a legend under the plot, with no label on the plot', () => {
    const option = curvesOption(rbm, '|m|', [data]) as unknown as {
      series: { name: string; color?: string; markLine?: { label: { show: boolean } }; markArea?: unknown }[]
      legend: { type: string; data: string[] }
    }
    const reference = option.series.find((s) => s.markArea)!
    expect(reference.name).toBe('data (Monte Carlo) 0.800 ± 0.020')
    expect(reference.color).toBe(REFERENCE_COLORS[0])
    expect(reference.markLine!.label.show).toBe(false)
    expect(option.legend.type).toBe('plain')
    expect(option.legend.data).toEqual(['RBM samples', 'data (Monte Carlo) 0.800 ± 0.020'])
  })

  it('without references the axis is left to ECharts', () => {
    expect((curvesOption(rbm, 'e').yAxis as Axis).min).toBeUndefined()
    expect(referenceSpan([])).toBeNull()
    expect(
      referenceSpan([
        { name: 'x', value: -1, error: 0.5 },
        { name: 'y', value: 2 }
      ])
    ).toEqual({ lo: -1.5, hi: 2 })
  })
})
