import type { Rng } from '../random/rng'
import { startDenseSplit, type DenseSplit } from './denseThreads'
import type { DenseExports } from './denseExports'
import { denseInstanceLike, sharedDenseInstanceLike } from './denseModules'
import type { StepSettings } from './optimizer'
import type { TrainerState, TrainingData } from './trainerState'
import type { DenseKernels } from './types'

/**
 * The fast CD-k minibatch step: the trainer's parameters, velocities, gradient and minibatch
 * buffers live in the linear memory of a WebAssembly instance of the dense kernels
 * (wasm/assembly/*.ts) for a whole trainBatches call, and every step of a minibatch runs there
 * on byte addresses — no JS↔WASM copies and no allocation per minibatch:
 *   X = v₀·W              sums without multiplications when v₀ ∈ {0,1} (rowSumSelected:
 *                         subset-sum tables for a batch, select.ts/tables.ts), else GEMM
 *   p(h|v₀) = σ(X + b)    sigmoidAdd;  h₀ ~ p(h|v₀) by the module's xoshiro128** (sampleBernoulli)
 *   G = v₀ᵀ·p(h|v₀)/n     the same for binary data (rowSumSelectedTN)
 *   k Gibbs steps         p(v|h) = σ(h·Wᵀ + a): the same over Wᵀ (h is sampled {0,1}; a
 *                         transposed copy of W kept after every update, transposeRows),
 *                         p(h|v) = σ(v·W + b) (selected when v is sampled)
 *   G −= vₖᵀ·p(h|vₖ)/n    GEMM (vₖ are probabilities by default, rbm.m's negdata)
 *   update                momentum and penalties in fp32 (updateParameters = applyUpdate)
 * i.e. the arithmetic of gradient.ts / optimizer.ts, step for step. Parameters are copied in
 * at the start of a trainBatches call and out at its end, so a TrainerState is always plain
 * typed arrays (checkpoints unchanged).
 *
 * Random draws: the same uniforms in the same order as the TypeScript path (gradient.ts:
 * rows·nh for h₀, then per Gibbs step rows·nv when the visible state is sampled and rows·nh
 * except after the last step), from the module's copy of the caller's xoshiro128** stream; at the
 * end the caller's generator takes the module's state (setState), or, for a generator without
 * setState, is advanced by the same number of draws (and checked to match). A
 * unit differs from the TypeScript path only when u falls between the two paths' p (the WASM σ
 * has relative error ≲ 1e-6; σ and the sums round differently), which is rare.
 *
 * Used by train.ts for method 'cd' with {0,1} units on both layers, unweighted rows and an
 * xoshiro128** generator, when the kernels are createWasmDenseKernels ones; otherwise the
 * general path runs. Deterministic for a seed and kernel build (the relaxed-SIMD build rounds
 * GEMM products differently from the fixed-width one).
 *
 * Two threads (kernels made with a threadHost, denseThreads.ts): the resident memory is a shared
 * one, and the five products and the weight update are split over output columns between this
 * thread and a helper thread — the same bits as one thread — when the products are large
 * enough (SPLIT_MIN_MACS). The helper lives as long as the
 * resident buffers (stopped when the trainer state is collected; it never keeps a process alive).
 */

interface Resident {
  kernels: DenseKernels
  wasm: DenseExports
  nv: number
  nh: number
  rows: number
  p: Record<
    | 'W'
    | 'WT'
    | 'vW'
    | 'G'
    | 'a'
    | 'va'
    | 'ga'
    | 'b'
    | 'vb'
    | 'gb'
    | 'v0'
    | 'ph0'
    | 'h'
    | 'pv'
    | 'v'
    | 'ph'
    | 'weighted',
    number
  >
  /** The two-thread products, or null on one thread. */
  split: DenseSplit | null
}

/**
 * Products smaller than this (nv·nh·rows multiply-adds, ≈10 µs on one thread) stay on one
 * thread: handing half of them to the helper costs about as much as it saves, and a helper
 * spinning between tiny products only takes a core from the interface.
 */
export const SPLIT_MIN_MACS = 1 << 18

const residents = new WeakMap<TrainerState, Resident>()
const helpers = new FinalizationRegistry<DenseSplit>((split) => split.close())

