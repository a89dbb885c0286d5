import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { denseInstanceLike, wasmRelaxedSimdAvailable } from '@core/rbm/denseModules'
import { createWasmDenseKernels, type WasmDenseKernels } from '@core/rbm/kernelsWasm'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

// The WebAssembly dense kernels (src-core/rbm/kernelsWasm.ts) against naive triple loops in
// double precision. Tolerance for a GEMM element: relative 1e-5, scaled by k/100 for k > 100
// (recursive fp32 summation errs by at most ≈ k·2⁻²⁴ of Σ|a·b|), relative to Σ|a·b| + |C₀|.

type Layout = 'NN' | 'TN' | 'NT'
const LAYOUTS: Layout[] = ['NN', 'TN', 'NT']

function kernels(): WasmDenseKernels {
  const k = createWasmDenseKernels()
  if (!k) throw new Error('WebAssembly SIMD is unavailable in this Node')
  return k
}

function randomArray(length: number, seed: number, binaryDensity?: number): Float32Array {
  const rng = xoshiro128ss(seed)
  return Float32Array.from({ length }, () =>
    binaryDensity === undefined ? 2 * rng.nextFloat() - 1 : rng.nextFloat() < binaryDensity ? 1 : 0
  )
}

/** Element (i, p) of op(A) and (p, j) of op(B) for a layout. */
function at(layout: Layout, m: number, n: number, k: number) {
  return {
    a: (A: Float32Array, i: number, p: number) => (layout === 'TN' ? A[p * m + i]! : A[i * k + p]!),
    b: (B: Float32Array, p: number, j: number) => (layout === 'NT' ? B[j * k + p]! : B[p * n + j]!)
  }
}

/** Largest |C − reference| / tolerance over all elements (≤ 1 passes). */
function worstError(
  layout: Layout,
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C0: Float32Array | null,
  C: Float32Array
): number {
  const { a, b } = at(layout, m, n, k)
  const relative = 1e-5 * Math.max(1, k / 100)
  let worst = 0
  const row = new Float64Array(n)
  const mag = new Float64Array(n)
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      row[j] = C0 ? C0[i * n + j]! : 0
      mag[j] = Math.abs(row[j]!)
    }
    for (let p = 0; p < k; p++) {
      const x = a(A, i, p)
      for (let j = 0; j < n; j++) {
        const t = x * b(B, p, j)
        row[j] += t
        mag[j] += Math.abs(t)
      }
    }
    for (let j = 0; j < n; j++)
      worst = Math.max(worst, Math.abs(C[i * n + j]! - row[j]!) / (relative * mag[j]! + 1e-30))
  }
  return worst
}

function call(
  kern: WasmDenseKernels,
  layout: Layout,
  m: number,
  n: number,
  k: number,
  A: Float32Array,
  B: Float32Array,
  C: Float32Array,
  acc: boolean
): void {
  const f = layout === 'NN' ? kern.gemm : layout === 'TN' ? kern.gemmTN : kern.gemmNT
  f(m, n, k, A, B, C, acc)
}

const SHAPES: [number, number, number][] = [
  [1, 1, 1],
  [3, 5, 7],
  [37, 129, 65],
  [100, 400, 1600],
  [1600, 400, 100],
  [100, 1600, 400],
  [5, 9, 300], // k beyond one KC block with a tail, n not a multiple of 8
  [130, 2050, 3] // m beyond one MC block, n beyond one NC block
]

