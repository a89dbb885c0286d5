// AssemblyScript: products with a 0/1 matrix by subset-sum tables — the "method of the Four
// Russians" (Arlazarov, Dinic, Kronrod & Faradzev 1970) for a binary matrix times a real one.
//
// C (m×n) = V·B, V m×k with entries 0/1, B k×n real (V·W of a binary batch); or, transposed,
// C = Vᵀ·B with V k×m (the ⟨v hᵀ⟩ statistics). The k rows of B are cut into groups of g; for
// each group the 2^g sums of its subsets are tabulated once per column panel (2^g − 1 − g
// additions of a row, each the sum of a smaller subset and one row), and every output row then
// adds one table row per group, picked by the g bits of V over that group: ⌈k/g⌉ additions per
// output row instead of the k/2 of a sum over the selected rows of a half-filled V. For a batch
// of 100 visible vectors of 1600 units (g = 4) that is ~0.55 of the row additions (measured:
// 2.1 → 1.4 ms); for the 1600 × 400 statistics over 100 samples (g = 6 or 8) ~0.35 (2.0 → 0.8 ms).
//
// Summation order per C element (the same whatever the panel width or column split, so one
// thread and two threads give the same bits): within a group, the rows of the subset from the
// highest to the lowest (T[s] = T[s without its lowest bit] + row; a single row is copied, the
// empty set is +0); over the groups of a block in order, starting from +0; blocks of GB groups
// (GB fixed by g alone) each give C = block (the first, without accumulate) or C = C + block.
//
// Scratch: the index bytes (the g bits of V per output row and group) in the selected-row index
// area, the tables in the GEMM's B packing area; output rows are taken in chunks whose index
// bytes fit.

import { idx, KC, packB, put, SR } from './layout'

/** Bytes for index bytes (one per output row and group). */
const INDEX_BYTES: i32 = SR * KC * 4
/**
 * Bytes of the tables of one group block, sized for the widest panel (32 columns): L2-resident
 * (measured best: 128 kB for g ≤ 4, 512 kB for the 256-entry tables of g = 8).
 */
@inline function tableBytes(g: i32): i32 { return g <= 5 ? 128 * 1024 : 512 * 1024 }
/** Bytes between two groups' tables beyond their size (a cache line: strides of 4 kB conflict). */
const PAD: usize = 64
/** Widest panel: 8 v128 = 32 columns. */
const WIDE: i32 = 8

/** Groups per block for g bits (the same for every panel width: it fixes the summation order). */
@inline export function groupsPerBlock(g: i32): i32 {
  return max(1, tableBytes(g) / (((WIDE << 4) << g) + <i32>PAD))
}

/** Output rows whose index bytes fit at once, for `groups` groups; 0 when not even one row fits. */
@inline export function chunkRows(groups: i32): i32 {
  return INDEX_BYTES / groups
}

/**
 * Index bytes of output rows [i0, i0 + rows): the bits of V over each group (bit b ↔ row
 * p0 + b of B). Row-major V (m×k): byte at idx + r·groups + q; transposed V (k×m): at
 * idx + q·rows + r.
 */
