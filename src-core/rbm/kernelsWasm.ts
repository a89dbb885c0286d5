import { xoshiro128ss } from '../random/xoshiro128ss'
import { DENSE_KERNEL_RELAXED_WASM_BASE64, DENSE_KERNEL_WASM_BASE64 } from '../wasm/denseKernel.generated'
import type { DenseExports } from './denseExports'
import { denseModule, registerDenseKernels, wasmApi } from './denseModules'
import { dimensions, operandStager, type Operand } from './denseOperands'
import type { DenseThreadHost } from './denseThreads'
import type { DenseKernels } from './types'

/**
 * The WebAssembly SIMD dense kernels (source: wasm/assembly/dense.ts, built by
 * scripts/build-wasm.mjs): packed, register-tiled GEMM in the three DenseKernels layouts (Goto &
 * van de Geijn, ACM TOMS 34(3) 12, 2008), plus the fused RBM steps σ(x + b), Bernoulli sampling
 * with an in-module xoshiro128**, and V·W / Vᵀ·H for 0/1 matrices without multiplications (sums
 * of selected rows, or subset-sum tables: the method of the Four Russians).
 *
 * Memory. Each kernel set owns one linear memory. `alloc` hands out 64-byte-aligned blocks of it
 * (a bump allocator; `mark`/`release` rewind, `reset` frees everything), so weights and
 * minibatches can stay in WASM memory across calls. Any Float32Array may be passed to every
 * method: a view on this memory is used in place (no copy); any other array is copied into a
 * transient block for the call (and outputs copied back), which is correct but slower.
 *
 * Views are invalidated when the memory grows. Growing (by `alloc`, or by the transient copies of
 * arrays that are not in WASM memory) detaches the old ArrayBuffer: every Float32Array made on it
 * becomes empty. Re-create views after growth — `WasmF32.f32` does that itself (it returns a view
 * on the current buffer), so read `block.f32` again after any call that may grow instead of
 * keeping the array. Passing a detached view throws a RangeError saying so.
 *
 * Relaxed SIMD. A second build uses f32x4.relaxed_madd (a fused multiply-add where the CPU has
 * one). It is used only when WebAssembly.validate accepts it (Node 20 needs
 * --experimental-wasm-relaxed-simd; recent Chromium/Electron have it), else the fixed-width
 * SIMD build. Fused and unfused products round differently, so GEMM results may differ in the
 * last bits between the two builds, and between a machine with FMA (every x86-64 since 2013,
 * every ARM64) and one without; on one machine either build is deterministic. Pass
 * `{ relaxedSimd: false }` for results that are the same on every machine.
 *
 * Threads. With a `threadHost` (Node worker_threads, src-main/utility/denseThreads.ts) and
 * `threads` ≥ 2 (the default when the host reports more than one core), the fast trainer
 * (fastTrain.ts) splits each product between the calling thread and one helper thread sharing
 * its memory (denseThreads.ts; the "shared" or "sharedRelaxed" build, matching this one): the
 * same bits as one thread. Silently one thread when shared memory is missing.
 *
 * Compiled synchronously (each module is ~10 kB). Null when WebAssembly or fixed-width SIMD is
 * missing, or the module refuses to compile (e.g. a content security policy): callers then use
 * the TypeScript kernels.
 */
export interface WasmF32 {
  /** Byte address in the module's memory. */
  readonly ptr: number
  readonly length: number
  /** A view of the block on the current memory buffer (re-created after the memory grew). */
  readonly f32: Float32Array
}

export interface WasmDenseKernels extends DenseKernels {
  /** True when the relaxed-SIMD (fused multiply-add) build is running. */
  readonly relaxedSimd: boolean
  /** `length` floats of WASM memory, 64-byte aligned, not cleared. May grow the memory. */
  alloc(length: number): WasmF32
  /** The allocator's current top, for `release`. */
  mark(): number
  /** Frees every block allocated after `mark` was taken. */
  release(mark: number): void
  /** Frees every block. */
  reset(): void
  /** out (rows×cols) = σ(X + bias[col]) with bias null meaning 0; out may be X. Relative error ≲ 1e-6. */
  sigmoidAdd(rows: number, cols: number, X: Float32Array, bias: Float32Array | null, out: Float32Array): void
  /** out[i] = 1 if u_i < P[i] else 0 (i < count), u_i the module generator's next nextFloat(); out may be P. */
  sampleBernoulli(P: Float32Array, out: Float32Array, count?: number): void
  /** Seeds the module generator like xoshiro128ss(seed) (src-core/random/xoshiro128ss.ts). */
  seedRng(seed: number): void
  /** Loads a xoshiro128** state (4 × uint32, as Xoshiro128ss.getState() returns it). */
  setRngState(state: Uint32Array): void
  getRngState(): Uint32Array
  /**
   * C = V·W (+ C): V m×k with entries 0/1 (nonzero counts as 1), W k×n, without multiplications:
   * sums of the selected rows of W, or of subset-sum tables of W's rows when V has enough rows
   * (wasm/assembly/select.ts, tables.ts). Rounds differently from gemm (another summation order).
   */
  rowSumSelected(
    m: number,
    n: number,
    k: number,
    V: Float32Array,
    W: Float32Array,
    C: Float32Array,
    accumulate?: boolean
  ): void
  /** C = Vᵀ·H (+ C): V k×m with entries 0/1, H k×n, as rowSumSelected does V·W. */
  rowSumSelectedTN(
    m: number,
    n: number,
    k: number,
    V: Float32Array,
    H: Float32Array,
    C: Float32Array,
    accumulate?: boolean
  ): void
}