describe('WASM dense GEMM', () => {
  const kern = kernels()

  it(`runs the ${kern.relaxedSimd ? 'relaxed' : 'fixed-width'} SIMD build (relaxed available: ${wasmRelaxedSimdAvailable()})`, () => {
    expect(typeof kern.gemm).toBe('function')
  })

  for (const [m, n, k] of SHAPES) {
    for (const layout of LAYOUTS) {
      it(`${layout} m=${m} n=${n} k=${k}, accumulate off and on, in WASM memory`, () => {
        const top = kern.mark()
        const A = kern.alloc(m * k),
          B = kern.alloc(k * n),
          C = kern.alloc(m * n)
        A.f32.set(randomArray(m * k, m + 1))
        B.f32.set(randomArray(k * n, n + 2))
        C.f32.fill(Number.NaN) // overwritten when not accumulating
        call(kern, layout, m, n, k, A.f32, B.f32, C.f32, false)
        expect(worstError(layout, m, n, k, A.f32, B.f32, null, C.f32)).toBeLessThanOrEqual(1)
        const C0 = randomArray(m * n, k + 3)
        C.f32.set(C0)
        call(kern, layout, m, n, k, A.f32, B.f32, C.f32, true)
        expect(worstError(layout, m, n, k, A.f32, B.f32, C0, C.f32)).toBeLessThanOrEqual(1)
        kern.release(top)
      })
    }
  }

  it('gives the same bits for arrays outside WASM memory (copied in and out)', () => {
    const [m, n, k] = [37, 129, 65]
    for (const layout of LAYOUTS) {
      const A = randomArray(m * k, 7),
        B = randomArray(k * n, 8),
        C0 = randomArray(m * n, 9)
      const outside = C0.slice()
      call(kern, layout, m, n, k, A, B, outside, true)
      const top = kern.mark()
      const a = kern.alloc(m * k),
        b = kern.alloc(k * n),
        c = kern.alloc(m * n)
      ;(a.f32.set(A), b.f32.set(B), c.f32.set(C0))
      call(kern, layout, m, n, k, a.f32, b.f32, c.f32, true)
      expect(outside).toEqual(c.f32)
      kern.release(top)
    }
  })

  it('k = 0: C = 0, or unchanged when accumulating', () => {
    const C = Float32Array.of(1, 2, 3, 4, 5, 6)
    kern.gemm(2, 3, 0, new Float32Array(0), new Float32Array(0), C, true)
    expect(Array.from(C)).toEqual([1, 2, 3, 4, 5, 6])
    kern.gemmTN(2, 3, 0, new Float32Array(0), new Float32Array(0), C)
    expect(Array.from(C)).toEqual([0, 0, 0, 0, 0, 0])
  })

  it('re-creates views after the memory grows and refuses detached ones', () => {
    const top = kern.mark()
    const a = kern.alloc(4)
    const old = a.f32
    old.set([1, 2, 3, 4])
    kern.alloc(16 << 20) // 64 MB: grows the memory, detaching `old`
    expect(old.length).toBe(0)
    expect(Array.from(a.f32)).toEqual([1, 2, 3, 4])
    expect(() => kern.gemm(1, 1, 4, old, a.f32, new Float32Array(1))).toThrow(/detached/)
    kern.release(top)
  })

  it('the relaxed-SIMD build (FMA) agrees too, in a Node with --experimental-wasm-relaxed-simd', () => {
    // Node 20 enables relaxed SIMD only behind the flag, so this runs in a child process.
    const module = fileURLToPath(new URL('../../src-core/rbm/kernelsWasm.ts', import.meta.url))
    const script = `
      const { createWasmDenseKernels } = await import(${JSON.stringify(module)})
      const kern = createWasmDenseKernels()
      const [m, n, k] = [37, 129, 300]
      const A = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i)), B = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i))
      const C = new Float32Array(m * n)
      kern.gemm(m, n, k, A, B, C)
      let worst = 0
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
        let s = 0, mag = 0
        for (let p = 0; p < k; p++) { s += A[i * k + p] * B[p * n + j]; mag += Math.abs(A[i * k + p] * B[p * n + j]) }
        worst = Math.max(worst, Math.abs(C[i * n + j] - s) / (1e-5 * (k / 100) * mag))
      }
      // Sums of 0/1 rows (subset tables at 100 rows), against double sums.
      const rows = 100
      const V = Float32Array.from({ length: rows * k }, (_, i) => (Math.sin(3 * i) > 0 ? 1 : 0))
      const bySum = new Float32Array(rows * n)
      kern.rowSumSelected(rows, n, k, V, B, bySum)
      let worstSum = 0
      for (let i = 0; i < rows; i++) for (let j = 0; j < n; j++) {
        let s = 0, mag = 0
        for (let p = 0; p < k; p++) if (V[i * k + p]) { s += B[p * n + j]; mag += Math.abs(B[p * n + j]) }
        worstSum = Math.max(worstSum, Math.abs(bySum[i * n + j] - s) / (1e-5 * (k / 100) * mag + 1e-30))
      }
      // σ with the fused polynomial: relative error against Math.exp over [−30, 30].
      const z = Float32Array.from({ length: 6001 }, (_, i) => -30 + i / 100), s = new Float32Array(z.length)
      kern.sigmoidAdd(1, z.length, z, null, s)
      let worstSigmoid = 0
      for (let i = 0; i < z.length; i++) worstSigmoid = Math.max(worstSigmoid, Math.abs(s[i] - 1 / (1 + Math.exp(-z[i]))) * (1 + Math.exp(-z[i])))
      console.log(JSON.stringify({ relaxed: kern.relaxedSimd, worst, worstSum, worstSigmoid }))`
    const r = spawnSync(
      process.execPath,
      ['--experimental-wasm-relaxed-simd', '--import', 'tsx', '--input-type=module', '-e', script],
      { encoding: 'utf8' }
    )
    if (r.status !== 0 && /bad option|not allowed/.test(r.stderr)) return // a Node without the flag: nothing to test
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout.trim().split('\n').pop()!) as {
      relaxed: boolean
      worst: number
      worstSum: number
      worstSigmoid: number
    }
    expect(result.relaxed).toBe(true)
    expect(result.worst).toBeLessThanOrEqual(1)
    expect(result.worstSum).toBeLessThanOrEqual(1)
    expect(result.worstSigmoid).toBeLessThan(1e-6)
  })

  it('rejects short arrays and bad sizes', () => {
    expect(() => kern.gemm(2, 2, 2, new Float32Array(3), new Float32Array(4), new Float32Array(4))).toThrow(RangeError)
    expect(() => kern.gemm(1.5, 2, 2, new Float32Array(4), new Float32Array(4), new Float32Array(4))).toThrow(
      RangeError
    )
  })
})

