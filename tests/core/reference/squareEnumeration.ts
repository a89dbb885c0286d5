import type { SquareLattice } from '@core/ising/square/lattice'

/**
 * Exact enumeration of a small periodic Ising lattice: the joint density of states
 * g(B, M) over bond sum B = Σ_<ij> v_i v_j and spin sum M = Σ_i v_i. Any equilibrium average
 * at any (K, h) then follows from Z = Σ_{B,M} g(B, M) e^{K B + h M} (SCIENCE.md §1 convention).
 * Used as the exact reference for Monte Carlo tests (4×4: SCIENCE.md §5 checks).
 */
export interface IsingDensityOfStates {
  N: number
  /** count[(B + 2N)·(N + 1) + (M + N)/2] = number of states with bond sum B, spin sum M. */
  count: Float64Array
}

export interface ExactIsingAverages {
  /** ln Z. */
  logZ: number
  /** ⟨H⟩/N. */
  energyPerSpin: number
  /** Var(H)/N. */
  specificHeat: number
  /** ⟨Σv⟩/N. */
  magnetisation: number
  /** ⟨|Σv|⟩/N. */
  absMagnetisation: number
}

/** Largest lattice enumerated (2^25 states take about a second). */
export const MAX_ENUMERATED_SITES = 25

export function enumerateIsingDensityOfStates(lattice: SquareLattice): IsingDensityOfStates {
  const { N, neighbours } = lattice
  if (N > MAX_ENUMERATED_SITES) {
    throw new RangeError(`enumeration needs N ≤ ${MAX_ENUMERATED_SITES} sites, got N=${N} (L=${lattice.L})`)
  }
  const spins = new Int8Array(N).fill(1)
  const width = N + 1
  const count = new Float64Array((4 * N + 1) * width)
  let bondSum = 2 * N
  let spinSum = N
  count[4 * N * width + N] = 1
  // Gray-code order: state g visits differ from the previous by one spin, the lowest set bit
  // of g, so each state costs O(1) to update.
  const states = 2 ** N
  for (let g = 1; g < states; g++) {
    let i = 0
    while (((g >>> i) & 1) === 0) i++
    const v = spins[i]
    const b = 4 * i
    const neighbourSum =
      spins[neighbours[b]] + spins[neighbours[b + 1]] + spins[neighbours[b + 2]] + spins[neighbours[b + 3]]
    bondSum -= 2 * v * neighbourSum
    spinSum -= 2 * v
    spins[i] = -v
    count[(bondSum + 2 * N) * width + (spinSum + N) / 2]++
  }
  return { N, count }
}

/** Exact averages at couplings (K, h) from a density of states, with log-sum-exp scaling. */
export function exactIsingAverages(dos: IsingDensityOfStates, K: number, h: number): ExactIsingAverages {
  const { N, count } = dos
  const width = N + 1
  let maxExponent = -Infinity
  for (let k = 0; k < count.length; k++) {
    if (count[k] === 0) continue
    const B = Math.floor(k / width) - 2 * N
    const M = 2 * (k % width) - N
    maxExponent = Math.max(maxExponent, K * B + h * M)
  }
  let z = 0
  let sumH = 0
  let sumH2 = 0
  let sumM = 0
  let sumAbsM = 0
  for (let k = 0; k < count.length; k++) {
    if (count[k] === 0) continue
    const B = Math.floor(k / width) - 2 * N
    const M = 2 * (k % width) - N
    const w = count[k] * Math.exp(K * B + h * M - maxExponent)
    const H = -(K * B + h * M)
    z += w
    sumH += w * H
    sumH2 += w * H * H
    sumM += w * M
    sumAbsM += w * Math.abs(M)
  }
  const meanH = sumH / z
  return {
    logZ: Math.log(z) + maxExponent,
    energyPerSpin: meanH / N,
    specificHeat: (sumH2 / z - meanH * meanH) / N,
    magnetisation: sumM / z / N,
    absMagnetisation: sumAbsM / z / N
  }
}
