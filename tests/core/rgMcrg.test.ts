import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { enumerateExact } from '@core/ising/exact/enumeration'
import { createTorusChain } from '@core/ising/torus/chain'
import { blockCascade } from '@core/rg/blockSpin'
import { exactNearestCorrelation, matchCoupling, matchedCoupling } from '@core/rg/matchedCoupling'
import { leadingEigenvalue, mcrg } from '@core/rg/mcrg'

const KC = 0.5 * Math.log(1 + Math.SQRT2)

/** `count` configurations of the L×L torus at K by Wolff, two sweeps apart. */
function wolffSamples(L: number, K: number, count: number, seed: number): Int8Array {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K,
    h: 0
  })
  const chain = createTorusChain(model, 'wolff', xoshiro128ss(seed), 'random')!
  for (let i = 0; i < 200; i++) chain.sweep()
  const out = new Int8Array(count * L * L)
  for (let k = 0; k < count; k++) {
    chain.sweep()
    chain.sweep()
    out.set(chain.spins, k * L * L)
  }
  return out
}

describe('matched coupling (SCIENCE.md §7)', () => {
  it('the exact nearest-neighbour correlation agrees with enumeration on the 4×4 torus', () => {
    for (const K of [0.1, 0.3, KC, 0.7]) {
      const model = uniformModel(buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true }), {
        K,
        h: 0
      })
      const e = enumerateExact(model)
      // ⟨v_0 v_1⟩ (a horizontal bond) from enumeration's correlation matrix.
      expect(Math.abs(exactNearestCorrelation(4, 4, K) - e.correlations![1]!)).toBeLessThan(1e-12)
    }
  })
  it('inverts the correlation curve', () => {
    for (const K of [0.05, 0.25, 0.44, 1.2])
      expect(Math.abs(matchCoupling(6, 6, exactNearestCorrelation(6, 6, K)) - K)).toBeLessThan(1e-10)
    expect(() => matchCoupling(2, 2, 0.5)).toThrow(/at least 3×3/)
  })
  it('returns the K of samples drawn from a known torus within its error bar', () => {
    const data = wolffSamples(8, 0.35, 3000, 5)
    const m = matchedCoupling(data, 3000, { Lx: 8, Ly: 8 })
    expect(m.KError).toBeGreaterThan(0)
    expect(Math.abs(m.K - 0.35), `K = ${m.K} ± ${m.KError}`).toBeLessThan(4 * m.KError)
    expect(m.KError).toBeLessThan(0.01)
  })
})

describe("Swendsen's Monte Carlo RG", () => {
  it('finds the leading eigenvalue of a small matrix', () => {
    // Eigenvalues 3 and 1 (triangular).
    expect(Math.abs(leadingEigenvalue(Float64Array.of(3, 5, 0, 1), 2) - 3)).toBeLessThan(1e-10)
  })

  it('gives ν = 1 at Kc on a 32² torus with 2×2 majority blocks (seeded; n·σ bounds)', () => {
    const count = 4000
    const data = wolffSamples(32, KC, count, 1)
    const cascade = blockCascade(data, count, { Lx: 32, Ly: 32 }, 2, 'majority', 3, xoshiro128ss(2))
    const result = mcrg(cascade, count, 2)
    expect(result.levels).toHaveLength(3)
    for (const level of result.levels) {
      expect(level.nuError, `level ${level.level}`).toBeGreaterThan(0)
      expect(level.nuError).toBeLessThan(0.05)
      expect(Math.abs(level.nu - 1), `level ${level.level}: ν = ${level.nu} ± ${level.nuError}`).toBeLessThan(
        3 * level.nuError
      )
      if (level.level >= 2) expect(Math.abs(level.nu - 1)).toBeLessThan(0.1)
    }
  })

  it('away from Kc the thermal eigenvalue is not b (the flow is not at a fixed point)', () => {
    const count = 2000
    const data = wolffSamples(16, 0.3, count, 3)
    const cascade = blockCascade(data, count, { Lx: 16, Ly: 16 }, 2, 'majority', 2, xoshiro128ss(4))
    const result = mcrg(cascade, count, 2)
    const last = result.levels[result.levels.length - 1]!
    expect(Math.abs(last.lambda - 2)).toBeGreaterThan(4 * last.lambdaError)
  })

  it('refuses levels too small for its operators', () => {
    const data = new Int8Array(8 * 64).fill(1)
    const cascade = blockCascade(data, 8, { Lx: 8, Ly: 8 }, 2, 'decimation', 2)
    expect(() => mcrg(cascade, 8, 2)).toThrow(/at least 4×4/)
  })
})
