/**
 * General Ising models (issue: "Ising physics, complete"): any lattice reduces to sites and
 * bonds, with a field K_i on every site and a coupling K_ij on every bond, in the paper's
 * Eq. 3 sign convention  H(v) = − Σ_i K_i v_i − Σ_<ij> K_ij v_i v_j,  P(v) ∝ e^{−H(v)}.
 * Every solver and sampler takes an IsingModel; uniform couplings are the common case, not the
 * only one.
 */
export type LatticeSpec =
  | { kind: 'chain'; N: number; periodic: boolean }
  | {
      kind: 'square'
      Lx: number
      Ly: number
      periodicX: boolean
      periodicY: boolean
      /** Add next-nearest-neighbour (diagonal) bonds. */
      diagonals?: boolean
    }
  /** Triangular lattice as a sheared square grid: bonds right, down and down-right; periodic. */
  | { kind: 'triangular'; Lx: number; Ly: number }
  /**
   * Any graph: sites 0..N−1 and the listed bonds, as pairs of site indices or (what a project
   * file holds, kept as it is in memory) an Int32Array of endpoints i0, j0, i1, j1, …
   */
  | { kind: 'graph'; N: number; bonds: readonly (readonly [number, number])[] | Int32Array }

/** What a bond is, for anisotropic and next-nearest-neighbour presets and for drawing. */
export const BOND_X = 0
export const BOND_Y = 1
export const BOND_DIAGONAL = 2
export const BOND_ANTIDIAGONAL = 3
export const BOND_GRAPH = 4

export interface Lattice {
  readonly spec: LatticeSpec
  /** Number of sites. */
  readonly N: number
  /** Bond b joins bondI[b] and bondJ[b]. A small periodic lattice may hold the same pair twice. */
  readonly bondI: Int32Array
  readonly bondJ: Int32Array
  /** BOND_X, BOND_Y, BOND_DIAGONAL, BOND_ANTIDIAGONAL or BOND_GRAPH. */
  readonly bondKind: Uint8Array
  /** Drawing position of each site (grid units). */
  readonly x: Float64Array
  readonly y: Float64Array
  /** Adjacency in CSR form: site i's neighbours are adjSite[adjStart[i] .. adjStart[i+1]), via adjBond. */
  readonly adjStart: Int32Array
  readonly adjSite: Int32Array
  readonly adjBond: Int32Array
  /**
   * A proper colouring: no bond joins two sites of the same colour, so all sites of one colour
   * can be updated together (the checkerboard for bipartite lattices). Colour c's sites are
   * colourSites[colourStart[c] .. colourStart[c+1]).
   */
  readonly colourStart: Int32Array
  readonly colourSites: Int32Array
  /** Grid shape for reshaping and axis correlations: chain (N, 1), grids (Lx, Ly), graph (N, 1). */
  readonly Lx: number
  readonly Ly: number
}

export interface IsingModel {
  readonly lattice: Lattice
  /** K_i, one per site. */
  readonly fields: Float64Array
  /** K_ij, one per bond. */
  readonly couplings: Float64Array
}
