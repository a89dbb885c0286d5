import { describe, expect, it } from 'vitest'
import { startDenseSplit, type DenseThreadHost } from '@core/rbm/denseThreads'
import { sharedDenseInstanceLike } from '@core/rbm/denseModules'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import { SPLIT_MIN_MACS } from '@core/rbm/fastTrain'
import {
  checkpointTrainer,
  createTrainer,
  HINTON_SALAKHUTDINOV,
  restoreTrainer,
  trainBatches,
  trainEpoch,
  type TrainerState,
  type TrainingOptions
} from '@core/rbm/train'
import type { Batch, DenseKernels } from '@core/rbm/types'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { nodeDenseThreadHost } from '../../src-main/utility/denseThreads'

// The two-thread fast CD path (src-core/rbm/denseThreads.ts: each product split over output
// columns between this thread and a worker thread on a shared WebAssembly.Memory) must give the
// same bits as one thread: every element is computed by one thread in the one-thread order.

const one = createWasmDenseKernels({ relaxedSimd: false })!
const two = createWasmDenseKernels({ relaxedSimd: false, threads: 2, threadHost: nodeDenseThreadHost })!
/** Sizes whose products are really split (n ≥ 32 on both layers, ≥ SPLIT_MIN_MACS), with edge panels. */
const shape = { nv: 150, nh: 120, visibleUnits: '01', hiddenUnits: '01' } as const

