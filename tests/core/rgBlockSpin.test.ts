import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { blockCascade, blockStep, maxLevels } from '@core/rg/blockSpin'

// A 4×4 configuration, row-major: rows y = 0..3.
// prettier-ignore
const config = Int8Array.from([
  1, 1, -1, -1,
  1, -1, -1, -1,
  -1, -1, 1, 1,
  1, -1, 1, -1
])

describe('block-spin transforms', () => {
  it('average, majority and decimation of 2×2 blocks by hand', () => {
    const g = { Lx: 4, Ly: 4 }
    expect(Array.from(blockStep(config, 1, g, 2, 'average'))).toEqual([0.5, -1, -0.5, 0.5])
    expect(Array.from(blockStep(config, 1, g, 2, 'decimation'))).toEqual([1, -1, -1, 1])
    // Blocks: [1,1,1,-1] → +1, [-1,-1,-1,-1] → −1, [-1,-1,1,-1] → −1, [1,1,1,-1] → +1: no ties.
    expect(Array.from(blockStep(config, 1, g, 2, 'majority'))).toEqual([1, -1, -1, 1])
  })

  it('majority ties are a fair seeded coin', () => {
    const tie = new Int8Array(4 * 4 * 500)
    for (let k = 0; k < 500; k++) tie.set([1, -1, 1, -1, -1, 1, -1, 1, 1, 1, -1, -1, -1, -1, 1, 1], k * 16)
    const a = blockStep(tie, 500, { Lx: 4, Ly: 4 }, 2, 'majority', xoshiro128ss(9))
    const b = blockStep(tie, 500, { Lx: 4, Ly: 4 }, 2, 'majority', xoshiro128ss(9))
    expect(Array.from(a)).toEqual(Array.from(b))
    const ups = Array.from(a).filter((s) => s === 1).length
    const n = a.length
    // Binomial(n, ½): within 4σ of n/2.
    expect(Math.abs(ups - n / 2)).toBeLessThan(4 * Math.sqrt(n / 4))
    expect(() => blockStep(tie, 500, { Lx: 4, Ly: 4 }, 2, 'majority')).toThrow(/random generator/)
  })

  it('3×3 majority needs no coin; cascades shrink by b and the average of averages is the larger block average', () => {
    const rng = xoshiro128ss(4)
    const data = Int8Array.from({ length: 2 * 81 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    const levels = blockCascade(data, 2, { Lx: 9, Ly: 9 }, 3, 'majority', 2)
    expect(levels.map((l) => [l.grid.Lx, l.grid.Ly, l.data.length])).toEqual([
      [9, 9, 162],
      [3, 3, 18],
      [1, 1, 2]
    ])
    const avg = blockCascade(data, 2, { Lx: 9, Ly: 9 }, 3, 'average', 2)
    for (let k = 0; k < 2; k++) {
      let s = 0
      for (let i = 0; i < 81; i++) s += data[k * 81 + i]!
      expect(avg[2]!.data[k]).toBeCloseTo(s / 81, 6)
    }
  })

  it('chains block b consecutive spins', () => {
    const chain = Int8Array.from([1, 1, -1, 1, -1, -1, 1, -1])
    expect(Array.from(blockStep(chain, 1, { Lx: 8, Ly: 1 }, 2, 'decimation'))).toEqual([1, -1, -1, 1])
    expect(Array.from(blockStep(chain, 1, { Lx: 8, Ly: 1 }, 2, 'average'))).toEqual([1, 0, -1, 0])
  })

  it('refuses block sizes that do not divide, and too many levels, with a sentence', () => {
    expect(maxLevels({ Lx: 40, Ly: 40 }, 2)).toBe(3)
    expect(() => blockCascade(new Int8Array(1600), 1, { Lx: 40, Ly: 40 }, 2, 'decimation', 4)).toThrow(
      /allows 3 levels/
    )
    expect(() => blockStep(new Int8Array(1600), 1, { Lx: 40, Ly: 40 }, 3, 'average')).toThrow(/does not divide/)
    expect(() => blockStep(new Int8Array(10), 1, { Lx: 4, Ly: 4 }, 2, 'average')).toThrow(/expected 1 configurations/)
  })
})
