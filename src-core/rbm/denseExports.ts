// The exports of the dense WebAssembly modules (wasm/assembly/dense.ts), in their own module because
// both the loader (kernelsWasm.ts) and the two-thread split (denseThreads.ts) name them.

/** The module's exports (byte addresses into `memory`); see wasm/assembly/*.ts. */
export interface DenseExports {
  memory: { buffer: ArrayBuffer }
  init(): number
  alloc(bytes: number): number
  mark(): number
  release(to: number): void
  rngState(): number
  gemm(layout: number, m: number, n: number, k: number, a: number, b: number, c: number, accumulate: number): void
  rowSumSelected(m: number, n: number, k: number, v: number, w: number, c: number, accumulate: number): void
  rowSumSelectedTN(m: number, n: number, k: number, v: number, h: number, c: number, accumulate: number): void
  sigmoidAdd(x: number, bias: number, rows: number, cols: number, out: number): void
  sampleBernoulli(p: number, out: number, count: number): void
  biasStatistics(
    v: number,
    h: number,
    rows: number,
    nv: number,
    nh: number,
    w: number,
    ga: number,
    gb: number,
    weighted: number
  ): void
  updateParameters(
    p: number,
    vel: number,
    g: number,
    count: number,
    eps: number,
    mu: number,
    l1: number,
    l2: number
  ): void
  isBinary(p: number, count: number): number
  transposeRows(src: number, rows: number, cols: number, dst: number, i0: number, i1: number): void
  /** Bits per group of the subset tables for an m-row product over k with `ones` selected entries (0: plain selected rows). */
  groupBits(m: number, k: number, ones: number): number
  /** Columns [j0, j1) of V·B (transposed 0) or Vᵀ·B (1) by subset tables of g bits (wasm/assembly/tables.ts). */
  tableSums(
    transposed: number,
    g: number,
    m: number,
    n: number,
    k: number,
    v: number,
    b: number,
    c: number,
    accumulate: number,
    j0: number,
    j1: number
  ): void
}

/** The exports of the shared build beyond DenseExports. */
export interface SharedDenseExports extends DenseExports {
  gemmColumns(
    layout: number,
    m: number,
    n: number,
    k: number,
    a: number,
    b: number,
    c: number,
    accumulate: number,
    j0: number,
    j1: number
  ): void
  rowSumSelectedColumns(
    transposed: number,
    m: number,
    n: number,
    k: number,
    v: number,
    w: number,
    c: number,
    accumulate: number,
    j0: number,
    j1: number
  ): void
  sigmoidAddColumns(x: number, bias: number, rows: number, cols: number, out: number, j0: number, j1: number): void
  initAt(base: number): void
  scratchBytes(): number
}
