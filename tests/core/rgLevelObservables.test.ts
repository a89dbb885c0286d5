import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { levelObservables, M_HISTOGRAM_BINS } from '@core/rg/levelObservables'
import { nearestCorrelations } from '@core/rg/matchedCoupling'

describe('observables of a cascade level', () => {
  it('by hand: two 2×2 configurations', () => {
    // All up, and a checkerboard: |m| = (1 + 0)/2, nearest = (1 − 1)/2, C(1) connected.
    const data = Int8Array.from([1, 1, 1, 1, 1, -1, -1, 1])
    const o = levelObservables(data, 2, { Lx: 2, Ly: 2 })
    expect(o.absM.value).toBeCloseTo(0.5, 14)
    expect(o.m2.value).toBeCloseTo(0.5, 14)
    expect(o.nearest.value).toBeCloseTo(0, 14)
    expect(o.correlation[0]!.value).toBeCloseTo(1 - 0.25, 14)
    expect(o.correlation[1]!.value).toBeCloseTo(0 - 0.25, 14)
    expect(o.mHistogram.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 14)
    expect(o.mHistogram[M_HISTOGRAM_BINS - 1]).toBeCloseTo(0.5, 14)
    expect(o.mHistogram[(M_HISTOGRAM_BINS - 1) / 2]).toBeCloseTo(0.5, 14)
  })

  it('independent random spins: C(r ≥ 1) and the nearest correlation vanish within error bars', () => {
    const rng = xoshiro128ss(3)
    const count = 2000
    const data = Int8Array.from({ length: count * 64 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    const o = levelObservables(data, count, { Lx: 8, Ly: 8 })
    expect(Math.abs(o.nearest.value)).toBeLessThan(4 * o.nearest.error)
    for (let r = 1; r < o.correlation.length; r++)
      expect(Math.abs(o.correlation[r]!.value)).toBeLessThan(4 * o.correlation[r]!.error)
    // ⟨|m|⟩ of 64 independent spins ≈ √(2/(π·64)).
    expect(Math.abs(o.absM.value - Math.sqrt(2 / (Math.PI * 64)))).toBeLessThan(4 * o.absM.error + 0.005)
  })

  it('chains count each bond once', () => {
    expect(Array.from(nearestCorrelations(Int8Array.from([1, 1, -1, -1]), 1, { Lx: 4, Ly: 1 }))).toEqual([0])
    expect(Array.from(nearestCorrelations(Int8Array.from([1, 1, 1, 1]), 1, { Lx: 4, Ly: 1 }))).toEqual([1])
  })
})
