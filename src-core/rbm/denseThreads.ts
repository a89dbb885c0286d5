import type { SharedDenseExports } from './denseExports'

/**
 * Two-thread dense products for the fast trainer (fastTrain.ts): the calling thread and one
 * helper thread share a WebAssembly.Memory (the "shared" build of wasm/assembly/dense.ts), and
 * each product of a minibatch is split over output columns — the caller computes columns
 * [0, s), the helper [s, n), each then applying the sigmoid that follows the product to its own
 * columns. gemmColumns / rowSumSelectedColumns compute every element exactly as the whole call
 * does (same k blocks, same order), so results are the same bits for one thread or two. The
 * weight update (element-wise) and the transposed copy of W are split over rows: each thread
 * transposes the rows it has just updated.
 *
 * Synchronisation: a 128-byte control block on its own SharedArrayBuffer — [0] command number,
 * [1] last command done, [2] ready flag, [3] opcode, [4..15] integer arguments, bytes 64.. four
 * doubles. The caller writes the arguments, bumps [0] and notifies; the helper runs its part,
 * stores the command number in [1] and notifies. The helper spins up to ~5 ms for the
 * next command before Atomics.wait (waking a sleeping thread costs more than a minibatch's
 * serial steps); the caller spins briefly before its wait.
 *
 * src-core starts no threads itself: a DenseThreadHost (src-main/utility/denseThreads.ts, Node
 * worker_threads) is injected through createWasmDenseKernels({ threadHost }). Without a host, or
 * without SharedArrayBuffer / shared WebAssembly memory, training runs on one thread.
 */
export interface DenseThreadHost {
  /** Cores available to this process (the default thread count is 1 when ≤ 1, else 2). */
  readonly cores: number
  /**
   * Starts a thread running `source` — plain JavaScript that reads its data from a variable `d`
   * the host defines as `workerData` — with `workerData`; null when it cannot.
   */
  start(source: string, workerData: DenseHelperData): { terminate(): void } | null
}

export interface DenseHelperData {
  module: object
  memory: object
  control: SharedArrayBuffer
  /** Byte address of the helper instance's scratch block in the shared memory. */
  scratch: number
}

/**
 * The helper thread: instantiates the shared build on the memory, then serves commands. `d` is
 * the thread's workerData, bound by the host (core code names no runtime module).
 */
export const DENSE_HELPER_SOURCE = `
const w = new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports
w.initAt(d.scratch)
const c = new Int32Array(d.control, 0, 16), f = new Float64Array(d.control, 64, 4)
Atomics.store(c, 2, 1)
Atomics.notify(c, 2)
for (let seen = 0; ;) {
  // Spin up to ~5 ms for the next command (a minibatch's products come closer than that), then sleep.
  for (let until = performance.now() + 5; Atomics.load(c, 0) === seen && performance.now() < until; ) for (let i = 0; i < 256; i++) if (Atomics.load(c, 0) !== seen) break
  if (Atomics.load(c, 0) === seen) { Atomics.wait(c, 0, seen); continue }
  seen = Atomics.load(c, 0)
  const op = c[3]
  if (op === 0) break
  if (op === 1 || op === 2) {
    if (op === 1) w.gemmColumns(c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13])
    else w.rowSumSelectedColumns(c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13])
    if (c[14]) w.sigmoidAddColumns(c[10], c[15], c[5], c[6], c[10], c[12], c[13])
  } else if (op === 4) {
    const rows = c[8], cols = c[9], r = c[10], o = r * cols * 4
    w.updateParameters(c[4] + o, c[5] + o, c[6] + o, (rows - r) * cols, f[0], f[1], f[2], f[3])
    w.transposeRows(c[4], rows, cols, c[7], r, rows)
  }
  Atomics.store(c, 1, seen)
  Atomics.notify(c, 1)
}
`

/** The split products; every method returns when both threads are done. */
export interface DenseSplit {
  /** C = A·B in a layout (+ C with accumulate); then C = σ(C + bias) when `sigmoidBias` is given. */
  gemm(
    layout: number,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    accumulate: number,
    sigmoidBias?: number
  ): void
  /** The 0/1-matrix products (rowSumSelected, or …TN when transposed), with the same optional sigmoid. */
  selected(
    transposed: number,
    m: number,
    n: number,
    k: number,
    v: number,
    w: number,
    c: number,
    accumulate: number,
    sigmoidBias?: number
  ): void
  /** The update of a rows × cols weight matrix W, then its transposed copy WT, split over rows. */
  updateTransposed(
    w: number,
    vel: number,
    g: number,
    wt: number,
    rows: number,
    cols: number,
    eps: number,
    mu: number,
    l1: number,
    l2: number
  ): void
  /** Stops the helper thread. */
  close(): void
}

