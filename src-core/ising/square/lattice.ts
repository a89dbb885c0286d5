/**
 * Square L×L lattice with periodic boundaries (a torus), site index i = y·L + x.
 * Built once per lattice and shared by every update routine (STYLE.md, Numerical TypeScript).
 */
export interface SquareLattice {
  readonly L: number
  /** Number of sites, L². */
  readonly N: number
  /** Neighbours of site i at 4i..4i+3, in the order right, left, down, up. */
  readonly neighbours: Int32Array
  /** Sites with (x + y) even, then odd: the two sublattices of the checkerboard. */
  readonly evenSites: Int32Array
  readonly oddSites: Int32Array
}

export const MIN_LATTICE_SIZE = 4
export const MAX_LATTICE_SIZE = 1024

/** Throws a RangeError naming the bad value unless L is an integer in [4, 1024]. */
export function validateLatticeSize(L: unknown, what = 'L'): asserts L is number {
  if (typeof L !== 'number' || !Number.isInteger(L) || L < MIN_LATTICE_SIZE || L > MAX_LATTICE_SIZE) {
    throw new RangeError(`${what} must be an integer in [${MIN_LATTICE_SIZE}, ${MAX_LATTICE_SIZE}], got ${String(L)}`)
  }
}

export function createSquareLattice(L: number): SquareLattice {
  validateLatticeSize(L)
  const N = L * L
  const neighbours = new Int32Array(4 * N)
  // For odd L the checkerboard colouring does not close across the boundary, so the two
  // lists are then just a fixed visiting order; sequential updates stay exact either way.
  const evenSites = new Int32Array(Math.ceil(N / 2))
  const oddSites = new Int32Array(N - evenSites.length)
  let even = 0
  let odd = 0
  for (let y = 0; y < L; y++) {
    const up = ((y + L - 1) % L) * L
    const down = ((y + 1) % L) * L
    const row = y * L
    for (let x = 0; x < L; x++) {
      const i = row + x
      neighbours[4 * i] = row + ((x + 1) % L)
      neighbours[4 * i + 1] = row + ((x + L - 1) % L)
      neighbours[4 * i + 2] = down + x
      neighbours[4 * i + 3] = up + x
      if (((x + y) & 1) === 0) evenSites[even++] = i
      else oddSites[odd++] = i
    }
  }
  return { L, N, neighbours, evenSites, oddSites }
}