function resident(state: TrainerState, kernels: DenseKernels, rows: number): Resident | null {
  const { nv, nh } = state.rbm
  const old = residents.get(state)
  if (old && old.kernels === kernels && old.nv === nv && old.nh === nh && old.rows === rows) return old
  const shared = sharedDenseInstanceLike(kernels)
  const wasm = shared?.wasm ?? denseInstanceLike(kernels)
  if (!wasm) return null
  const sizes = {
    W: nv * nh,
    WT: nv * nh,
    vW: nv * nh,
    G: nv * nh,
    a: nv,
    va: nv,
    ga: nv,
    b: nh,
    vb: nh,
    gb: nh,
    v0: rows * nv,
    ph0: rows * nh,
    h: rows * nh,
    pv: rows * nv,
    v: rows * nv,
    ph: rows * nh,
    weighted: rows * nh
  }
  const p = {} as Resident['p']
  for (const [key, length] of Object.entries(sizes) as [keyof Resident['p'], number][]) {
    p[key] = wasm.alloc(length * 4)
    if (p[key] === 0) return null
  }
  // The helper's scratch is the last allocation: neither thread allocates (grows memory) after it.
  const scratch = shared && nv * nh * rows >= SPLIT_MIN_MACS ? shared.wasm.alloc(shared.wasm.scratchBytes()) : 0
  const split =
    shared && scratch !== 0 ? startDenseSplit(shared.host, shared.module, shared.memory, shared.wasm, scratch) : null
  const r: Resident = { kernels, wasm, nv, nh, rows, p, split }
  if (old?.split) (old.split.close(), helpers.unregister(old))
  if (split) helpers.register(r, split, r)
  residents.set(state, r)
  return r
}

/** One xoshiro128** 1.1 output from a state (checks that an Rng is this generator). */
function xoshiroNext(s: Uint32Array): number {
  const x = Math.imul(s[1]!, 5)
  return Math.imul((x << 7) | (x >>> 25), 9) >>> 0
}

/** True when rng's next output is xoshiro128**'s from its state (the module replays that stream). */
function isXoshiro(rng: Rng): boolean {
  const state = rng.getState()
  return (
    state.length === 4 &&
    (state[0]! | state[1]! | state[2]! | state[3]!) !== 0 &&
    rng.clone().nextUint32() === xoshiroNext(state)
  )
}

export interface FastSession {
  /** One minibatch of n rows (rows[r] is the data row of minibatch row r). */
  step(data: TrainingData, row: (r: number) => number, n: number, settings: StepSettings): void
  /** Copies the parameters back and advances rng past the draws the module made. */
  finish(rng: Rng): void
}