/** A kernel set with its own instance and memory, or null when WebAssembly SIMD is unavailable. */
export function createWasmDenseKernels(
  options: { relaxedSimd?: boolean; threads?: number; threadHost?: DenseThreadHost } = {}
): WasmDenseKernels | null {
  const api = wasmApi()
  if (!api) return null
  const relaxed = options.relaxedSimd !== false ? denseModule(api, DENSE_KERNEL_RELAXED_WASM_BASE64) : null
  const module = relaxed ?? denseModule(api, DENSE_KERNEL_WASM_BASE64)
  if (!module) return null
  const wasm = new api.Instance(module, {}).exports as DenseExports
  const userBase = wasm.init()
  if (userBase === 0) return null
  const rngPtr = wasm.rngState()
  const memory = wasm.memory

  const withOperands = operandStager(wasm)

  const gemmLayout =
    (layout: number) =>
    (m: number, n: number, k: number, A: Float32Array, B: Float32Array, C: Float32Array, accumulate = false): void => {
      dimensions({ m, n, k })
      withOperands(
        [
          [A, m * k, true, false],
          [B, k * n, true, false],
          [C, m * n, accumulate, true]
        ],
        ([a, b, c]) => wasm.gemm(layout, m, n, k, a!, b!, c!, accumulate ? 1 : 0)
      )
    }
  const selected =
    (transposed: boolean) =>
    (m: number, n: number, k: number, V: Float32Array, W: Float32Array, C: Float32Array, accumulate = false): void => {
      dimensions({ m, n, k })
      withOperands(
        [
          [V, m * k, true, false],
          [W, k * n, true, false],
          [C, m * n, accumulate, true]
        ],
        ([v, w, c]) =>
          (transposed ? wasm.rowSumSelectedTN : wasm.rowSumSelected)(m, n, k, v!, w!, c!, accumulate ? 1 : 0)
      )
    }
  const rngView = (): Uint32Array => new Uint32Array(memory.buffer, rngPtr, 4)
  const setRngState = (state: Uint32Array): void => {
    if (!(state instanceof Uint32Array) || state.length !== 4)
      throw new RangeError('rng state must be a Uint32Array of length 4')
    if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0)
      throw new RangeError('the all-zero xoshiro128** state is invalid')
    rngView().set(state)
  }

  const kernels: WasmDenseKernels = {
    relaxedSimd: relaxed !== null,
    arithmetic: relaxed !== null ? 'WebAssembly SIMD, fused multiply-add' : 'WebAssembly SIMD',
    gemm: gemmLayout(0),
    gemmTN: gemmLayout(1),
    gemmNT: gemmLayout(2),
    alloc(length: number): WasmF32 {
      dimensions({ length })
      const ptr = wasm.alloc(length * 4)
      if (ptr === 0) throw new RangeError(`WebAssembly memory could not grow by ${length * 4} bytes`)
      let view = new Float32Array(memory.buffer, ptr, length)
      return {
        ptr,
        length,
        get f32(): Float32Array {
          if (view.buffer !== memory.buffer) view = new Float32Array(memory.buffer, ptr, length)
          return view
        }
      }
    },
    mark: () => wasm.mark(),
    release: (mark: number) => wasm.release(mark),
    reset: () => wasm.release(userBase),
    sigmoidAdd(rows: number, cols: number, X: Float32Array, bias: Float32Array | null, out: Float32Array): void {
      dimensions({ rows, cols })
      const operands: Operand[] = [
        [X, rows * cols, true, false],
        [out, rows * cols, false, true]
      ]
      if (bias) operands.push([bias, cols, true, false])
      withOperands(operands, ([x, o, b]) => wasm.sigmoidAdd(x!, bias ? b! : 0, rows, cols, o!))
    },
    sampleBernoulli(P: Float32Array, out: Float32Array, count: number = P.length): void {
      dimensions({ count })
      withOperands(
        [
          [P, count, true, false],
          [out, count, false, true]
        ],
        ([p, o]) => wasm.sampleBernoulli(p!, o!, count)
      )
    },
    seedRng: (seed: number) => setRngState(xoshiro128ss(seed).getState()),
    setRngState,
    getRngState: () => rngView().slice(),
    rowSumSelected: selected(false),
    rowSumSelectedTN: selected(true)
  }
  const host = options.threadHost
  const threads = options.threads ?? (host && host.cores > 1 ? 2 : 1)
  registerDenseKernels(kernels, module, host && threads >= 2 ? { host, relaxed: relaxed !== null } : null)
  return kernels
}
