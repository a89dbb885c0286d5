import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { allConfigurations } from '@core/rbm/exact'
import { freeEnergyGap, meanFreeEnergy, pseudoLogLikelihood, reconstructionError } from '@core/rbm/likelihood'
import type { Batch, Rbm } from '@core/rbm/types'
import { UNIT_PAIRS, bruteForce, configuration, expectClose, randomRbm } from './reference/rbmReference'

/** Σ_i ln p(v_i | v_−i) from the brute-force p(v): p(v)/(p(v) + p(v with unit i flipped)). */
function brutePseudoLikelihood(pV: Float64Array, x: number, nv: number): number {
  let sum = 0
  for (let i = 0; i < nv; i++) sum += Math.log(pV[x] / (pV[x] + pV[x ^ (1 << i)]))
  return sum
}

function batchOf(indices: number[], n: number, units: Rbm['visibleUnits']): Batch {
  return { rows: indices.length, cols: n, data: Float32Array.from(indices.flatMap((k) => configuration(k, n, units))) }
}

describe('pseudo-likelihood', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    it(`${vu}/${hu}: the exact form equals Σ_i ln p(v_i | v_−i) by brute force`, () => {
      const rbm = randomRbm(5, 4, vu, hu, 71, 1.5)
      const { pV } = bruteForce(rbm)
      const all = allConfigurations(5, vu)
      const out = new Float64Array(32)
      const mean = pseudoLogLikelihood(rbm, all, { mode: 'exact' }, out)
      let total = 0
      for (let x = 0; x < 32; x++) {
        const expected = brutePseudoLikelihood(pV, x, 5)
        expectClose(out[x], expected, 1e-10, `PL(v=${x})`)
        total += expected
      }
      expectClose(mean, total / 32, 1e-10, 'mean PL')
    })
  }
  it('stochastic form: unit floor(u·nv) per row, value nv·ln p(v_i | v_−i), unbiased', () => {
    const rbm = randomRbm(5, 4, '01', '01', 72, 1.5)
    const { pV } = bruteForce(rbm)
    const x = 13
    const rows = 20000
    const batch = batchOf(
      Array.from({ length: rows }, () => x),
      5,
      '01'
    )
    const out = new Float64Array(rows)
    const mean = pseudoLogLikelihood(rbm, batch, { mode: 'stochastic', rng: xoshiro128ss(5) }, out)
    const replay = xoshiro128ss(5)
    for (let r = 0; r < 50; r++) {
      const i = Math.floor(replay.nextFloat() * 5)
      expectClose(out[r], 5 * Math.log(pV[x] / (pV[x] + pV[x ^ (1 << i)])), 1e-10, `row ${r}, unit ${i}`)
    }
    // The per-unit terms t_i: the estimate averages 5·t_i over a uniform i.
    const terms = Array.from({ length: 5 }, (_, i) => 5 * Math.log(pV[x] / (pV[x] + pV[x ^ (1 << i)])))
    const expected = terms.reduce((s, t) => s + t, 0) / 5
    const sd = Math.sqrt(terms.reduce((s, t) => s + (t - expected) ** 2, 0) / 5 / rows)
    expectClose(mean, expected, 5 * sd, 'stochastic PL mean')
    expectClose(expected, brutePseudoLikelihood(pV, x, 5), 1e-10, 'its expectation is the exact PL')
  })
  it('refuses probabilities in place of configurations', () => {
    const rbm = randomRbm(2, 2, '01', '01', 73)
    expect(() =>
      pseudoLogLikelihood(rbm, { rows: 1, cols: 2, data: Float32Array.of(0.5, 1) }, { mode: 'exact' })
    ).toThrow(/unit 0 is 0.5/)
  })
})

describe('reconstruction error', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    it(`${vu}/${hu}: sampled h gives Σ_h p(h|v)·mean_i (v_i − E[v_i|h])² within 5σ; 'mean' h is exact`, () => {
      const rbm = randomRbm(4, 3, vu, hu, 74, 1)
      const { logJoint } = bruteForce(rbm)
      const x = 6
      const v = configuration(x, 4, vu)
      const onV = vu === '01' ? (f: number) => 1 / (1 + Math.exp(-f)) : (f: number) => Math.tanh(f)
      const meanH = hu === '01' ? (f: number) => 1 / (1 + Math.exp(-f)) : (f: number) => Math.tanh(f)
      const errorGiven = (h: number[]): number => {
        let s = 0
        for (let i = 0; i < 4; i++) {
          let f = rbm.a[i]
          for (let j = 0; j < 3; j++) f += rbm.W[i * 3 + j] * h[j]
          s += (v[i] - onV(f)) ** 2
        }
        return s / 4
      }
      let pSum = 0
      let expected = 0
      let second = 0
      for (let y = 0; y < 8; y++) {
        const p = Math.exp(logJoint[x * 8 + y])
        const e = errorGiven(configuration(y, 3, hu))
        pSum += p
        expected += p * e
        second += p * e * e
      }
      expected /= pSum
      const variance = second / pSum - expected ** 2
      const rows = 20000
      const batch = batchOf(
        Array.from({ length: rows }, () => x),
        4,
        vu
      )
      const sampled = reconstructionError(rbm, batch, { rng: xoshiro128ss(8) })
      expectClose(sampled, expected, 5 * Math.sqrt(variance / rows) + 1e-9, 'sampled reconstruction error')
      // Deterministic variant: h = E[h | v] in the hidden units' scale.
      const hMean = Array.from({ length: 3 }, (_, j) => {
        let f = rbm.b[j]
        for (let i = 0; i < 4; i++) f += v[i] * rbm.W[i * 3 + j]
        return meanH(f)
      })
      expectClose(
        reconstructionError(rbm, batchOf([x], 4, vu), { hidden: 'mean' }),
        errorGiven(hMean),
        1e-6,
        'mean-field reconstruction error'
      )
    })
  }
  it('needs an rng for sampled hidden states', () => {
    const rbm = randomRbm(2, 2, '01', '01', 75)
    expect(() => reconstructionError(rbm, batchOf([1], 2, '01'))).toThrow(/need an rng/)
  })
})

describe('free energy monitors', () => {
  it('mean free energy equals the brute-force mean of F(v)', () => {
    const rbm = randomRbm(5, 4, 'pm1', '01', 76)
    const { freeV } = bruteForce(rbm)
    const picks = [0, 3, 3, 31, 17]
    expectClose(
      meanFreeEnergy(rbm, batchOf(picks, 5, 'pm1')),
      picks.reduce((s, k) => s + freeV[k], 0) / 5,
      1e-5,
      'mean F'
    )
  })
  it('the gap is F(held-out) − F(train) and is positive when the model favours the training set', () => {
    const rbm = randomRbm(5, 4, '01', '01', 77)
    const { freeV, pV } = bruteForce(rbm)
    const order = Array.from({ length: 32 }, (_, k) => k).sort((p, q) => pV[q] - pV[p])
    const train = order.slice(0, 8)
    const heldOut = order.slice(24)
    const gap = freeEnergyGap(rbm, batchOf(train, 5, '01'), batchOf(heldOut, 5, '01'))
    const mean = (ks: number[]): number => ks.reduce((s, k) => s + freeV[k], 0) / ks.length
    expectClose(gap.train, mean(train), 1e-5, 'train F')
    expectClose(gap.heldOut, mean(heldOut), 1e-5, 'held-out F')
    expectClose(gap.gap, mean(heldOut) - mean(train), 1e-5, 'gap')
    expect(gap.gap).toBeGreaterThan(0)
  })
})
