import { describe, expect, it } from 'vitest'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { computeIsingSums, energyPerSpin } from '@core/ising/square/observables'
import { createSquareLattice, validateLatticeSize } from '@core/ising/square/lattice'

describe('square lattice', () => {
  it('neighbour table is a symmetric 4-regular torus', () => {
    for (const L of [4, 5, 8]) {
      const { N, neighbours } = createSquareLattice(L)
      for (let i = 0; i < N; i++) {
        const x = i % L
        const y = Math.floor(i / L)
        expect([...neighbours.subarray(4 * i, 4 * i + 4)]).toEqual([
          y * L + ((x + 1) % L),
          y * L + ((x + L - 1) % L),
          ((y + 1) % L) * L + x,
          ((y + L - 1) % L) * L + x
        ])
        for (let d = 0; d < 4; d++) {
          const j = neighbours[4 * i + d]
          expect([...neighbours.subarray(4 * j, 4 * j + 4)]).toContain(i)
        }
      }
    }
  })

  it('checkerboard lists partition the sites; for even L no bond joins two sites of one colour', () => {
    for (const L of [4, 6, 7]) {
      const { N, neighbours, evenSites, oddSites } = createSquareLattice(L)
      expect([...evenSites, ...oddSites].sort((a, b) => a - b)).toEqual(Array.from({ length: N }, (_, i) => i))
      if (L % 2 === 1) continue
      const colour = new Int8Array(N)
      for (const i of oddSites) colour[i] = 1
      for (let i = 0; i < N; i++) for (let d = 0; d < 4; d++) expect(colour[neighbours[4 * i + d]]).not.toBe(colour[i])
    }
  })

  it.each([Number.NaN, -4, 0, 3, 4.5, 1025, Infinity, '8' as unknown as number])('rejects L = %s, naming it', (L) => {
    expect(() => validateLatticeSize(L)).toThrow(RangeError)
    expect(() => createSquareLattice(L)).toThrow(String(L))
  })

  it('energy per spin follows the paper sign: cold state e = −2K − h', () => {
    const lattice = createSquareLattice(8)
    const spins = new Int8Array(lattice.N).fill(1)
    const sums = computeIsingSums(spins, lattice)
    expect(sums).toEqual({ bondSum: 2 * lattice.N, spinSum: lattice.N })
    expect(energyPerSpin(sums, 0.3, 0.1, lattice.N)).toBeCloseTo(-0.7, 15)
  })
})

describe('exact enumeration of the 4×4 torus (SCIENCE.md §5)', () => {
  const dos = enumerateIsingDensityOfStates(createSquareLattice(4))

  it('density of states by bond sum', () => {
    const byBond = new Map<number, number>()
    const width = dos.N + 1
    dos.count.forEach((c, k) => {
      if (c > 0) {
        const B = Math.floor(k / width) - 2 * dos.N
        byBond.set(B, (byBond.get(B) ?? 0) + c)
      }
    })
    const expected: Record<number, number> = { 32: 2, 24: 32, 20: 64, 16: 424, 12: 1728, 8: 6688, 4: 13568, 0: 20524 }
    for (const [B, c] of Object.entries(expected)) {
      expect(byBond.get(Number(B)), `B=${B}`).toBe(c)
      expect(byBond.get(-Number(B)), `B=-${B}`).toBe(c)
    }
    expect([...byBond.values()].reduce((a, c) => a + c, 0)).toBe(2 ** 16)
  })

  it('ln Z at K = 0.4 equals the Kaufman value 14.56109302384404', () => {
    const { logZ } = exactIsingAverages(dos, 0.4, 0)
    expect(Math.abs(logZ - 14.56109302384404)).toBeLessThan(16 * Number.EPSILON * 14.6)
  })

  it('averages are consistent: ⟨H⟩/N = −(1/N) ∂lnZ/∂K·K at h = 0, m = 0 by symmetry', () => {
    const K = 0.35
    const step = 1e-5
    const derivative =
      (exactIsingAverages(dos, K + step, 0).logZ - exactIsingAverages(dos, K - step, 0).logZ) / (2 * step)
    const exact = exactIsingAverages(dos, K, 0)
    expect(exact.energyPerSpin).toBeCloseTo((-K * derivative) / 16, 8)
    expect(Math.abs(exact.magnetisation)).toBeLessThan(1e-14)
  })
})
