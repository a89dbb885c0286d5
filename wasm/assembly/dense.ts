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
// Micro-kernel: 4×8 "broadcast" form (one v128.load32_splat of A per row, two v128 loads of B
// per k step, eight accumulators). Summation order per C element: sequential in k within a KC
// block, then C = C + block (or C = block for the first block without accumulate).
// Relaxed build (ASC_FEATURE_RELAXED_SIMD): f32x4.relaxed_madd (an FMA where the CPU has one).
//
// Fused RBM ops:
//   sigmoidAdd    out = σ(x + bias[col]); e^t by Cody–Waite range reduction t = n·ln2 + r,
//                 |r| ≤ ln2/2, and the degree-5 minimax polynomial of Cephes expf (S. L. Moshier,
//                 Cephes Math Library 2.2, 1992), relative error ≲ 2e-7; t is clamped to ±87.
//   sampleBernoulli out = (u < p) ? 1 : 0, u = r·2⁻³² from the module's xoshiro128** 1.1
//                 (Blackman & Vigna, ACM TOMS 47(4) 36, 2021): the same stream and the same
//                 double comparison as src-core/random/xoshiro128ss.ts nextFloat() < p.
//   rowSumSelected   C = V·W for V ∈ {0,1} (m×k): row i of C is the sum of the rows of W where
//                 V[i, p] ≠ 0 (no multiplications); rowSumSelectedTN C = Vᵀ·H (V k×m). Same
//                 KC blocking and order as gemm, so the result equals gemm bit for bit.
//
// Memory: `init` lays out scratch (rng state, edge tile, index list, packing buffers) above the
// static data; `alloc` is a 64-byte-aligned bump allocator above that, `mark`/`release` rewind it.

const MR = 4
const NR = 8
const KC = 256
const MC = 128
const NC = 2048

let rng: usize = 0 // 4 × u32
let tile: usize = 0 // MR × NR f32
let idx: usize = 0 // KC × i32
let packA: usize = 0 // MC × KC f32
let packB: usize = 0 // KC × NC f32
let userBase: usize = 0
let top: usize = 0

function ensure(end: usize): bool {
  const pages = <i32>((end + 0xffff) >>> 16)
  const have = memory.size()
  return pages <= have || memory.grow(pages - have) >= 0
}

/** Lays out scratch memory; returns the first address `alloc` hands out (0 on failure). */
export function init(): usize {
  if (userBase != 0) return userBase
  const base = (__heap_base + 63) & ~<usize>63
  rng = base
  tile = base + 64
  idx = base + 256
  packA = idx + KC * 4
  packB = packA + MC * KC * 4
  const end = packB + KC * NC * 4
  if (!ensure(end)) return 0
  store<u32>(rng, 1)
  userBase = end
  top = end
  return end
}

/** `bytes` of 64-byte-aligned memory (grows the memory when needed); 0 when it cannot grow. */
export function alloc(bytes: usize): usize {
  const p = top
  const end = (p + bytes + 63) & ~<usize>63
  if (!ensure(end)) return 0
  top = end
  return p
}
export function mark(): usize { return top }
export function release(to: usize): void { top = to < userBase ? userBase : to }
export function rngState(): usize { return rng }

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

@inline function put(c: usize, v: v128, add: bool): void {
  v128.store(c, add ? f32x4.add(v128.load(c), v) : v)
}

