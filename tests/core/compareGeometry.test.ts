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

describe('levelSimilarity’s counts from products', () => {
  /** The definition: joint counts by looping over rows, replicas leaving one jackknife block out. */
  function bruteForce(
    blocks: Int8Array,
    nBlocks: number,
    hidden: Float32Array,
    units: number,
    count: number,
    nb: number
  ) {
    const replica = (skip: number) => {
      const info: number[] = []
      for (let j = 0; j < units; j++) {
        let best = -1
        for (let B = 0; B < nBlocks; B++) {
          const n = [0, 0, 0, 0]
          for (let k = 0; k < count; k++) {
            if (Math.min(nb - 1, Math.floor((k * nb) / count)) === skip) continue
            n[(blocks[k * nBlocks + B]! > 0 ? 2 : 0) + (hidden[k * units + j]! > 0.5 ? 1 : 0)]!++
          }
          best = Math.max(best, binaryMutualInformation(n[0]!, n[1]!, n[2]!, n[3]!))
        }
        info.push(best)
      }
      return info
    }
    const full = replica(-1)
    const jack = Array.from({ length: nb }, (_, s) => replica(s).reduce((a, b) => a + b, 0) / units)
    const m = jack.reduce((a, b) => a + b, 0) / nb
    return {
      information: full,
      mean: full.reduce((a, b) => a + b, 0) / units,
      error: Math.sqrt(((nb - 1) / nb) * jack.reduce((a, x) => a + (x - m) ** 2, 0))
    }
  }

  it('equals counting row by row, for every unit and every jackknife replica (uneven blocks too)', () => {
    const rng = xoshiro128ss(17)
    const count = 157
    const nBlocks = 6
    const units = 5
    const blocks = Int8Array.from({ length: count * nBlocks }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    // Units that copy a block spin with some noise, so the best block matters.
    const hidden = Float32Array.from({ length: count * units }, (_, i) => {
      const k = Math.floor(i / units)
      const j = i % units
      const s = blocks[k * nBlocks + (j % nBlocks)]!
      return rng.nextFloat() < 0.8 ? (s + 1) / 2 : rng.nextFloat()
    })
    const fast = levelSimilarity(blocks, nBlocks, hidden, units, count, { blocks: 0, hidden: 0.5 }, 7)
    const slow = bruteForce(blocks, nBlocks, hidden, units, count, 7)
    for (let j = 0; j < units; j++) expect(fast.information[j]).toBeCloseTo(slow.information[j]!, 12)
    expect(fast.mean).toBeCloseTo(slow.mean, 12)
    expect(fast.error).toBeCloseTo(slow.error, 12)
    expect(fast.error).toBeGreaterThan(0)
  })
})
