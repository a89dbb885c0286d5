import { tsDenseKernels } from '@core/rbm/kernelsTs'
import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { allConfigurations, exactKlDivergence, exactLogLikelihood, exactLogPartition } from '@core/rbm/exact'
import { isingObservables, latticeEnergyMagnetisation } from '@core/rbm/isingMonitors'
import { pseudoLogLikelihood } from '@core/rbm/likelihood'
import { computeMonitors } from '@core/rbm/monitors'
import type { Batch } from '@core/rbm/types'
import { randomRbm } from './reference/rbmReference'

describe('physical monitors', () => {
  it('4×4 torus: the bond sums of all 2^16 states give the density of states of SCIENCE.md §5', () => {
    const all = allConfigurations(16, '01') // {0,1} states, converted to spins inside
    const { H, M } = latticeEnergyMagnetisation(all, '01', { Lx: 4, Ly: 4, K: -1 }) // K = −1: H = Σ bonds
    const counts = new Map<number, number>()
    for (const h of H) counts.set(h, (counts.get(h) ?? 0) + 1)
    const expected: Record<number, number> = { 32: 2, 24: 32, 20: 64, 16: 424, 12: 1728, 8: 6688, 4: 13568, 0: 20524 }
    for (const [e, n] of Object.entries(expected)) {
      expect(counts.get(Number(e))).toBe(n)
      expect(counts.get(-Number(e)) ?? 0).toBe(Number(e) === 0 ? 20524 : n)
    }
    expect(M[0]).toBe(-16)
    expect(M[65535]).toBe(16)
  })

  it('groups give the error bars; c and χ′ = N(⟨m²⟩ − ⟨|m|⟩²) from per-group variances, χ′ named chiAbs', () => {
    const H = Float64Array.from({ length: 400 }, (_, k) => (k % 2 ? -2 : -4))
    const M = Float64Array.from({ length: 400 }, (_, k) => (k % 4 < 2 ? 4 : -4))
    const obs = isingObservables(H, M, 4, 10)
    expect(obs.e.value).toBeCloseTo(-3 / 4, 12)
    expect(obs.e.error).toBe(0)
    expect(obs.absM.value).toBe(1)
    // |M| is constant, so χ′ = 0, while N(⟨m²⟩ − ⟨m⟩²) would be 4: the |m| convention, named so.
    expect(obs.chiAbs.value).toBeCloseTo(0, 12)
    expect(obs).not.toHaveProperty('chi')
    expect(obs.c.value).toBeCloseTo((1 * 40) / 39 / 4, 10)
  })
})

describe('computeMonitors', () => {
  const rbm = randomRbm(6, 4, '01', '01', 3, 1)
  const rng = xoshiro128ss(1)
  const rows = (n: number): Batch => {
    const data = new Float32Array(n * 6)
    for (let k = 0; k < data.length; k++) data[k] = rng.nextFloat() < 0.4 ? 1 : 0
    return { rows: n, cols: 6, data }
  }
  const train = rows(40)
  const heldOut = rows(20)
  const all = allConfigurations(6, '01')
  const P = { configurations: all, probabilities: new Float64Array(64).fill(1 / 64) }

  it('exact log-likelihood, KL, pseudo-likelihood and the free-energy gap', () => {
    const m = computeMonitors(
      rbm,
      train,
      { pseudoLikelihood: 'exact', dataDistribution: P, maxRows: 30 },
      { heldOut, rng: xoshiro128ss(2) }
    )
    const head = { rows: 30, cols: 6, data: train.data.subarray(0, 180) }
    expect(m.logZMethod).toBe('exact')
    expect(m.logZ).toBeCloseTo(exactLogPartition(rbm), 12)
    expect(m.logLikelihood).toBeCloseTo(exactLogLikelihood(rbm, head), 10)
    expect(m.logLikelihoodHeldOut).toBeCloseTo(exactLogLikelihood(rbm, heldOut), 10)
    expect(m.kl).toBeCloseTo(exactKlDivergence(rbm, P).kl, 10)
    // The monitor's hidden fields come from the fp32 kernels (one product over the rows): equal to
    // that computation, and to the double-precision one within fp32 rounding.
    expect(m.pseudoLikelihood).toBeCloseTo(
      pseudoLogLikelihood(rbm, head, { mode: 'exact' }, undefined, tsDenseKernels),
      12
    )
    expect(Math.abs(m.pseudoLikelihood! - pseudoLogLikelihood(rbm, head, { mode: 'exact' }))).toBeLessThan(
      1e-6 * Math.abs(m.pseudoLikelihood!)
    )
    expect(m.freeEnergyGap!.gap).toBeCloseTo(m.freeEnergyGap!.heldOut - m.freeEnergyGap!.train, 12)
    expect(m.reconstructionError).toBeGreaterThan(0)
    expect(m.notes).toEqual([])
  })

  it('AIS when asked, close to the exact ln Z', () => {
    const m = computeMonitors(
      rbm,
      train,
      { logLikelihood: 'ais', ais: { chains: 50, intermediate: 500 } },
      { rng: xoshiro128ss(3) }
    )
    expect(m.logZMethod).toBe('ais')
    expect(Math.abs(m.logZ! - exactLogPartition(rbm))).toBeLessThan(Math.max(0.05, 4 * m.logZStderr!))
  })

  it('probability-valued rows skip the configuration monitors with a note', () => {
    const probs: Batch = { ...train, data: train.data.map((x) => 0.2 + 0.6 * x) }
    const m = computeMonitors(rbm, probs, { physical: { lattice: { Lx: 3, Ly: 2, K: 0.3 } } }, { rng: xoshiro128ss(4) })
    expect(m.pseudoLikelihood).toBeUndefined()
    expect(m.logLikelihood).toBeUndefined()
    expect(m.physical).toBeUndefined()
    expect(m.notes.length).toBe(3)
    expect(m.logZ).toBeDefined()
  })
})
