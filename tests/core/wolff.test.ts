import { describe, expect, it } from 'vitest'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { createSquareLattice } from '@core/ising/square/lattice'
import { IsingChain } from '@core/ising/square/chain'
import { liveWolffUpdatesPerSweep } from '@core/ising/square/liveWolff'
import { FrustratedModelError } from '@core/ising/mc/cluster'
import { createSampler } from '@core/ising/mc/sampler'
import { createMcState } from '@core/ising/mc/state'
import { createWolffWorkspace, estimateWolffUpdatesPerSweep, wolffUpdate } from '@core/ising/mc/wolff'
import type { IsingParams } from '@core/ising/types'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import type { Rng } from '@core/random/rng'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { binnedMeanAndError, describeSigmaCheck } from './mcStatistics'

// The live square chain's Wolff sweeps (IsingChain, algorithm 'wolff'): the general sampler's
// updates, run by the uniform-torus kernel for xoshiro128** and by mc/wolff.ts for any other
// generator, liveWolffUpdatesPerSweep of them per sweep. Both paths are pinned to
// createSampler(model, 'wolff') configuration for configuration, and the chain is checked
// against exact 4×4 enumeration.

const wolff = (K: number, h: number): IsingParams => ({ K, h, algorithm: 'wolff', sweepsPerFrame: 1 })
const dos = enumerateIsingDensityOfStates(createSquareLattice(4))
const torusModel = (L: number, K: number, h: number) =>
  uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), { K, h })

/** xoshiro128** behind a getState the chain cannot continue, so it takes the general path. */
function opaque(seed: number): Rng {
  const inner = xoshiro128ss(seed)
  const rng: Rng = {
    nextUint32: () => inner.nextUint32(),
    nextFloat: () => inner.nextFloat(),
    getState: () => new Uint32Array(5),
    clone: () => rng
  }
  return rng
}

