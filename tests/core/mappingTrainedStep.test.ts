import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { alignHiddenUnits, trainedRbmStep } from '@core/mapping/trainedStep'
import { blockPartition } from '@core/rg/kernels'
import { rbmHiddenHamiltonian } from '@core/mapping/rbmMapping'
import type { RbmParameters } from '@core/rbm/energy'

describe('a trained RBM as an RG step (4×4 torus, one hidden unit per 2×2 block)', () => {
  it('aligning hidden units permutes and flips them without changing H^RBM up to the relabelling', () => {
    const p = blockPartition(4, 4, 2, 2)
    // Unit j looks at block (3 − j), with sign (−1)^j.
    const W = new Float64Array(16 * 4)
    p.blocks.forEach((sites, B) => sites.forEach((i) => (W[i * 4 + (3 - B)] = 0.7 * (B % 2 ? -1 : 1))))
    const rbm: RbmParameters = {
      nv: 16,
      nh: 4,
      visibleUnits: 'pm1',
      hiddenUnits: 'pm1',
      W,
      a: new Float64Array(16),
      b: Float64Array.of(0.1, 0.2, 0.3, 0.4)
    }
    const aligned = alignHiddenUnits(rbm, p)
    expect(aligned.block).toEqual([3, 2, 1, 0])
    expect(aligned.flipped).toEqual([true, false, true, false])
    for (const B of [0, 1, 2, 3]) expect(aligned.rbm.W[p.blocks[B]![0]! * 4 + B]).toBeCloseTo(0.7, 12)
    // H^RBM is invariant under h_j → −h_j of flipped units and the permutation: compare sorted spectra.
    const sorted = (x: Float64Array) => Array.from(x).sort((a, b) => a - b)
    const before = sorted(rbmHiddenHamiltonian(rbm))
    sorted(rbmHiddenHamiltonian(aligned.rbm)).forEach((v, k) => expect(Math.abs(v - before[k]!)).toBeLessThan(1e-12))
  })

  it('learns P, keeps the mapping identities, and its coarse couplings are ferromagnetic like block-spin RG', () => {
    const step = trainedRbmStep({ K: 0.3, epochs: 30, learningRate: 0.5 }, xoshiro128ss(7))
    expect(step.mapping.maxHDiff).toBeLessThan(1e-10)
    expect(step.mapping.maxEq22).toBeLessThan(1e-10)
    // Four hidden units cannot hold every correlation of 16 spins: KL drops well below the
    // untrained machine's but not to 0 (≈ 0.30 nats at K = 0.3 after convergence).
    expect(step.klBefore).toBeGreaterThan(1)
    expect(step.mapping.kl).toBeLessThan(0.4)
    expect(step.mapping.traceResidualNormalised).toBeGreaterThan(0.1)
    // Normalised, the machine's coarse free energy is the model's: the constant J_∅ sums to −ln Z over 2^M states.
    const constant = step.couplings.rbm.find((r) => r.order === 0)!.value
    const majorityConstant = step.couplings.majority.find((r) => r.order === 0)!.value
    expect(Math.abs(constant - majorityConstant)).toBeLessThan(0.5)
    const nearest = (rows: typeof step.couplings.rbm) => rows.find((r) => r.shape === 'nearest')!.value
    expect(nearest(step.couplings.rbm)).toBeLessThan(0)
    expect(nearest(step.couplings.majority)).toBeLessThan(0)
    // Every block got its own unit.
    expect([...step.block].sort()).toEqual([0, 1, 2, 3])
  })
})
