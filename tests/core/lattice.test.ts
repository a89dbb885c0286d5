import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { checkModel, isFerromagnetic, isUniform, modelEnergy, presetModel, uniformModel } from '@core/lattice/model'
import type { Lattice } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

function properColouring(l: Lattice): boolean {
  const colour = new Int32Array(l.N).fill(-1)
  for (let c = 0; c + 1 < l.colourStart.length; c++) {
    for (let k = l.colourStart[c]!; k < l.colourStart[c + 1]!; k++) colour[l.colourSites[k]!] = c
  }
  if (colour.some((c) => c < 0)) return false
  for (let b = 0; b < l.bondI.length; b++) if (colour[l.bondI[b]!] === colour[l.bondJ[b]!]) return false
  return true
}

function degrees(l: Lattice): number[] {
  return Array.from({ length: l.N }, (_, i) => l.adjStart[i + 1]! - l.adjStart[i]!)
}

describe('lattice builders', () => {
  it('counts bonds as the geometry says', () => {
    expect(buildLattice({ kind: 'chain', N: 10, periodic: false }).bondI.length).toBe(9)
    expect(buildLattice({ kind: 'chain', N: 10, periodic: true }).bondI.length).toBe(10)
    expect(buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: true, periodicY: true }).bondI.length).toBe(40)
    expect(buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: false, periodicY: false }).bondI.length).toBe(
      4 * 4 + 5 * 3
    )
    expect(buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: true, periodicY: false }).bondI.length).toBe(
      5 * 4 + 5 * 3
    )
    expect(buildLattice({ kind: 'triangular', Lx: 6, Ly: 6 }).bondI.length).toBe(3 * 36)
    expect(
      buildLattice({ kind: 'square', Lx: 6, Ly: 6, periodicX: true, periodicY: true, diagonals: true }).bondI.length
    ).toBe(4 * 36)
    expect(
      buildLattice({ kind: 'square', Lx: 4, Ly: 3, periodicX: false, periodicY: false, diagonals: true }).bondI.length
    ).toBe(3 * 3 + 4 * 2 + 2 * 3 * 2)
  })

  it('gives every site of a periodic lattice its coordination number', () => {
    expect(new Set(degrees(buildLattice({ kind: 'square', Lx: 6, Ly: 5, periodicX: true, periodicY: true })))).toEqual(
      new Set([4])
    )
    expect(new Set(degrees(buildLattice({ kind: 'triangular', Lx: 6, Ly: 6 })))).toEqual(new Set([6]))
    expect(
      new Set(
        degrees(buildLattice({ kind: 'square', Lx: 6, Ly: 6, periodicX: true, periodicY: true, diagonals: true }))
      )
    ).toEqual(new Set([8]))
  })

  it('colours properly: two colours on even square grids, three on the triangular lattice', () => {
    const sq = buildLattice({ kind: 'square', Lx: 8, Ly: 6, periodicX: true, periodicY: true })
    expect(properColouring(sq)).toBe(true)
    expect(sq.colourStart.length - 1).toBe(2)
    const tri = buildLattice({ kind: 'triangular', Lx: 6, Ly: 6 })
    expect(properColouring(tri)).toBe(true)
    expect(tri.colourStart.length - 1).toBe(3)
    expect(properColouring(buildLattice({ kind: 'square', Lx: 5, Ly: 5, periodicX: true, periodicY: true }))).toBe(true)
    expect(
      properColouring(
        buildLattice({
          kind: 'graph',
          N: 5,
          bonds: [
            [0, 1],
            [1, 2],
            [2, 0],
            [3, 4]
          ]
        })
      )
    ).toBe(true)
  })

  it('refuses bad sizes and bonds with a message naming the value', () => {
    expect(() => buildLattice({ kind: 'chain', N: Number.NaN, periodic: false })).toThrow(/N must be an integer.*NaN/)
    expect(() => buildLattice({ kind: 'square', Lx: -4, Ly: 4, periodicX: true, periodicY: true })).toThrow(/Lx.*-4/)
    expect(() => buildLattice({ kind: 'square', Lx: 4.5, Ly: 4, periodicX: true, periodicY: true })).toThrow(/4\.5/)
    expect(() => buildLattice({ kind: 'graph', N: 3, bonds: [[0, 3]] })).toThrow(/bond 0/)
    expect(() => buildLattice({ kind: 'graph', N: 3, bonds: [[1, 1]] })).toThrow(/bond 0/)
  })
})

describe('models', () => {
  it('computes H = −Σ K_i v_i − Σ K_ij v_i v_j with the paper’s signs', () => {
    const l = buildLattice({ kind: 'chain', N: 3, periodic: false })
    const m = uniformModel(l, { K: 0.5, h: 0.1 })
    // All up: two bonds and three sites: H = −2·0.5 − 3·0.1.
    expect(modelEnergy(m, Int8Array.from([1, 1, 1]))).toBeCloseTo(-1.3, 14)
    expect(modelEnergy(m, Int8Array.from([1, -1, 1]))).toBeCloseTo(1 - 0.1, 14)
  })

  it('sets Kx, Ky and Kd by bond direction', () => {
    const m = uniformModel(
      buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true, diagonals: true }),
      { K: 1, Kx: 0.3, Ky: 0.2, Kd: 0.05 }
    )
    const sum = m.couplings.reduce((a, b) => a + b, 0)
    expect(sum).toBeCloseTo(16 * (0.3 + 0.2 + 0.05 + 0.05), 12)
    expect(isUniform(m)).toBe(true)
  })

  it('builds the presets, reproducibly for the random ones', () => {
    const paper = presetModel('paper-40x40')
    expect(paper.lattice.N).toBe(1600)
    expect(paper.couplings.every((k) => k === 0.408)).toBe(true)
    const a = presetModel('spin-glass', { L: 8, K: 1, rng: xoshiro128ss(5) })
    const b = presetModel('spin-glass', { L: 8, K: 1, rng: xoshiro128ss(5) })
    expect(a.couplings).toEqual(b.couplings)
    expect(isFerromagnetic(a)).toBe(false)
    const negatives = a.couplings.filter((k) => k < 0).length
    expect(negatives).toBeGreaterThan(40) // 128 bonds, about half negative
    expect(negatives).toBeLessThan(88)
    expect(() => presetModel('random-field')).toThrow(/seeded generator/)
    expect(presetModel('antiferromagnet', { K: 0.3 }).couplings[0]).toBe(-0.3)
    expect(() => checkModel({ ...presetModel('ferromagnet'), fields: new Float64Array(3) })).toThrow(
      /expected 256 fields/
    )
  })
})
