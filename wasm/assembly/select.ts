// AssemblyScript: products with a 0/1 matrix without multiplications.
//   rowSumSelected    C = V·W, V m×k with entries 0/1 (any nonzero counts as 1), W k×n: row i of
//                     C is the sum of the rows p of W with V[i, p] ≠ 0.
//   rowSumSelectedTN  C = Vᵀ·H, V k×m: the ⟨v hᵀ⟩ statistics of a binary batch.
//   rowSumSelectedColumns  either, for output columns [j0, j1) only (one thread's share).
//   transposeRows     a transposed copy (Wᵀ, so that h·Wᵀ is such a product too).
// Two methods, picked per call from V alone (groupBits): subset-sum tables (tables.ts) when V
// has enough rows to share them, else the sums of the selected rows here. Both are exact sums of
// fp32 values in a fixed order per C element, whatever the column split, so one thread and two
// threads give the same bits; the order differs from gemm's, so the last bits may too.
// Selected rows, blocking: per KC block of the inner dimension the block of W is packed into
// contiguous panels 32 columns wide (32 × KC floats, 32 kB: an L1-resident panel, as the packed
// panels of Goto & van de Geijn 2008), the index lists of SR output rows are built once, and
// every one of the SR rows is summed from each panel with eight v128 accumulators. Summation
// order per C element: sequential over the selected p within a KC block, then C = C + block
// (C = block for the first block without accumulate).

import { counts, idx, KC, NC, packB, put, SR } from './layout'
import { chunkRows, tableSums } from './tables'

/**
 * Columns [j, j + 4·W) of output rows from a packed panel at `base` (row p of the panel at
 * base + p·16·W bytes): the lists at idx hold p·128, shifted right by `shift` for this width.
 */
@inline function panel(W: i32, shift: u32, base: usize, rows: i32, c: usize, ldc: usize, add: bool): void {
  for (let r = 0; r < rows; r++) {
    const list = idx + (<usize>(r * KC) << 2)
    const end = list + (<usize>load<i32>(counts + (<usize>r << 2)) << 2)
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
    for (let t = list; t < end; t += 4) {
      const p = base + <usize>(load<u32>(t) >> shift)
      s0 = f32x4.add(s0, v128.load(p))
      if (W > 1) s1 = f32x4.add(s1, v128.load(p, 16))
      if (W > 2) { s2 = f32x4.add(s2, v128.load(p, 32)); s3 = f32x4.add(s3, v128.load(p, 48)) }
      if (W > 4) {
        s4 = f32x4.add(s4, v128.load(p, 64)); s5 = f32x4.add(s5, v128.load(p, 80))
        s6 = f32x4.add(s6, v128.load(p, 96)); s7 = f32x4.add(s7, v128.load(p, 112))
      }
    }
    const d = c + <usize>r * ldc
    put(d, s0, add)
    if (W > 1) put(d + 16, s1, add)
    if (W > 2) { put(d + 32, s2, add); put(d + 48, s3, add) }
    if (W > 4) { put(d + 64, s4, add); put(d + 80, s5, add); put(d + 96, s6, add); put(d + 112, s7, add) }
  }
}

/** Copies kc rows of 4·W columns (row stride ld bytes) to dst, 16·W bytes a row; returns the end. */
@inline function packPanel(W: i32, src: usize, ld: usize, kc: i32, dst: usize): usize {
  for (let p = 0; p < kc; p++, src += ld, dst += <usize>(W << 4)) {
    v128.store(dst, v128.load(src))
    if (W > 1) v128.store(dst, v128.load(src, 16), 16)
    if (W > 2) { v128.store(dst, v128.load(src, 32), 32); v128.store(dst, v128.load(src, 48), 48) }
    if (W > 4) {
      v128.store(dst, v128.load(src, 64), 64); v128.store(dst, v128.load(src, 80), 80)
      v128.store(dst, v128.load(src, 96), 96); v128.store(dst, v128.load(src, 112), 112)
    }
  }
  return dst
}

/**
 * Blocking: columns in chunks of NC; per chunk and KC block of the inner dimension the block of
 * W is packed once into contiguous panels 32, 16 or 4 columns wide (each row of a panel next to
 * the previous one, as in GEMM packing: the rows a sum touches then share a few pages and cache
 * sets instead of lying a whole W row apart); per SR output rows the index lists are built once
 * and every panel is summed for each of them.
 */
