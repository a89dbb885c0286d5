import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { compareIsingObservables } from '@core/rbm/isingMonitors'
import { createTrainer, trainRbm, type TrainingOptions } from '@core/rbm/train'
import type { Batch, UnitKind } from '@core/rbm/types'

/**
 * CD-1 and PCD on exact samples of the 4×4 periodic Ising model: samples from the trained RBM
 * (long Gibbs chains from the data, error bars from independent chains) reproduce the data's
 * energy and |magnetisation| per site within 3σ.
 *
 * The reference distribution is enumerated here from the definition, independently of
 * src-core: P(s) ∝ exp(K Σ_<ij> s_i s_j) over the 32 bonds of the 4×4 torus.
 */
const L = 4
const N = L * L
const K = 0.3

function isingSamples(rows: number, units: UnitKind, seed: number): Batch {
  const count = 2 ** N
  const cdf = new Float64Array(count)
  let total = 0
  for (let x = 0; x < count; x++) {
    let bonds = 0
    const s = (i: number) => ((x >> i) & 1 ? 1 : -1)
    for (let y = 0; y < L; y++) {
      for (let c = 0; c < L; c++) bonds += s(y * L + c) * (s(y * L + ((c + 1) % L)) + s(((y + 1) % L) * L + c))
    }
    total += Math.exp(K * bonds)
    cdf[x] = total
  }
  const rng = xoshiro128ss(seed)
  const data = new Float32Array(rows * N)
  for (let r = 0; r < rows; r++) {
    const u = rng.nextFloat() * total
    let lo = 0
    let hi = count - 1
    while (lo < hi) {
      const mid = (lo + hi) >> 1
      if (cdf[mid] > u) hi = mid
      else lo = mid + 1
    }
    // Explicit conversion: spin s = ±1 → {0,1} value (s + 1)/2 when the units are '01'.
    for (let i = 0; i < N; i++) {
      const s = (lo >> i) & 1 ? 1 : -1
      data[r * N + i] = units === '01' ? (s + 1) / 2 : s
    }
  }
  return { rows, cols: N, data }
}

/**
 * Sampled negative visible states (the textbook CD-1 estimator): on this model the mean-field
 * reconstruction of the Hinton–Salakhutdinov code ('probabilities') leaves E about 20 % short.
 * PCD uses 200 persistent chains; both need the learning rate to decay to settle.
 */
const base: TrainingOptions = {
  method: 'cd',
  k: 1,
  epochs: 100,
  batchSize: 100,
  learningRate: { schedule: 'exponential', initial: 0.05, decay: 0.95 },
  momentum: { initial: 0.5, final: 0.5, switchEpoch: 5 },
  l1: 0,
  l2: 0,
  shuffle: true,
  negativeVisible: 'samples',
  init: { kind: 'normal', scale: 0.01 }
}

describe('CD-1 and PCD reproduce the physics of 4×4 Ising data', () => {
  const data = isingSamples(3000, 'pm1', 11)
  for (const method of ['cd', 'pcd'] as const) {
    it(`${method}: E and |M| of RBM samples agree with the data within 3σ`, () => {
      const rng = xoshiro128ss(method === 'cd' ? 21 : 22)
      const state = createTrainer(
        { nv: N, nh: 32, visibleUnits: 'pm1', hiddenUnits: 'pm1' },
        { ...base, method, persistentChains: 200 },
        rng
      )
      trainRbm(state, data, rng)
      const cmp = compareIsingObservables(
        state.rbm,
        data,
        { Lx: L, Ly: L, K },
        { rng, chains: 20, burnIn: 500, samplesPerChain: 1000, thin: 2 }
      )
      expect(Math.abs(cmp.zE)).toBeLessThan(3)
      expect(Math.abs(cmp.zAbsM)).toBeLessThan(3)
      // The error bars are statistical, not inflated by stuck chains.
      expect(cmp.model.e.error).toBeLessThan(0.01)
      expect(cmp.data.e.error).toBeLessThan(0.01)
    })
  }
})
