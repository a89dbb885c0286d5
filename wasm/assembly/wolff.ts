// AssemblyScript (compiled by scripts/build-wasm.mjs into src-core/wasm/wolffKernel.generated.ts).
//
// Wolff single-cluster updates (U. Wolff, Phys. Rev. Lett. 62, 361, 1989) on a lattice with four
// adjacency entries per site, H = −K Σ_<ij> v_i v_j − h Σ_i v_i, the field through a ghost spin
// (Wang & Swendsen, Physica A 167, 565, 1990). It mirrors src-core/ising/torus/wolff.ts bit for
// bit: the same draws of xoshiro128** 1.1 (Blackman & Vigna, ACM TOMS 47(4) 36, 2021) in the same
// order, so given the same spins, neighbour table and generator state it grows the same clusters.
//   - seed site: r % N after rejecting r ≥ 2^32 − (2^32 mod N), the incomplete last block;
//   - FIFO growth: each neighbour entry of a member, in table order, that still has the seed's
//     sign costs one draw and joins when r < T (members are flipped as they join);
//   - ghost event (only when v·h > 0): one more draw, the cluster joins the ghost (is flipped
//     back) when r·2^−32 ≥ e^{−2|h|·size}. e^x comes from the host (Math.exp), so the comparison
//     is the TypeScript kernel's to the last bit.
// T = ceil(p·2^32) ∈ [0, 2^32] is written by the host as a double: for an integer r, r < T
// exactly when r < p·2^32.
//
// Two ways to find the neighbours, chosen by `init`:
//   - table: the host's table, 4 × i32 per site, copied into memory (any 4-regular lattice);
//   - torus (Lx > 0): index arithmetic on the periodic Lx × Ly square lattice (site y·Lx + x),
//     for the table buildLattice builds there, which the host has checked entry by entry. Its
//     entries of a site are the four bonds sorted by bond index (bonds (i, right), (i, down) are
//     2i, 2i + 1), giving the orders below; the queue then holds (site, x) pairs, so no division.
// Growth is branch-free: each entry's draw is computed and kept by select() only when the
// entry has the seed's sign, and the entry is written to the queue's tail, which moves on only
// when it joins (hence one spare queue slot).
//
// Memory layout (bytes from `init`'s return value; mirrored in src-core/ising/torus/wolffWasm.ts):
//   0   rng state, 4 × u32
//   16  out: spins grown (f64), ghost clusters (i32), change of Σ v_i (i32)
//   32  one site's four (neighbour, x) pairs (torus), 4 × 2 × u32
//   64  spins, N × i8; then (16-aligned) the queue, (N + 1) × 4 bytes (table) or × 8 (torus),
//       and the table, 4N × i32 (table only)

@external('host', 'exp')
declare function hostExp(x: f64): f64

const RNG: usize = 0
const OUT: usize = 16
const ROW: usize = 32
const SPINS: usize = 64

let base: usize = 0
let sites: u32 = 0
let width: u32 = 0
let queueStart: usize = 0
let table: usize = 0
let threshold: u64 = 0
let limit: u64 = 0
let fieldSign: i32 = 0
let absH2: f64 = 0

/**
 * Lays out memory for N sites (growing it once) and returns the base address; 0 on failure.
 * `Lx` > 0 selects the torus arithmetic (N = Lx·Ly, Lx, Ly ≥ 3), 0 the copied table;
 * `T` is ceil(p·2^32); `hSign` the sign of h; `twoAbsH` is 2|h|.
 */
export function init(N: i32, Lx: i32, T: f64, hSign: i32, twoAbsH: f64): usize {
  if (N < 1 || N > 1 << 24 || !(T >= 0) || T > 4294967296.0) return 0
  if (Lx != 0 && (Lx < 3 || N % Lx != 0 || N / Lx < 3)) return 0
  base = (__heap_base + 15) & ~<usize>15
  queueStart = (base + SPINS + <usize>N + 15) & ~<usize>15
  table = queueStart + ((<usize>N + 1) << (Lx != 0 ? 3 : 2))
  const end = table + (Lx != 0 ? 0 : <usize>N << 4)
  const pages = <i32>((end + 0xffff) >>> 16)
  const have = memory.size()
  if (pages > have && memory.grow(pages - have) < 0) return 0
  sites = <u32>N
  width = <u32>Lx
  threshold = <u64>T
  limit = 0x100000000 - (0x100000000 % <u64>N)
  fieldSign = hSign
  absH2 = twoAbsH
  return base
}

/** Byte offset of the neighbour table from the base (table mode). */
export function tableOffset(): usize {
  return table - base
}

/** Runs `count` cluster updates; totals go to OUT. */
export function updates(count: i32): void {
  if (width != 0) run(count, true)
  else run(count, false)
}

