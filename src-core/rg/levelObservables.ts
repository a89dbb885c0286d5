/**
 * What each level of a block cascade looks like, measured the same way at every level so the
 * levels can be compared (SCIENCE.md §6): |m|, m², the nearest-neighbour correlation, C(r) along
 * the axes and the histogram of m, with error bars from the jackknife over contiguous blocks of
 * configurations (stats/jackknife.ts; samples of a dataset are already thinned by τ_int).
 * Block averages (the average rule) are real numbers in [−1, 1]; the same formulas apply.
 * C(r) costs O(L) per site and configuration: it uses at most CORRELATION_MAX_CONFIGURATIONS
 * configurations, evenly spaced through the data (its error bars say so by being wider).
 */
import { jackknife } from '../stats/jackknife'
import type { Estimate } from '../stats/summary'
import type { Grid, LevelData } from './blockSpin'
import { nearestCorrelations } from './matchedCoupling'

export const M_HISTOGRAM_BINS = 41
export const CORRELATION_MAX_CONFIGURATIONS = 4000

export interface LevelObservables {
  absM: Estimate
  m2: Estimate
  /** ⟨s_i s_j⟩ over nearest-neighbour bonds (periodic). */
  nearest: Estimate
  /** Connected C(r) = ⟨s_i s_{i+r}⟩ − ⟨s⟩², r = 0 … ⌊L/2⌋ along both axes averaged; ⟨s⟩ from the same data. */
  correlation: Estimate[]
  /** Fractions of configurations with m in each of M_HISTOGRAM_BINS equal bins over [−1, 1]. */
  mHistogram: Float64Array
}

/** f of the series' means, with its jackknife error over 20 contiguous blocks. */
function estimate(series: Float64Array[], f: (means: Float64Array) => number = (m) => m[0]!): Estimate {
  const n = series[0]!.length
  if (n < 2) return { value: n === 1 ? f(Float64Array.from(series, (x) => x[0]!)) : Number.NaN, error: Number.NaN }
  const r = jackknife(series, f, { blockLength: Math.max(1, Math.floor(n / 20)) })
  return { value: r.naive, error: r.error }
}

/** Observables of `count` configurations on a periodic Lx × Ly grid. */
export function levelObservables(data: LevelData, count: number, g: Grid): LevelObservables {
  const n = g.Lx * g.Ly
  const m = new Float64Array(count)
  for (let k = 0; k < count; k++) {
    let s = 0
    for (let i = 0; i < n; i++) s += data[k * n + i]!
    m[k] = s / n
  }
  const rMax = Math.floor(Math.min(g.Lx, g.Ly === 1 ? g.Lx : g.Ly) / 2)
  // Per configuration: Σ_i s_i s_{i+r} / (number of terms), both axes (x only for a chain).
  const used = Math.min(count, CORRELATION_MAX_CONFIGURATIONS)
  const pair = Array.from({ length: rMax + 1 }, () => new Float64Array(used))
  const mUsed = new Float64Array(used)
  const { Lx, Ly } = g
  const terms = g.Ly > 1 ? 2 * n : n
  for (let u = 0; u < used; u++) {
    const k = Math.floor((u * count) / used)
    mUsed[u] = m[k]!
    const o = k * n
    for (let r = 0; r <= rMax; r++) {
      let sum = 0
      for (let y = 0; y < Ly; y++) {
        const row = o + y * Lx
        for (let x = 0; x < Lx - r; x++) sum += data[row + x]! * data[row + x + r]!
        for (let x = Lx - r; x < Lx; x++) sum += data[row + x]! * data[row + x + r - Lx]!
        if (Ly > 1) {
          const other = o + ((y + r) % Ly) * Lx
          for (let x = 0; x < Lx; x++) sum += data[row + x]! * data[other + x]!
        }
      }
      pair[r]![u] = sum / terms
    }
  }
  const histogram = new Float64Array(M_HISTOGRAM_BINS)
  for (const x of m)
    histogram[Math.min(M_HISTOGRAM_BINS - 1, Math.floor(((x + 1) / 2) * M_HISTOGRAM_BINS))]! += 1 / count
  return {
    absM: estimate([m.map(Math.abs)]),
    m2: estimate([m.map((x) => x * x)]),
    nearest: estimate([nearestCorrelations(data, count, g)]),
    // C(r) = ⟨pair_r⟩ − ⟨m⟩², a function of two means: the jackknife handles the nonlinearity.
    correlation: pair.map((series) => estimate([series, mUsed], (means) => means[0]! - means[1]! * means[1]!)),
    mHistogram: histogram
  }
}