@inline function selected(transposed: bool, m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  if (k == 0 && !accumulate) {
    for (let i = 0; i < m; i++) memory.fill(c + (<usize>(i * n + j0) << 2), 0, <usize>(j1 - j0) << 2)
  }
  const rowBytes = <usize>n << 2
  const ldc = <usize>n << 2
  for (let jc = j0; jc < j1; jc += NC) {
    const je = min(j1, jc + NC)
    const e32 = jc + ((je - jc) & ~31)
    const e16 = e32 + ((je - e32) & ~15)
    const e4 = e16 + ((je - e16) & ~3)
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc)
      const add = accumulate || pc > 0
      const block = w + <usize>pc * rowBytes
      let dst = packB
      for (let j = jc; j < e32; j += 32) dst = packPanel(8, block + (<usize>j << 2), rowBytes, kc, dst)
      for (let j = e32; j < e16; j += 16) dst = packPanel(4, block + (<usize>j << 2), rowBytes, kc, dst)
      for (let j = e16; j < e4; j += 4) dst = packPanel(1, block + (<usize>j << 2), rowBytes, kc, dst)
      for (let i0 = 0; i0 < m; i0 += SR) {
        const rows = min(SR, m - i0)
        for (let r = 0; r < rows; r++) {
          const i = i0 + r
          const s = transposed ? v + (<usize>(pc * m + i) << 2) : v + (<usize>(i * k + pc) << 2)
          const step = transposed ? <usize>m << 2 : 4
          const list = idx + (<usize>(r * KC) << 2)
          let count = 0
          for (let p = 0; p < kc; p++) {
            store<u32>(list + (<usize>count << 2), <u32>p << 7)
            count += <i32>(load<f32>(s + <usize>p * step) != 0)
          }
          store<i32>(counts + (<usize>r << 2), count)
        }
        const c0 = c + <usize>i0 * ldc
        let q = packB
        const size = <usize>kc << 4
        for (let j = jc; j < e32; j += 32, q += size << 3) panel(8, 0, q, rows, c0 + (<usize>j << 2), ldc, add)
        for (let j = e32; j < e16; j += 16, q += size << 2) panel(4, 1, q, rows, c0 + (<usize>j << 2), ldc, add)
        for (let j = e16; j < e4; j += 4, q += size) panel(1, 3, q, rows, c0 + (<usize>j << 2), ldc, add)
        for (let j = e4; j < je; j++) {
          for (let r = 0; r < rows; r++) {
            const list = idx + (<usize>(r * KC) << 2)
            const end = list + (<usize>load<i32>(counts + (<usize>r << 2)) << 2)
            const o = block + (<usize>j << 2)
            let s: f32 = 0
            for (let t = list; t < end; t += 4) s += load<f32>(o + <usize>(load<u32>(t) >> 7) * rowBytes)
            const d = c0 + <usize>r * ldc + (<usize>j << 2)
            store<f32>(d, add ? load<f32>(d) + s : s)
          }
        }
      }
    }
  }
}

/** Nonzero entries among count floats at p. */
function nonzeros(p: usize, count: i32): i32 {
  const zero = f32x4.splat(0)
  let acc = i32x4.splat(0)
  let i = 0
  for (; i + 4 <= count; i += 4) acc = i32x4.sub(acc, f32x4.ne(v128.load(p + (<usize>i << 2)), zero))
  let total = i32x4.extract_lane(acc, 0) + i32x4.extract_lane(acc, 1) + i32x4.extract_lane(acc, 2) + i32x4.extract_lane(acc, 3)
  for (; i < count; i++) total += <i32>(load<f32>(p + (<usize>i << 2)) != 0)
  return total
}

/**
 * Relative cost of one row addition while building a table (load, add, store) and of one selected
 * row, against one table lookup (fitted to timings of the three products of a CD step).
 */
const BUILD: f64 = 2.5
const PLAIN: f64 = 1.0

