import type { Rng } from '../random/rng'
import { checkBatch } from './energy'
import {
  contrastiveDivergencePhase,
  createExactScratch,
  createGradientScratch,
  exactModelPhase,
  persistentPhase,
  positivePhase,
  zeroGradient
} from './gradient'
import { fastCdSession } from './fastTrain'
import { tsDenseKernels } from './kernelsTs'
import { probabilityFromMean, unitOff } from './math'
import { applyUpdate, learningRateAt, momentumAt, type Gradient } from './optimizer'
import type { GibbsChains } from './sampling'
import type { TrainerState, TrainingData } from './trainerState'
import type { Batch, DenseKernels, Rbm } from './types'

export * from './optimizer'
export * from './trainerState'

/**
 * Minibatch training of one RBM (CD-k, PCD or the exact gradient; gradient.ts, optimizer.ts),
 * with all of its state explicit (trainerState.ts) so training is reproducible and resumable bit for bit:
 * the same state, data, options and rng state give the same parameters, and a checkpoint taken
 * between any two minibatches restores to continue exactly as if never interrupted.
 *
 * An epoch visits ⌈rows / batchSize⌉ minibatches (the last one may be smaller), in the order of
 * a Fisher–Yates permutation drawn from the rng at the start of the epoch when `shuffle` is on
 * (rows − 1 uniforms: j = ⌊u·(i+1)⌋ for i = rows−1 … 1), else in row order.
 *
 * PCD chains start, at the first minibatch, from data rows r = ⌊u·rows⌋ (one uniform per chain),
 * each unit set on iff u < p(on) for the row's value (nv uniforms per chain; on/off data is
 * copied unchanged, probability-valued data is sampled).
 *
 * Data rows are in the visible units' values ({0,1}, or ±1; probabilities/means are allowed).
 * Optional per-row weights make the data term Σ_r w_r (…)/Σ_r w_r over each minibatch — with
 * one minibatch holding every configuration of a small model and w = P(v), the 'exact' method
 * follows the exact gradient of KL(P‖p_λ).
 */

/** Data arrays already checked, with the units they were checked for (saves a scan per call). */
const checkedData = new WeakMap<Float32Array, string>()

/** Throws unless the data fit the RBM: shape, values in [off, 1], weights non-negative. */
export function checkTrainingData(rbm: Rbm, data: TrainingData, name = 'training data'): void {
  checkBatch(data, rbm.nv, name)
  const key = `${rbm.nv}:${rbm.visibleUnits}:${data.rows}`
  if (!data.weights && checkedData.get(data.data) === key) return
  if (data.rows < 1) throw new RangeError(`${name}: no rows`)
  const off = unitOff(rbm.visibleUnits)
  const values = data.data
  let bad = -1
  for (let k = 0; k < values.length; k++) {
    const x = values[k]!
    if (!(x >= off && x <= 1)) {
      bad = k
      break
    }
  }
  if (bad >= 0) {
    throw new RangeError(
      `${name}: entry ${bad} (row ${Math.floor(bad / data.cols)}) is ${data.data[bad]}, outside the ${rbm.visibleUnits} range [${off}, 1]`
    )
  }
  if (data.weights) {
    if (data.weights.length !== data.rows)
      throw new RangeError(`${name}: ${data.weights.length} weights for ${data.rows} rows`)
    for (let r = 0; r < data.rows; r++) {
      if (!(data.weights[r] >= 0) || !Number.isFinite(data.weights[r]))
        throw new RangeError(`${name}: weight ${r} is ${data.weights[r]}`)
    }
  }
  checkedData.set(data.data, key)
}

export function batchesPerEpoch(rows: number, batchSize: number): number {
  return Math.ceil(rows / batchSize)
}

function drawPermutation(rows: number, rng: Rng): Int32Array {
  const p = new Int32Array(rows)
  for (let i = 0; i < rows; i++) p[i] = i
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1))
    const t = p[i]
    p[i] = p[j]
    p[j] = t
  }
  return p
}

function initialChains(rbm: Rbm, data: Batch, chains: number, rng: Rng): Float32Array {
  const { nv, visibleUnits } = rbm
  const off = unitOff(visibleUnits)
  const out = new Float32Array(chains * nv)
  for (let c = 0; c < chains; c++) {
    const r = Math.min(data.rows - 1, Math.floor(rng.nextFloat() * data.rows))
    for (let i = 0; i < nv; i++)
      out[c * nv + i] = rng.nextFloat() < probabilityFromMean(visibleUnits, data.data[r * nv + i]) ? 1 : off
  }
  return out
}

/** Work buffers per trainer state (not part of the state: everything in them is recomputed). */
const scratchCache = new WeakMap<
  TrainerState,
  {
    rows: number
    rbm: Rbm
    scratch: ReturnType<typeof createGradientScratch>
    exact: ReturnType<typeof createExactScratch> | null
    gradient: Gradient
    v0: Float32Array
    weights: Float64Array
  }
>()

/**
 * Runs minibatches of the current epoch, at most maxBatches, stopping at the end of the epoch
 * (then epoch += 1 and batchIndex = 0). Returns the number of minibatches run.
 */