describe('WASM fused RBM ops', () => {
  const kern = kernels()

  it('sigmoidAdd: σ(x + b) to 1e-6 relative over [−30, 30], body and tail columns, in place', () => {
    const cols = 7 // 4 SIMD lanes + 3 scalar-tail columns
    const rows = 8572 // 60 004 values
    const X = Float32Array.from({ length: rows * cols }, (_, i) => -30 + (60 * i) / (rows * cols - 1))
    const bias = Float32Array.of(0, 0.25, -0.5, 1e-3, -0.125, 0, 0.75)
    const out = new Float32Array(rows * cols)
    kern.sigmoidAdd(rows, cols, X, bias, out)
    let worst = 0
    for (let i = 0; i < X.length; i++) {
      const z = Math.fround(X[i]! + bias[i % cols]!)
      const exact = 1 / (1 + Math.exp(-z))
      worst = Math.max(worst, Math.abs(out[i]! - exact) / exact)
    }
    expect(worst).toBeLessThan(1e-6)
    const inPlace = X.slice()
    kern.sigmoidAdd(rows, cols, inPlace, bias, inPlace)
    expect(inPlace).toEqual(out)
    const noBias = new Float32Array(3)
    kern.sigmoidAdd(1, 3, Float32Array.of(0, 100, -100), null, noBias)
    expect(noBias[0]).toBe(0.5)
    expect(noBias[1]).toBe(1)
    expect(noBias[2]).toBeGreaterThan(0)
    expect(noBias[2]).toBeLessThan(1e-37)
  })

  it('sampleBernoulli: reproducible from a seed and identical to xoshiro128ss nextFloat() < p', () => {
    const P = Float32Array.from({ length: 10_001 }, (_, i) => (i % 101) / 100)
    kern.seedRng(42)
    const first = new Float32Array(P.length)
    kern.sampleBernoulli(P, first)
    const state = kern.getRngState()
    kern.seedRng(42)
    const again = new Float32Array(P.length)
    kern.sampleBernoulli(P, again)
    expect(again).toEqual(first)
    const rng = xoshiro128ss(42)
    const expected = Float32Array.from(P, (p) => (rng.nextFloat() < p ? 1 : 0))
    expect(first).toEqual(expected)
    expect(state).toEqual(rng.getState())
    expect(first.every((v, i) => (P[i] === 0 ? v === 0 : P[i] === 1 ? v === 1 : v === 0 || v === 1))).toBe(true)
    const mean = first.reduce((s, v) => s + v, 0) / first.length
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.02)
    kern.setRngState(state)
    kern.sampleBernoulli(P, again, 5)
    const next = rng.clone()
    expect(Array.from(again.subarray(0, 5))).toEqual(
      Array.from(P.subarray(0, 5), (p) => (next.nextFloat() < p ? 1 : 0))
    )
    expect(() => kern.setRngState(new Uint32Array(4))).toThrow(RangeError)
  })

  // Products with a 0/1 matrix: sums of the selected rows, or subset-sum tables (the method of
  // the Four Russians, wasm/assembly/tables.ts) when those cost less. Against the double
  // reference; every group width g of the tables; any column split gives the same bits.
  const SELECT_SHAPES: [number, number, number][] = [
    [1, 1, 1],
    [3, 5, 7],
    [37, 129, 65],
    [100, 400, 1600],
    [64, 400, 100],
    [1600, 400, 100],
    [100, 1601, 403],
    [5, 33, 300],
    [3, 2100, 300]
  ]
  for (const [m, n, k] of SELECT_SHAPES) {
    it(`rowSumSelected and rowSumSelectedTN agree with the reference (m=${m} n=${n} k=${k})`, () => {
      for (const [density, acc] of [
        [0.5, false],
        [0.13, true],
        [0, false],
        [1, true]
      ] as const) {
        const V = randomArray(m * k, 11 + m, density)
        const W = randomArray(k * n, 12 + n)
        const C0 = randomArray(m * n, 13)
        const C = C0.slice()
        kern.rowSumSelected(m, n, k, V, W, C, acc)
        expect(worstError('NN', m, n, k, V, W, acc ? C0 : null, C)).toBeLessThanOrEqual(1)
        // Vᵀ·H with V k×m.
        const VT = randomArray(k * m, 14 + k, density)
        const CT = C0.slice()
        kern.rowSumSelectedTN(m, n, k, VT, W, CT, acc)
        expect(worstError('TN', m, n, k, VT, W, acc ? C0 : null, CT)).toBeLessThanOrEqual(1)
      }
    })
  }

  it('picks subset tables for large batches and plain selected rows for small or sparse ones', () => {
    const wasm = denseInstanceLike(kern)!
    expect(wasm.groupBits(100, 1600, 80_000)).toBe(4) // v·W of the paper's minibatch
    expect(wasm.groupBits(1600, 100, 80_000)).toBeGreaterThanOrEqual(6) // ⟨v hᵀ⟩ over 100 samples
    expect(wasm.groupBits(1, 1600, 800)).toBe(0) // one row: tables cost more than they save
    expect(wasm.groupBits(100, 1600, 4_000)).toBe(0) // 2.5 % of the entries selected
  })

  for (const [transposed, m, n, k] of [
    [0, 100, 157, 163],
    [1, 203, 157, 37],
    [0, 7, 45, 1],
    [1, 19, 70, 2300]
  ] as const) {
    it(`subset tables of every width g = 1…8 agree with the reference, any column split gives their bits (${transposed ? 'TN' : 'NN'} m=${m} n=${n} k=${k})`, () => {
      const wasm = denseInstanceLike(kern)! // an instance of its own: its own memory and allocator
      const block = (length: number) => {
        const ptr = wasm.alloc(length * 4)
        return { ptr, f32: () => new Float32Array(wasm.memory.buffer, ptr, length) }
      }
      const V = block(m * k),
        B = block(k * n),
        C = block(m * n),
        D = block(m * n)
      V.f32().set(randomArray(m * k, 21 + m, 0.4))
      B.f32().set(randomArray(k * n, 22 + n))
      const C0 = randomArray(m * n, 23)
      for (let g = 1; g <= 8; g++) {
        for (const acc of [false, true]) {
          C.f32().set(C0)
          wasm.tableSums(transposed, g, m, n, k, V.ptr, B.ptr, C.ptr, acc ? 1 : 0, 0, n)
          const whole = C.f32().slice()
          expect(
            worstError(transposed ? 'TN' : 'NN', m, n, k, V.f32(), B.f32(), acc ? C0 : null, whole),
            `g=${g}`
          ).toBeLessThanOrEqual(1)
          // Splits that cut through 32-, 16- and 4-column panels and the single-column tail.
          for (const split of [1, 5, 17, 33, n - 2]) {
            D.f32().set(C0)
            wasm.tableSums(transposed, g, m, n, k, V.ptr, B.ptr, D.ptr, acc ? 1 : 0, 0, split)
            wasm.tableSums(transposed, g, m, n, k, V.ptr, B.ptr, D.ptr, acc ? 1 : 0, split, n)
            expect(Array.from(D.f32()), `g=${g} split ${split}`).toEqual(Array.from(whole))
          }
        }
      }
    })
  }
})