function indexBytes(transposed: bool, m: i32, k: i32, v: usize, g: i32, groups: i32, i0: i32, rows: i32): void {
  const zero = f32x4.splat(0)
  if (!transposed) {
    for (let r = 0; r < rows; r++) {
      const vr = v + (<usize>(i0 + r) * <usize>k << 2)
      const out = idx + <usize>(r * groups)
      for (let q = 0; q < groups; q++) {
        const p0 = q * g
        const width = min(g, k - p0)
        let bits = 0
        if (p0 + 8 <= k) {
          const s = vr + (<usize>p0 << 2)
          bits = i32x4.bitmask(f32x4.ne(v128.load(s), zero)) | (i32x4.bitmask(f32x4.ne(v128.load(s, 16), zero)) << 4)
          bits &= (1 << width) - 1
        } else {
          for (let b = 0; b < width; b++) bits |= <i32>(load<f32>(vr + (<usize>(p0 + b) << 2)) != 0) << b
        }
        store<u8>(out + <usize>q, <u8>bits)
      }
    }
    return
  }
  const rowBytes = <usize>m << 2
  for (let q = 0; q < groups; q++) {
    const p0 = q * g
    const width = min(g, k - p0)
    const out = idx + <usize>(q * rows)
    let r = 0
    for (; r + 16 <= rows; r += 16) {
      let acc = i8x16.splat(0)
      for (let b = 0; b < width; b++) {
        const bit: i32 = 1 << b
        const s = v + <usize>(p0 + b) * rowBytes + (<usize>(i0 + r) << 2)
        const lo = i16x8.narrow_i32x4_s(f32x4.ne(v128.load(s), zero), f32x4.ne(v128.load(s, 16), zero))
        const hi = i16x8.narrow_i32x4_s(f32x4.ne(v128.load(s, 32), zero), f32x4.ne(v128.load(s, 48), zero))
        acc = v128.or(acc, v128.and(i8x16.narrow_i16x8_s(lo, hi), i8x16.splat(<i8>bit)))
      }
      v128.store(out + <usize>r, acc)
    }
    for (; r < rows; r++) {
      let bits = 0
      for (let b = 0; b < width; b++) bits |= <i32>(load<f32>(v + <usize>(p0 + b) * rowBytes + (<usize>(i0 + r) << 2)) != 0) << b
      store<u8>(out + <usize>r, <u8>bits)
    }
  }
}

/**
 * The subset tables of groups [q0, q0 + count) for the panel of 4·W columns starting at byte
 * address b (row p of B at b + p·rowBytes): group q's table at t + (q − q0)·(16·W << g), entry s
 * (16·W bytes) the sum of the rows p0 + bit of s.
 */
@inline function buildTables(W: i32, g: i32, b: usize, rowBytes: usize, k: i32, q0: i32, count: i32, t: usize): void {
  const entry = <usize>(W << 4)
  const z = f32x4.splat(0)
  for (let q = 0; q < count; q++) {
    const p0 = (q0 + q) * g
    const width = min(g, k - p0)
    const base = t + <usize>q * ((entry << g) + PAD)
    const src = b + <usize>p0 * rowBytes
    v128.store(base, z)
    if (W > 1) v128.store(base, z, 16)
    if (W > 2) { v128.store(base, z, 32); v128.store(base, z, 48) }
    if (W > 4) { v128.store(base, z, 64); v128.store(base, z, 80); v128.store(base, z, 96); v128.store(base, z, 112) }
    const size = 1 << width
    for (let s = 1; s < size; s++) {
      const low = s & -s
      const d = base + <usize>s * entry
      const w = src + <usize>ctz(s) * rowBytes
      if (s == low) {
        v128.store(d, v128.load(w))
        if (W > 1) v128.store(d, v128.load(w, 16), 16)
        if (W > 2) { v128.store(d, v128.load(w, 32), 32); v128.store(d, v128.load(w, 48), 48) }
        if (W > 4) {
          v128.store(d, v128.load(w, 64), 64); v128.store(d, v128.load(w, 80), 80)
          v128.store(d, v128.load(w, 96), 96); v128.store(d, v128.load(w, 112), 112)
        }
      } else {
        const e = base + <usize>(s ^ low) * entry
        v128.store(d, f32x4.add(v128.load(e), v128.load(w)))
        if (W > 1) v128.store(d, f32x4.add(v128.load(e, 16), v128.load(w, 16)), 16)
        if (W > 2) {
          v128.store(d, f32x4.add(v128.load(e, 32), v128.load(w, 32)), 32)
          v128.store(d, f32x4.add(v128.load(e, 48), v128.load(w, 48)), 48)
        }
        if (W > 4) {
          v128.store(d, f32x4.add(v128.load(e, 64), v128.load(w, 64)), 64)
          v128.store(d, f32x4.add(v128.load(e, 80), v128.load(w, 80)), 80)
          v128.store(d, f32x4.add(v128.load(e, 96), v128.load(w, 96)), 96)
          v128.store(d, f32x4.add(v128.load(e, 112), v128.load(w, 112)), 112)
        }
      }
    }
  }
}

/**
 * For each of `rows` output rows: the sum over groups [q0, q0 + count) of the table entry its
 * index byte picks (index of row r, group q at ix + r·si + q·sg), stored to (or added to) the
 * 4·W columns at c + r·ldc.
 */
