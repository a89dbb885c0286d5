import { decodeBase64 } from '../../wasm/base64'
import { ISING_KERNEL_WASM_BASE64 } from '../../wasm/isingKernel.generated'
import { createHeatBathTable, setHeatBathCouplings } from './heatbath'
import { createMetropolisTable, setMetropolisCouplings } from './metropolis'
import type { IsingSums } from './observables'
import { validateLatticeSize } from './lattice'

/**
 * The WebAssembly single-spin kernels (source: wasm/assembly/ising.ts, built by
 * scripts/build-wasm.mjs). Spins, generator state and acceptance tables live in the module's own
 * memory; every sweep is bit-identical to the TypeScript kernels (metropolis.ts, heatbath.ts)
 * given the same spins and generator state: same visiting order, same draws, same comparisons.
 *
 * Thresholds are computed here by the TypeScript table code (so e^x is evaluated by the same
 * Math.exp) and handed over as integers T = ceil(p·2^32): for a 32-bit integer r, r < T exactly
 * when r < p·2^32. "Accept without drawing" (ΔH ≤ 0) is T = −1.
 *
 * Compiled synchronously (the module is ~2 kB, below the 4 kB main-thread limit for sync compile),
 * so it works alike in Node, job workers and the renderer. It uses fixed-width WASM SIMD (v128);
 * a runtime without it fails to compile the module and gets null, i.e. the TypeScript kernels.
 */
export interface WasmSquareKernel {
  readonly L: number
  readonly N: number
  /** The L×L spins (site y·L + x), a view on the module's memory; stays valid for the kernel's life. */
  readonly spins: Int8Array
  /** Bond and spin sums, updated by every sweep; the caller resets them after editing spins. */
  readonly sums: IsingSums
  setCouplings(K: number, h: number): void
  /** One checkerboard Metropolis sweep; returns the accepted flips. */
  metropolisSweep(): number
  /** One checkerboard heat-bath sweep; returns the number of spins that changed. */
  heatBathSweep(): number
  /** Loads a xoshiro128** state (4 × uint32, as Xoshiro128ss.getState() returns it). */
  setRngState(state: Uint32Array): void
  getRngState(): Uint32Array
  /** Recomputes `sums` from the spins (after the caller wrote spins directly). */
  recomputeSums(): IsingSums
}

/** Byte offsets from the base `init` returns; mirror the layout in wasm/assembly/ising.ts. */
const RNG = 0
const OUT = 16
const METROPOLIS = 32
const HEAT_BATH = 112
const SPINS = 256

interface KernelExports {
  memory: { buffer: ArrayBuffer }
  init(L: number): number
  metropolisSweep(): number
  heatBathSweep(): number
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

/** The compiled module, compiled once; null when WebAssembly is missing or refuses to compile. */
function kernelModule(api: WasmApi): object | null {
  if (compiled === undefined) {
    try {
      compiled = new api.Module(decodeBase64(ISING_KERNEL_WASM_BASE64))
    } catch {
      compiled = null // e.g. a content security policy without 'wasm-unsafe-eval'
    }
  }
  return compiled
}

/** xoshiro128** cannot leave the all-zero state; every other 4-word state is valid. */
function checkRngState(state: Uint32Array): void {
  if (!(state instanceof Uint32Array) || state.length !== 4) {
    throw new RangeError(
      `rng state must be a Uint32Array of length 4, got ${String((state as { length?: number })?.length)}`
    )
  }
  if ((state[0] | state[1] | state[2] | state[3]) === 0)
    throw new RangeError('the all-zero xoshiro128** state is invalid')
}

/**
 * A kernel for an L×L torus with its own instance and memory, or null when WebAssembly is not
 * available. Spins start at +1, couplings at K = h = 0, the generator at state (1, 0, 0, 0).
 */
export function createWasmSquareKernel(L: number): WasmSquareKernel | null {
  validateLatticeSize(L)
  const api = wasmApi()
  const module = api && kernelModule(api)
  if (!api || !module) return null
  const wasm = new api.Instance(module, {}).exports as KernelExports
  const base = wasm.init(L)
  if (base === 0) return null
  const N = L * L
  const buffer = wasm.memory.buffer // init grew the memory once; it never grows again
  const rng = new Uint32Array(buffer, base + RNG, 4)
  const out = new Int32Array(buffer, base + OUT, 2)
  const metropolisThresholds = new BigInt64Array(buffer, base + METROPOLIS, 10)
  const heatBathThresholds = new BigInt64Array(buffer, base + HEAT_BATH, 5)
  const spins = new Int8Array(buffer, base + SPINS, N)
  const metropolisTable = createMetropolisTable(0, 0)
  const heatBathTable = createHeatBathTable(0, 0)
  const sums: IsingSums = { bondSum: 0, spinSum: 0 }

  const toInteger = (threshold: number): bigint => (threshold === Infinity ? -1n : BigInt(Math.ceil(threshold)))
  const setCouplings = (K: number, h: number): void => {
    setMetropolisCouplings(metropolisTable, K, h)
    setHeatBathCouplings(heatBathTable, K, h)
    metropolisTable.thresholds.forEach((t, k) => (metropolisThresholds[k] = toInteger(t)))
    heatBathTable.thresholds.forEach((t, k) => (heatBathThresholds[k] = toInteger(t)))
  }
  const recomputeSums = (): IsingSums => {
    let bondSum = 0
    let spinSum = 0
    for (let y = 0; y < L; y++) {
      const row = y * L
      const down = ((y + 1) % L) * L
      for (let x = 0; x < L; x++) {
        const v = spins[row + x]
        spinSum += v
        bondSum += v * (spins[row + ((x + 1) % L)] + spins[down + x])
      }
    }
    sums.bondSum = bondSum
    sums.spinSum = spinSum
    return sums
  }

  spins.fill(1)
  recomputeSums()
  rng.set([1, 0, 0, 0])
  setCouplings(0, 0)
  return {
    L,
    N,
    spins,
    sums,
    setCouplings,
    metropolisSweep(): number {
      const accepted = wasm.metropolisSweep()
      sums.bondSum += out[0]
      sums.spinSum += out[1]
      return accepted
    },
    heatBathSweep(): number {
      const changed = wasm.heatBathSweep()
      sums.bondSum += out[0]
      sums.spinSum += out[1]
      return changed
    },
    setRngState(state: Uint32Array): void {
      checkRngState(state)
      rng.set(state)
    },
    getRngState: () => rng.slice(),
    recomputeSums
  }
}
