import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { allConfigurations, configurationIndex } from '@core/rbm/exact'
import {
  createGibbsChains,
  gibbsSteps,
  hiddenProbabilities,
  sampleHidden,
  visibleProbabilities
} from '@core/rbm/sampling'
import { UNIT_PAIRS, bruteForce, expectClose, randomRbm } from './reference/rbmReference'

describe('conditionals against brute-force conditionals', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    it(`${vu}/${hu}: p(h_j = on | v) and p(v_i = on | h) for every configuration`, () => {
      const nv = 4
      const nh = 3
      const rbm = randomRbm(nv, nh, vu, hu, 51, 1.5)
      const { logJoint } = bruteForce(rbm)
      const joint = (x: number, y: number): number => Math.exp(logJoint[x * 8 + y])
      const V = allConfigurations(nv, vu)
      const ph = new Float32Array(16 * nh)
      hiddenProbabilities(rbm, V, ph)
      for (let x = 0; x < 16; x++) {
        let total = 0
        const on = [0, 0, 0]
        for (let y = 0; y < 8; y++) {
          total += joint(x, y)
          for (let j = 0; j < nh; j++) if ((y >> j) & 1) on[j] += joint(x, y)
        }
        for (let j = 0; j < nh; j++) expectClose(ph[x * nh + j], on[j] / total, 1e-6, `p(h_${j} | v=${x})`)
      }
      const H = allConfigurations(nh, hu)
      const pv = new Float32Array(8 * nv)
      visibleProbabilities(rbm, H, pv)
      for (let y = 0; y < 8; y++) {
        let total = 0
        const on = [0, 0, 0, 0]
        for (let x = 0; x < 16; x++) {
          total += joint(x, y)
          for (let i = 0; i < nv; i++) if ((x >> i) & 1) on[i] += joint(x, y)
        }
        for (let i = 0; i < nv; i++) expectClose(pv[y * nv + i], on[i] / total, 1e-6, `p(v_${i} | h=${y})`)
      }
    })
  }
})

describe('sampling order and reproducibility', () => {
  it('one uniform per unit in row-major order, on iff u < p', () => {
    const rbm = randomRbm(3, 4, '01', 'pm1', 52)
    const V = allConfigurations(3, '01')
    const probabilities = new Float32Array(8 * 4)
    const sample = new Float32Array(8 * 4)
    const rng = xoshiro128ss(9)
    const replay = xoshiro128ss(9)
    sampleHidden(rbm, V, rng, probabilities, sample)
    for (let k = 0; k < 32; k++) expect(sample[k], `unit ${k}`).toBe(replay.nextFloat() < probabilities[k] ? 1 : -1)
    expect(rng.getState()).toEqual(replay.getState())
  })
  it('the same seed gives the same chains; another seed does not', () => {
    const rbm = randomRbm(5, 3, 'pm1', 'pm1', 53)
    const run = (seed: number): Float32Array => {
      const chains = createGibbsChains(rbm, 10)
      gibbsSteps(rbm, chains, 7, xoshiro128ss(seed))
      return chains.v
    }
    expect(run(1)).toEqual(run(1))
    expect(run(1)).not.toEqual(run(2))
  })
})

describe('Gibbs chains sample the exact distribution (seeded, 5σ bounds)', () => {
  // ±1 units feel fields twice as strong (a pm1 RBM is a 01 one with 4W), so its weights are
  // halved here to keep 100 sweeps from the all-off start well past the mixing time.
  for (const [vu, hu, scale] of [
    ['01', '01', 1],
    ['pm1', 'pm1', 0.5],
    ['01', 'pm1', 0.7]
  ] as const) {
    it(`${vu}/${hu} 4×3: the histogram of (v_k, h) over 20000 independent chains matches p(v, h)`, () => {
      const rbm = randomRbm(4, 3, vu, hu, 54, scale)
      const { logJoint, pV } = bruteForce(rbm)
      const R = 20000
      const chains = createGibbsChains(rbm, R)
      gibbsSteps(rbm, chains, 100, xoshiro128ss(77))
      const countsV = new Float64Array(16)
      const countsJoint = new Float64Array(128)
      for (let r = 0; r < R; r++) {
        const x = configurationIndex(chains.v.subarray(4 * r, 4 * r + 4), vu)
        const y = configurationIndex(chains.h.subarray(3 * r, 3 * r + 3), hu)
        countsV[x]++
        countsJoint[x * 8 + y]++
      }
      // The R chains are independent, so each count is binomial(R, p).
      let chiSquare = 0
      for (let x = 0; x < 16; x++) {
        const sigma = Math.sqrt(R * pV[x] * (1 - pV[x]))
        expectClose(countsV[x], R * pV[x], 5 * sigma + 1e-9, `count of v=${x}`)
        chiSquare += (countsV[x] - R * pV[x]) ** 2 / (R * pV[x])
      }
      // χ² with 15 degrees of freedom: mean 15, sd √30; 15 + 5√30 ≈ 42.
      expect(chiSquare).toBeLessThan(15 + 5 * Math.sqrt(30))
      for (let k = 0; k < 128; k++) {
        const p = Math.exp(logJoint[k])
        expectClose(countsJoint[k], R * p, 5 * Math.sqrt(R * p * (1 - p)) + 1e-9, `count of (v, h) = ${k}`)
      }
    })
  }
  it('the bound is sharp enough to reject a slightly different model', () => {
    const rbm = randomRbm(4, 3, '01', '01', 54, 1)
    const other = { ...rbm, a: rbm.a.map((x) => x + 0.15) }
    const { pV } = bruteForce(other)
    const R = 20000
    const chains = createGibbsChains(rbm, R)
    gibbsSteps(rbm, chains, 40, xoshiro128ss(77))
    const counts = new Float64Array(16)
    for (let r = 0; r < R; r++) counts[configurationIndex(chains.v.subarray(4 * r, 4 * r + 4), '01')]++
    let chiSquare = 0
    for (let x = 0; x < 16; x++) chiSquare += (counts[x] - R * pV[x]) ** 2 / (R * pV[x])
    expect(chiSquare).toBeGreaterThan(15 + 5 * Math.sqrt(30))
  })
})
