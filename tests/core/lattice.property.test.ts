import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { BOND_ANTIDIAGONAL, BOND_DIAGONAL, BOND_X, BOND_Y, type Lattice, type LatticeSpec } from '@core/lattice/types'

/**
 * Property tests of the lattice builders (src-core/lattice/build.ts), against counts and
 * displacements worked out from the geometry rather than from the builder's loops.
 */

const squareArb = fc
  .record({ periodicX: fc.boolean(), periodicY: fc.boolean(), diagonals: fc.boolean() })
  .chain(({ periodicX, periodicY, diagonals }) =>
    fc.record({
      kind: fc.constant('square' as const),
      Lx: fc.integer({ min: periodicX ? 3 : 2, max: 9 }),
      Ly: fc.integer({ min: periodicY ? 3 : 1, max: 9 }),
      periodicX: fc.constant(periodicX),
      periodicY: fc.constant(periodicY),
      diagonals: fc.constant(diagonals)
    })
  )
const chainArb = fc.boolean().chain((periodic) =>
  fc.record({
    kind: fc.constant('chain' as const),
    N: fc.integer({ min: periodic ? 3 : 2, max: 40 }),
    periodic: fc.constant(periodic)
  })
)
const triangularArb = fc.record({
  kind: fc.constant('triangular' as const),
  Lx: fc.integer({ min: 3, max: 9 }),
  Ly: fc.integer({ min: 3, max: 9 })
})
const graphArb = fc.integer({ min: 2, max: 12 }).chain((N) =>
  fc.record({
    kind: fc.constant('graph' as const),
    N: fc.constant(N),
    bonds: fc.array(
      fc.tuple(fc.nat(N - 1), fc.nat(N - 1)).filter(([i, j]) => i !== j),
      { maxLength: 30 }
    )
  })
)
const anySpec: fc.Arbitrary<LatticeSpec> = fc.oneof(squareArb, chainArb, triangularArb, graphArb)

/** The bond count from the geometry: one bond per site and direction, less the open edges. */
function expectedBonds(spec: LatticeSpec): number {
  switch (spec.kind) {
    case 'chain':
      return spec.periodic ? spec.N : spec.N - 1
    case 'triangular':
      return 3 * spec.Lx * spec.Ly
    case 'graph':
      return spec.bonds.length
    case 'square': {
      const nx = spec.periodicX ? spec.Lx : spec.Lx - 1
      const ny = spec.Ly === 1 ? 0 : spec.periodicY ? spec.Ly : spec.Ly - 1
      return nx * spec.Ly + spec.Lx * ny + (spec.diagonals ? 2 * nx * ny : 0)
    }
  }
}

/** Neighbour multiset of site i, sorted, from the adjacency lists. */
const neighbours = (lat: Lattice, i: number): number[] =>
  [...lat.adjSite.subarray(lat.adjStart[i], lat.adjStart[i + 1])].sort((p, q) => p - q)

describe('lattice builders (property)', () => {
  it('have the bond count of their geometry', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        expect(buildLattice(spec).bondI.length).toBe(expectedBonds(spec))
      })
    )
  })

  it('list every bond in both end sites’ neighbours (symmetric, with multiplicity), each via its own bond', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const lat = buildLattice(spec)
        expect(lat.adjSite.length).toBe(2 * lat.bondI.length)
        for (let i = 0; i < lat.N; i++) {
          for (let k = lat.adjStart[i]!; k < lat.adjStart[i + 1]!; k++) {
            const j = lat.adjSite[k]!
            const b = lat.adjBond[k]!
            const ends = [lat.bondI[b], lat.bondJ[b]].sort()
            expect(ends).toEqual([i, j].sort())
            // j lists i as often as i lists j.
            const count = (list: number[], v: number) => list.filter((x) => x === v).length
            expect(count(neighbours(lat, j), i)).toBe(count(neighbours(lat, i), j))
          }
        }
      })
    )
  })

  it('wrap periodic bonds around the edge: each bond is a unit step of its kind, modulo the sides', () => {
    fc.assert(
      fc.property(fc.oneof(squareArb, triangularArb), (spec) => {
        const lat = buildLattice(spec)
        const { Lx, Ly } = lat
        const step = { [BOND_X]: [1, 0], [BOND_Y]: [0, 1], [BOND_DIAGONAL]: [1, 1], [BOND_ANTIDIAGONAL]: [-1, 1] }
        for (let b = 0; b < lat.bondI.length; b++) {
          const [dx, dy] = step[lat.bondKind[b] as keyof typeof step]!
          const i = lat.bondI[b]!
          const j = lat.bondJ[b]!
          expect(j % Lx).toBe(((((i % Lx) + dx) % Lx) + Lx) % Lx)
          expect(Math.floor(j / Lx)).toBe((Math.floor(i / Lx) + dy) % Ly)
        }
        // On a torus every site has the same number of neighbours.
        const periodic = spec.kind === 'triangular' || (spec.periodicX && spec.periodicY)
        if (periodic) {
          const degree = spec.kind === 'triangular' ? 6 : spec.diagonals ? 8 : 4
          for (let i = 0; i < lat.N; i++) expect(lat.adjStart[i + 1]! - lat.adjStart[i]!).toBe(degree)
        }
      })
    )
  })

  it('colour sites properly: the colour classes partition the sites and no bond joins one class', () => {
    fc.assert(
      fc.property(anySpec, (spec) => {
        const lat = buildLattice(spec)
        const colour = new Int32Array(lat.N).fill(-1)
        for (let c = 0; c + 1 < lat.colourStart.length; c++) {
          for (let k = lat.colourStart[c]!; k < lat.colourStart[c + 1]!; k++) {
            expect(colour[lat.colourSites[k]!]).toBe(-1)
            colour[lat.colourSites[k]!] = c
          }
        }
        expect([...colour].every((c) => c >= 0)).toBe(true)
        for (let b = 0; b < lat.bondI.length; b++) expect(colour[lat.bondI[b]!]).not.toBe(colour[lat.bondJ[b]!])
      })
    )
  })
})
