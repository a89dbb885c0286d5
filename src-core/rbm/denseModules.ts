import { decodeBase64 } from '../wasm/base64'
import {
  DENSE_KERNEL_RELAXED_WASM_BASE64,
  DENSE_KERNEL_SHARED_RELAXED_WASM_BASE64,
  DENSE_KERNEL_SHARED_WASM_BASE64
} from '../wasm/denseKernel.generated'
import type { DenseExports, SharedDenseExports } from './denseExports'
import type { DenseThreadHost } from './denseThreads'
import type { DenseKernels } from './types'

// The dense WebAssembly modules (kernelsWasm.ts): each build compiled once, and further instances
// of the build a kernel set runs, for the fast trainer's resident parameters and its second thread.

/** The part of the WebAssembly namespace used here (not in the ES2022 lib typings). */
export interface WasmApi {
  Module: new (bytes: Uint8Array) => object
  Instance: new (module: object, imports: object) => { exports: unknown }
  validate(bytes: Uint8Array): boolean
}

const compiled = new Map<string, object | null>()
/** The compiled module behind each kernel set made by createWasmDenseKernels (for the instancesLike below). */
const moduleOf = new WeakMap<DenseKernels, object>()
/** The thread host of each kernel set made with two threads. */
const threadingOf = new WeakMap<DenseKernels, { host: DenseThreadHost; relaxed: boolean }>()

/** Records the module a kernel set runs and, when it splits products between two threads, its thread host. */
export function registerDenseKernels(
  kernels: DenseKernels,
  module: object,
  threading: { host: DenseThreadHost; relaxed: boolean } | null
): void {
  moduleOf.set(kernels, module)
  if (threading) threadingOf.set(kernels, threading)
}

/** The runtime's WebAssembly namespace, or null where it lacks one. */
export function wasmApi(): WasmApi | null {
  const api = (globalThis as unknown as { WebAssembly?: WasmApi }).WebAssembly
  return api && typeof api.Module === 'function' && typeof api.Instance === 'function' ? api : null
}

/** The module for one build, compiled once; null when it does not validate or compile. */
export function denseModule(api: WasmApi, base64: string): object | null {
  if (!compiled.has(base64)) {
    let module: object | null = null
    try {
      const bytes = decodeBase64(base64)
      if (typeof api.validate !== 'function' || api.validate(bytes)) module = new api.Module(bytes)
    } catch {
      module = null
    }
    compiled.set(base64, module)
  }
  return compiled.get(base64) ?? null
}

/** True when this runtime accepts the relaxed-SIMD build. */
export function wasmRelaxedSimdAvailable(): boolean {
  const api = wasmApi()
  return api !== null && denseModule(api, DENSE_KERNEL_RELAXED_WASM_BASE64) !== null
}

/**
 * A new, initialised instance (its own memory) of the build behind `kernels` when they are WASM
 * kernels made by createWasmDenseKernels, else null. Used by the fast trainer (fastTrain.ts) to
 * keep a trainer's parameters resident in a memory nobody else allocates from.
 */
export function denseInstanceLike(kernels: DenseKernels): DenseExports | null {
  const api = wasmApi()
  const module = moduleOf.get(kernels)
  if (!api || !module) return null
  const wasm = new api.Instance(module, {}).exports as DenseExports
  return wasm.init() === 0 ? null : wasm
}

/** Pages of the shared memory's maximum (must equal wasm/asconfig.dense.json targets "shared" and "sharedRelaxed"). */
const SHARED_MAX_PAGES = 16384

/**
 * For kernels made with two threads: a new, initialised instance of the shared build on a new
 * shared memory, with the compiled module and the thread host (for startDenseSplit); else null
 * (one thread, or shared memory unavailable here).
 */
export function sharedDenseInstanceLike(
  kernels: DenseKernels
): { wasm: SharedDenseExports; module: object; memory: object; host: DenseThreadHost } | null {
  const api = wasmApi() as
    (WasmApi & { Memory?: new (d: { initial: number; maximum: number; shared: boolean }) => object }) | null
  const threading = threadingOf.get(kernels)
  if (!api || !threading || typeof api.Memory !== 'function' || typeof SharedArrayBuffer !== 'function') return null
  const { host, relaxed } = threading
  const module = denseModule(api, relaxed ? DENSE_KERNEL_SHARED_RELAXED_WASM_BASE64 : DENSE_KERNEL_SHARED_WASM_BASE64)
  if (!module) return null
  try {
    const memory = new api.Memory({ initial: 1, maximum: SHARED_MAX_PAGES, shared: true })
    const wasm = new api.Instance(module, { env: { memory } }).exports as SharedDenseExports
    return wasm.init() === 0 ? null : { wasm, module, memory, host }
  } catch {
    return null
  }
}