/**
 * Bits per group of the subset tables (tables.ts) for an m-row product over k with `ones`
 * selected entries, or 0 when summing the selected rows costs less: the estimated row additions
 * ⌈k/g⌉·(2^g·BUILD + m) against ones·PLAIN, over even g (odd widths measured slower, erratically).
 * Depends on V alone, so both threads of a split pick the same method (and the same bits).
 */
export function groupBits(m: i32, k: i32, ones: i32): i32 {
  let best: f64 = <f64>ones * PLAIN
  let bits = 0
  for (let g = 2; g <= 8; g += 2) {
    const groups = (k + g - 1) / g
    if (chunkRows(groups) < 1) continue
    const cost = <f64>groups * (<f64>(1 << g) * BUILD + <f64>m)
    if (cost < best) best = cost, bits = g
  }
  return bits
}

@inline function product(transposed: bool, m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  const g = k > 0 ? groupBits(m, k, nonzeros(v, m * k)) : 0
  if (g > 0) tableSums(transposed, g, m, n, k, v, w, c, accumulate, j0, j1)
  else if (transposed) selected(true, m, n, k, v, w, c, accumulate, j0, j1)
  else selected(false, m, n, k, v, w, c, accumulate, j0, j1)
}

/** C (m×n) = V·W (+ C), V m×k with entries 0/1 (any nonzero counts as 1), W k×n. */
export function rowSumSelected(m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool): void {
  product(false, m, n, k, v, w, c, accumulate, 0, n)
}

/** C (m×n) = Vᵀ·H (+ C), V k×m with entries 0/1, H k×n: the ⟨v hᵀ⟩ gradient of a binary batch. */
export function rowSumSelectedTN(m: i32, n: i32, k: i32, v: usize, h: usize, c: usize, accumulate: bool): void {
  product(true, m, n, k, v, h, c, accumulate, 0, n)
}

/**
 * Columns [j0, j1) of rowSumSelected (transposed 0) or rowSumSelectedTN (1): the split of one
 * product between threads, each element computed exactly as by the whole call.
 */
export function rowSumSelectedColumns(transposed: bool, m: i32, n: i32, k: i32, v: usize, w: usize, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  if (transposed) product(true, m, n, k, v, w, c, accumulate, j0, j1)
  else product(false, m, n, k, v, w, c, accumulate, j0, j1)
}

/**
 * dst (cols×rows) = srcᵀ for rows [i0, i1) of src (rows×cols): the transposed copy of W whose
 * selected rows give h·Wᵀ for a {0,1} hidden state. 4×4 v128 shuffles; edges element by element.
 */
export function transposeRows(src: usize, rows: i32, cols: i32, dst: usize, i0: i32, i1: i32): void {
  const rs = <usize>cols << 2, ds = <usize>rows << 2
  let i = i0
  for (; i + 4 <= i1; i += 4) {
    let j = 0
    for (; j + 4 <= cols; j += 4) {
      const s = src + <usize>i * rs + (<usize>j << 2)
      const r0 = v128.load(s), r1 = v128.load(s + rs), r2 = v128.load(s + 2 * rs), r3 = v128.load(s + 3 * rs)
      const t0 = v128.shuffle<i32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<i32>(r0, r1, 2, 6, 3, 7)
      const t2 = v128.shuffle<i32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<i32>(r2, r3, 2, 6, 3, 7)
      const d = dst + <usize>j * ds + (<usize>i << 2)
      v128.store(d, v128.shuffle<i32>(t0, t2, 0, 1, 4, 5))
      v128.store(d + ds, v128.shuffle<i32>(t0, t2, 2, 3, 6, 7))
      v128.store(d + 2 * ds, v128.shuffle<i32>(t1, t3, 0, 1, 4, 5))
      v128.store(d + 3 * ds, v128.shuffle<i32>(t1, t3, 2, 3, 6, 7))
    }
    for (; j < cols; j++) {
      for (let r = 0; r < 4; r++) store<f32>(dst + <usize>j * ds + (<usize>(i + r) << 2), load<f32>(src + <usize>(i + r) * rs + (<usize>j << 2)))
    }
  }
  for (; i < i1; i++) {
    for (let j = 0; j < cols; j++) store<f32>(dst + <usize>j * ds + (<usize>i << 2), load<f32>(src + <usize>i * rs + (<usize>j << 2)))
  }
}
