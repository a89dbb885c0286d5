import type { DenseKernels } from './types'

/**
 * The plain-TypeScript reference implementation of DenseKernels (types.ts): straightforward
 * triple loops over row-major fp32 matrices, each dot product accumulated in a double and
 * rounded once when stored. Outputs are caller-owned; nothing is allocated and there is no
 * module-level state. Faster kernels (WebAssembly SIMD) are tested against these.
 *
 * Shapes are checked (a RangeError names the bad length) because a silent out-of-bounds read of
 * a typed array yields `undefined` → NaN far from the cause.
 */

function checkShape(
  name: string,
  m: number,
  n: number,
  k: number,
  lenA: number,
  lenB: number,
  lenC: number,
  aLen: number,
  bLen: number
): void {
  for (const [what, value] of [
    ['m', m],
    ['n', n],
    ['k', k]
  ] as const) {
    if (!Number.isInteger(value) || value < 0) {
      throw new RangeError(`${name}: ${what} must be a non-negative integer, got ${value}`)
    }
  }
  if (lenA < aLen) throw new RangeError(`${name}: A has ${lenA} entries, needs ${aLen}`)
  if (lenB < bLen) throw new RangeError(`${name}: B has ${lenB} entries, needs ${bLen}`)
  if (lenC < m * n) throw new RangeError(`${name}: C has ${lenC} entries, needs m·n = ${m * n}`)
}

/** C = A·B (+ C when accumulate): A m×k, B k×n, C m×n. */
export function gemmTs(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate = false
): void {
  checkShape('gemm', m, n, k, A.length, B.length, C.length, m * k, k * n)
  for (let i = 0; i < m; i++) {
    const aRow = i * k
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? C[i * n + j] : 0
      for (let p = 0; p < k; p++) sum += A[aRow + p] * B[p * n + j]
      C[i * n + j] = sum
    }
  }
}

/** C = Aᵀ·B (+ C): A k×m, B k×n, C m×n. Over a batch (k rows) this is Σ_rows a bᵀ, e.g. ⟨v hᵀ⟩. */
export function gemmTNTs(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate = false
): void {
  checkShape('gemmTN', m, n, k, A.length, B.length, C.length, k * m, k * n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let sum = accumulate ? C[i * n + j] : 0
      for (let p = 0; p < k; p++) sum += A[p * m + i] * B[p * n + j]
      C[i * n + j] = sum
    }
  }
}

/** C = A·Bᵀ (+ C): A m×k, B n×k, C m×n, e.g. the visible fields W·h of a batch of hidden states. */
export function gemmNTTs(
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  accumulate = false
): void {
  checkShape('gemmNT', m, n, k, A.length, B.length, C.length, m * k, n * k)
  for (let i = 0; i < m; i++) {
    const aRow = i * k
    for (let j = 0; j < n; j++) {
      const bRow = j * k
      let sum = accumulate ? C[i * n + j] : 0
      for (let p = 0; p < k; p++) sum += A[aRow + p] * B[bRow + p]
      C[i * n + j] = sum
    }
  }
}

/** The reference DenseKernels: the default of every routine in src-core/rbm that takes kernels. */
export const tsDenseKernels: DenseKernels = {
  arithmetic: 'TypeScript',
  gemm: gemmTs,
  gemmTN: gemmTNTs,
  gemmNT: gemmNTTs
}
