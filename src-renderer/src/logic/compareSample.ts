import type { BlockRule, Grid } from '@core/rg/blockSpin'
import { transformUp, type Dbn } from '@core/rbm/dbn'
import type { Batch } from '@core/rbm/types'
import type { SampleAtLevel } from '../charts/compareLevelOptions'
import { configurationLevels, type RgLevel } from './rgLevels'

/**
 * One configuration seen by both sides of an RG-vs-DBN comparison, computed in the page so a
 * selected, scrubbed or painted sample updates every panel at once: its block-spin levels
 * (blockStep, majority ties by a coin seeded per sample), the DBN's layer activities (E[h | v]
 * passed up, as probabilities of "on" whatever the unit type), and per level its m and its
 * single-configuration correlations by distance (in sites of the data lattice); units enter
 * these by their mean spin 2p − 1.
 */
export interface ComparedSample {
  rg: RgLevel[]
  /** Probability that each unit of layer l (index l − 1) is on. */
  layers: Float32Array[]
  levels: SampleAtLevel[]
}

const image = (d: number, L: number): number => {
  const w = ((d % L) + L) % L
  return Math.min(w, L - w)
}

/** m = (1/N) Σ s of ±1 values. */
const meanOf = (s: ArrayLike<number>): number => {
  let sum = 0
  for (let i = 0; i < s.length; i++) sum += s[i]!
  return s.length ? sum / s.length : Number.NaN
}

/**
 * C(r) of one configuration on a torus: (1/2N) Σ_i s_i (s_{i+r x̂} + s_{i+r ŷ}) − m², r up to
 * half the side, reported at r · spacing (the level's block side in data-lattice sites).
 */
export function configurationCorrelation(s: ArrayLike<number>, g: Grid, spacing: number): { r: number; c: number }[] {
  const m = meanOf(s)
  const out: { r: number; c: number }[] = []
  const rMax = Math.floor(Math.min(g.Lx, g.Ly === 1 ? g.Lx : g.Ly) / 2)
  for (let r = 0; r <= rMax; r++) {
    let sum = 0
    let n = 0
    for (let y = 0; y < g.Ly; y++) {
      for (let x = 0; x < g.Lx; x++) {
        const v = s[y * g.Lx + x]!
        sum += v * s[y * g.Lx + ((x + r) % g.Lx)]!
        n++
        if (g.Ly > 1) {
          sum += v * s[((y + r) % g.Ly) * g.Lx + x]!
          n++
        }
      }
    }
    out.push({ r: r * spacing, c: sum / n - m * m })
  }
  return out
}

/** Unit pairs (j < k, in that order) by rounded centroid distance: each pair's bin, and per bin its distance and count. */
interface PairBins {
  /** Bin of each pair, pairs in the order (0,1), (0,2), …, (1,2), … */
  bin: Uint32Array
  r: number[]
  pairs: number[]
}

/**
 * The pair bins of a layer's centroids, computed once per layer (a paint changes the activities,
 * not where the units sit): 400 units are 79,800 distances, most of a paint's work otherwise.
 */
const pairBinsCache = new WeakMap<readonly number[], { y: readonly number[]; n: number; g: Grid; bins: PairBins }>()

function pairBins(x: readonly number[], y: readonly number[], n: number, g: Grid): PairBins {
  const hit = pairBinsCache.get(x)
  if (hit && hit.y === y && hit.n === n && hit.g.Lx === g.Lx && hit.g.Ly === g.Ly) return hit.bins
  const index = new Map<number, number>()
  const bins: PairBins = { bin: new Uint32Array((n * (n - 1)) / 2), r: [], pairs: [] }
  let q = 0
  for (let j = 0; j < n; j++) {
    for (let k = j + 1; k < n; k++) {
      const r = Math.round(Math.hypot(image(x[j]! - x[k]!, g.Lx), image(y[j]! - y[k]!, g.Ly)))
      let b = index.get(r)
      if (b === undefined) {
        b = bins.r.length
        index.set(r, b)
        bins.r.push(r)
        bins.pairs.push(0)
      }
      bins.bin[q++] = b
      bins.pairs[b]!++
    }
  }
  pairBinsCache.set(x, { y, n, g: { Lx: g.Lx, Ly: g.Ly }, bins })
  return bins
}

/**
 * Units of one configuration by their mean spin 2p − 1 (continuous, so a painted spin moves
 * it even when no unit crosses ½): mean of s_j s_k − m² over unit pairs binned by rounded
 * centroid distance (minimum image on the torus).
 */
export function unitCorrelation(
  p: ArrayLike<number>,
  x: readonly number[],
  y: readonly number[],
  g: Grid
): { r: number; c: number }[] {
  const n = p.length
  const s = Float64Array.from({ length: n }, (_, j) => 2 * p[j]! - 1)
  const m = meanOf(s)
  const { bin, r, pairs } = pairBins(x, y, n, g)
  const sums = new Float64Array(r.length)
  let q = 0
  for (let j = 0; j < n; j++) {
    const sj = s[j]!
    for (let k = j + 1; k < n; k++) sums[bin[q++]!] += sj * s[k]!
  }
  return r.map((distance, b) => ({ r: distance, c: sums[b]! / pairs[b]! - m * m })).sort((a, b) => a.r - b.r)
}

export interface SampleSetting {
  grid: Grid
  rule: BlockRule
  b: number
  levels: number
  seed: number
  dbn: Dbn | null
  /** Unit centroids per level (from the saved result). */
  centroids: { x: number[]; y: number[] }[]
}

export function compareSample(spins: Int8Array, s: SampleSetting): ComparedSample {
  const rg = configurationLevels(spins, s.grid, s.b, s.rule, s.levels, s.seed)
  const layers: Float32Array[] = []
  const first = s.dbn?.layers[0]
  if (s.dbn && first && first.nv === spins.length) {
    const row = {
      rows: 1,
      cols: spins.length,
      data: Float32Array.from(spins, (v) => (first.visibleUnits === 'pm1' ? v : (v + 1) / 2))
    }
    let x: Batch = row
    for (let l = 0; l < Math.min(s.levels, s.dbn.layers.length); l++) {
      x = transformUp({ layers: [s.dbn.layers[l]!], passUp: s.dbn.passUp }, x, 1, 'probabilities')
      const pm1 = s.dbn.layers[l]!.hiddenUnits === 'pm1'
      layers.push(pm1 ? x.data.map((v) => (v + 1) / 2) : x.data.slice())
    }
  }
  const levels = rg.slice(1).map((level, i): SampleAtLevel => {
    const p = layers[i]
    const c = s.centroids[i]
    return {
      mBlocks: meanOf(level.data),
      mUnits: p ? meanOf(Array.from(p, (v) => 2 * v - 1)) : Number.NaN,
      blocks: configurationCorrelation(level.data, level, s.b ** level.level),
      units: p && c && c.x.length === p.length ? unitCorrelation(p, c.x, c.y, s.grid) : []
    }
  })
  return { rg, layers, levels }
}
