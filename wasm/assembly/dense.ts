// AssemblyScript (compiled by scripts/build-wasm.mjs into src-core/wasm/denseKernel.generated.ts,
// twice: plain SIMD and relaxed SIMD, options in wasm/asconfig.dense.json).
//
// Dense fp32 kernels for the RBM engine (src-core/rbm/types.ts DenseKernels), row-major:
//   gemm(layout 0) C = A·B, A m×k, B k×n;   layout 1: C = Aᵀ·B, A k×m;   layout 2: C = A·Bᵀ, B n×k.
// Blocking after Goto & van de Geijn, "Anatomy of high-performance matrix multiplication", ACM
// TOMS 34(3) 12, 2008 (the BLIS loop order): jc over NC columns → pc over KC of the inner
// dimension, pack B[pc, jc] into NR-wide micro-panels → ic over MC rows, pack A[ic, pc] into
// MR-tall micro-panels → an MR×NR register-tiled micro-kernel over the packed panels. The layouts
// differ only in packing: a panel is either copied (unit stride across the panel) or transposed
// with 4×4 v128 shuffles (unit stride along k). Packing zero-pads edge panels, so the
// micro-kernel always runs the full tile and edge tiles are written through a scratch tile.
// Micro-kernel: 4×8 "broadcast" form (per k step one v128 of A per row, each A value stored four
// times over by packing — a plain load folds its offset into the address where a splat load
// needs an extra instruction — two v128 loads of B, eight accumulators). Summation order per C element: sequential in k within a KC
// block, then C = C + block (or C = block for the first block without accumulate).
// Relaxed build (ASC_FEATURE_RELAXED_SIMD): f32x4.relaxed_madd (an FMA where the CPU has one).
// gemmColumns computes output columns [j0, j1) only, each element exactly as gemm does: the
// two-thread split of src-core/rbm/denseThreads.ts ("shared" build: imported shared memory;
// a helper instance places its scratch with initAt).
//
// The other kernels of the module (re-exported here, the build's entry): memory layout and
// allocator in layout.ts, products with 0/1 matrices in select.ts and tables.ts, the
// element-wise training steps (sigmoid, Bernoulli sampling, statistics, update) in rbmOps.ts.

import { KC, MC, MR, NC, NR, packA, packA4, packB, put, tile } from './layout'
export { alloc, init, initAt, mark, release, rngState, scratchBytes } from './layout'
export { groupBits, rowSumSelected, rowSumSelectedColumns, rowSumSelectedTN, transposeRows } from './select'
export { tableSums } from './tables'
export { biasStatistics, isBinary, sampleBernoulli, sigmoidAdd, sigmoidAddColumns, updateParameters } from './rbmOps'

@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c)
  else return f32x4.add(c, f32x4.mul(a, b))
}

/** Panels of W lines where the W values of one k step are contiguous in the source (stride ld between k steps). */
function packCopy(src: usize, ld: i32, W: i32, count: i32, kc: i32, dst: usize): void {
  for (let q = 0; q < count; q += W) {
    const w = min(W, count - q)
    for (let p = 0; p < kc; p++, dst += <usize>(W << 2)) {
      const s = src + (<usize>(p * ld + q) << 2)
      if (w == W) {
        v128.store(dst, v128.load(s))
        if (W == 8) v128.store(dst, v128.load(s, 16), 16)
      } else {
        for (let l = 0; l < W; l++) store<f32>(dst + (<usize>l << 2), l < w ? load<f32>(s + (<usize>l << 2)) : 0)
      }
    }
  }
}

