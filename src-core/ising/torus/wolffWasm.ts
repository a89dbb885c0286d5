import { decodeBase64 } from '../../wasm/base64'
import { WOLFF_KERNEL_WASM_BASE64 } from '../../wasm/wolffKernel.generated'
import type { TorusWolff } from './wolffTypes'

/**
 * The WebAssembly Wolff kernel (source: wasm/assembly/wolff.ts, built by scripts/build-wasm.mjs):
 * the update of wolff.ts with spins, FIFO queue, neighbour table and generator state in the
 * module's own memory. It makes the same draws in the same order and the same comparisons, so
 * given the same spins, table and generator state it grows the same clusters, bit for bit:
 *   - bond test r < p·2^32 as r < T with the integer T = ceil(p·2^32) (exact for integer r);
 *   - ghost test r·2^−32 ≥ e^{−2|h|·size} with e^x imported from this side (Math.exp), so the
 *     double compared is the one wolff.ts computes.
 * On the table buildLattice builds for a periodic Lx × Ly square lattice (checked here entry by
 * entry, once per table) the module computes the neighbours instead of reading them; any other
 * table is copied into its memory.
 * Compiled synchronously (under 2 kB; no SIMD or other post-MVP feature), so it works alike in
 * Node, job workers and the renderer; null where WebAssembly is missing or refused.
 */

/** Byte offsets from the base `init` returns; mirror the layout in wasm/assembly/wolff.ts. */
const RNG = 0
const OUT = 16
const SPINS = 64

interface WolffExports {
  memory: { buffer: ArrayBuffer }
  init(N: number, Lx: number, T: number, hSign: number, twoAbsH: number): number
  tableOffset(): number
  updates(count: number): void
}

/** The part of the WebAssembly namespace used here (not in the ES2022 lib typings). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
}

let compiled: object | null | undefined

function wasmApi(): WasmApi | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  return api && typeof api.Module === 'function' && typeof api.Instance === 'function' ? api : null
}

function wolffModule(api: WasmApi): object | null {
  if (compiled === undefined) {
    try {
      compiled = new api.Module(decodeBase64(WOLFF_KERNEL_WASM_BASE64))
    } catch {
      compiled = null // e.g. a content security policy without 'wasm-unsafe-eval'
    }
  }
  return compiled
}

const torusWidths = new WeakMap<Int32Array, number>()

/**
 * Lx when `neighbours` is the adjacency buildLattice gives the periodic Lx × Ly square lattice
 * (Lx, Ly ≥ 3, site y·Lx + x): each site's four bonds sorted by bond index, the bonds (i, right)
 * and (i, down) being 2i and 2i + 1 — up, left, right, down; with x = 0 the wrapped left last;
 * with y = 0 the wrapped up last. The order wasm/assembly/wolff.ts computes. Otherwise 0.
 * Remembered per table (lattice tables are not edited).
 */
export function torusWidth(neighbours: Int32Array): number {
  const known = torusWidths.get(neighbours)
  if (known !== undefined) return known
  const N = neighbours.length / 4
  const Lx = neighbours[1]! // site 0: right, down (= Lx), left, up
  let width = Number.isInteger(N) && Lx >= 3 && N % Lx === 0 && N / Lx >= 3 ? Lx : 0
  for (let i = 0, x = 0; width !== 0 && i < N; i++, x = x + 1 === Lx ? 0 : x + 1) {
    const left = x === 0 ? i + Lx - 1 : i - 1
    const right = x === Lx - 1 ? i + 1 - Lx : i + 1
    const up = i < Lx ? i + N - Lx : i - Lx
    const down = i >= N - Lx ? i + Lx - N : i + Lx
    const order =
      i >= Lx
        ? x !== 0
          ? [up, left, right, down]
          : [up, right, down, left]
        : x !== 0
          ? [left, right, down, up]
          : [right, down, left, up]
    for (let d = 0; d < 4; d++) if (neighbours[4 * i + d] !== order[d]) width = 0
  }
  torusWidths.set(neighbours, width)
  return width
}

/** Whether the WebAssembly Wolff kernel can run here. */
export function wasmWolffAvailable(): boolean {
  const api = wasmApi()
  return api !== null && wolffModule(api) !== null
}

/**
 * The kernel on a copy of `spins` (the caller's array is not written; read the kernel's
 * `spins`), or null when WebAssembly is unavailable or the module cannot hold N sites.
 * Arguments as createTorusWolff's, already checked there; `neighbourMode` 'table' makes the
 * module read the copied table even for a torus (the tests compare both ways).
 */
export function createWasmTorusWolff(
  spins: Int8Array,
  neighbours: Int32Array,
  threshold: number,
  h: number,
  rngState: Uint32Array,
  neighbourMode: 'auto' | 'table' = 'auto'
): TorusWolff | null {
  const api = wasmApi()
  const module = api && wolffModule(api)
  if (!api || !module) return null
  const N = spins.length
  const T = Math.ceil(threshold)
  if (T > 2 ** 32) return null
  const Lx = neighbourMode === 'table' ? 0 : torusWidth(neighbours)
  // A copied table is read without checks inside the module: every entry must be a site.
  if (Lx === 0)
    for (let e = 0; e < neighbours.length; e++) if (!(neighbours[e]! >= 0 && neighbours[e]! < N)) return null
  let wasm: WolffExports
  try {
    wasm = new api.Instance(module, { host: { exp: Math.exp } }).exports as WolffExports
  } catch {
    return null
  }
  const base = wasm.init(N, Lx, T, Math.sign(h) | 0, 2 * Math.abs(h))
  if (base === 0) return null
  const buffer = wasm.memory.buffer // init grew the memory once; it never grows again
  const rng = new Uint32Array(buffer, base + RNG, 4)
  const totals = new Float64Array(buffer, base + OUT, 1)
  const counts = new Int32Array(buffer, base + OUT + 8, 2)
  const live = new Int8Array(buffer, base + SPINS, N)
  live.set(spins)
  if (Lx === 0) new Int32Array(buffer, base + wasm.tableOffset(), 4 * N).set(neighbours)
  rng.set(rngState)
  let magnetisation = 0
  for (let i = 0; i < N; i++) magnetisation += live[i]!

  const chain: TorusWolff = {
    N,
    spins: live,
    kernel: 'wasm',
    magnetisation,
    grownSpins: 0,
    clusterUpdates: 0,
    ghostClusters: 0,
    updates(count: number): void {
      // One call per at most 2^31 − 1 updates (the module counts in i32).
      for (let left = Math.ceil(count); left > 0;) {
        const n = Math.min(left, 0x7fffffff)
        wasm.updates(n)
        chain.grownSpins += totals[0]!
        chain.ghostClusters += counts[0]!
        chain.magnetisation += counts[1]!
        chain.clusterUpdates += n
        left -= n
      }
    },
    bondSum(): number {
      // Each bond appears twice in the table.
      let sum = 0
      for (let i = 0; i < N; i++) {
        const b = 4 * i
        sum +=
          live[i]! *
          (live[neighbours[b]!]! + live[neighbours[b + 1]!]! + live[neighbours[b + 2]!]! + live[neighbours[b + 3]!]!)
      }
      return sum / 2
    },
    getRngState: () => rng.slice(),
    load(source: Int8Array, rngState: Uint32Array): void {
      if (source.length !== N) throw new RangeError(`need ${N} spins, got ${source.length}`)
      live.set(source)
      rng.set(rngState)
      let m = 0
      for (let i = 0; i < N; i++) m += live[i]!
      chain.magnetisation = m
    }
  }
  return chain
}