function data(rows: number, cols: number, seed: number, probabilities = false): Batch {
  const rng = xoshiro128ss(seed)
  const out = new Float32Array(rows * cols)
  for (let k = 0; k < out.length; k++) {
    const on = rng.nextFloat() < (k % cols < cols / 2 ? 0.8 : 0.3)
    out[k] = probabilities ? (on ? 0.9 : 0.15) : on ? 1 : 0
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
const base: TrainingOptions = { ...HINTON_SALAKHUTDINOV, epochs: 3, batchSize: 16, shuffle: true }

function expectSame(a: TrainerState, b: TrainerState): void {
  for (const key of ['W', 'a', 'b'] as const) {
    expect(bits(a.rbm[key])).toEqual(bits(b.rbm[key]))
    expect(bits(a.velocity[key])).toEqual(bits(b.velocity[key]))
  }
  expect(Array.from(a.rngState)).toEqual(Array.from(b.rngState))
}

describe('fast CD training on two threads', () => {
  it('tests products large enough to be split', () => {
    expect(shape.nv * shape.nh * base.batchSize).toBeGreaterThanOrEqual(SPLIT_MIN_MACS)
    expect(shape.nv * shape.nh * base.batchSize).toBeLessThan(2 * SPLIT_MIN_MACS)
  })

  it('splits every product over columns with the bits of the whole call', () => {
    const shared = sharedDenseInstanceLike(two)
    expect(shared).not.toBeNull()
    const { wasm } = shared!
    const g = xoshiro128ss(11)
    const block = (length: number, binary: boolean) => {
      const p = wasm.alloc(length * 4)
      const a = new Float32Array(wasm.memory.buffer, p, length)
      for (let k = 0; k < length; k++) a[k] = binary ? (g.nextFloat() < 0.5 ? 1 : 0) : g.nextFloat() - 0.5
      return p
    }
    const [m, n, k] = [37, 203, 300]
    const A = block(m * k, false),
      V = block(m * k, true),
      At = block(k * m, false),
      Vt = block(k * m, true),
      B = block(k * n, false),
      Bt = block(n * k, false)
    const C1 = block(m * n, false),
      C2 = block(m * n, false)
    const bias = block(n, false)
    const W1 = block(k * n, false),
      Vw1 = block(k * n, false),
      Gw = block(k * n, false),
      T1 = block(k * n, false)
    const W2p = block(k * n, false),
      Vw2p = block(k * n, false),
      T2 = block(k * n, false)
    const scratch = wasm.alloc(wasm.scratchBytes())
    const split = startDenseSplit(shared!.host, shared!.module, shared!.memory, wasm, scratch)
    expect(split).not.toBeNull()
    const view = (p: number, length: number) => bits(new Float32Array(wasm.memory.buffer, p, length))
    try {
      for (const acc of [0, 1]) {
        const seed = view(C1, m * n)
        new Float32Array(wasm.memory.buffer, C2, m * n).set(new Float32Array(wasm.memory.buffer, C1, m * n))
        const cases: [() => void, () => void][] = [
          [() => wasm.gemm(0, m, n, k, A, B, C1, acc), () => split!.gemm(0, m, n, k, A, B, C2, acc)],
          [() => wasm.gemm(1, m, n, k, At, B, C1, acc), () => split!.gemm(1, m, n, k, At, B, C2, acc)],
          [() => wasm.gemm(2, m, n, k, A, Bt, C1, acc), () => split!.gemm(2, m, n, k, A, Bt, C2, acc)],
          [() => wasm.rowSumSelected(m, n, k, V, B, C1, acc), () => split!.selected(0, m, n, k, V, B, C2, acc)],
          [() => wasm.rowSumSelectedTN(m, n, k, Vt, B, C1, acc), () => split!.selected(1, m, n, k, Vt, B, C2, acc)]
        ]
        for (const [whole, halves] of cases) {
          whole()
          halves()
          expect(view(C2, m * n)).toEqual(view(C1, m * n))
        }
        expect(view(C1, m * n)).not.toEqual(seed)
      }
      // A product with the sigmoid that follows it, each thread on its own columns.
      wasm.gemm(0, m, n, k, A, B, C1, 0)
      wasm.sigmoidAdd(C1, bias, m, n, C1)
      split!.gemm(0, m, n, k, A, B, C2, 0, bias)
      expect(view(C2, m * n)).toEqual(view(C1, m * n))
      wasm.rowSumSelected(m, n, k, V, B, C1, 0)
      wasm.sigmoidAdd(C1, bias, m, n, C1)
      split!.selected(0, m, n, k, V, B, C2, 0, bias)
      expect(view(C2, m * n)).toEqual(view(C1, m * n))
      // The weight update and the transposed copy, split over rows (k × n weights, n × k copy).
      new Float32Array(wasm.memory.buffer, W2p, k * n).set(new Float32Array(wasm.memory.buffer, W1, k * n))
      new Float32Array(wasm.memory.buffer, Vw2p, k * n).set(new Float32Array(wasm.memory.buffer, Vw1, k * n))
      wasm.updateParameters(W1, Vw1, Gw, k * n, 0.1, 0.5, 2e-4, 1e-3)
      wasm.transposeRows(W1, k, n, T1, 0, k)
      split!.updateTransposed(W2p, Vw2p, Gw, T2, k, n, 0.1, 0.5, 2e-4, 1e-3)
      expect(view(W2p, k * n)).toEqual(view(W1, k * n))
      expect(view(Vw2p, k * n)).toEqual(view(Vw1, k * n))
      expect(view(T2, k * n)).toEqual(view(T1, k * n))
    } finally {
      split!.close()
    }
  })

  const cases: [string, Partial<TrainingOptions>, boolean][] = [
    ['CD-1, p(v|h) as negative data', {}, false],
    ['CD-2, sampled negative data', { k: 2, negativeVisible: 'samples' }, false],
    ['CD-1, probability-valued data (dense products)', {}, true],
    ['CD-1, L2 decay, no shuffle, a short last minibatch', { l1: 0, l2: 1e-3, shuffle: false }, false]
  ]
  for (const [name, extra, probabilities] of cases) {
    it(`${name}: two threads equal one thread bit for bit`, () => {
      const batch = data(name.includes('short') ? 90 : 80, shape.nv, 3, probabilities)
      const options = { ...base, ...extra }
      expectSame(train(options, two, batch, 3), train(options, one, batch, 3))
    })
  }

  it('batch-at-a-time with checkpoint/restore on two threads equals whole epochs on one', () => {
    const batch = data(90, shape.nv, 4)
    const whole = train(base, one, batch, 3)
    const rng = xoshiro128ss(5)
    let c = createTrainer(shape, base, rng)
    let r = rng
    let calls = 0
    while (c.epoch < 3) {
      trainBatches(c, batch, r, 2, two)
      if (++calls % 3 === 0) {
        const checkpoint = structuredClone(checkpointTrainer(c))
        c = restoreTrainer(checkpoint)
        r = xoshiro128ssFromState(checkpoint.rngState)
      }
    }
    expectSame(c, whole)
  })

  it('falls back to one thread when no thread starts, or without a host', () => {
    const none: DenseThreadHost = { cores: 8, start: () => null }
    const batch = data(80, shape.nv, 6)
    const fallback = createWasmDenseKernels({ relaxedSimd: false, threadHost: none })!
    expectSame(train(base, fallback, batch, 2), train(base, one, batch, 2))
    expect(sharedDenseInstanceLike(one)).toBeNull()
    expect(
      sharedDenseInstanceLike(
        createWasmDenseKernels({ relaxedSimd: false, threads: 1, threadHost: nodeDenseThreadHost })!
      )
    ).toBeNull()
    expect(
      sharedDenseInstanceLike(
        createWasmDenseKernels({ relaxedSimd: false, threadHost: { cores: 1, start: () => null } })!
      )
    ).toBeNull()
  })
})
