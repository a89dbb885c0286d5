import { describe, expect, it } from 'vitest'
import { createSampler, MC_ALGORITHMS, type McAlgorithm } from '@core/ising/mc/sampler'
import { createMeasurements, measuredSeries, recordSample } from '@core/ising/mc/measure'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { type Estimate, summarise } from '@core/stats/summary'
import { exactAverages, withShiftedCouplings } from './reference/mcExactReference'

/**
 * Every sampler against exact enumeration (2^N states) on small lattices: E, |M| and C within
 * 4σ of their own jackknife error bars. Each test also runs its comparison against the model with
 * every |K_ij| shifted by 0.02 and requires that to FAIL for the energy, so the bound is tight
 * enough to catch a wrong coupling.
 */
const N_SIGMA = 4
const BURN_IN = 1000
const SWEEPS = 20_000

function square(Lx: number, Ly: number, periodic: boolean) {
  return buildLattice({ kind: 'square', Lx, Ly, periodicX: periodic, periodicY: periodic })
}

function randomBond(): IsingModel {
  const rng = xoshiro128ss(7)
  const model = uniformModel(square(4, 4, true), { K: 0.5 })
  for (let b = 0; b < model.couplings.length; b++) if (rng.nextFloat() < 0.5) model.couplings[b] = -0.5
  return model
}

function randomField(): IsingModel {
  const rng = xoshiro128ss(8)
  const model = uniformModel(square(4, 4, true), { K: 0.35 })
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = rng.nextFloat() < 0.5 ? 0.4 : -0.4
  return model
}

interface Case {
  name: string
  model: IsingModel
  periodic: boolean
  algorithms: readonly McAlgorithm[]
}

const LOCAL: readonly McAlgorithm[] = ['metropolis', 'metropolis-random', 'heatbath']

const CASES: Case[] = [
  {
    name: '4×4 periodic square, K = 0.3, h = 0.1',
    model: uniformModel(square(4, 4, true), { K: 0.3, h: 0.1 }),
    periodic: true,
    algorithms: MC_ALGORITHMS
  },
  {
    name: 'anisotropic 4×4, Kx = 0.5, Ky = 0.2',
    model: uniformModel(square(4, 4, true), { K: 0.5, Kx: 0.5, Ky: 0.2 }),
    periodic: true,
    algorithms: MC_ALGORITHMS
  },
  {
    name: '3×3 open square, K = 0.5, h = 0.05',
    model: uniformModel(square(3, 3, false), { K: 0.5, h: 0.05 }),
    periodic: false,
    algorithms: MC_ALGORITHMS
  },
  {
    name: 'triangular 4×4, K = 0.2, h = −0.1',
    model: uniformModel(buildLattice({ kind: 'triangular', Lx: 4, Ly: 4 }), { K: 0.2, h: -0.1 }),
    periodic: true,
    algorithms: MC_ALGORITHMS
  },
  { name: 'random-bond ±K 4×4, K = 0.5', model: randomBond(), periodic: true, algorithms: LOCAL },
  { name: 'random fields ±0.4 on 4×4, K = 0.35', model: randomField(), periodic: true, algorithms: MC_ALGORITHMS }
]

function run(model: IsingModel, algorithm: McAlgorithm, seed: number) {
  const sampler = createSampler(model, algorithm, xoshiro128ss(seed))
  for (let s = 0; s < BURN_IN; s++) sampler.sweep()
  const meas = createMeasurements(model.lattice, SWEEPS, { correlations: false })
  for (let s = 0; s < SWEEPS; s++) {
    sampler.sweep()
    recordSample(meas, sampler.spins, sampler.energy())
  }
  return summarise(measuredSeries(meas), model.lattice.N)
}

function deviation(label: string, measured: Estimate, exact: number): { sigma: number; text: string } {
  const sigma = (measured.value - exact) / measured.error
  return {
    sigma,
    text: `${label}: measured ${measured.value} ± ${measured.error}, exact ${exact}, ${sigma.toFixed(2)}σ (bound ${N_SIGMA}σ)`
  }
}

describe('samplers against exact enumeration', () => {
  for (const [k, c] of CASES.entries()) {
    const exact = exactAverages(c.model, c.periodic, c.periodic)
    const shifted = exactAverages(withShiftedCouplings(c.model, 0.02), c.periodic, c.periodic)
    for (const algorithm of c.algorithms) {
      it(`${algorithm}: ${c.name}`, () => {
        const s = run(c.model, algorithm, 1000 + 17 * k)
        for (const [label, measured, value] of [
          ['e', s.e, exact.e],
          ['|m|', s.absM, exact.absM],
          ['c', s.c, exact.c]
        ] as const) {
          const d = deviation(label, measured, value)
          expect(Math.abs(d.sigma), d.text).toBeLessThan(N_SIGMA)
        }
        // The same bound with |K| off by 0.02 must fail: the test can fail.
        const wrong = deviation('e (|K| + 0.02)', s.e, shifted.e)
        expect(Math.abs(wrong.sigma), wrong.text).toBeGreaterThan(N_SIGMA)
        expect(s.equilibration.ok, s.equilibration.message).toBe(true)
      })
    }
  }

  it('χ, χ′, m² and U4 of heat bath agree with exact on the 4×4 torus with a field', () => {
    const c = CASES[0]
    const exact = exactAverages(c.model, true, true)
    const s = run(c.model, 'heatbath', 99)
    for (const [label, measured, value] of [
      ['chi', s.chi, exact.chi],
      ['chiAbs', s.chiAbs, exact.chiAbs],
      ['m', s.m, exact.m],
      ['m2', s.m2, exact.m2],
      ['u4', s.u4, exact.u4]
    ] as const) {
      const d = deviation(label, measured, value)
      expect(Math.abs(d.sigma), d.text).toBeLessThan(N_SIGMA)
    }
  })
})
