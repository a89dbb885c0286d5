import { blockStep, coarseGrid, maxLevels, type BlockRule, type Grid, type LevelData } from '@core/rg/blockSpin'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { packRgba, type Rgba } from './colors'

/**
 * The block-spin levels of ONE configuration, for drawing: level 0 is the configuration itself,
 * each next level one blockStep of the previous (rg/blockSpin.ts). Majority ties are broken by
 * a coin from a generator seeded with `seed`, so the same configuration always gives the same
 * levels and a painted spin changes only what it should.
 */
export interface RgLevel {
  level: number
  Lx: number
  Ly: number
  data: LevelData
}

/** How many levels (besides level 0) of b-blocks fit, at most `wanted`. */
export function levelsThatFit(g: Grid, b: number, wanted: number): number {
  try {
    return Math.max(0, Math.min(wanted, maxLevels(g, b)))
  } catch {
    return 0
  }
}

export function configurationLevels(
  spins: LevelData,
  g: Grid,
  b: number,
  rule: BlockRule,
  levels: number,
  seed = 1
): RgLevel[] {
  const out: RgLevel[] = [{ level: 0, Lx: g.Lx, Ly: g.Ly, data: spins }]
  const n = levelsThatFit(g, b, levels)
  const rng = xoshiro128ss(seed)
  let grid = g
  let data = spins
  for (let l = 1; l <= n; l++) {
    // Majority needs ±1 spins; after an average level only averages can follow.
    const step: BlockRule = rule === 'majority' && data instanceof Float32Array ? 'average' : rule
    data = blockStep(data, 1, grid, b, step, rng)
    grid = coarseGrid(grid, b)
    out.push({ level: l, Lx: grid.Lx, Ly: grid.Ly, data })
  }
  return out
}

/** A copy of `spins` with site (x, y) set to `value` (±1), or null when nothing changes. */
export function paintSite(spins: Int8Array, Lx: number, x: number, y: number, value: 1 | -1): Int8Array | null {
  const i = y * Lx + x
  if (i < 0 || i >= spins.length || spins[i] === value) return null
  const next = spins.slice()
  next[i] = value
  return next
}

/** Block sizes offered for a grid: the b ≥ 2 that divide it at least once. */
export function blockSizes(g: Grid, candidates: readonly number[] = [2, 3, 4, 5]): number[] {
  return candidates.filter((b) => levelsThatFit(g, b, 1) > 0)
}

/**
 * Packed pixels for a level: ±1 spins in the two spin colours, block averages in between
 * (linear in the value, so an average of 0 is the midpoint grey).
 */
export function levelPixels(data: LevelData, up: Rgba, down: Rgba, out = new Uint32Array(data.length)): Uint32Array {
  const upPixel = packRgba(up)
  const downPixel = packRgba(down)
  for (let i = 0; i < data.length; i++) {
    const v = data[i]!
    if (v >= 1) out[i] = upPixel
    else if (v <= -1) out[i] = downPixel
    else {
      const t = (v + 1) / 2
      out[i] = packRgba([0, 1, 2, 3].map((c) => Math.round(down[c]! + t * (up[c]! - down[c]!))) as Rgba)
    }
  }
  return out
}

/** A short fingerprint of a level's values (FNV-1a over them), to tell levels apart in tests and the page. */
export function levelSignature(data: LevelData): string {
  let h = 0x811c9dc5
  for (let i = 0; i < data.length; i++) {
    h ^= Math.round(data[i]! * 1024) & 0xffff
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h.toString(16)
}
