import { describe, expect, it } from 'vitest'
import { fastCdSession } from '@core/rbm/fastTrain'
import { accumulateStatistics } from '@core/rbm/gradient'
import { tsDenseKernels } from '@core/rbm/kernelsTs'
import { denseInstanceLike } from '@core/rbm/denseModules'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import {
  HINTON_SALAKHUTDINOV,
  applyUpdate,
  checkpointTrainer,
  createTrainer,
  restoreTrainer,
  trainBatches,
  trainEpoch,
  type TrainerState,
  type TrainingOptions
} from '@core/rbm/train'
import type { Batch, DenseKernels } from '@core/rbm/types'
import type { Rng } from '@core/random/rng'
import { xoshiro128ss, xoshiro128ssFromState, type Xoshiro128ss } from '@core/random/xoshiro128ss'

// The fast CD path (src-core/rbm/fastTrain.ts: the minibatch step in WASM memory) against the
// plain-TypeScript reference path of train.ts. Both draw the same uniforms in the same order from
// the same xoshiro128** stream, so a sampled unit differs only when u falls between the two
// paths' p(on) (σ and sums round differently, ≲ 1e-6 relative): with a few thousand draws the
// runs sample the same states and the parameters agree to fp32 tolerance.

const wasm = createWasmDenseKernels({ relaxedSimd: false })!
const shape = { nv: 24, nh: 10, visibleUnits: '01', hiddenUnits: '01' } as const

function data(rows: number, cols: number, seed: number, probabilities = false): Batch {
  const rng = xoshiro128ss(seed)
  const out = new Float32Array(rows * cols)
  for (let r = 0; r < rows; r++) {
    for (let i = 0; i < cols; i++) {
      const on = rng.nextFloat() < 0.85 === (i < cols / 2 === (r % 3 === 0))
      out[r * cols + i] = probabilities ? (on ? 0.9 : 0.15) : on ? 1 : 0
    }
  }
  return { rows, cols, data: out }
}

function train(options: TrainingOptions, kernels: DenseKernels, batch: Batch, epochs: number): TrainerState {
  const rng = xoshiro128ss(5)
  const state = createTrainer(shape, options, rng)
  for (let e = 0; e < epochs; e++) trainEpoch(state, batch, rng, kernels)
  return state
}

const bits = (a: Float32Array) => Array.from(new Uint32Array(a.buffer, a.byteOffset, a.length))
function worst(a: Float32Array, b: Float32Array): number {
  let d = 0
  for (let k = 0; k < a.length; k++) d = Math.max(d, Math.abs(a[k]! - b[k]!))
  return d
}

const base: TrainingOptions = { ...HINTON_SALAKHUTDINOV, epochs: 4, batchSize: 10, shuffle: true }