export function trainBatches(
  state: TrainerState,
  data: TrainingData,
  rng: Rng,
  maxBatches = Infinity,
  kernels: DenseKernels = tsDenseKernels
): number {
  const { rbm, options, velocity } = state
  const { nv, nh } = rbm
  checkTrainingData(rbm, data)
  const rows = data.rows
  const batchSize = Math.min(options.batchSize, rows)
  const total = batchesPerEpoch(rows, batchSize)
  if (state.batchIndex === 0) state.permutation = options.shuffle ? drawPermutation(rows, rng) : null
  if (state.permutation && state.permutation.length !== rows)
    throw new RangeError(`trainBatches: the state's permutation has ${state.permutation.length} rows, the data ${rows}`)
  let buffers = scratchCache.get(state)
  if (!buffers || buffers.rows !== batchSize || buffers.rbm !== rbm) {
    buffers = {
      rows: batchSize,
      rbm,
      scratch: createGradientScratch(rbm, batchSize),
      exact: options.method === 'exact' ? createExactScratch(rbm) : null,
      gradient: { W: new Float32Array(nv * nh), a: new Float32Array(nv), b: new Float32Array(nh) },
      v0: new Float32Array(batchSize * nv),
      weights: new Float64Array(batchSize)
    }
    scratchCache.set(state, buffers)
  }
  const { scratch, exact, gradient, v0 } = buffers
  const weights = data.weights ? buffers.weights : null
  let chains: GibbsChains | null = null
  let chainWeighted: Float32Array | null = null
  if (options.method === 'pcd') {
    const count = options.persistentChains ?? options.batchSize
    if (!state.persistent) state.persistent = initialChains(rbm, data, count, rng)
    if (state.persistent.length !== count * nv)
      throw new RangeError(`trainBatches: ${state.persistent.length / nv} persistent chains, options ask for ${count}`)
    chains = {
      rows: count,
      v: state.persistent,
      h: new Float32Array(count * nh),
      pv: new Float32Array(count * nv),
      ph: new Float32Array(count * nh)
    }
    chainWeighted = new Float32Array(count * nh)
  }
  const settings = {
    learningRate: learningRateAt(options.learningRate, state.epoch),
    momentum: momentumAt(options.momentum, state.epoch),
    l1: options.l1,
    l2: options.l2
  }
  // WASM kernels, CD, {0,1} units: the whole minibatch step in WASM memory (fastTrain.ts).
  const fast = fastCdSession(state, data, rng, kernels, batchSize)
  const permutation = state.permutation
  const rowOf = (start: number) => (r: number) => (permutation ? permutation[start + r]! : start + r)
  let done = 0
  while (done < maxBatches && state.batchIndex < total) {
    const start = state.batchIndex * batchSize
    const n = Math.min(batchSize, rows - start)
    if (fast) {
      fast.step(data, rowOf(start), n, settings)
      state.batchIndex++
      done++
      continue
    }
    let weightSum = 0
    for (let r = 0; r < n; r++) {
      const row = state.permutation ? state.permutation[start + r] : start + r
      v0.set(data.data.subarray(row * nv, (row + 1) * nv), r * nv)
      if (weights) weightSum += weights[r] = data.weights![row]
    }
    if (weights && weightSum > 0) for (let r = 0; r < n; r++) weights[r] /= weightSum
    zeroGradient(gradient)
    if (!weights || weightSum > 0) {
      positivePhase(rbm, v0, n, weights, gradient, scratch, kernels)
      if (options.method === 'cd') {
        contrastiveDivergencePhase(
          rbm,
          n,
          options.k,
          options.negativeVisible ?? 'probabilities',
          weights,
          gradient,
          scratch,
          rng,
          kernels
        )
      } else if (options.method === 'pcd') {
        persistentPhase(rbm, chains!, options.k, gradient, chainWeighted!, rng, kernels)
      } else {
        exactModelPhase(rbm, gradient, exact!, kernels)
      }
      applyUpdate(rbm, velocity, gradient, settings)
    }
    state.batchIndex++
    done++
  }
  fast?.finish(rng)
  if (state.batchIndex >= total) {
    state.epoch++
    state.batchIndex = 0
    state.permutation = null
  }
  state.rngState = rng.getState()
  return done
}

/** Finishes the current epoch (a whole one from a fresh epoch boundary). */
export function trainEpoch(
  state: TrainerState,
  data: TrainingData,
  rng: Rng,
  kernels: DenseKernels = tsDenseKernels
): void {
  const epoch = state.epoch
  while (state.epoch === epoch) trainBatches(state, data, rng, Infinity, kernels)
}

/** Trains until options.epochs epochs are complete; onEpoch runs after each one. */
export function trainRbm(
  state: TrainerState,
  data: TrainingData,
  rng: Rng,
  kernels: DenseKernels = tsDenseKernels,
  onEpoch?: (state: TrainerState) => void
): TrainerState {
  while (state.epoch < state.options.epochs) {
    trainEpoch(state, data, rng, kernels)
    onEpoch?.(state)
  }
  return state
}