/** Where columns split: a multiple of 16 near n/2 (0 — all on the caller — for small n). */
function splitPoint(n: number): number {
  return n < 32 ? n : Math.round(n / 32) * 16
}

/**
 * Starts the helper for `wasm` (an instance of the shared build on `memory`; every buffer must be
 * allocated before, the helper's scratch included: neither thread allocates afterwards). Null
 * when the thread cannot start or does not become ready within `timeoutMs`.
 */
export function startDenseSplit(
  host: DenseThreadHost,
  module: object,
  memory: object,
  wasm: SharedDenseExports,
  scratch: number,
  timeoutMs = 10_000
): DenseSplit | null {
  const control = new SharedArrayBuffer(128)
  const c = new Int32Array(control, 0, 16)
  const f = new Float64Array(control, 64, 4)
  let thread: { terminate(): void } | null = null
  try {
    thread = host.start(DENSE_HELPER_SOURCE, { module, memory, control, scratch })
  } catch {
    thread = null
  }
  if (!thread) return null
  if (Atomics.wait(c, 2, 0, timeoutMs) === 'timed-out' && Atomics.load(c, 2) !== 1) {
    thread.terminate()
    return null
  }
  let seq = 0
  let closed = false
  /** Posts a command (arguments already written), runs the caller's part, waits for the helper. */
  const run = (op: number, mine: () => void): void => {
    if (closed) throw new Error('dense threads: the helper was stopped')
    c[3] = op
    seq = (seq + 1) | 0
    Atomics.store(c, 0, seq)
    Atomics.notify(c, 0)
    mine()
    for (let i = 0; i < 200_000 && Atomics.load(c, 1) !== seq; i++);
    while (Atomics.load(c, 1) !== seq) {
      if (Atomics.wait(c, 1, (seq - 1) | 0, 60_000) === 'timed-out' && Atomics.load(c, 1) !== seq) {
        closed = true
        thread!.terminate()
        throw new Error('dense threads: the helper thread stopped responding')
      }
    }
  }
  const columns = (
    op: number,
    mode: number,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    cc: number,
    acc: number,
    bias: number | undefined,
    product: (j0: number, j1: number) => void
  ) => {
    const mine = (j0: number, j1: number): void => {
      product(j0, j1)
      if (bias !== undefined) wasm.sigmoidAddColumns(cc, bias, m, n, cc, j0, j1)
    }
    const s = splitPoint(n)
    if (s >= n) return mine(0, n)
    c.set([mode, m, n, k, a, b, cc, acc, s, n, bias === undefined ? 0 : 1, bias ?? 0], 4)
    run(op, () => mine(0, s))
  }
  return {
    gemm(layout, m, n, k, a, b, cc, acc, bias) {
      columns(1, layout, m, n, k, a, b, cc, acc, bias, (j0, j1) =>
        wasm.gemmColumns(layout, m, n, k, a, b, cc, acc, j0, j1)
      )
    },
    selected(transposed, m, n, k, v, w, cc, acc, bias) {
      columns(2, transposed, m, n, k, v, w, cc, acc, bias, (j0, j1) =>
        wasm.rowSumSelectedColumns(transposed, m, n, k, v, w, cc, acc, j0, j1)
      )
    },
    updateTransposed(w, vel, g, wt, rows, cols, eps, mu, l1, l2) {
      const r = ((rows >> 1) >> 2) << 2
      const mine = (i1: number): void => {
        wasm.updateParameters(w, vel, g, i1 * cols, eps, mu, l1, l2)
        wasm.transposeRows(w, rows, cols, wt, 0, i1)
      }
      if (r === 0 || rows * cols < 1024) return mine(rows)
      c.set([w, vel, g, wt, rows, cols, r], 4)
      f.set([eps, mu, l1, l2])
      run(4, () => mine(r))
    },
    close() {
      if (closed) return
      closed = true
      c[3] = 0
      Atomics.store(c, 0, (seq + 1) | 0)
      Atomics.notify(c, 0)
      thread!.terminate()
    }
  }
}