@inline function lookups(W: i32, g: i32, t: usize, count: i32, rows: i32, ix: usize, si: usize, sg: usize, c: usize, ldc: usize, add: bool): void {
  const shift: u32 = W == 8 ? 7 : W == 4 ? 6 : 4
  const groupBytes = (<usize>(W << 4) << g) + PAD
  for (let r = 0; r < rows; r++) {
    let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0
    let tq = t
    let iq = ix + <usize>r * si
    for (let q = 0; q < count; q++, tq += groupBytes, iq += sg) {
      const p = tq + (<usize>load<u8>(iq) << shift)
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

/**
 * One column (byte address b of its row 0) for every output row, without tables but in the
 * tables' order: per group the rows of the subset from the highest bit down.
 */
function scalarColumn(g: i32, b: usize, rowBytes: usize, k: i32, q0: i32, count: i32, rows: i32, ix: usize, si: usize, sg: usize, c: usize, ldc: usize, add: bool): void {
  for (let r = 0; r < rows; r++) {
    let sum: f32 = 0
    let iq = ix + <usize>r * si
    for (let q = 0; q < count; q++, iq += sg) {
      let bits = <i32>load<u8>(iq)
      if (bits == 0) { sum += 0; continue }
      const src = b + <usize>((q0 + q) * g) * rowBytes
      let top = 31 - clz(bits)
      let x = load<f32>(src + <usize>top * rowBytes)
      bits ^= 1 << top
      while (bits != 0) {
        top = 31 - clz(bits)
        x += load<f32>(src + <usize>top * rowBytes)
        bits ^= 1 << top
      }
      sum += x
    }
    const d = c + <usize>r * ldc
    store<f32>(d, add ? load<f32>(d) + sum : sum)
  }
}

/**
 * Columns [j0, j1) of C = V·B (or Vᵀ·B when transposed) by subset tables of g bits (1 ≤ g ≤ 8);
 * V's entries count as 1 when nonzero. k ≥ 1; chunkRows(⌈k/g⌉) ≥ 1.
 */
export function tableSums(transposed: bool, g: i32, m: i32, n: i32, k: i32, v: usize, b: usize, c: usize, accumulate: bool, j0: i32, j1: i32): void {
  const groups = (k + g - 1) / g
  const perBlock = groupsPerBlock(g)
  const chunk = chunkRows(groups)
  const rowBytes = <usize>n << 2
  const ldc = <usize>n << 2
  for (let i0 = 0; i0 < m; i0 += chunk) {
    const rows = min(chunk, m - i0)
    indexBytes(transposed, m, k, v, g, groups, i0, rows)
    const si: usize = transposed ? 1 : <usize>groups
    const sg: usize = transposed ? <usize>rows : 1
    const c0 = c + <usize>i0 * ldc
    // Panels 32, 16, 4 and 1 columns wide (the width changes no element's summation order).
    const e32 = j0 + ((j1 - j0) & ~31)
    const e16 = e32 + ((j1 - e32) & ~15)
    const e4 = e16 + ((j1 - e16) & ~3)
    for (let q0 = 0; q0 < groups; q0 += perBlock) {
      const count = min(perBlock, groups - q0)
      const add = accumulate || q0 > 0
      const ix = idx + <usize>q0 * sg
      for (let j = j0; j < e32; j += 32) {
        buildTables(8, g, b + (<usize>j << 2), rowBytes, k, q0, count, packB)
        lookups(8, g, packB, count, rows, ix, si, sg, c0 + (<usize>j << 2), ldc, add)
      }
      for (let j = e32; j < e16; j += 16) {
        buildTables(4, g, b + (<usize>j << 2), rowBytes, k, q0, count, packB)
        lookups(4, g, packB, count, rows, ix, si, sg, c0 + (<usize>j << 2), ldc, add)
      }
      for (let j = e16; j < e4; j += 4) {
        buildTables(1, g, b + (<usize>j << 2), rowBytes, k, q0, count, packB)
        lookups(1, g, packB, count, rows, ix, si, sg, c0 + (<usize>j << 2), ldc, add)
      }
      for (let j = e4; j < j1; j++) scalarColumn(g, b + (<usize>j << 2), rowBytes, k, q0, count, rows, ix, si, sg, c0 + (<usize>j << 2), ldc, add)
    }
  }
}
