/**
 * The matched coupling of a coarse level (SCIENCE.md §6, §7): the K whose exact nearest-neighbour
 * correlation on a torus of the coarse size equals the one measured. On the uniform zero-field
 * L×L torus (2N bonds) ⟨v_i v_j⟩_nn = (1/2N) ∂ln Z/∂K = −e/(2K), e = ⟨H⟩/N from Kaufman's formula;
 * the correlation rises monotonically with K, so bisection finds K. Jackknife over contiguous
 * blocks of samples gives the error bar.
 */
import { kaufmanTorus } from '../ising/exact/kaufman'
import type { Grid } from './blockSpin'

/** ⟨v_i v_j⟩ over nearest-neighbour bonds of an L×L torus at coupling K (exact). */
export function exactNearestCorrelation(Lx: number, Ly: number, K: number): number {
  if (K === 0) return 0
  const r = kaufmanTorus(Lx, Ly, K)
  return -(r.e ?? Number.NaN) / (2 * K)
}

/** Mean of s_i s_j over the nearest-neighbour bonds (2N on a torus, N on a ring), per configuration. */
export function nearestCorrelations(data: ArrayLike<number>, count: number, g: Grid): Float64Array {
  const { Lx, Ly } = g
  const n = Lx * Ly
  const chain = Ly === 1
  const out = new Float64Array(count)
  for (let k = 0; k < count; k++) {
    const o = k * n
    let sum = 0
    for (let y = 0; y < Ly; y++) {
      const down = ((y + 1) % Ly) * Lx
      for (let x = 0; x < Lx; x++) {
        const s = data[o + y * Lx + x]!
        sum += s * data[o + y * Lx + ((x + 1) % Lx)]!
        if (!chain) sum += s * data[o + down + x]!
      }
    }
    out[k] = sum / (chain ? n : 2 * n)
  }
  return out
}

/** Upper end of the search: the correlation at K = 3 is 1 − O(e^{−12}) on any torus. */
const K_MAX = 3

/** The K ≥ 0 whose exact correlation on an Lx×Ly torus is `c` (bisection to 1e-12). */
export function matchCoupling(Lx: number, Ly: number, c: number): number {
  if (Math.min(Lx, Ly) < 3)
    throw new RangeError(`matching needs a coarse lattice of at least 3×3 (Kaufman's formula), got ${Lx}×${Ly}`)
  if (!(c > 0)) return 0
  if (c >= exactNearestCorrelation(Lx, Ly, K_MAX)) return K_MAX
  let lo = 0
  let hi = K_MAX
  while (hi - lo > 1e-12) {
    const mid = 0.5 * (lo + hi)
    if (exactNearestCorrelation(Lx, Ly, mid) < c) lo = mid
    else hi = mid
  }
  return 0.5 * (lo + hi)
}

export interface MatchedCoupling {
  /** Measured ⟨s_i s_j⟩_nn and its jackknife error. */
  correlation: number
  correlationError: number
  K: number
  KError: number
}

/** Matched K of ±1 (or real block-average) configurations on a periodic grid. */
export function matchedCoupling(data: ArrayLike<number>, count: number, g: Grid, blocks = 20): MatchedCoupling {
  if (count < 1) throw new RangeError('there are no configurations to match')
  const per = nearestCorrelations(data, count, g)
  const nb = Math.max(1, Math.min(blocks, count))
  const mean = (skip: number) => {
    let s = 0
    let w = 0
    for (let k = 0; k < count; k++) {
      if (Math.min(nb - 1, Math.floor((k * nb) / count)) === skip) continue
      s += per[k]
      w++
    }
    return s / w
  }
  const correlation = mean(-1)
  const K = matchCoupling(g.Lx, g.Ly, correlation)
  if (nb === 1) return { correlation, correlationError: 0, K, KError: 0 }
  const jc = Array.from({ length: nb }, (_, j) => mean(j))
  const jk = jc.map((c) => matchCoupling(g.Lx, g.Ly, c))
  const spread = (xs: number[]) => {
    const m = xs.reduce((s, x) => s + x, 0) / nb
    return Math.sqrt(((nb - 1) / nb) * xs.reduce((s, x) => s + (x - m) ** 2, 0))
  }
  return { correlation, correlationError: spread(jc), K, KError: spread(jk) }
}
