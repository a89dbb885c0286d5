// AssemblyScript: memory layout of the dense kernels (wasm/assembly/dense.ts is the entry).
//
// `init` lays out scratch above the static data: the xoshiro128** state, the GEMM edge tile, the
// index lists of the selected-row sums (SR lists of KC byte offsets + SR counts; the index bytes
// of the subset tables, tables.ts, use the same area) and the GEMM packing buffers (the subset
// tables use the B buffer). `alloc` is a 64-byte-aligned bump allocator above that; `mark`/`release`
// rewind it. Every kernel takes byte addresses in this memory.

export const MR = 4
export const NR = 8
/** Inner-dimension block of the GEMM and of the selected-row sums (their summation order). */
export const KC = 256
export const MC = 128
export const NC = 2048
/** Output rows whose index lists are built at once by the selected-row sums. */
export const SR = 64

export let rng: usize = 0 // 4 × u32
export let tile: usize = 0 // MR × NR f32
export let idx: usize = 0 // SR × KC u32
export let counts: usize = 0 // SR × i32
export let packA: usize = 0 // MC × KC f32
export let packA4: usize = 0 // MC × KC v128 (each A value broadcast to four lanes)
export let packB: usize = 0 // KC × NC f32
let userBase: usize = 0
let top: usize = 0

function ensure(end: usize): bool {
  const pages = <i32>((end + 0xffff) >>> 16)
  const have = memory.size()
  return pages <= have || memory.grow(pages - have) >= 0
}

/** Bytes of the scratch block (rng, tile, index lists, packing buffers); 64-byte aligned. */
export const SCRATCH: usize = 256 + SR * 4 + SR * KC * 4 + MC * KC * 4 + MC * KC * 16 + KC * NC * 4

function place(base: usize): usize {
  rng = base
  tile = base + 64
  counts = base + 256
  idx = counts + SR * 4
  packA = idx + SR * KC * 4
  packA4 = packA + MC * KC * 4
  packB = packA4 + MC * KC * 16
  return base + SCRATCH
}

/** Lays out scratch memory; returns the first address `alloc` hands out (0 on failure). */
export function init(): usize {
  if (userBase != 0) return userBase
  const end = place((__heap_base + 63) & ~<usize>63)
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
/**
 * A helper instance on a shared memory: its scratch at `base` (SCRATCH bytes, allocated by the
 * owning instance); it never allocates.
 */
export function initAt(base: usize): void { place(base) }
export function scratchBytes(): usize { return SCRATCH }
export function mark(): usize { return top }
export function release(to: usize): void { top = to < userBase ? userBase : to }
export function rngState(): usize { return rng }

/** Stores v at c, or adds it to what is there. */
@inline export function put(c: usize, v: v128, add: bool): void {
  v128.store(c, add ? f32x4.add(v128.load(c), v) : v)
}

export function zero(c: usize, count: i32): void { memory.fill(c, 0, <usize>count << 2) }
