/**
 * Block-spin transforms of configurations (Kadanoff; SCIENCE.md §6, the seed slides):
 * - average:    h_B = (1/A) Σ_{i∈B} v_i, kept real-valued (the slides' definition);
 * - majority:   h_B = sign Σ_{i∈B} v_i, a tie broken by a fair coin from the caller's generator;
 * - decimation: h_B = v_{r(B)}, the block's first (top-left) site.
 * Configurations are row-major Ly × Lx (site (x, y) = y·Lx + x); a chain is Ly = 1 with b × 1
 * blocks. A cascade applies the rule level after level: the average of averages is the average
 * over the larger block; majority and decimation act on the previous level's ±1 spins.
 */
import type { Rng } from '../random/rng'

export type BlockRule = 'average' | 'majority' | 'decimation'
export const BLOCK_RULES: readonly BlockRule[] = ['average', 'majority', 'decimation']

/** A lattice of configurations: Lx × Ly sites, each configuration `Lx·Ly` values. */
export interface Grid {
  Lx: number
  Ly: number
}

/** Spins of one level: ±1 as Int8Array, or real block averages as Float32Array. */
export type LevelData = Int8Array | Float32Array

/** The grid after one b × b step (b × 1 for a chain); b must divide each side longer than 1. */
export function coarseGrid(g: Grid, b: number): Grid {
  if (!Number.isInteger(b) || b < 2) throw new RangeError(`the block size b must be a whole number ≥ 2, got ${b}`)
  const by = g.Ly === 1 ? 1 : b
  if (g.Lx % b !== 0 || g.Ly % by !== 0) throw new RangeError(`b = ${b} does not divide the ${g.Lx}×${g.Ly} lattice`)
  return { Lx: g.Lx / b, Ly: g.Ly / by }
}

/** How many levels of b-blocking a grid allows (each level at least 1 site a side). */
export function maxLevels(g: Grid, b: number): number {
  let n = 0
  let cur = g
  for (;;) {
    try {
      cur = coarseGrid(cur, b)
    } catch {
      return n
    }
    n++
  }
}

/**
 * One block step of `count` configurations. `rng` is needed by majority with even block sizes
 * (ties) and is drawn once per tie, in configuration and block order, so a seeded run repeats.
 */
export function blockStep(data: LevelData, count: number, g: Grid, b: number, rule: BlockRule, rng?: Rng): LevelData {
  const c = coarseGrid(g, b)
  const n = g.Lx * g.Ly
  const m = c.Lx * c.Ly
  if (data.length !== count * n)
    throw new RangeError(`expected ${count} configurations of ${n} sites, got ${data.length} values`)
  const by = g.Ly === 1 ? 1 : b
  const area = b * by
  const out = rule === 'average' ? new Float32Array(count * m) : new Int8Array(count * m)
  if (rule === 'majority' && data instanceof Float32Array)
    throw new RangeError('majority rule needs ±1 spins, not block averages')
  for (let k = 0; k < count; k++) {
    const src = k * n
    const dst = k * m
    for (let Y = 0; Y < c.Ly; Y++) {
      for (let X = 0; X < c.Lx; X++) {
        const corner = src + Y * by * g.Lx + X * b
        if (rule === 'decimation') {
          out[dst + Y * c.Lx + X] = data[corner]
          continue
        }
        let s = 0
        for (let dy = 0; dy < by; dy++) {
          const row = corner + dy * g.Lx
          for (let dx = 0; dx < b; dx++) s += data[row + dx]
        }
        if (rule === 'average') out[dst + Y * c.Lx + X] = s / area
        else if (s !== 0) out[dst + Y * c.Lx + X] = s > 0 ? 1 : -1
        else {
          if (!rng) throw new RangeError('majority rule with even blocks needs a random generator for ties')
          out[dst + Y * c.Lx + X] = rng.nextFloat() < 0.5 ? 1 : -1
        }
      }
    }
  }
  return out
}

export interface CascadeLevel {
  level: number
  grid: Grid
  data: LevelData
}

/** Level 0 (the input) and `levels` block steps of it. */
export function blockCascade(
  data: LevelData,
  count: number,
  g: Grid,
  b: number,
  rule: BlockRule,
  levels: number,
  rng?: Rng
): CascadeLevel[] {
  if (!Number.isInteger(levels) || levels < 1) throw new RangeError(`levels must be a whole number ≥ 1, got ${levels}`)
  const possible = maxLevels(g, b)
  if (levels > possible)
    throw new RangeError(
      `a ${g.Lx}×${g.Ly} lattice allows ${possible} level${possible === 1 ? '' : 's'} of ${b}×${b} blocks, not ${levels}`
    )
  const out: CascadeLevel[] = [{ level: 0, grid: g, data }]
  for (let l = 1; l <= levels; l++) {
    const prev = out[l - 1]!
    out.push({ level: l, grid: coarseGrid(prev.grid, b), data: blockStep(prev.data, count, prev.grid, b, rule, rng) })
  }
  return out
}
