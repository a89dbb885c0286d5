import { describe, expect, it } from 'vitest'
import { blockOverlaps, placeUnits, sizeHistogram } from '@core/compare/receptiveFieldGeometry'
import { binaryMutualInformation, histogramKl, levelSimilarity } from '@core/compare/similarity'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/** Receptive fields of `units` on an L×L torus from a per-unit function of the site. */
function fields(L: number, units: number, f: (j: number, x: number, y: number) => number): Float64Array {
  const r = new Float64Array(L * L * units)
  for (let y = 0; y < L; y++)
    for (let x = 0; x < L; x++) for (let j = 0; j < units; j++) r[(y * L + x) * units + j] = f(j, x, y)
  return r
}

describe('receptive-field centroids, sizes and block overlaps', () => {
  it('a unit that sees one 2×2 block sits at its centre, size √½, overlap 1 with that block', () => {
    // Unit 0 sees the block at (2..3, 4..5); unit 1 sees one site (6, 1) with a negative weight.
    const r = fields(8, 2, (j, x, y) =>
      j === 0 ? (x >= 2 && x <= 3 && y >= 4 && y <= 5 ? 0.7 : 0) : x === 6 && y === 1 ? -2 : 0
    )
    const p = placeUnits(r, 2, { Lx: 8, Ly: 8 })
    expect(p.x[0]).toBeCloseTo(2.5, 12)
    expect(p.y[0]).toBeCloseTo(4.5, 12)
    expect(p.size[0]).toBeCloseTo(Math.SQRT1_2, 12)
    expect([p.x[1], p.y[1], p.size[1]]).toEqual([expect.closeTo(6, 12), expect.closeTo(1, 12), expect.closeTo(0, 12)])
    const o = blockOverlaps(r, 2, { Lx: 8, Ly: 8 }, 2)
    expect(o.block[0]).toBe(2 * 4 + 1) // block row 2, column 1
    expect(o.overlap[0]).toBeCloseTo(1, 12)
    // One site of a 2×2 block: |−2| / (2 · 2) = ½.
    expect(o.block[1]).toBe(0 * 4 + 3)
    expect(o.overlap[1]).toBeCloseTo(0.5, 12)
  })

  it('a field straddling the periodic boundary is placed on the boundary, not in the middle', () => {
    const r = fields(8, 1, (_j, x, y) => ((x === 7 || x === 0) && y === 3 ? 1 : 0))
    const p = placeUnits(r, 1, { Lx: 8, Ly: 8 })
    // Circular mean of 7 and 0 on a ring of 8: 7.5.
    expect(p.x[0]).toBeCloseTo(7.5, 12)
    expect(p.y[0]).toBeCloseTo(3, 12)
    expect(p.size[0]).toBeCloseTo(0.5, 12)
  })

  it('a uniform field has overlap 1/√(blocks) with every block', () => {
    const r = fields(4, 1, () => 1)
    expect(blockOverlaps(r, 1, { Lx: 4, Ly: 4 }, 2).overlap[0]).toBeCloseTo(0.5, 12)
  })

  it('histograms sizes and refuses shapes that do not fit', () => {
    expect(Array.from(sizeHistogram([0.1, 0.9, 1.1, 5], 2, 2))).toEqual([2, 2])
    expect(() => placeUnits(new Float64Array(5), 1, { Lx: 2, Ly: 2 })).toThrow(/expected 4 × 1/)
    expect(() => blockOverlaps(new Float64Array(16), 1, { Lx: 4, Ly: 4 }, 3)).toThrow(/must divide/)
  })
})

describe('similarity of an RG level and a DBN layer', () => {
  it('mutual information of two binary variables by hand', () => {
    expect(binaryMutualInformation(50, 0, 0, 50)).toBeCloseTo(Math.LN2, 14)
    expect(binaryMutualInformation(0, 30, 30, 0)).toBeCloseTo(Math.LN2, 14)
    expect(binaryMutualInformation(25, 25, 25, 25)).toBe(0)
    // P = [[0.4, 0.1], [0.1, 0.4]]: I = 2·0.4 ln(0.4/0.25) + 2·0.1 ln(0.1/0.25).
    expect(binaryMutualInformation(40, 10, 10, 40)).toBeCloseTo(0.8 * Math.log(1.6) + 0.2 * Math.log(0.4), 14)
  })

  it('a unit copying a block spin carries ln 2 about it; an independent one none', () => {
    const rng = xoshiro128ss(6)
    const count = 2000
    const blocks = Float64Array.from({ length: count * 3 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    // Unit 0 = block 2's spin as {0,1}; unit 1 independent.
    const hidden = new Float64Array(count * 2)
    for (let k = 0; k < count; k++) {
      hidden[k * 2] = blocks[k * 3 + 2]! > 0 ? 1 : 0
      hidden[k * 2 + 1] = rng.nextFloat() < 0.5 ? 1 : 0
    }
    const s = levelSimilarity(blocks, 3, hidden, 2, count)
    expect(s.bestBlock[0]).toBe(2)
    expect(s.information[0]).toBeCloseTo(Math.LN2, 2)
    expect(s.information[1]).toBeLessThan(0.01)
    expect(s.error).toBeGreaterThan(0)
    expect(Math.abs(s.mean - (s.information[0]! + s.information[1]!) / 2)).toBeLessThan(1e-12)
  })

  it('KL between histograms: 0 for equal ones, by hand otherwise', () => {
    expect(histogramKl([1, 2, 3], [2, 4, 6], 0)).toBeCloseTo(0, 14)
    expect(histogramKl([1, 0], [0.5, 0.5], 0)).toBeCloseTo(Math.LN2, 14)
    expect(Number.isFinite(histogramKl([1, 0], [0, 1]))).toBe(true)
  })
})
