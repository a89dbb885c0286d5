/**
 * Restricted Boltzmann machines (SCIENCE.md §1, §4).
 *
 * Storage convention (internal, the machine-learning one):
 *     E(v, h) = − aᵀv − bᵀh − vᵀ W h,        p(v, h) = e^{−E(v,h)} / Z
 * with W stored row-major as visible × hidden (W[i·nh + j] = w_ij), a the visible and b the
 * hidden biases. The paper (Mehta & Schwab Eq. 10) writes E = Σ_j b_j h_j + Σ_ij v_i w_ij h_j +
 * Σ_i c_i v_i, i.e. its w, b, c are MINUS ours: w_paper = −W, b_paper = −b, c_paper = −a. Every
 * place a user sees weights says which convention it shows (paperConvention() converts).
 *
 * Units: '01' (v ∈ {0,1}) or 'pm1' (v ∈ {−1,+1}), chosen per layer. Conversion between the two
 * is explicit (v01 = (v + 1)/2), never silent.
 */
export type UnitKind = '01' | 'pm1'

export interface Rbm {
  readonly nv: number
  readonly nh: number
  readonly visibleUnits: UnitKind
  readonly hiddenUnits: UnitKind
  /** visible × hidden, row-major (ML convention). */
  readonly W: Float32Array
  /** Visible biases a (ML convention). */
  readonly a: Float32Array
  /** Hidden biases b (ML convention). */
  readonly b: Float32Array
}

/**
 * An RBM whose parameters may also be float64. Only exact enumeration takes one (exact.ts: its
 * sums are in double precision anyway), so that ln Z of weights given in double precision is
 * not that of their float32 roundings; training and sampling use Rbm.
 */
export interface RbmAnyPrecision extends Omit<Rbm, 'W' | 'a' | 'b'> {
  readonly W: Float32Array | Float64Array
  readonly a: Float32Array | Float64Array
  readonly b: Float32Array | Float64Array
}

/** A batch of configurations: rows × cols, row-major, values in {0,1} or {−1,+1} (or probabilities). */
export interface Batch {
  readonly rows: number
  readonly cols: number
  readonly data: Float32Array
}

/**
 * Dense kernels the engine runs on. The plain-TypeScript implementation is the reference; a
 * WebAssembly SIMD one implements the same interface. Outputs are caller-owned (no allocation).
 */
export interface DenseKernels {
  /** C = A·B (+ C when accumulate): A m×k, B k×n, C m×n, all row-major fp32. */
  gemm(m: number, n: number, k: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate?: boolean): void
  /** C = Aᵀ·B (+ C): A k×m, B k×n, C m×n — the gradient ⟨v hᵀ⟩ over a batch. */
  gemmTN(m: number, n: number, k: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate?: boolean): void
  /** C = A·Bᵀ: A m×k, B n×k, C m×n — the visible field W·h of a batch of hidden states. */
  gemmNT(m: number, n: number, k: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate?: boolean): void
  /**
   * What arithmetic these kernels do, in a few words ('TypeScript', 'WebAssembly SIMD',
   * 'WebAssembly SIMD, fused multiply-add'): kernels that differ here round differently.
   */
  readonly arithmetic?: string
}
