import { describe, expect, it } from 'vitest'
import { FrustratedModelError } from '@core/ising/mc/cluster'
import { createSampler, MC_ALGORITHMS, type McAlgorithm } from '@core/ising/mc/sampler'
import { createMcState } from '@core/ising/mc/state'
import { createWolffWorkspace, estimateWolffUpdatesPerSweep, wolffUpdate } from '@core/ising/mc/wolff'
import { buildLattice } from '@core/lattice/build'
import { modelEnergy, presetModel, uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

function torus(L: number) {
  return buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
}

/** K = 0.4 with random fields ±0.3 and slightly random couplings: nothing uniform to hide behind. */
function messyFerromagnet(L: number, seed: number): IsingModel {
  const rng = xoshiro128ss(seed)
  const model = uniformModel(torus(L), { K: 0.4 })
  for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = 0.3 + 0.2 * rng.nextFloat()
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = rng.nextFloat() < 0.5 ? 0.3 : -0.3
  return model
}

function magnetisationOf(spins: Int8Array): number {
  return spins.reduce((a, v) => a + v, 0)
}

describe('incremental bookkeeping', () => {
  for (const algorithm of MC_ALGORITHMS) {
    it(`${algorithm}: H and Σv stay equal to a recomputation`, () => {
      const model = messyFerromagnet(12, 3)
      const sampler = createSampler(model, algorithm, xoshiro128ss(4))
      for (let s = 0; s < 300; s++) {
        sampler.sweep()
        if (s % 50 === 0) {
          const H = modelEnergy(model, sampler.spins)
          expect(Math.abs(sampler.energy() - H), `sweep ${s}: ${sampler.energy()} vs ${H}`).toBeLessThan(
            1e-9 * (1 + Math.abs(H))
          )
          expect(sampler.magnetisation()).toBe(magnetisationOf(sampler.spins))
        }
      }
      expect(sampler.spins.every((v) => v === 1 || v === -1)).toBe(true)
    })
  }

  for (const algorithm of ['metropolis', 'metropolis-random', 'heatbath'] as const) {
    it(`${algorithm}: bookkeeping also holds on a frustrated model with diagonals`, () => {
      const lattice = buildLattice({ kind: 'square', Lx: 6, Ly: 5, periodicX: true, periodicY: false, diagonals: true })
      const model = uniformModel(lattice, { K: 0.6, Kd: -0.45, h: 0.2 })
      const sampler = createSampler(model, algorithm, xoshiro128ss(5))
      for (let s = 0; s < 200; s++) sampler.sweep()
      expect(sampler.energy()).toBeCloseTo(modelEnergy(model, sampler.spins), 9)
      expect(sampler.magnetisation()).toBe(magnetisationOf(sampler.spins))
    })
  }

  it('setModel keeps the spins, recomputes H, and refuses another lattice', () => {
    const model = messyFerromagnet(8, 6)
    const sampler = createSampler(model, 'wolff', xoshiro128ss(7))
    for (let s = 0; s < 20; s++) sampler.sweep()
    const before = Int8Array.from(sampler.spins)
    const next = uniformModel(model.lattice, { K: 0.2, h: -0.1 })
    sampler.setModel(next)
    expect(sampler.spins).toEqual(before)
    expect(sampler.energy()).toBeCloseTo(modelEnergy(next, sampler.spins), 12)
    for (let s = 0; s < 20; s++) sampler.sweep()
    expect(sampler.energy()).toBeCloseTo(modelEnergy(next, sampler.spins), 9)
    expect(() => sampler.setModel(uniformModel(torus(8), { K: 0.2 }))).toThrow(/same lattice/)
  })
})

describe('seeded runs', () => {
  for (const algorithm of MC_ALGORITHMS) {
    it(`${algorithm}: the same seed gives bit-identical chains`, () => {
      const model = messyFerromagnet(10, 8)
      const trace = (seed: number) => {
        const sampler = createSampler(model, algorithm, xoshiro128ss(seed))
        const energies: number[] = []
        for (let s = 0; s < 100; s++) {
          sampler.sweep()
          energies.push(sampler.energy())
        }
        return { energies, spins: Int8Array.from(sampler.spins), acceptance: sampler.acceptance() }
      }
      const a = trace(11)
      expect(trace(11)).toEqual(a)
      expect(trace(12).energies).not.toEqual(a.energies)
    })
  }
})

describe('cluster samplers refuse frustrated models', () => {
  const model = uniformModel(torus(4), { K: 0.4 })
  model.couplings[12] = -0.4
  for (const algorithm of ['wolff', 'sw'] as McAlgorithm[]) {
    it(`${algorithm} throws one sentence naming the bond`, () => {
      const sentence =
        'Cluster algorithms need ferromagnetic couplings (all K_ij ≥ 0); bond 12 has K = −0.4. Use Metropolis or heat bath.'
      expect(() => createSampler(model, algorithm, xoshiro128ss(1))).toThrow(sentence)
      expect(() => createSampler(model, algorithm, xoshiro128ss(1))).toThrow(FrustratedModelError)
      const ok = createSampler(uniformModel(model.lattice, { K: 0.4 }), algorithm, xoshiro128ss(1))
      expect(() => ok.setModel(model)).toThrow(sentence)
    })
  }
  it('the spin-glass and antiferromagnet presets are refused, local samplers accept them', () => {
    const glass = presetModel('spin-glass', { L: 6, rng: xoshiro128ss(2) })
    expect(() => createSampler(glass, 'sw', xoshiro128ss(1))).toThrow(/Cluster algorithms need ferromagnetic couplings/)
    expect(() => createSampler(presetModel('antiferromagnet', { L: 6 }), 'wolff', xoshiro128ss(1))).toThrow(
      /Use Metropolis or heat bath/
    )
    for (const algorithm of ['metropolis', 'metropolis-random', 'heatbath'] as const) {
      expect(() => createSampler(glass, algorithm, xoshiro128ss(1)).sweep()).not.toThrow()
    }
  })
})

describe('Wolff sweep length and acceptance', () => {
  it('a sweep grows ≈ N spins on average; K = 0 gives single-site clusters, N per sweep', () => {
    const model = uniformModel(torus(16), { K: 0.44 })
    const perSweep = estimateWolffUpdatesPerSweep(model)
    expect(estimateWolffUpdatesPerSweep(model)).toBe(perSweep) // deterministic
    const state = createMcState(
      model,
      Int8Array.from({ length: 256 }, (_, i) => (i % 3 ? 1 : -1))
    )
    const ws = createWolffWorkspace(model)
    const rng = xoshiro128ss(3)
    for (let u = 0; u < 200 * perSweep; u++) wolffUpdate(state, ws, rng)
    ws.grownSpins = 0
    const sweeps = 2000
    for (let u = 0; u < sweeps * perSweep; u++) wolffUpdate(state, ws, rng)
    const grownPerSweep = ws.grownSpins / sweeps
    expect(grownPerSweep, `perSweep ${perSweep}, grown ${grownPerSweep}`).toBeGreaterThan(0.75 * 256)
    expect(grownPerSweep).toBeLessThan(1.5 * 256)
    expect(ws.inCluster.every((f) => f === 0)).toBe(true)
    expect(estimateWolffUpdatesPerSweep(uniformModel(torus(6), { K: 0 }))).toBe(36)
  })

  it('acceptance: Metropolis 1 and heat bath ½ at K = h = 0; SW ½ without field; Wolff < 1 with a field', () => {
    const free = uniformModel(torus(8), { K: 0 })
    const run = (model: IsingModel, algorithm: McAlgorithm) => {
      const sampler = createSampler(model, algorithm, xoshiro128ss(9))
      for (let s = 0; s < 400; s++) sampler.sweep()
      return sampler.acceptance()
    }
    expect(run(free, 'metropolis')).toBe(1)
    expect(Math.abs(run(free, 'heatbath') - 0.5)).toBeLessThan(0.02)
    expect(Math.abs(run(uniformModel(torus(8), { K: 0.3 }), 'sw') - 0.5)).toBeLessThan(0.02)
    expect(run(uniformModel(torus(8), { K: 0.3, h: 0.2 }), 'wolff')).toBeLessThan(0.9)
  })
})
