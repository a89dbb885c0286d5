import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { createSampler } from '@core/ising/mc/sampler'
import { createFeatureComputer, fitCouplings, COUPLING_NAMES, type CouplingName } from '@core/rg/pseudoLikelihood'
import { evenOperators } from '@core/rg/mcrg'

/** `count` configurations of a model by heat bath, `thin` sweeps apart after 500 to equilibrate. */
function draw(model: IsingModel, count: number, thin: number, seed: number): Int8Array {
  const sampler = createSampler(model, 'heatbath', xoshiro128ss(seed))
  for (let s = 0; s < 500; s++) sampler.sweep()
  const N = model.lattice.N
  const out = new Int8Array(count * N)
  for (let k = 0; k < count; k++) {
    for (let s = 0; s < thin; s++) sampler.sweep()
    out.set(sampler.spins, k * N)
  }
  return out
}

function expectWithin(fit: ReturnType<typeof fitCouplings>, name: CouplingName, truth: number, sigmas = 4): void {
  const a = fit.couplings.indexOf(name)
  const [K, err] = [fit.K[a]!, fit.errors[a]!]
  expect(err, `${name}: error bar`).toBeGreaterThan(0)
  expect(Math.abs(K - truth), `${name}: fitted ${K} ± ${err}, true ${truth}`).toBeLessThan(sigmas * err)
}

describe('pseudo-likelihood coupling fit (SCIENCE.md §7)', () => {
  it('local features are ∂S_α/∂s_i: half the change of S_α when s_i flips', () => {
    // S_α from the MCRG operators (an independent implementation), field S = Σ s_i.
    const g = { Lx: 5, Ly: 4 }
    const rng = xoshiro128ss(8)
    const s = Int8Array.from({ length: 20 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    const S = (config: Int8Array, c: CouplingName) =>
      c === 'field' ? config.reduce((t, x) => t + x, 0) : evenOperators(config, 1, g, [c])[0]!
    const f = createFeatureComputer(g, COUPLING_NAMES)(s)
    COUPLING_NAMES.forEach((c, a) => {
      for (let i = 0; i < 20; i++) {
        const flipped = Int8Array.from(s)
        flipped[i] = -flipped[i]! as 1 | -1
        // S is linear in s_i: S(s) − S(flipped) = 2 s_i f_i.
        expect(f[a]![i]! - (S(s, c) - S(flipped, c)) / (2 * s[i]!), `${c} at site ${i}`).toBe(0)
      }
    })
  })

  it('returns a known model’s field and nearest coupling within error bars, and zero diagonal', () => {
    const model = uniformModel(buildLattice({ kind: 'square', Lx: 16, Ly: 16, periodicX: true, periodicY: true }), {
      K: 0.3,
      h: 0.05
    })
    const data = draw(model, 1500, 4, 1)
    const fit = fitCouplings(data, 1500, { Lx: 16, Ly: 16 }, ['field', 'nearest', 'diagonal'])
    expect(fit.converged).toBe(true)
    expectWithin(fit, 'field', 0.05)
    expectWithin(fit, 'nearest', 0.3)
    expectWithin(fit, 'diagonal', 0)
    // The error bars are tight enough to tell K = 0.3 from K = 0.32.
    const a = fit.couplings.indexOf('nearest')
    expect(Math.abs(fit.K[a]! - 0.32)).toBeGreaterThan(4 * fit.errors[a]!)
  })

  it('recovers a diagonal coupling when the model has one', () => {
    const model = uniformModel(
      buildLattice({ kind: 'square', Lx: 12, Ly: 12, periodicX: true, periodicY: true, diagonals: true }),
      { K: 0.2, Kd: 0.08, h: 0 }
    )
    const data = draw(model, 1500, 4, 2)
    const fit = fitCouplings(data, 1500, { Lx: 12, Ly: 12 }, ['nearest', 'diagonal', 'plaquette'])
    expectWithin(fit, 'nearest', 0.2)
    expectWithin(fit, 'diagonal', 0.08)
    expectWithin(fit, 'plaquette', 0)
  })

  it('fits chains', () => {
    const model = uniformModel(buildLattice({ kind: 'chain', N: 64, periodic: true }), { K: 0.6, h: -0.1 })
    const data = draw(model, 1000, 3, 3)
    const fit = fitCouplings(data, 1000, { Lx: 64, Ly: 1 }, ['field', 'nearest', 'third'])
    expectWithin(fit, 'field', -0.1)
    expectWithin(fit, 'nearest', 0.6)
    expectWithin(fit, 'third', 0)
  })

  it('refuses what it cannot fit with a sentence', () => {
    expect(() => fitCouplings(new Int8Array(8), 1, { Lx: 8, Ly: 1 }, ['plaquette'])).toThrow(/chain/)
    expect(() => fitCouplings(new Int8Array(8), 1, { Lx: 4, Ly: 4 }, ['nearest'])).toThrow(/expected 1 configurations/)
    expect(() => fitCouplings(new Int8Array(16), 1, { Lx: 4, Ly: 4 }, [])).toThrow(/at least one/)
  })
})
