import { describe, expect, it } from 'vitest'
import {
  allConfigurations,
  configurationIndex,
  exactHiddenDistribution,
  exactKlDivergence,
  exactLogLikelihood,
  exactLogPartition,
  exactVisibleDistribution
} from '@core/rbm/exact'
import type { Batch } from '@core/rbm/types'
import { UNIT_PAIRS, bruteForce, configuration, expectClose, randomRbm } from './reference/rbmReference'

const SIZES: [number, number][] = [
  [8, 6],
  [6, 8],
  [5, 5],
  [1, 7]
]

describe('exact ln Z against brute force over all (v, h)', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    for (const [nv, nh] of SIZES) {
      it(`${nv}×${nh} ${vu}/${hu}: visible, hidden and smaller-layer sums all equal brute force`, () => {
        for (const seed of [1, 2]) {
          const rbm = randomRbm(nv, nh, vu, hu, 100 * nv + 10 * nh + seed, 1.2)
          const reference = bruteForce(rbm).logZ
          const tol = 1e-11 * Math.max(1, Math.abs(reference))
          expectClose(exactLogPartition(rbm, { over: 'visible' }), reference, tol, `seed ${seed}, over visible`)
          expectClose(exactLogPartition(rbm, { over: 'hidden' }), reference, tol, `seed ${seed}, over hidden`)
          expectClose(exactLogPartition(rbm), reference, tol, `seed ${seed}, smaller layer`)
        }
      })
    }
  }
  it('strong weights (W ~ 8·N(0,1)) do not overflow', () => {
    const rbm = randomRbm(6, 5, 'pm1', 'pm1', 3, 8)
    const reference = bruteForce(rbm).logZ
    expect(reference).toBeGreaterThan(100)
    expectClose(exactLogPartition(rbm, { over: 'hidden' }), reference, 1e-11 * reference, 'ln Z')
    expectClose(exactLogPartition(rbm, { over: 'visible' }), reference, 1e-11 * reference, 'ln Z')
  })
  it('18 × 20: summing over either layer gives the same ln Z', () => {
    const rbm = randomRbm(18, 20, '01', 'pm1', 4, 0.3)
    const overV = exactLogPartition(rbm, { over: 'visible' })
    const overH = exactLogPartition(rbm, { over: 'hidden' })
    expectClose(overV, overH, 1e-10 * Math.abs(overH), 'ln Z both ways')
  })
  it('refuses layers above 24 units', () => {
    expect(() => exactLogPartition(randomRbm(25, 25, '01', '01', 1))).toThrow(/≤ 24 units/)
  })
})

describe('exact distributions and likelihood', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    it(`${vu}/${hu}: p(v), p(h) and ln p(v) of a batch equal brute force`, () => {
      const rbm = randomRbm(6, 4, vu, hu, 31)
      const brute = bruteForce(rbm)
      const pV = exactVisibleDistribution(rbm)
      const pH = exactHiddenDistribution(rbm)
      expect(pV.length).toBe(64)
      for (let k = 0; k < 64; k++) expectClose(pV[k], brute.pV[k], 1e-13, `p(v=${k})`)
      for (let k = 0; k < 16; k++) expectClose(pH[k], brute.pH[k], 1e-13, `p(h=${k})`)
      const picks = [0, 5, 63, 17]
      const batch: Batch = { rows: 4, cols: 6, data: Float32Array.from(picks.flatMap((k) => configuration(k, 6, vu))) }
      const out = new Float64Array(4)
      const mean = exactLogLikelihood(rbm, batch, { out })
      picks.forEach((k, r) => expectClose(out[r], Math.log(brute.pV[k]), 1e-11, `ln p(v=${k})`))
      expectClose(mean, picks.reduce((s, k) => s + Math.log(brute.pV[k]), 0) / 4, 1e-11, 'mean ln p')
    })
  }
  it('allConfigurations and configurationIndex use bit i = unit i', () => {
    const all = allConfigurations(3, 'pm1')
    expect([...all.data.subarray(5 * 3, 6 * 3)]).toEqual([1, -1, 1])
    for (let k = 0; k < 8; k++) expect(configurationIndex(all.data.subarray(3 * k, 3 * k + 3), 'pm1')).toBe(k)
    expect(() => configurationIndex([0, 1], 'pm1')).toThrow(/unit 1 is 0|unit 0 is 0/)
  })
})

/** Exact distribution of a periodic ±1 Ising chain, H = −K Σ v_i v_{i+1} − h Σ v_i (SCIENCE.md §1). */
function isingChainDistribution(
  n: number,
  K: number,
  field: number
): { configurations: Batch; probabilities: Float64Array } {
  const configurations = allConfigurations(n, 'pm1')
  const logWeights = Array.from({ length: 2 ** n }, (_, k) => {
    const v = configuration(k, n, 'pm1')
    let minusH = 0
    for (let i = 0; i < n; i++) minusH += K * v[i] * v[(i + 1) % n] + field * v[i]
    return minusH
  })
  const z = logWeights.reduce((s, x) => s + Math.exp(x), 0)
  return { configurations, probabilities: Float64Array.from(logWeights, (x) => Math.exp(x) / z) }
}

describe('exact KL(P‖p_λ)', () => {
  it('is zero when P is the model’s own p(v)', () => {
    const rbm = randomRbm(6, 4, 'pm1', 'pm1', 41)
    const p = bruteForce(rbm).pV
    const result = exactKlDivergence(rbm, { configurations: allConfigurations(6, 'pm1'), probabilities: p })
    expectClose(result.kl, 0, 1e-12, 'KL(p‖p)')
    expectClose(result.crossEntropy, result.dataEntropy, 1e-12, 'cross entropy = entropy')
  })
  it('is positive and equals Σ P ln(P/p) for a 6-spin Ising chain (K = 0.5, h = 0.1)', () => {
    const rbm = randomRbm(6, 4, 'pm1', '01', 42)
    const data = isingChainDistribution(6, 0.5, 0.1)
    const p = bruteForce(rbm).pV
    let expected = 0
    for (let k = 0; k < 64; k++) expected += data.probabilities[k] * Math.log(data.probabilities[k] / p[k])
    const result = exactKlDivergence(rbm, data)
    expect(expected).toBeGreaterThan(0.05)
    expectClose(result.kl, expected, 1e-12, 'KL')
    expectClose(result.kl, result.crossEntropy - result.dataEntropy, 1e-12, 'KL = cross entropy − entropy')
  })
  it('merges repeated configurations, skips P = 0 and refuses unnormalised P', () => {
    const rbm = randomRbm(2, 2, '01', '01', 43)
    const p = bruteForce(rbm).pV
    const configurations: Batch = { rows: 5, cols: 2, data: Float32Array.of(0, 0, 1, 0, 0, 1, 1, 1, 0, 0) }
    const probabilities = [p[0] / 2, p[1], 0, p[3] + p[2], p[0] / 2]
    // P = (p0, p1, 0, p2 + p3): KL = (p2 + p3) ln((p2 + p3)/p3).
    const expected = (p[2] + p[3]) * Math.log((p[2] + p[3]) / p[3])
    expectClose(exactKlDivergence(rbm, { configurations, probabilities }).kl, expected, 1e-12, 'KL with repeats')
    expect(() => exactKlDivergence(rbm, { configurations, probabilities: [0.5, 0.5, 0.5, 0, 0] })).toThrow(/sum to 1.5/)
  })
})
