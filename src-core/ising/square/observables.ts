import type { SquareLattice } from './lattice'

/**
 * The two integer sums every Ising observable here is built from. Update routines keep them
 * current incrementally (a flip of v_i changes bondSum by −2 v_i Σ_j v_j and spinSum by −2 v_i),
 * so observables cost O(1) per sweep, and they stay valid when K or h is edited because they do
 * not depend on the couplings.
 */
export interface IsingSums {
  /** Σ_<ij> v_i v_j over the 2N nearest-neighbour bonds, in [−2N, 2N]. */
  bondSum: number
  /** Σ_i v_i, in [−N, N]. */
  spinSum: number
}

export function computeIsingSums(spins: Int8Array, lattice: SquareLattice): IsingSums {
  const { N, neighbours } = lattice
  let bondSum = 0
  let spinSum = 0
  for (let i = 0; i < N; i++) {
    const v = spins[i]
    spinSum += v
    // Right and down neighbours only: each bond counted once.
    bondSum += v * (spins[neighbours[4 * i]] + spins[neighbours[4 * i + 2]])
  }
  return { bondSum, spinSum }
}

/**
 * e = H/N in the paper's convention (Eq. 3, SCIENCE.md §1), H = −K Σ_<ij> v_i v_j − h Σ_i v_i.
 * Dimensionless; for h = 0, e = K·u with u the energy per spin in units of J.
 */
export function energyPerSpin(sums: IsingSums, K: number, h: number, N: number): number {
  return -(K * sums.bondSum + h * sums.spinSum) / N
}

/** m = Σv/N. */
export function magnetisationPerSpin(sums: IsingSums, N: number): number {
  return sums.spinSum / N
}

/** |m| = |Σv|/N. */
export function absMagnetisationPerSpin(sums: IsingSums, N: number): number {
  return Math.abs(sums.spinSum) / N
}