/** The MR×NR tile at c (row stride ldc floats, `mr`×`nr` of it inside C) from packed panels. */
function micro(kc: i32, a: usize, b: usize, c: usize, ldc: i32, mr: i32, nr: i32, add: bool): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00
  for (let p = 0; p < kc; p++, a += 16, b += 32) {
    const b0 = v128.load(b), b1 = v128.load(b, 16)
    let x = v128.load32_splat(a)
    c00 = madd(x, b0, c00); c01 = madd(x, b1, c01)
    x = v128.load32_splat(a, 4)
    c10 = madd(x, b0, c10); c11 = madd(x, b1, c11)
    x = v128.load32_splat(a, 8)
    c20 = madd(x, b0, c20); c21 = madd(x, b1, c21)
    x = v128.load32_splat(a, 12)
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

function zero(c: usize, count: i32): void { memory.fill(c, 0, <usize>count << 2) }

/** C (m×n) = op(A)·op(B) (+ C when accumulate); layout 0: A·B, 1: Aᵀ·B, 2: A·Bᵀ. */
export function gemm(layout: i32, m: i32, n: i32, k: i32, a: usize, b: usize, c: usize, accumulate: bool): void {
  if (k == 0 && !accumulate) zero(c, m * n)
  for (let jc = 0; jc < n; jc += NC) {
    const nc = min(NC, n - jc)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      if (layout == 2) packTranspose(b + (<usize>(jc * k + pc) << 2), k, NR, nc, kc, packB)
      else packCopy(b + (<usize>(pc * n + jc) << 2), n, NR, nc, kc, packB)
      const add = accumulate || pc > 0
      for (let ic = 0; ic < m; ic += MC) {
        const mc = min(MC, m - ic)
        if (layout == 1) packCopy(a + (<usize>(pc * m + ic) << 2), m, MR, mc, kc, packA)
        else packTranspose(a + (<usize>(ic * k + pc) << 2), k, MR, mc, kc, packA)
        for (let jr = 0; jr < nc; jr += NR) {
          const pb = packB + (<usize>(jr * kc) << 2)
          for (let ir = 0; ir < mc; ir += MR) {
            const cp = c + (<usize>((ic + ir) * n + jc + jr) << 2)
            micro(kc, packA + (<usize>(ir * kc) << 2), pb, cp, n, min(MR, mc - ir), min(NR, nc - jr), add)
          }
        }
      }
    }
  }
}

/** Row `cr` of C (n floats) = Σ over the `count` byte offsets in idx of rows at base (+ C when add). */
function sumRows(base: usize, count: i32, n: i32, cr: usize, add: bool): void {
  const end = idx + (<usize>count << 2)
  let j = 0
  for (; j + 32 <= n; j += 32) {
    const o = base + (<usize>j << 2)
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
    for (let t = idx; t < end; t += 4) {
      const r = o + <usize>load<u32>(t)
      s0 = f32x4.add(s0, v128.load(r)); s1 = f32x4.add(s1, v128.load(r, 16))
      s2 = f32x4.add(s2, v128.load(r, 32)); s3 = f32x4.add(s3, v128.load(r, 48))
      s4 = f32x4.add(s4, v128.load(r, 64)); s5 = f32x4.add(s5, v128.load(r, 80))
      s6 = f32x4.add(s6, v128.load(r, 96)); s7 = f32x4.add(s7, v128.load(r, 112))
    }
    const d = cr + (<usize>j << 2)
    put(d, s0, add); put(d + 16, s1, add); put(d + 32, s2, add); put(d + 48, s3, add)
    put(d + 64, s4, add); put(d + 80, s5, add); put(d + 96, s6, add); put(d + 112, s7, add)
  }
  for (; j + 4 <= n; j += 4) {
    const o = base + (<usize>j << 2)
    let s = f32x4.splat(0)
    for (let t = idx; t < end; t += 4) s = f32x4.add(s, v128.load(o + <usize>load<u32>(t)))
    put(cr + (<usize>j << 2), s, add)
  }
  for (; j < n; j++) {
    const o = base + (<usize>j << 2)
    let s: f32 = 0
    for (let t = idx; t < end; t += 4) s += load<f32>(o + <usize>load<u32>(t))
    const d = cr + (<usize>j << 2)
    store<f32>(d, add ? load<f32>(d) + s : s)
  }
}

/** C (m×n) = V·W (+ C), V m×k with entries 0/1 (any nonzero counts as 1), W k×n. */
export function rowSumSelected(m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool): void {
  selected(false, m, n, k, v, w, c, accumulate)
}