/** Panels of W lines where each line is contiguous along k (stride ld between lines): transposes. */
function packTranspose(src: usize, ld: i32, W: i32, count: i32, kc: i32, dst: usize): void {
  const row = <usize>ld << 2
  for (let q = 0; q < count; q += W, dst += <usize>(W * kc) << 2) {
    const w = min(W, count - q)
    const line = src + <usize>q * row
    let p = 0
    if (w == W) {
      for (; p + 4 <= kc; p += 4) {
        for (let g = 0; g < W; g += 4) {
          const s = line + <usize>g * row + (<usize>p << 2)
          const r0 = v128.load(s), r1 = v128.load(s + row), r2 = v128.load(s + 2 * row), r3 = v128.load(s + 3 * row)
          const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7)
          const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
          const d = dst + (<usize>(p * W + g) << 2)
          const step = <usize>W << 2
          v128.store(d, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5))
          v128.store(d + step, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7))
          v128.store(d + 2 * step, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5))
          v128.store(d + 3 * step, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7))
        }
      }
    }
    for (; p < kc; p++) {
      for (let l = 0; l < W; l++) {
        store<f32>(dst + (<usize>(p * W + l) << 2), l < w ? load<f32>(line + <usize>l * row + (<usize>p << 2)) : 0)
      }
    }
  }
}

/** dst[i] = the v128 with four copies of src[i], i < count (the micro-kernel's A operands). */
function broadcast(src: usize, count: i32, dst: usize): void {
  for (let i = 0; i < count; i++) v128.store(dst + (<usize>i << 4), v128.load32_splat(src + (<usize>i << 2)))
}

/** The MR×NR tile at c (row stride ldc floats, `mr`×`nr` of it inside C) from packed panels. */
function micro(kc: i32, a: usize, b: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00
  const end = a + (<usize>kc << 6)
  for (; a < end; a += 64, b += 32) {
    const b0 = v128.load(b), b1 = v128.load(b, 16)
    let x = v128.load(a)
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01)
    x = v128.load(a, 16)
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11)
    x = v128.load(a, 32)
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21)
    x = v128.load(a, 48)
    c30 = madd(x, b0, c30); c31 = madd(x, b1, c31)
  }
  const full = mr == MR && nr == NR
  const ld = full ? <usize>ldc << 2 : <usize>(NR << 2)
  const t = full ? c : tile
  const f = full && add
  put(t, c00, f); put(t + 16, c01, f)
  put(t + ld, c10, f); put(t + ld + 16, c11, f)
  put(t + 2 * ld, c20, f); put(t + 2 * ld + 16, c21, f)
  put(t + 3 * ld, c30, f); put(t + 3 * ld + 16, c31, f)
  if (!full) {
    for (let i = 0; i < mr; i++) {
      for (let j = 0; j < nr; j++) {
        const d = c + (<usize>(i * ldc + j) << 2)
        const v = load<f32>(tile + (<usize>(i * NR + j) << 2))
        store<f32>(d, add ? load<f32>(d) + v : v)
      }
    }
  }
}

/** C (m×n) = op(A)·op(B) (+ C when accumulate); layout 0: A·B, 1: Aᵀ·B, 2: A·Bᵀ. */
export function gemm(layout: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  gemmColumns(layout, m, n, k, a, b, c, accumulate, 0, n)
}

/**
 * Columns [j0, j1) of gemm's C only (the split of one product between threads). Every element is
 * computed exactly as by gemm (the same k blocks in the same order), so any split gives its bits.
 */
export function gemmColumns(layout: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  if (k == 0 && !accumulate) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * n + j0) << 2), 0, <usize>(j1 - j0) << 2)
  }
  for (let jc = j0; jc < j1; jc += NC) {
    const nc = min(NC, j1 - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      if (layout == 2) packTranspose(b + (<usize>(jc * k + pc) << 2), k, NR, nc, kc, packB)
      else packCopy(b + (<usize>(pc * n + jc) << 2), n, NR, nc, kc, packB)
      const add = accumulate || pc > 0
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        if (layout == 1) packCopy(a + (<usize>(pc * m + ic) << 2), m, MR, mc, kc, packA)
        else packTranspose(a + (<usize>(ic * k + pc) << 2), k, MR, mc, kc, packA)
        broadcast(packA, ((mc + MR - 1) / MR) * MR * kc, packA4)
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packB + (<usize>(jr * kc) << 2)
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + (<usize>((ic + ir) * n + jc + jr) << 2)
            micro(kc, packA4 + (<usize>(ir * kc) << 4), pb, cp, n, min(MR, mc - ir), min(NR, nc - jr), add)
          }
        }
      }
    }
  }
}