describe("the live chain runs the general sampler's Wolff sweep", () => {
  it.each([
    { L: 8, K: 0.42, h: 0.05, path: 'torus kernel' },
    { L: 7, K: 0.3, h: -0.2, path: 'torus kernel' },
    { L: 8, K: 0.42, h: 0.05, path: 'WebAssembly torus kernel' },
    { L: 7, K: 0.3, h: -0.2, path: 'WebAssembly torus kernel' },
    { L: 8, K: 0.42, h: 0.05, path: 'mc/wolff.ts' }
  ])('L = $L, K = $K, h = $h, $path: same spins after every sweep', ({ L, K, h, path }) => {
    const torus = path !== 'mc/wolff.ts'
    const wasm = path === 'WebAssembly torus kernel'
    const chain = IsingChain.start(L, wolff(K, h), 'cold', torus ? xoshiro128ss(11) : opaque(11), { wasm })
    const rng = xoshiro128ss(11)
    const model = torusModel(L, K, h)
    const wolffUpdatesPerSweep = liveWolffUpdatesPerSweep(model, K, h)
    const sampler = createSampler(model, 'wolff', rng, { start: 'up', wolffUpdatesPerSweep })
    for (let sweep = 1; sweep <= 40; sweep++) {
      chain.runSweeps(1)
      sampler.sweep()
      expect(chain.spins, `sweep ${sweep}`).toEqual(sampler.spins)
      expect(chain.energy.copyFrom(sweep - 1)[0]).toBeCloseTo(sampler.energy() / (L * L), 12)
    }
    if (torus) expect(chain.rng.getState()).toEqual(rng.getState())
    expect(chain.currentSums()).toEqual(chain.currentSums(true))
  })

  it('the kept WebAssembly kernel picks up paint, Metropolis sweeps and the stream between Wolff runs', () => {
    // The reference takes mc/wolff.ts (its generator cannot be continued elsewhere) and the
    // TypeScript Metropolis kernel: the same draws, so the same spins throughout.
    const params = wolff(0.42, 0.05)
    const fast = IsingChain.start(12, params, 'hot', xoshiro128ss(17))
    const reference = IsingChain.start(12, params, 'hot', opaque(17), { wasm: false })
    const both = (step: (chain: IsingChain) => void, label: string): void => {
      step(fast)
      step(reference)
      expect(fast.spins, label).toEqual(reference.spins)
      expect(fast.currentSums(), label).toEqual(reference.currentSums(true))
    }
    both((c) => c.runSweeps(7), 'first Wolff run')
    both((c) => c.paint(Int32Array.of(0, 1, 2, 13, 14), Int8Array.of(1, -1, 1, -1, 1)), 'paint')
    both((c) => c.runSweeps(5), 'Wolff after paint')
    both((c) => c.setParams({ ...params, algorithm: 'metropolis' }), 'to Metropolis')
    both((c) => c.runSweeps(3), 'Metropolis')
    both((c) => c.setParams(params), 'back to Wolff, same K and h')
    both((c) => c.runSweeps(6), 'Wolff after Metropolis')
    expect(fast.energy.copyFrom(0)).toEqual(reference.energy.copyFrom(0))
  })

  it('sums stay exact and spins ±1 through edits of K and h, paint and Metropolis in between', () => {
    const chain = IsingChain.start(16, wolff(0.44, 0), 'hot', xoshiro128ss(2))
    chain.runSweeps(50)
    chain.setParams(wolff(0.44, 0.2))
    chain.runSweeps(20)
    chain.paint(Int32Array.of(0, 1, 2, 3), Int8Array.of(-1, -1, -1, -1))
    chain.setParams({ ...wolff(0.3, 0.2), algorithm: 'metropolis' })
    chain.runSweeps(5)
    chain.setParams(wolff(0.3, 0.2))
    chain.runSweeps(20)
    expect(chain.spins.every((v) => v === 1 || v === -1)).toBe(true)
    expect(chain.currentSums()).toEqual(chain.currentSums(true))
    expect(chain.sweep).toBe(95)
  })

  it('at h = 0 every cluster flips; in a strong aligned field every cluster joins the ghost', () => {
    const free = IsingChain.start(16, wolff(0.44, 0), 'hot', xoshiro128ss(3))
    expect(free.runSweeps(10).acceptance).toBe(1)
    const pinned = IsingChain.start(16, wolff(1, 5), 'cold', xoshiro128ss(6))
    expect(pinned.runSweeps(50).acceptance).toBe(0)
    expect(pinned.spins.every((v) => v === 1)).toBe(true)
  })

  it('a cold start at K = 1 stays ordered (whole-lattice clusters only flip the sign)', () => {
    const chain = IsingChain.start(32, wolff(1, 0), 'cold', xoshiro128ss(5))
    chain.runSweeps(100)
    expect(Math.min(...chain.absM.copyFrom())).toBeGreaterThan(0.99)
  })

  it('refuses K < 0 in one sentence naming the bond', () => {
    const chain = IsingChain.start(4, wolff(0.3, 0), 'cold', xoshiro128ss(1))
    chain.setParams(wolff(-0.1, 0))
    expect(() => chain.runSweeps(1)).toThrow(FrustratedModelError)
    expect(() => chain.runSweeps(1)).toThrow(/bond 0 has K = −0\.1/)
  })
})