/** C (m×n) = Vᵀ·H (+ C), V k×m with entries 0/1, H k×n: the ⟨v hᵀ⟩ gradient of a binary batch. */
export function rowSumSelectedTN(m: i32, n: i32, k: i32, v: usize, h: usize, c: usize, accumulate: bool): void {
  selected(true, m, n, k, v, h, c, accumulate)
}

@inline function selected(transposed: bool, m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool): void {
  if (k == 0 && !accumulate) zero(c, m * n)
  const rowBytes = <u32>n << 2
  for (let pc = 0; pc < k; pc += KC) {
    const kc = min(KC, k - pc)
    const add = accumulate || pc > 0
    const block = w + (<usize>(pc * n) << 2)
    for (let i = 0; i < m; i++) {
      const s = transposed ? v + (<usize>(pc * m + i) << 2) : v + (<usize>(i * k + pc) << 2)
      const step = transposed ? <usize>m << 2 : 4
      let count = 0
      for (let p = 0; p < kc; p++) {
        store<u32>(idx + (<usize>count << 2), <u32>p * rowBytes)
        count += <i32>(load<f32>(s + <usize>p * step) != 0)
      }
      sumRows(block, count, n, c + (<usize>(i * n) << 2), add)
    }
  }
}

// e^t, Cephes expf: t = n·ln2 + r with ln2 split in two (C1 + C2) so n·C1 is exact.
const LOG2E: f32 = 1.44269504088896341
const C1: f32 = 0.693359375
const C2: f32 = -2.12194440e-4

@inline function expv(t: v128): v128 {
  t = f32x4.min(f32x4.max(t, f32x4.splat(-87)), f32x4.splat(87))
  const n = f32x4.nearest(f32x4.mul(t, f32x4.splat(LOG2E)))
  const r = f32x4.sub(f32x4.sub(t, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)))
  let y = f32x4.splat(1.9875691500e-4)
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.3981999507e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(8.3334519073e-3))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(4.1665795894e-2))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(1.6666665459e-1))
  y = f32x4.add(f32x4.mul(y, r), f32x4.splat(5.0000001201e-1))
  y = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(y, r), r), r), f32x4.splat(1))
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23)
  return f32x4.mul(y, scale)
}

@inline function sigmoidv(z: v128): v128 {
  const one = f32x4.splat(1)
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(z))))
}

/** out (rows×cols) = σ(x + bias[col]); bias 0 means no bias; out may equal x. */
export function sigmoidAdd(x: usize, bias: usize, rows: i32, cols: i32, out: usize): void {
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * cols) << 2)
    const or = out + (<usize>(i * cols) << 2)
    let j = 0
    for (; j + 4 <= cols; j += 4) {
      const o = <usize>j << 2
      const b = bias != 0 ? v128.load(bias + o) : f32x4.splat(0)
      v128.store(or + o, sigmoidv(f32x4.add(v128.load(xr + o), b)))
    }
    for (; j < cols; j++) {
      const o = <usize>j << 2
      const z = load<f32>(xr + o) + (bias != 0 ? load<f32>(bias + o) : 0)
      store<f32>(or + o, f32x4.extract_lane(sigmoidv(f32x4.splat(z)), 0))
    }
  }
}

/** out[i] = 1 if u_i < p[i] else 0, u_i the next xoshiro128** draw over 2^32; out may equal p. */
export function sampleBernoulli(p: usize, out: usize, count: i32): void {
  let s0 = load<u32>(rng), s1 = load<u32>(rng, 4), s2 = load<u32>(rng, 8), s3 = load<u32>(rng, 12)
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2
    const r = rotl<u32>(s1 * 5, 7) * 9
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl<u32>(s3, 11)
    store<f32>(out + o, <f64>r < <f64>load<f32>(p + o) * 4294967296.0 ? 1 : 0)
  }
  store<u32>(rng, s0); store<u32>(rng, s1, 4); store<u32>(rng, s2, 8); store<u32>(rng, s3, 12)
}
