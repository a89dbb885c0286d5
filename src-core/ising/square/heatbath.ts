import type { Rng } from '../../random/rng'
import type { IsingSums } from './observables'
import type { SquareLattice } from './lattice'

/**
 * Single-spin heat bath (Glauber, J. Math. Phys. 4, 294, 1963; Landau & Binder, "A Guide to
 * Monte Carlo Simulations in Statistical Physics", §5.2) for H = −K Σ_<ij> v_i v_j − h Σ_i v_i,
 * P ∝ e^{−H}: each visited spin is redrawn from its conditional distribution given its
 * neighbours, P(v_i = +1 | S_i) = 1 / (1 + e^{−2(K S_i + h)}), S_i = Σ_j v_j ∈ {−4, …, 4}.
 * Exactly one random number per site, so the stream advances by N per sweep.
 */
export interface HeatBathTable {
  K: number
  h: number
  /** P(+1)·2^32 at index (S + 4)/2, so `rng.nextUint32() < threshold` is `nextFloat() < P(+1)`. */
  readonly thresholds: Float64Array
}

const TWO_POW_32 = 2 ** 32

export function createHeatBathTable(K: number, h: number): HeatBathTable {
  const table: HeatBathTable = { K: NaN, h: NaN, thresholds: new Float64Array(5) }
  setHeatBathCouplings(table, K, h)
  return table
}

/** Recomputes the table when K or h changed; a no-op otherwise. */
export function setHeatBathCouplings(table: HeatBathTable, K: number, h: number): void {
  if (!Number.isFinite(K) || !Number.isFinite(h)) {
    throw new RangeError(`heat-bath couplings must be finite, got K=${K}, h=${h}`)
  }
  if (table.K === K && table.h === h) return
  table.K = K
  table.h = h
  for (let s = 0; s < 5; s++) {
    const local = K * (2 * s - 4) + h
    table.thresholds[s] = TWO_POW_32 / (1 + Math.exp(-2 * local))
  }
}

/**
 * One sweep in the checkerboard order of metropolisSweep (every even site, then every odd
 * site; a fixed sequential order for odd L). Updates `sums` incrementally and returns the number
 * of spins that changed. No allocation.
 */
export function heatBathSweep(
  spins: Int8Array,
  lattice: SquareLattice,
  table: HeatBathTable,
  rng: Rng,
  sums: IsingSums
): number {
  const nb = lattice.neighbours
  const thresholds = table.thresholds
  let changed = 0
  let bondDelta = 0
  let spinDelta = 0
  for (let colour = 0; colour < 2; colour++) {
    const sites = colour === 0 ? lattice.evenSites : lattice.oddSites
    for (let k = 0, n = sites.length; k < n; k++) {
      const i = sites[k]
      const b = 4 * i
      const neighbourSum = spins[nb[b]] + spins[nb[b + 1]] + spins[nb[b + 2]] + spins[nb[b + 3]]
      const v = spins[i]
      const w = rng.nextUint32() < thresholds[(neighbourSum + 4) >> 1] ? 1 : -1
      if (w !== v) {
        spins[i] = w
        changed++
        bondDelta += (w - v) * neighbourSum
        spinDelta += w - v
      }
    }
  }
  sums.bondSum += bondDelta
  sums.spinSum += spinDelta
  return changed
}