/** A fast session for this trainBatches call, or null when the fast path does not apply. */
export function fastCdSession(
  state: TrainerState,
  data: TrainingData,
  rng: Rng,
  kernels: DenseKernels,
  batchSize: number
): FastSession | null {
  const { rbm, options, velocity } = state
  if (
    options.method !== 'cd' ||
    rbm.visibleUnits !== '01' ||
    rbm.hiddenUnits !== '01' ||
    data.weights ||
    !isXoshiro(rng)
  )
    return null
  const r = resident(state, kernels, batchSize)
  if (!r) return null
  const { wasm, nv, nh, p, split } = r
  const f32 = (ptr: number, length: number) => new Float32Array(wasm.memory.buffer, ptr, length)
  ;(f32(p.W, nv * nh).set(rbm.W), f32(p.vW, nv * nh).set(velocity.W))
  wasm.transposeRows(p.W, nv, nh, p.WT, 0, nv)
  ;(f32(p.a, nv).set(rbm.a), f32(p.va, nv).set(velocity.a))
  ;(f32(p.b, nh).set(rbm.b), f32(p.vb, nh).set(velocity.b))
  new Uint32Array(wasm.memory.buffer, wasm.rngState(), 4).set(rng.getState())
  const k = options.k
  const sampledVisible = options.negativeVisible === 'samples'
  let draws = 0
  /** C = A·B (or AᵀB, layout 1; + C with accumulate), then C = σ(C + bias) when a bias is given. */
  const product = (
    binary: boolean,
    layout: 0 | 1,
    m: number,
    n: number,
    kk: number,
    A: number,
    B: number,
    C: number,
    accumulate: boolean,
    sigmoidBias?: number
  ) => {
    const acc = accumulate ? 1 : 0
    if (split) {
      if (binary) split.selected(layout, m, n, kk, A, B, C, acc, sigmoidBias)
      else split.gemm(layout, m, n, kk, A, B, C, acc, sigmoidBias)
      return
    }
    if (!binary) wasm.gemm(layout, m, n, kk, A, B, C, acc)
    else if (layout === 0) wasm.rowSumSelected(m, n, kk, A, B, C, acc)
    else wasm.rowSumSelectedTN(m, n, kk, A, B, C, acc)
    if (sigmoidBias !== undefined) wasm.sigmoidAdd(C, sigmoidBias, m, n, C)
  }
  return {
    step(data, row, n, settings) {
      const v0 = f32(p.v0, n * nv)
      for (let i = 0; i < n; i++) {
        const from = row(i) * nv
        v0.set(data.data.subarray(from, from + nv), i * nv)
      }
      const binary = wasm.isBinary(p.v0, n * nv) === 1
      // Positive phase: p(h | v₀), g = ⟨v₀ p(h|v₀)ᵀ⟩ (positivePhase).
      product(binary, 0, n, nh, nv, p.v0, p.W, p.ph0, false, p.b)
      ;(f32(p.ga, nv).fill(0), f32(p.gb, nh).fill(0))
      wasm.biasStatistics(p.v0, p.ph0, n, nv, nh, 1 * (1 / n), p.ga, p.gb, p.weighted)
      product(binary, 1, nv, nh, n, p.v0, p.weighted, p.G, false)
      // Negative phase (contrastiveDivergencePhase).
      wasm.sampleBernoulli(p.ph0, p.h, n * nh)
      draws += n * nh
      let v = p.v
      let vBinary = true
      for (let s = 1; s <= k; s++) {
        product(true, 0, n, nv, nh, p.h, p.WT, p.pv, false, p.a)
        if (s < k || sampledVisible) {
          wasm.sampleBernoulli(p.pv, p.v, n * nv)
          draws += n * nv
          v = p.v
          vBinary = true
        } else {
          v = p.pv
          vBinary = false
        }
        product(vBinary, 0, n, nh, nv, v, p.W, p.ph, false, p.b)
        if (s < k) {
          wasm.sampleBernoulli(p.ph, p.h, n * nh)
          draws += n * nh
        }
      }
      wasm.biasStatistics(v, p.ph, n, nv, nh, -1 * (1 / n), p.ga, p.gb, p.weighted)
      product(vBinary, 1, nv, nh, n, v, p.weighted, p.G, true)
      // Update (applyUpdate).
      const { learningRate: eps, momentum: mu, l1, l2 } = settings
      if (split) split.updateTransposed(p.W, p.vW, p.G, p.WT, nv, nh, eps, mu, l1, l2)
      else {
        wasm.updateParameters(p.W, p.vW, p.G, nv * nh, eps, mu, l1, l2)
        wasm.transposeRows(p.W, nv, nh, p.WT, 0, nv)
      }
      wasm.updateParameters(p.a, p.va, p.ga, nv, eps, mu, 0, 0)
      wasm.updateParameters(p.b, p.vb, p.gb, nh, eps, mu, 0, 0)
    },
    finish(target) {
      ;(rbm.W.set(f32(p.W, nv * nh)), velocity.W.set(f32(p.vW, nv * nh)))
      ;(rbm.a.set(f32(p.a, nv)), velocity.a.set(f32(p.va, nv)))
      ;(rbm.b.set(f32(p.b, nh)), velocity.b.set(f32(p.vb, nh)))
      const mine = new Uint32Array(wasm.memory.buffer, wasm.rngState(), 4).slice()
      if (target.setState) {
        // The module ran the caller's algorithm (isXoshiro) on its state: hand the stream back.
        target.setState(mine)
      } else {
        for (let d = 0; d < draws; d++) target.nextUint32()
        const theirs = target.getState()
        if (mine.some((x, i) => x !== theirs[i]))
          throw new Error('fast CD: the generator did not follow the module stream')
      }
      draws = 0
    }
  }
}