describe('fast CD training (WASM-resident minibatch step)', () => {
  it('applies to CD with {0,1} units and WASM kernels, not otherwise', () => {
    const batch = data(30, 24, 1)
    const state = createTrainer(shape, base, xoshiro128ss(1))
    expect(fastCdSession(state, batch, xoshiro128ss(2), wasm, 10)).not.toBeNull()
    expect(fastCdSession(state, batch, xoshiro128ss(2), tsDenseKernels, 10)).toBeNull()
    expect(fastCdSession(state, { ...batch, weights: new Array(30).fill(1) }, xoshiro128ss(2), wasm, 10)).toBeNull()
    const pcd = createTrainer(shape, { ...base, method: 'pcd' }, xoshiro128ss(1))
    expect(fastCdSession(pcd, batch, xoshiro128ss(2), wasm, 10)).toBeNull()
    const pm = createTrainer({ ...shape, visibleUnits: 'pm1' }, base, xoshiro128ss(1))
    expect(fastCdSession(pm, batch, xoshiro128ss(2), wasm, 10)).toBeNull()
    const notXoshiro = {
      nextUint32: () => 7,
      nextFloat: () => 0.5,
      getState: () => Uint32Array.of(1, 2, 3, 4),
      clone: () => notXoshiro
    }
    expect(fastCdSession(state, batch, notXoshiro, wasm, 10)).toBeNull()
  })

  const cases: [string, Partial<TrainingOptions>, boolean][] = [
    ['CD-1, p(v|h) as negative data (rbm.m)', {}, false],
    ['CD-2, sampled negative data', { k: 2, negativeVisible: 'samples' }, false],
    ['CD-1, probability-valued data (dense products)', {}, true],
    ['CD-1, L2 decay, no shuffle, a last minibatch of 5 rows', { l1: 0, l2: 1e-3, shuffle: false }, false]
  ]
  for (const [name, extra, probabilities] of cases) {
    it(`${name}: equals the TypeScript path to fp32 tolerance over 4 epochs`, () => {
      const batch = data(name.includes('last minibatch') ? 45 : 40, 24, 3, probabilities)
      const options = { ...base, ...extra }
      const fast = train(options, wasm, batch, 4)
      const reference = train(options, tsDenseKernels, batch, 4)
      expect(worst(fast.rbm.W, reference.rbm.W)).toBeLessThan(2e-5)
      expect(worst(fast.rbm.a, reference.rbm.a)).toBeLessThan(2e-5)
      expect(worst(fast.rbm.b, reference.rbm.b)).toBeLessThan(2e-5)
      expect(worst(fast.velocity.W, reference.velocity.W)).toBeLessThan(2e-5)
      expect(Array.from(fast.rngState)).toEqual(Array.from(reference.rngState)) // same number of draws
      expect(fast.rbm.W.some((w, k) => w !== reference.rbm.W[k])).toBe(true) // the fast path did run
    })
  }

  it('hands the stream back: setState on xoshiro128**, stepping a generator without setState', () => {
    const batch = data(40, 24, 3)
    const wrap = (r: Xoshiro128ss): Rng => ({
      nextUint32: () => r.nextUint32(),
      nextFloat: () => r.nextFloat(),
      getState: () => r.getState(),
      clone: () => wrap(r.clone())
    })
    const direct = xoshiro128ss(9),
      wrapped = wrap(xoshiro128ss(9))
    const a = createTrainer(shape, base, xoshiro128ss(1)),
      b = createTrainer(shape, base, xoshiro128ss(1))
    expect(fastCdSession(b, batch, wrapped, wasm, 10)).not.toBeNull()
    trainBatches(a, batch, direct, 8, wasm)
    trainBatches(b, batch, wrapped, 8, wasm)
    expect(Array.from(wrapped.getState())).toEqual(Array.from(direct.getState()))
    expect(bits(b.rbm.W)).toEqual(bits(a.rbm.W))
    // And the stream is where the TypeScript path leaves it.
    const reference = xoshiro128ss(9)
    trainBatches(createTrainer(shape, base, xoshiro128ss(1)), batch, reference, 8, tsDenseKernels)
    expect(Array.from(direct.getState())).toEqual(Array.from(reference.getState()))
  })

  it('is deterministic, and batch-at-a-time with checkpoint/restore equals whole epochs, bit for bit', () => {
    const batch = data(45, 24, 4)
    const a = train(base, wasm, batch, 4)
    const b = train(base, wasm, batch, 4)
    expect(bits(a.rbm.W)).toEqual(bits(b.rbm.W))

    const rng = xoshiro128ss(5)
    let c = createTrainer(shape, base, rng)
    let r = rng
    let calls = 0
    while (c.epoch < 4) {
      trainBatches(c, batch, r, 1, wasm)
      if (++calls % 3 === 0) {
        const checkpoint = structuredClone(checkpointTrainer(c))
        c = restoreTrainer(checkpoint)
        r = xoshiro128ssFromState(checkpoint.rngState)
      }
    }
    for (const key of ['W', 'a', 'b'] as const) {
      expect(bits(c.rbm[key])).toEqual(bits(a.rbm[key]))
      expect(bits(c.velocity[key])).toEqual(bits(a.velocity[key]))
    }
    expect(Array.from(c.rngState)).toEqual(Array.from(a.rngState))
  })

  it('updateParameters equals applyUpdate bit for bit (fp32 arithmetic), with and without penalties, weights and biases', () => {
    const w = denseInstanceLike(wasm)!
    const n = 1003
    const g = xoshiro128ss(8)
    const rand = (scale: number) =>
      Float32Array.from({ length: n }, (_, k) => (k % 17 === 0 ? 0 : scale * (2 * g.nextFloat() - 1)))
    const ptr = (x: Float32Array) => {
      const p = w.alloc(x.length * 4)
      new Float32Array(w.memory.buffer, p, x.length).set(x)
      return p
    }
    const none = new Float32Array(0)
    for (const [l1, l2] of [
      [2e-4, 1e-3],
      [2e-4, 0],
      [0, 0]
    ]) {
      const W = rand(0.3),
        V = rand(0.01),
        G = rand(0.05)
      const pW = ptr(W),
        pV = ptr(V),
        pG = ptr(G)
      const settings = { learningRate: 0.1, momentum: 0.9, l1, l2 }
      w.updateParameters(pW, pV, pG, n, 0.1, 0.9, l1, l2)
      applyUpdate({ W, a: none, b: none }, { W: V, a: none, b: none }, { W: G, a: none, b: none }, settings)
      expect(bits(new Float32Array(w.memory.buffer, pW, n)), `λ₁ ${l1} λ₂ ${l2}`).toEqual(bits(W))
      expect(bits(new Float32Array(w.memory.buffer, pV, n)), `λ₁ ${l1} λ₂ ${l2}`).toEqual(bits(V))
    }
    // The biases: no penalties whatever the settings say (the fast trainer passes 0, 0).
    const a = rand(0.3),
      va = rand(0.01),
      ga = rand(0.05)
    const pa = ptr(a),
      pva = ptr(va),
      pga = ptr(ga)
    w.updateParameters(pa, pva, pga, n, 0.1, 0.9, 0, 0)
    applyUpdate(
      { W: none, a, b: none },
      { W: none, a: va, b: none },
      { W: none, a: ga, b: none },
      { learningRate: 0.1, momentum: 0.9, l1: 2e-4, l2: 1e-3 }
    )
    expect(bits(new Float32Array(w.memory.buffer, pa, n))).toEqual(bits(a))
    expect(bits(new Float32Array(w.memory.buffer, pva, n))).toEqual(bits(va))
  })

  it('biasStatistics equals the bias part of accumulateStatistics bit for bit (fp32 sums)', () => {
    const w = denseInstanceLike(wasm)!
    const [rows, nv, nh] = [13, 37, 11]
    const g = xoshiro128ss(9)
    const rand = (n: number, binary = false) =>
      Float32Array.from({ length: n }, () => (binary ? (g.nextFloat() < 0.5 ? 1 : 0) : 2 * g.nextFloat() - 1))
    const ptr = (x: Float32Array) => {
      const p = w.alloc(x.length * 4)
      new Float32Array(w.memory.buffer, p, x.length).set(x)
      return p
    }
    for (const [scale, binary] of [
      [1, true],
      [-1, false]
    ] as const) {
      const v = rand(rows * nv, binary),
        h = rand(rows * nh),
        a0 = rand(nv),
        b0 = rand(nh)
      const pv = ptr(v),
        ph = ptr(h),
        pa = ptr(a0),
        pb = ptr(b0),
        pw = ptr(new Float32Array(rows * nh))
      w.biasStatistics(pv, ph, rows, nv, nh, scale * (1 / rows), pa, pb, pw)
      const grad = { W: new Float32Array(nv * nh), a: a0.slice(), b: b0.slice() }
      const weighted = new Float32Array(rows * nh)
      accumulateStatistics(grad, scale, v, h, rows, nv, nh, null, weighted, tsDenseKernels)
      expect(bits(new Float32Array(w.memory.buffer, pa, nv))).toEqual(bits(grad.a))
      expect(bits(new Float32Array(w.memory.buffer, pb, nh))).toEqual(bits(grad.b))
      expect(bits(new Float32Array(w.memory.buffer, pw, rows * nh))).toEqual(bits(weighted))
    }
  })

  it('applyUpdate rounds every step to fp32', () => {
    const f = Math.fround
    const W = Float32Array.of(0.3, -0.2, 0),
      V = Float32Array.of(0.01, -0.02, 0.03),
      G = Float32Array.of(0.05, 0.07, -0.01)
    const [w0, v0, g0] = [W.slice(), V.slice(), G.slice()]
    const none = new Float32Array(0)
    applyUpdate(
      { W, a: none, b: none },
      { W: V, a: none, b: none },
      { W: G, a: none, b: none },
      { learningRate: 0.1, momentum: 0.9, l1: 2e-4, l2: 1e-3 }
    )
    for (let k = 0; k < 3; k++) {
      const w = w0[k]!,
        s = w > 0 ? f(2e-4) : w < 0 ? -f(2e-4) : 0
      const inc = f(f(f(0.9) * v0[k]!) + f(f(0.1) * f(g0[k]! - f(f(f(1e-3) * w) + s))))
      expect(V[k]).toBe(inc)
      expect(W[k]).toBe(f(w + inc))
    }
  })
})