/** (site, x) as one queue entry of the torus mode. */
@inline function pair(site: u32, x: u32): u64 {
  return <u64>site | (<u64>x << 32)
}

/** The four entries of site i = y·Lx + x of the torus table, in its order, into ROW. */
@inline function torusRow(row: usize, i: u32, x: u32, Lx: u32, N: u32): void {
  const left = pair(x == 0 ? i + Lx - 1 : i - 1, x == 0 ? Lx - 1 : x - 1)
  const right = pair(x == Lx - 1 ? i + 1 - Lx : i + 1, x == Lx - 1 ? 0 : x + 1)
  const up = pair(i < Lx ? i + N - Lx : i - Lx, x)
  const down = pair(i >= N - Lx ? i + Lx - N : i + Lx, x)
  // Bond indices: up 2·up + 1, left 2·left, right 2i, down 2i + 1; the wrapped left (x = 0)
  // and up (y = 0) come after the others.
  let a = up
  let b = left
  let c = right
  let d = down
  if (i >= Lx) {
    if (x == 0) {
      b = right
      c = down
      d = left
    }
  } else if (x != 0) {
    a = left
    b = right
    c = down
    d = up
  } else {
    a = right
    b = down
    c = left
    d = up
  }
  store<u64>(row, a)
  store<u64>(row, b, 8)
  store<u64>(row, c, 16)
  store<u64>(row, d, 24)
}

/** The update loop; inlined with a constant flag, so each mode is specialised. */
@inline function run(count: i32, torus: bool): void {
  const spins = base + SPINS
  const queue = queueStart
  const entry: usize = torus ? 8 : 4
  const row = base + ROW
  const nb = table
  const N = sites
  const Lx = width
  const T = threshold
  const lim = limit
  const hs = fieldSign
  let s0 = load<u32>(base + RNG)
  let s1 = load<u32>(base + RNG, 4)
  let s2 = load<u32>(base + RNG, 8)
  let s3 = load<u32>(base + RNG, 12)
  let grown: f64 = 0
  let ghosts: i32 = 0
  let deltaM: i32 = 0
  for (let c = 0; c < count; c++) {
    let r: u32
    do {
      r = rotl<u32>(s1 * 5, 7) * 9
      const t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = rotl<u32>(s3, 11)
    } while (<u64>r >= lim)
    const seed = r % N
    const v = load<i8>(spins + <usize>seed)
    const flipped = <i8>-v
    store<i8>(spins + <usize>seed, flipped)
    if (torus) store<u64>(queue, pair(seed, seed % Lx))
    else store<u32>(queue, seed)
    let tail = queue + entry
    for (let head = queue; head < tail; head += entry) {
      let entries: usize
      if (torus) {
        torusRow(row, load<u32>(head), load<u32>(head, 4), Lx, N)
        entries = row
      } else entries = nb + (<usize>load<u32>(head) << 4)
      for (let k: usize = 0; k < 4 * entry; k += entry) {
        const j = <usize>load<u32>(entries + k)
        const w = load<i8>(spins + j)
        const draw = w == v
        const q = rotl<u32>(s1 * 5, 7) * 9
        const t = s1 << 9
        const n2 = s2 ^ s0
        const n3 = s3 ^ s1
        s1 = select<u32>(s1 ^ n2, s1, draw)
        s0 = select<u32>(s0 ^ n3, s0, draw)
        s2 = select<u32>(n2 ^ t, s2, draw)
        s3 = select<u32>(rotl<u32>(n3, 11), s3, draw)
        const join = draw & (<u64>q < T)
        store<i8>(spins + j, select<i8>(flipped, w, join))
        if (torus) store<u64>(tail, load<u64>(entries + k))
        else store<u32>(tail, <u32>j)
        tail += select<usize>(entry, 0, join)
      }
    }
    const size = <i32>((tail - queue) / entry)
    grown += <f64>size
    if (<i32>v * hs > 0) {
      const g = rotl<u32>(s1 * 5, 7) * 9
      const t = s1 << 9
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = rotl<u32>(s3, 11)
      // Ghost event: the cluster avoids the ghost with probability e^{−2|h|·size}.
      if (<f64>g * 2.3283064365386963e-10 >= hostExp(-absH2 * <f64>size)) {
        for (let k = queue; k < tail; k += entry) store<i8>(spins + <usize>load<u32>(k), v)
        ghosts++
        continue
      }
    }
    deltaM -= 2 * <i32>v * size
  }
  store<u32>(base + RNG, s0)
  store<u32>(base + RNG, s1, 4)
  store<u32>(base + RNG, s2, 8)
  store<u32>(base + RNG, s3, 12)
  store<f64>(base + OUT, grown)
  store<i32>(base + OUT, ghosts, 8)
  store<i32>(base + OUT, deltaM, 12)
}
