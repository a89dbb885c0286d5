import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { tsDenseKernels } from '@core/rbm/kernelsTs'
import { wasmRelaxedSimdAvailable } from '@core/rbm/denseModules'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import type { DenseKernels } from '@core/rbm/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * GFLOP/s (2·m·n·k per product) of the dense kernels at the RBM training shapes (1600 visible,
 * 400 hidden, minibatch 100):
 *   v·W        gemm   m=100  n=400  k=1600   hidden field of a minibatch
 *   h·Wᵀ       gemmNT m=100  n=1600 k=400    visible field from hidden states
 *   vᵀ·h       gemmTN m=1600 n=400  k=100    the gradient ⟨v hᵀ⟩
 *   v·W, v∈{0,1}  rowSumSelected (half the entries 1), counted as the GEMM it replaces.
 * WASM (operands resident in WASM memory) against NumPy's np.dot in a subprocess on one thread
 * (OPENBLAS/OMP/MKL_NUM_THREADS=1: the WASM kernels run on one thread), and against the
 * TypeScript reference (src-core/rbm/kernelsTs.ts). Python: $BENCH_PYTHON, else /usr/bin/python3,
 * plus `python3` on the PATH when that is a different interpreter (it may bundle another BLAS);
 * each NumPy row names the BLAS library NumPy loaded. Timing: best of rounds of ~SECONDS/6.
 */
export interface BenchRow {
  name: string
  value: number | null
  unit: string
  reference?: number | null
  ratio?: number | null
  note?: string
}

type Layout = 'NN' | 'NT' | 'TN'
interface Shape {
  label: string
  layout: Layout
  m: number
  n: number
  k: number
}
const SHAPES: Shape[] = [
  { label: 'v·W', layout: 'NN', m: 100, n: 400, k: 1600 },
  { label: 'h·Wᵀ', layout: 'NT', m: 100, n: 1600, k: 400 },
  { label: 'vᵀ·h gradient', layout: 'TN', m: 1600, n: 400, k: 100 }
]
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3)
const ROUNDS = 5

/** Best GFLOP/s over ROUNDS rounds of about `seconds` each (at least one call per round). */
function gflops(flops: number, seconds: number, run: () => void): number {
  run() // warm-up (compiles, touches memory)
  let best = 0
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0
    const start = performance.now()
    let now: number
    do {
      run()
      calls++
      now = performance.now()
    } while (now - start < seconds * 1000)
    best = Math.max(best, (flops * calls) / ((now - start) * 1e6))
  }
  return best
}

function fill(target: Float32Array, seed: number, binary = false): void {
  const rng = xoshiro128ss(seed)
  for (let i = 0; i < target.length; i++) target[i] = binary ? (rng.nextFloat() < 0.5 ? 1 : 0) : 2 * rng.nextFloat() - 1
}

function pick(kernels: DenseKernels, layout: Layout): DenseKernels['gemm'] {
  return layout === 'NN' ? kernels.gemm : layout === 'NT' ? kernels.gemmNT : kernels.gemmTN
}

const NUMPY_SCRIPT = `
import json, sys, time
try:
    import numpy as np
except ImportError:
    print(json.dumps({"error": "numpy not installed"})); sys.exit(0)
seconds, rounds = float(sys.argv[1]), int(sys.argv[2])
out = {"numpy": np.__version__, "blas": None, "gflops": {}}
rng = np.random.default_rng(1)
for label, layout, m, n, k in json.loads(sys.argv[3]):
    A = rng.random((k, m) if layout == "TN" else (m, k), dtype=np.float32)
    B = rng.random((n, k) if layout == "NT" else (k, n), dtype=np.float32)
    a = A.T if layout == "TN" else A
    b = B.T if layout == "NT" else B
    C = np.empty((m, n), dtype=np.float32)
    np.dot(a, b, out=C)
    best = 0.0
    for _ in range(rounds):
        calls, t0 = 0, time.perf_counter()
        while True:
            np.dot(a, b, out=C); calls += 1
            t = time.perf_counter() - t0
            if t >= seconds: break
        best = max(best, 2.0 * m * n * k * calls / t / 1e9)
    out["gflops"][label] = best
try:
    libs = sorted({l.split()[-1].rsplit("/", 1)[-1] for l in open("/proc/self/maps") if "blas" in l.lower()})
    out["blas"] = ", ".join(libs) or None
except OSError:
    pass
print(json.dumps(out))
`

