import { describe, expect, it } from 'vitest'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { absMagnetisationPerSpin, computeIsingSums, energyPerSpin } from '../../src-core/ising/square/observables'
import { createSquareLattice } from '../../src-core/ising/square/lattice'
import {
  createWolffWorkspace,
  estimateWolffClustersPerSweep,
  wolffClusterUpdate,
  wolffSweep
} from '../../src-core/ising/square/wolff'
import { xoshiro128ss } from '../../src-core/random/xoshiro128ss'
import { binnedMeanAndError, describeSigmaCheck } from './mcStatistics'

function hotSpins(N: number, seed: number): Int8Array {
  const rng = xoshiro128ss(seed)
  return Int8Array.from({ length: N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
}

describe('Wolff invariants', () => {
  it('spins stay ±1, sums stay exact, the workspace is left clean', () => {
    const lattice = createSquareLattice(16)
    const spins = hotSpins(lattice.N, 1)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(2)
    for (let sweep = 0; sweep < 100; sweep++) {
      const h = sweep < 50 ? 0 : 0.2
      const result = wolffSweep(spins, lattice, 0.44, h, rng, workspace, sums, 3)
      expect(result.clusters).toBe(3)
      expect(result.clusterSpins).toBeGreaterThanOrEqual(3)
      expect(result.flippedSpins).toBeLessThanOrEqual(result.clusterSpins)
      if (h === 0) expect(result.flippedSpins).toBe(result.clusterSpins)
    }
    expect(spins.every((v) => v === 1 || v === -1)).toBe(true)
    expect(sums).toEqual(computeIsingSums(spins, lattice))
    expect(workspace.inCluster.every((flag) => flag === 0)).toBe(true)
  })

  it('a single cluster is connected and of one sign; at K = 0 it is one site', () => {
    const lattice = createSquareLattice(8)
    const spins = hotSpins(lattice.N, 3)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(4)
    for (let k = 0; k < 20; k++) expect(wolffClusterUpdate(spins, lattice, 0, 0, rng, workspace, sums)).toBe(1)
    const before = spins.slice()
    const size = wolffClusterUpdate(spins, lattice, 0.6, 0, rng, workspace, sums)
    const flipped = [...spins.keys()].filter((i) => spins[i] !== before[i])
    expect(flipped.length).toBe(size)
    expect(new Set(flipped.map((i) => before[i])).size).toBe(1)
  })

  it('a cold start at K = 1 stays ordered (whole-lattice clusters only flip the sign)', () => {
    const lattice = createSquareLattice(32)
    const spins = new Int8Array(lattice.N).fill(1)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(5)
    const count = estimateWolffClustersPerSweep(lattice, 1, 0)
    for (let sweep = 0; sweep < 100; sweep++) wolffSweep(spins, lattice, 1, 0, rng, workspace, sums, count)
    expect(absMagnetisationPerSpin(sums, lattice.N)).toBeGreaterThan(0.99)
  })

  it('in a strong aligned field, aligned clusters join the ghost and are not flipped', () => {
    const lattice = createSquareLattice(16)
    const spins = new Int8Array(lattice.N).fill(1)
    const sums = computeIsingSums(spins, lattice)
    const result = wolffSweep(spins, lattice, 1, 5, xoshiro128ss(6), createWolffWorkspace(lattice), sums, 50)
    expect(result.flippedSpins).toBe(0)
    expect(spins.every((v) => v === 1)).toBe(true)
  })

  it('rejects K < 0 and non-finite couplings with a clear message', () => {
    const lattice = createSquareLattice(4)
    const spins = new Int8Array(lattice.N).fill(1)
    const args = [xoshiro128ss(1), createWolffWorkspace(lattice), computeIsingSums(spins, lattice), 1] as const
    expect(() => wolffSweep(spins, lattice, -0.1, 0, ...args)).toThrow(/K ≥ 0.*-0\.1|antiferromagnetic/)
    expect(() => wolffSweep(spins, lattice, Number.NaN, 0, ...args)).toThrow(RangeError)
    expect(() => wolffSweep(spins, lattice, 0.3, Infinity, ...args)).toThrow(/Infinity/)
    expect(() => wolffSweep(spins, lattice, 0.3, 0, args[0], args[1], args[2], 0)).toThrow(/clusterUpdates/)
    expect(() => estimateWolffClustersPerSweep(lattice, -1, 0)).toThrow(/K ≥ 0/)
  })
})

describe('Wolff samples the exact 4×4 distribution (seeded, 4σ binning error)', () => {
  const lattice = createSquareLattice(4)
  const dos = enumerateIsingDensityOfStates(lattice)

  it.each([
    { K: 0.3, h: 0.1, seed: 21 },
    { K: 0.5, h: 0, seed: 22 },
    { K: 0.4, h: -0.25, seed: 23 }
  ])('K = $K, h = $h: mean e and |m|', ({ K, h, seed }) => {
    const exact = exactIsingAverages(dos, K, h)
    const spins = hotSpins(lattice.N, seed)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(seed)
    const count = estimateWolffClustersPerSweep(lattice, K, h)
    for (let sweep = 0; sweep < 1000; sweep++) wolffSweep(spins, lattice, K, h, rng, workspace, sums, count)
    const samples = 200_000
    const energy = new Float64Array(samples)
    const absM = new Float64Array(samples)
    for (let sweep = 0; sweep < samples; sweep++) {
      wolffSweep(spins, lattice, K, h, rng, workspace, sums, count)
      energy[sweep] = energyPerSpin(sums, K, h, lattice.N)
      absM[sweep] = absMagnetisationPerSpin(sums, lattice.N)
    }
    const shifted = exactIsingAverages(dos, K + 0.02, h)
    for (const [label, series, value, shiftedValue] of [
      ['e', energy, exact.energyPerSpin, shifted.energyPerSpin],
      ['|m|', absM, exact.absMagnetisation, shifted.absMagnetisation]
    ] as const) {
      const measured = binnedMeanAndError(series, 100)
      expect(Math.abs(measured.mean - value), describeSigmaCheck(`${label} K=${K} h=${h}`, measured, value, 4)).toBeLessThan(
        4 * measured.error
      )
      expect(Math.abs(measured.mean - shiftedValue), 'power check: K + 0.02 must be detectable').toBeGreaterThan(6 * measured.error)
    }
  })

  it('the field matters: a sampler ignoring h would fail (h = 0.3 vs h = 0 differ by > 20σ)', () => {
    const K = 0.3
    const h = 0.3
    const spins = hotSpins(lattice.N, 31)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(31)
    const samples = 50_000
    const absM = new Float64Array(samples)
    const count = estimateWolffClustersPerSweep(lattice, K, h)
    for (let sweep = 0; sweep < samples + 500; sweep++) {
      wolffSweep(spins, lattice, K, h, rng, workspace, sums, count)
      if (sweep >= 500) absM[sweep - 500] = absMagnetisationPerSpin(sums, lattice.N)
    }
    const measured = binnedMeanAndError(absM, 100)
    const withField = exactIsingAverages(dos, K, h).absMagnetisation
    const withoutField = exactIsingAverages(dos, K, 0).absMagnetisation
    expect(Math.abs(measured.mean - withField), describeSigmaCheck('|m|', measured, withField, 4)).toBeLessThan(4 * measured.error)
    expect(Math.abs(measured.mean - withoutField)).toBeGreaterThan(20 * measured.error)
  })
})

describe('Wolff sweep length', () => {
  it('clusters per sweep is a deterministic function of (L, K, h) with ≈ N grown spins per sweep', () => {
    const lattice = createSquareLattice(32)
    for (const [K, h] of [[0.2, 0], [0.44, 0], [0.6, 0.1]]) {
      const count = estimateWolffClustersPerSweep(lattice, K, h)
      expect(estimateWolffClustersPerSweep(createSquareLattice(32), K, h)).toBe(count)
      const spins = new Int8Array(lattice.N).fill(1)
      const sums = computeIsingSums(spins, lattice)
      const workspace = createWolffWorkspace(lattice)
      const rng = xoshiro128ss(40)
      for (let s = 0; s < 50; s++) wolffSweep(spins, lattice, K, h, rng, workspace, sums, count)
      let grown = 0
      for (let s = 0; s < 200; s++) grown += wolffSweep(spins, lattice, K, h, rng, workspace, sums, count).clusterSpins
      // Loose: the pilot is short; only the order of magnitude matters for cost.
      expect(grown / 200 / lattice.N, `K=${K} h=${h} count=${count}`).toBeGreaterThan(0.4)
      expect(grown / 200 / lattice.N, `K=${K} h=${h} count=${count}`).toBeLessThan(2.5)
    }
  })

  it('why the count is fixed: stopping once ≥ N spins were grown biases sweep-end samples', () => {
    const lattice = createSquareLattice(4)
    const K = 0.5
    const exact = exactIsingAverages(enumerateIsingDensityOfStates(lattice), K, 0).energyPerSpin
    const spins = new Int8Array(lattice.N).fill(1)
    const sums = computeIsingSums(spins, lattice)
    const workspace = createWolffWorkspace(lattice)
    const rng = xoshiro128ss(41)
    const samples = 50_000
    const energy = new Float64Array(samples)
    for (let s = 0; s < samples; s++) {
      let grown = 0
      while (grown < lattice.N) grown += Math.abs(wolffClusterUpdate(spins, lattice, K, 0, rng, workspace, sums))
      energy[s] = energyPerSpin(sums, K, 0, lattice.N)
    }
    const measured = binnedMeanAndError(energy, 100)
    expect(Math.abs(measured.mean - exact) / measured.error).toBeGreaterThan(20)
  })
})
