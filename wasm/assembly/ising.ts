// AssemblyScript (compiled by scripts/build-wasm.mjs into src-core/wasm/isingKernel.generated.ts).
//
// Single-spin kernels for the 2D Ising model on the L×L torus, H = −K Σ_<ij> v_i v_j − h Σ_i v_i,
// P ∝ e^{−H} (paper's Eq. 3 signs), mirroring src-core/ising/square/metropolis.ts and heatbath.ts bit for
// bit: same visiting order, same random draws, same comparisons.
//   - Metropolis (Metropolis et al., J. Chem. Phys. 21, 1087, 1953): flip with min(1, e^{−ΔH}),
//     ΔH = 2 v_i (K S_i + h); ΔH ≤ 0 accepts without drawing a number.
//   - Heat bath (Glauber, J. Math. Phys. 4, 294, 1963): v_i = +1 with probability
//     1 / (1 + e^{−2(K S_i + h)}), one number drawn per site.
//   - Generator: xoshiro128** 1.1 (Blackman & Vigna, ACM TOMS 47(4) 36, 2021), state in memory.
// Order: sites with (x + y) even in row-major order, then the odd ones (for odd L a fixed
// sequential order, exactly as createSquareLattice's evenSites/oddSites).
//
// Thresholds are written by the host as i64: T = ceil(p·2^32) ∈ [0, 2^32], so that for the raw
// 32-bit number r, `r < T` is exactly the host's `r < p·2^32`; T = −1 marks "accept, no draw".
//
// Each row of one colour takes two passes. (1) The table index S + 4 + (v + 1)/2 of every site
// of the row, from index arithmetic (left/right/up/down offsets, no neighbour table), 16 sites at
// a time with v128 for L ≥ 18. Sites of one colour in a row are never neighbours, except x = 0
// and x = L − 1 when L is odd: that index is recomputed after x = 0 is updated. (2) The
// sequential updates, reading only the index: branch-free, the generator stepped every site and
// its new state kept by select() only when a number is drawn.
//
// Memory layout (bytes from `init`'s return value; mirrored in src-core/ising/square/wasmKernel.ts):
//   0   rng state, 4 × u32             16  out: bond-sum delta, spin-sum delta, 2 × i32
//   32  Metropolis table, 10 × i64     112 heat-bath table, 5 × i64 (index (S + 4)/2)
//   160 v·S per index, 10 × i32        256 spins, L·L × i8 (site y·L + x); then a row of indices

const RNG: usize = 0
const OUT: usize = 16
const METROPOLIS: usize = 32
const HEAT_BATH: usize = 112
const FLIP_SUMS: usize = 160
const SPINS: usize = 256

let base: usize = 0
let side: i32 = 0

/** Lays out memory for an L×L lattice (growing it once) and returns the base address; 0 on failure. */
export function init(L: i32): usize {
  if (L < 2 || L > 4096) return 0
  base = (__heap_base + 15) & ~<usize>15
  const end = base + SPINS + <usize>L * <usize>L + <usize>L + 16
  const pages = <i32>((end + 0xffff) >>> 16)
  const have = memory.size()
  if (pages > have && memory.grow(pages - have) < 0) return 0
  side = L
  for (let idx = 0; idx < 10; idx++) {
    const c = idx & 1 // (v + 1)/2
    store<i32>(base + FLIP_SUMS + (<usize>idx << 2), (2 * c - 1) * (idx - 4 - c))
  }
  return base
}

/** Table index S + 4 + (v + 1)/2 of the site at p. */
@inline function siteIndex(p: usize, left: i32, right: i32, up: i32, down: i32): u8 {
  const S = <i32>load<i8>(p + left) + <i32>load<i8>(p + right) + <i32>load<i8>(p + up) + <i32>load<i8>(p + down)
  return <u8>(S + 4 + ((<i32>load<i8>(p) + 1) >> 1))
}