interface NumpyResult {
  python: string
  error?: string
  numpy?: string
  blas?: string | null
  gflops?: Record<string, number>
}

function pythons(): string[] {
  const list = [process.env['BENCH_PYTHON'] ?? '/usr/bin/python3']
  const onPath = spawnSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' })
  const path = onPath.status === 0 ? onPath.stdout.trim() : ''
  const realOf = (p: string) =>
    spawnSync(p, ['-c', 'import os, sys; print(os.path.realpath(sys.executable))'], { encoding: 'utf8' }).stdout?.trim()
  if (path && realOf(path) !== realOf(list[0]!)) list.push(path)
  return list
}

function numpyGflops(python: string, seconds: number): NumpyResult {
  if (!existsSync(python)) return { python, error: `${python} not found` }
  const env = { ...process.env, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' }
  const args = [
    '-c',
    NUMPY_SCRIPT,
    String(seconds),
    String(ROUNDS),
    JSON.stringify(SHAPES.map((s) => [s.label, s.layout, s.m, s.n, s.k]))
  ]
  const r = spawnSync(python, args, { encoding: 'utf8', env, timeout: 600_000 })
  if (r.status !== 0) return { python, error: `failed: ${(r.stderr || String(r.error)).trim().split('\n').pop()}` }
  return { python, ...(JSON.parse(r.stdout.trim().split('\n').pop()!) as Omit<NumpyResult, 'python'>) }
}

/** Appends the dense-kernel rows (GFLOP/s, ratio to NumPy on one thread) to `rows`. */
export async function benchDenseKernels(rows: BenchRow[]): Promise<void> {
  const wasm = createWasmDenseKernels()
  const perRound = SECONDS / 6
  const numpy = pythons().map((python) => numpyGflops(python, perRound))
  const tag = wasm
    ? wasm.relaxedSimd
      ? 'relaxed SIMD (FMA)'
      : `fixed-width SIMD; relaxed SIMD ${wasmRelaxedSimdAvailable() ? 'available' : 'not available in this runtime'}`
    : ''
  for (const shape of SHAPES) {
    const { label, layout, m, n, k } = shape
    const flops = 2 * m * n * k
    const name = `GEMM ${label} ${m}×${n}×${k} (${layout})`
    let value: number | null = null
    if (wasm) {
      const top = wasm.mark()
      const A = wasm.alloc(m * k),
        B = wasm.alloc(k * n),
        C = wasm.alloc(m * n)
      ;(fill(A.f32, 1), fill(B.f32, 2))
      const gemm = pick(wasm, layout)
      value = gflops(flops, perRound, () => gemm(m, n, k, A.f32, B.f32, C.f32))
      if (layout === 'NN') {
        fill(A.f32, 3, true)
        const selected = gflops(flops, perRound, () => wasm.rowSumSelected(m, n, k, A.f32, B.f32, C.f32))
        rows.push({
          name: `GEMM ${label}, v∈{0,1}, 0/1 product (selected rows or subset tables)`,
          value: selected,
          unit: 'GFLOP/s',
          reference: value,
          ratio: selected / value,
          note: 'rowSumSelected, half the entries 1, counted as 2·m·n·k; reference: WASM GEMM'
        })
      }
      wasm.release(top)
    }
    for (const np of numpy) {
      const ref = np.gflops?.[label] ?? null
      const note = np.error
        ? `NumPy: ${np.error}`
        : `reference: NumPy ${np.numpy} np.dot, 1 thread, ${np.python}, BLAS ${np.blas ?? 'unknown'}`
      rows.push({
        name: `${name}, WASM`,
        value,
        unit: 'GFLOP/s',
        reference: ref,
        ratio: ref && value !== null ? value / ref : null,
        note: value === null ? 'WebAssembly SIMD unavailable' : `${tag}; ${note}`
      })
    }
    const A = new Float32Array(m * k),
      B = new Float32Array(k * n),
      C = new Float32Array(m * n)
    ;(fill(A, 1), fill(B, 2))
    const ts = gflops(flops, Math.min(perRound, 0.2), () => pick(tsDenseKernels, layout)(m, n, k, A, B, C))
    rows.push({
      name: `${name}, TS reference`,
      value: ts,
      unit: 'GFLOP/s',
      reference: value,
      ratio: value ? ts / value : null,
      note: 'src-core/rbm/kernelsTs.ts; reference: the WASM GEMM'
    })
  }
}