describe("the live chain's Wolff samples the exact 4×4 distribution (seeded, 4σ binning error)", () => {
  function series(K: number, h: number, seed: number, samples: number): { energy: Float64Array; absM: Float64Array } {
    const chain = IsingChain.start(4, wolff(K, h), 'hot', xoshiro128ss(seed))
    chain.runSweeps(1000)
    chain.runSweeps(samples)
    return { energy: chain.energy.copyFrom(1000), absM: chain.absM.copyFrom(1000) }
  }

  it.each([
    { K: 0.3, h: 0.1, seed: 21 },
    { K: 0.5, h: 0, seed: 22 },
    { K: 0.4, h: -0.25, seed: 23 }
  ])('K = $K, h = $h: mean e and |m|', ({ K, h, seed }) => {
    const exact = exactIsingAverages(dos, K, h)
    const shifted = exactIsingAverages(dos, K + 0.02, h)
    const { energy, absM } = series(K, h, seed, 200_000)
    for (const [label, values, value, shiftedValue] of [
      ['e', energy, exact.energyPerSpin, shifted.energyPerSpin],
      ['|m|', absM, exact.absMagnetisation, shifted.absMagnetisation]
    ] as const) {
      const measured = binnedMeanAndError(values, 100)
      const check = describeSigmaCheck(`${label} K=${K} h=${h}`, measured, value, 4)
      expect(Math.abs(measured.mean - value), check).toBeLessThan(4 * measured.error)
      expect(Math.abs(measured.mean - shiftedValue), 'power check: K + 0.02 must be detectable').toBeGreaterThan(
        6 * measured.error
      )
    }
  })

  it('the field matters: a sampler ignoring h would fail (h = 0.3 vs h = 0 differ by > 20σ)', () => {
    const measured = binnedMeanAndError(series(0.3, 0.3, 31, 50_000).absM, 100)
    const withField = exactIsingAverages(dos, 0.3, 0.3).absMagnetisation
    const withoutField = exactIsingAverages(dos, 0.3, 0).absMagnetisation
    const check = describeSigmaCheck('|m|', measured, withField, 4)
    expect(Math.abs(measured.mean - withField), check).toBeLessThan(4 * measured.error)
    expect(Math.abs(measured.mean - withoutField)).toBeGreaterThan(20 * measured.error)
  })
})

describe('Wolff sweep length', () => {
  it('a live sweep is a deterministic count of updates growing ≈ N spins, as the general pilot finds', () => {
    for (const [K, h] of [
      [0.2, 0],
      [0.44, 0],
      [0.6, 0.1]
    ]) {
      const model = torusModel(32, K, h)
      const count = liveWolffUpdatesPerSweep(model, K, h)
      expect(liveWolffUpdatesPerSweep(torusModel(32, K, h), K, h)).toBe(count)
      const sampler = createSampler(model, 'wolff', xoshiro128ss(40), { start: 'up', wolffUpdatesPerSweep: count })
      for (let s = 0; s < 50; s++) sampler.sweep()
      const grown = grownSpins(model, sampler.spins, count, 200)
      // Loose: the live pilot is short; it sets the work per sweep, not the distribution.
      expect(grown / 200 / 1024, `K=${K} h=${h} count=${count}`).toBeGreaterThan(0.4)
      expect(grown / 200 / 1024, `K=${K} h=${h} count=${count}`).toBeLessThan(2.5)
      // Within a factor 2 of the general pilot's count, or 1 apart where both are a few updates.
      const general = estimateWolffUpdatesPerSweep(model)
      const agree = Math.abs(count - general) <= 1 || (count / general > 0.5 && count / general < 2)
      expect(agree, `K=${K} h=${h}: live ${count}, general ${general}`).toBe(true)
    }
  })

  it('why the count is fixed: stopping once ≥ N spins were grown biases sweep-end samples', () => {
    const K = 0.5
    const exact = exactIsingAverages(dos, K, 0).energyPerSpin
    const model = torusModel(4, K, 0)
    const state = createMcState(model, new Int8Array(16).fill(1))
    const workspace = createWolffWorkspace(model)
    const rng = xoshiro128ss(41)
    const samples = 50_000
    const energy = new Float64Array(samples)
    for (let s = 0; s < samples; s++) {
      let grown = 0
      while (grown < 16) grown += Math.abs(wolffUpdate(state, workspace, rng))
      energy[s] = state.energy / 16
    }
    const measured = binnedMeanAndError(energy, 100)
    expect(Math.abs(measured.mean - exact) / measured.error).toBeGreaterThan(20)
  })
})

/** Spins grown by `sweeps` sweeps of `count` general Wolff updates from a copy of `spins`. */
function grownSpins(model: IsingModel, spins: Int8Array, count: number, sweeps: number): number {
  const state = createMcState(model, spins.slice())
  const workspace = createWolffWorkspace(model)
  const rng = xoshiro128ss(41)
  for (let s = 0; s < sweeps * count; s++) wolffUpdate(state, workspace, rng)
  return workspace.grownSpins
}
