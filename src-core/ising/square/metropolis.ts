import type { Rng } from '../../random/rng'
import type { IsingSums } from './observables'
import type { SquareLattice } from './lattice'

/**
 * Single-spin Metropolis (Metropolis et al., J. Chem. Phys. 21, 1087, 1953) for
 * H = −K Σ_<ij> v_i v_j − h Σ_i v_i, P ∝ e^{−H} (paper's Eq. 3 signs). Flipping v_i changes
 * H by ΔH = 2 v_i (K S_i + h), S_i = Σ_j v_j ∈ {−4, −2, 0, 2, 4}; accept with min(1, e^{−ΔH}).
 * Only 5 × 2 values of ΔH exist, so the acceptance probabilities are tabulated.
 */
export interface MetropolisTable {
  K: number
  h: number
  /**
   * acceptance·2^32 at index 2·(S+4)/2 + (v+1)/2, so `rng.nextUint32() < threshold` is exactly
   * `nextFloat() < acceptance`; Infinity marks ΔH ≤ 0 (accepted without drawing a number).
   */
  readonly thresholds: Float64Array
}

const TWO_POW_32 = 2 ** 32

export function createMetropolisTable(K: number, h: number): MetropolisTable {
  const table: MetropolisTable = { K: NaN, h: NaN, thresholds: new Float64Array(10) }
  setMetropolisCouplings(table, K, h)
  return table
}

/** Recomputes the table when K or h changed; a no-op otherwise. */
export function setMetropolisCouplings(table: MetropolisTable, K: number, h: number): void {
  if (!Number.isFinite(K) || !Number.isFinite(h)) {
    throw new RangeError(`Metropolis couplings must be finite, got K=${K}, h=${h}`)
  }
  if (table.K === K && table.h === h) return
  table.K = K
  table.h = h
  for (let s = 0; s < 5; s++) {
    const neighbourSum = 2 * s - 4
    for (let c = 0; c < 2; c++) {
      const v = 2 * c - 1
      const deltaH = 2 * v * (K * neighbourSum + h)
      table.thresholds[2 * s + c] = deltaH <= 0 ? Infinity : Math.exp(-deltaH) * TWO_POW_32
    }
  }
}

/**
 * One sweep: every even site, then every odd site (checkerboard order), each a Metropolis
 * step. Updates `sums` incrementally and returns the number of accepted flips. No allocation.
 */
export function metropolisSweep(
  spins: Int8Array,
  lattice: SquareLattice,
  table: MetropolisTable,
  rng: Rng,
  sums: IsingSums
): number {
  const nb = lattice.neighbours
  const thresholds = table.thresholds
  let accepted = 0
  let bondDelta = 0
  let spinDelta = 0
  for (let colour = 0; colour < 2; colour++) {
    const sites = colour === 0 ? lattice.evenSites : lattice.oddSites
    for (let k = 0, n = sites.length; k < n; k++) {
      const i = sites[k]
      const b = 4 * i
      const neighbourSum = spins[nb[b]] + spins[nb[b + 1]] + spins[nb[b + 2]] + spins[nb[b + 3]]
      const v = spins[i]
      const threshold = thresholds[neighbourSum + 4 + ((v + 1) >> 1)]
      if (threshold === Infinity || rng.nextUint32() < threshold) {
        spins[i] = -v
        accepted++
        bondDelta -= 2 * v * neighbourSum
        spinDelta -= 2 * v
      }
    }
  }
  sums.bondSum += bondDelta
  sums.spinSum += spinDelta
  return accepted
}