/** Indices of every site of the row at `row` into `out`. */
@inline function rowIndices(row: usize, up: i32, down: i32, L: i32, out: usize): void {
  if (L >= 18) {
    const four = i8x16.splat(4)
    const one = i8x16.splat(1)
    for (let x = 1; ; x += 16) {
      if (x > L - 17) x = L - 17 // the last block may overlap the previous one: same values
      const p = row + <usize>x
      const S = i8x16.add(i8x16.add(v128.load(p - 1), v128.load(p + 1)), i8x16.add(v128.load(p + up), v128.load(p + down)))
      v128.store(out + <usize>x, i8x16.add(i8x16.add(S, four), i8x16.shr_u(i8x16.add(v128.load(p), one), 1)))
      if (x == L - 17) break
    }
  } else {
    for (let x = 1; x < L - 1; x++) store<u8>(out + <usize>x, siteIndex(row + <usize>x, -1, 1, up, down))
  }
  store<u8>(out, siteIndex(row, L - 1, 1, up, down))
  store<u8>(out + <usize>(L - 1), siteIndex(row + <usize>(L - 1), -1, 1 - L, up, down))
}

/** One sweep of either algorithm; inlined with a constant flag, so each export is specialised. */
@inline function sweep(heatBath: bool): i32 {
  const L = side
  const spins = base + SPINS
  const indices = spins + <usize>L * <usize>L
  const metropolis = base + METROPOLIS
  const heat = base + HEAT_BATH
  const flipSums = base + FLIP_SUMS
  let s0 = load<u32>(base + RNG)
  let s1 = load<u32>(base + RNG, 4)
  let s2 = load<u32>(base + RNG, 8)
  let s3 = load<u32>(base + RNG, 12)
  let flips: i32 = 0
  let flippedBonds: i32 = 0 // Σ v_i S_i over flipped sites
  let flippedSpins: i32 = 0 // Σ v_i over flipped sites
  for (let colour = 0; colour < 2; colour++) {
    for (let y = 0; y < L; y++) {
      const row = spins + <usize>(y * L)
      const up = (y == 0 ? L - 1 : -1) * L
      const down = (y == L - 1 ? 1 - L : 1) * L
      const first = (y + colour) & 1
      rowIndices(row, up, down, L, indices)
      // Odd L, first = 0: x = 0 and x = L − 1 are neighbours of one colour; update x = 0 alone,
      // then refresh the index of x = L − 1.
      const wrapPair = (L & 1) != 0 && first == 0
      let from = first
      let to = wrapPair ? 1 : L
      while (true) {
        for (let k = indices + <usize>from, p = row + <usize>from, end = indices + <usize>to; k < end; k += 2, p += 2) {
          const idx = <usize>load<u8>(k)
          const r = rotl<u32>(s1 * 5, 7) * 9
          const t = s1 << 9
          const n2 = s2 ^ s0
          const n3 = s3 ^ s1
          let flip: i32
          if (heatBath) {
            const T = load<i64>(heat + ((idx >> 1) << 3))
            s1 ^= n2
            s0 ^= n3
            s2 = n2 ^ t
            s3 = rotl<u32>(n3, 11)
            flip = <i32>(<i64>r < T) ^ <i32>(idx & 1) // new spin +1 iff r < T; flip iff it differs
          } else {
            const T = load<i64>(metropolis + (idx << 3))
            const draw = T >= 0
            s1 = select<u32>(s1 ^ n2, s1, draw)
            s0 = select<u32>(s0 ^ n3, s0, draw)
            s2 = select<u32>(n2 ^ t, s2, draw)
            s3 = select<u32>(rotl<u32>(n3, 11), s3, draw)
            flip = <i32>(!draw | (<i64>r < T))
          }
          const mask = -flip
          const v = ((<i32>idx & 1) << 1) - 1
          store<i8>(p, <i8>(v ^ (mask & -2)))
          flips += flip
          flippedBonds += load<i32>(flipSums + (idx << 2)) & mask
          flippedSpins += v & mask
        }
        if (to == L) break
        store<u8>(indices + <usize>(L - 1), siteIndex(row + <usize>(L - 1), -1, 1 - L, up, down))
        from = 2
        to = L
      }
    }
  }
  store<u32>(base + RNG, s0)
  store<u32>(base + RNG, s1, 4)
  store<u32>(base + RNG, s2, 8)
  store<u32>(base + RNG, s3, 12)
  store<i32>(base + OUT, -2 * flippedBonds)
  store<i32>(base + OUT, -2 * flippedSpins, 4)
  return flips
}

/** One checkerboard Metropolis sweep; returns the number of accepted flips. */
export function metropolisSweep(): i32 {
  return sweep(false)
}

/** One checkerboard heat-bath sweep; returns the number of spins that changed. */
export function heatBathSweep(): i32 {
  return sweep(true)
}
