import { describe, expect, it } from 'vitest'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { createMetropolisTable, metropolisSweep, setMetropolisCouplings } from '@core/ising/square/metropolis'
import { absMagnetisationPerSpin, computeIsingSums, energyPerSpin } from '@core/ising/square/observables'
import { createSquareLattice } from '@core/ising/square/lattice'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { binnedMeanAndError, describeSigmaCheck } from './mcStatistics'

function hotSpins(N: number, seed: number): Int8Array {
  const rng = xoshiro128ss(seed)
  return Int8Array.from({ length: N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
}

describe('Metropolis acceptance table', () => {
  it('holds min(1, e^{−ΔH})·2^32 with ΔH = 2v(K S + h)', () => {
    const table = createMetropolisTable(0.3, 0.1)
    for (let S = -4; S <= 4; S += 2) {
      for (const v of [-1, 1]) {
        const deltaH = 2 * v * (0.3 * S + 0.1)
        const expected = deltaH <= 0 ? Infinity : Math.exp(-deltaH) * 2 ** 32
        expect(table.thresholds[S + 4 + (v + 1) / 2]).toBe(expected)
      }
    }
  })

  it('is recomputed when K or h changes', () => {
    const table = createMetropolisTable(0.3, 0)
    const before = table.thresholds.slice()
    setMetropolisCouplings(table, 0.3, 0.2)
    expect(table.thresholds).not.toEqual(before)
    expect(() => setMetropolisCouplings(table, Number.NaN, 0)).toThrow(/NaN/)
  })
})

describe('Metropolis sweep invariants', () => {
  it('spins stay ±1 and the incremental sums equal a recomputation', () => {
    const lattice = createSquareLattice(12)
    const spins = hotSpins(lattice.N, 1)
    const sums = computeIsingSums(spins, lattice)
    const table = createMetropolisTable(0.44, 0.05)
    const rng = xoshiro128ss(2)
    for (let sweep = 0; sweep < 200; sweep++) {
      if (sweep === 100) setMetropolisCouplings(table, -0.3, -0.2) // antiferromagnet is allowed here
      const accepted = metropolisSweep(spins, lattice, table, rng, sums)
      expect(accepted).toBeGreaterThanOrEqual(0)
      expect(accepted).toBeLessThanOrEqual(lattice.N)
    }
    expect(spins.every((v) => v === 1 || v === -1)).toBe(true)
    expect(sums).toEqual(computeIsingSums(spins, lattice))
  })

  it('a cold start at K = 1 stays ordered', () => {
    const lattice = createSquareLattice(32)
    const spins = new Int8Array(lattice.N).fill(1)
    const sums = computeIsingSums(spins, lattice)
    const table = createMetropolisTable(1, 0)
    const rng = xoshiro128ss(3)
    for (let sweep = 0; sweep < 200; sweep++) metropolisSweep(spins, lattice, table, rng, sums)
    // Equilibrium m₀(K=1) = 0.99993; a few thermal flips only.
    expect(absMagnetisationPerSpin(sums, lattice.N)).toBeGreaterThan(0.99)
  })

  it('is deterministic for a given seed', () => {
    const lattice = createSquareLattice(8)
    const run = (): Int8Array => {
      const spins = hotSpins(lattice.N, 4)
      const sums = computeIsingSums(spins, lattice)
      const table = createMetropolisTable(0.4, 0)
      const rng = xoshiro128ss(5)
      for (let sweep = 0; sweep < 20; sweep++) metropolisSweep(spins, lattice, table, rng, sums)
      return spins
    }
    expect(run()).toEqual(run())
  })
})

describe('Metropolis samples the exact 4×4 distribution (seeded, 4σ binning error)', () => {
  const lattice = createSquareLattice(4)
  const dos = enumerateIsingDensityOfStates(lattice)

  it.each([
    { K: 0.3, h: 0.1, seed: 11 },
    { K: 0.5, h: 0, seed: 12 },
    { K: -0.4, h: 0.3, seed: 13 }
  ])('K = $K, h = $h: mean e and |m|', ({ K, h, seed }) => {
    const exact = exactIsingAverages(dos, K, h)
    const spins = hotSpins(lattice.N, seed)
    const sums = computeIsingSums(spins, lattice)
    const table = createMetropolisTable(K, h)
    const rng = xoshiro128ss(seed)
    for (let sweep = 0; sweep < 2000; sweep++) metropolisSweep(spins, lattice, table, rng, sums)
    const samples = 200_000
    const energy = new Float64Array(samples)
    const absM = new Float64Array(samples)
    for (let sweep = 0; sweep < samples; sweep++) {
      metropolisSweep(spins, lattice, table, rng, sums)
      energy[sweep] = energyPerSpin(sums, K, h, lattice.N)
      absM[sweep] = absMagnetisationPerSpin(sums, lattice.N)
    }
    for (const [label, series, value] of [
      ['e', energy, exact.energyPerSpin],
      ['|m|', absM, exact.absMagnetisation]
    ] as const) {
      const measured = binnedMeanAndError(series, 100)
      expect(
        Math.abs(measured.mean - value),
        describeSigmaCheck(`${label} K=${K} h=${h}`, measured, value, 4)
      ).toBeLessThan(4 * measured.error)
      // Power check: the test must be able to fail. The exact value at K + 0.01 is far outside.
      const shifted = exactIsingAverages(dos, K + 0.01, h)
      const shiftedValue = label === 'e' ? shifted.energyPerSpin : shifted.absMagnetisation
      expect(Math.abs(measured.mean - shiftedValue)).toBeGreaterThan(8 * measured.error)
    }
  })
})
