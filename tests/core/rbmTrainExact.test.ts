import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { allConfigurations, exactKlDivergence } from '@core/rbm/exact'
import { createTrainer, trainEpoch, trainRbm, type TrainingOptions } from '@core/rbm/train'
import type { Rbm, UnitKind } from '@core/rbm/types'

/**
 * The exact-gradient trainer on small Ising models whose distribution P(v) is enumerated here
 * from the definition P(s) ∝ exp(K Σ_<ij> s_i s_j), independently of src-core.
 */
function isingDistribution(n: number, bonds: [number, number][], K: number, units: UnitKind) {
  const configurations = allConfigurations(n, units)
  const p = new Float64Array(2 ** n)
  let Z = 0
  for (let x = 0; x < p.length; x++) {
    let sum = 0
    for (const [i, j] of bonds) sum += ((x >> i) & 1 ? 1 : -1) * ((x >> j) & 1 ? 1 : -1)
    p[x] = Math.exp(K * sum)
    Z += p[x]
  }
  for (let x = 0; x < p.length; x++) p[x] /= Z
  return { configurations, probabilities: p }
}

const openSquareBonds = (L: number): [number, number][] => {
  const bonds: [number, number][] = []
  for (let y = 0; y < L; y++) {
    for (let x = 0; x < L; x++) {
      if (x + 1 < L) bonds.push([y * L + x, y * L + x + 1])
      if (y + 1 < L) bonds.push([y * L + x, (y + 1) * L + x])
    }
  }
  return bonds
}
const ringBonds = (n: number): [number, number][] =>
  Array.from({ length: n }, (_, i) => [i, (i + 1) % n] as [number, number])

const exactOptions = (epochs: number, rows: number, learningRate: number): TrainingOptions => ({
  method: 'exact',
  k: 0,
  epochs,
  batchSize: rows,
  learningRate,
  momentum: { initial: 0.5, final: 0.9, switchEpoch: 5 },
  l1: 0,
  l2: 0,
  shuffle: false
})

describe('exact-gradient training', () => {
  it('3×3 open Ising at K = 0.5, {0,1} units (converted from ±1 spins): KL(P‖p_λ) < 0.01 nats', () => {
    // allConfigurations(…, '01') is the explicit conversion v = (s + 1)/2 of the spin states.
    const P = isingDistribution(9, openSquareBonds(3), 0.5, '01')
    const rng = xoshiro128ss(5)
    const state = createTrainer(
      { nv: 9, nh: 8, visibleUnits: '01', hiddenUnits: '01' },
      exactOptions(1000, 512, 0.5),
      rng
    )
    const before = exactKlDivergence(state.rbm, P).kl
    trainRbm(state, { ...P.configurations, weights: P.probabilities }, rng)
    const after = exactKlDivergence(state.rbm, P).kl
    expect(before).toBeGreaterThan(0.5)
    expect(after).toBeLessThan(0.01)
  })

  it('8-site periodic chain at K = 0.5, ±1 units: KL(P‖p_λ) < 0.01 nats', () => {
    const P = isingDistribution(8, ringBonds(8), 0.5, 'pm1')
    const rng = xoshiro128ss(6)
    const state = createTrainer(
      { nv: 8, nh: 8, visibleUnits: 'pm1', hiddenUnits: 'pm1' },
      exactOptions(600, 256, 0.2),
      rng
    )
    trainRbm(state, { ...P.configurations, weights: P.probabilities }, rng)
    expect(exactKlDivergence(state.rbm, P).kl).toBeLessThan(0.01)
  })

  it('one full-batch step moves the parameters along −∂KL/∂θ (finite differences)', () => {
    const P = isingDistribution(5, ringBonds(5), 0.4, '01')
    const rng = xoshiro128ss(7)
    const eps = 1e-3
    const options = { ...exactOptions(1, 32, eps), momentum: { initial: 0, final: 0, switchEpoch: 0 } }
    for (const enumerate of ['visible', 'hidden'] as const) {
      const nh = enumerate === 'visible' ? 6 : 3 // the smaller layer is enumerated
      const state = createTrainer(
        { nv: 5, nh, visibleUnits: '01', hiddenUnits: '01' },
        { ...options, init: { kind: 'normal', scale: 0.5 } },
        rng
      )
      const start: Rbm = { ...state.rbm, W: state.rbm.W.slice(), a: state.rbm.a.slice(), b: state.rbm.b.slice() }
      trainEpoch(state, { ...P.configurations, weights: P.probabilities }, rng)
      const kl = (r: Rbm) => exactKlDivergence(r, P).kl
      for (const [key, index] of [
        ['W', 3],
        ['a', 1],
        ['b', 2]
      ] as const) {
        const h = 1e-3
        const plus = { ...start, [key]: start[key].slice() } as Rbm
        const minus = { ...start, [key]: start[key].slice() } as Rbm
        plus[key][index] += h
        minus[key][index] -= h
        const numeric = -(kl(plus) - kl(minus)) / (plus[key][index] - minus[key][index])
        const step = (state.rbm[key][index] - start[key][index]) / eps
        expect(Math.abs(step - numeric), `${enumerate} ${key}[${index}]`).toBeLessThan(
          2e-3 * Math.max(1, Math.abs(numeric))
        )
      }
    }
  })
})
