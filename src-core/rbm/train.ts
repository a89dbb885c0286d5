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
import { applyUpdate, assertValidTrainingOptions, learningRateAt, momentumAt, type Gradient, type TrainingOptions, type Velocity } from './optimizer'
import { assertValidRbm, createRbm } from './rbm'
import type { GibbsChains } from './sampling'
import type { Batch, DenseKernels, Rbm, UnitKind } from './types'

export * from './optimizer'

/**
 * Minibatch training of one RBM (CD-k, PCD or the exact gradient; gradient.ts, optimizer.ts),
 * with all of its state explicit so training is reproducible and resumable bit for bit:
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

export interface TrainingData extends Batch {
  /** Non-negative row weights (default: all equal). */
  weights?: ArrayLike<number>
}

export interface TrainerState {
  rbm: Rbm
  options: TrainingOptions
  velocity: Velocity
  /** PCD: the chains' visible states (persistentChains × nv); null before the first minibatch or for CD/exact. */
  persistent: Float32Array | null
  /** Epochs completed. */
  epoch: number
  /** Minibatches completed in the current epoch (0 between epochs). */
  batchIndex: number
  /** Row order of the current epoch (null: row order, or between epochs). */
  permutation: Int32Array | null
  /** Generator state after the last minibatch (recorded for checkpoints). */
  rngState: Uint32Array
}

export interface LayerShape {
  nv: number
  nh: number
  visibleUnits: UnitKind
  hiddenUnits: UnitKind
}

/** A new RBM (initialised from the rng with options.init) and its trainer state. */
export function createTrainer(shape: LayerShape, options: TrainingOptions, rng: Rng): TrainerState {
  assertValidTrainingOptions(options)
  const rbm = createRbm({ ...shape, init: options.init ?? { kind: 'normal', scale: 0.1 }, rng })
  return trainerFor(rbm, options, rng)
}

/** Trainer state for an existing RBM (training updates its arrays in place). */
export function trainerFor(rbm: Rbm, options: TrainingOptions, rng: Rng): TrainerState {
  assertValidTrainingOptions(options)
  assertValidRbm(rbm, 'trainerFor')
  if (options.method === 'exact') createExactScratch(rbm) // checks the size
  return {
    rbm,
    options: cloneOptions(options),
    velocity: { W: new Float32Array(rbm.W.length), a: new Float32Array(rbm.nv), b: new Float32Array(rbm.nh) },
    persistent: null,
    epoch: 0,
    batchIndex: 0,
    permutation: null,
    rngState: rng.getState()
  }
}

function cloneOptions(options: TrainingOptions): TrainingOptions {
  return JSON.parse(JSON.stringify(options)) as TrainingOptions
}

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
    throw new RangeError(`${name}: entry ${bad} (row ${Math.floor(bad / data.cols)}) is ${data.data[bad]}, outside the ${rbm.visibleUnits} range [${off}, 1]`)
  }
  if (data.weights) {
    if (data.weights.length !== data.rows) throw new RangeError(`${name}: ${data.weights.length} weights for ${data.rows} rows`)
    for (let r = 0; r < data.rows; r++) {
      if (!(data.weights[r] >= 0) || !Number.isFinite(data.weights[r])) throw new RangeError(`${name}: weight ${r} is ${data.weights[r]}`)
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
    for (let i = 0; i < nv; i++) out[c * nv + i] = rng.nextFloat() < probabilityFromMean(visibleUnits, data.data[r * nv + i]) ? 1 : off
  }
  return out
}

/** Work buffers per trainer state (not part of the state: everything in them is recomputed). */
const scratchCache = new WeakMap<TrainerState, { rows: number; rbm: Rbm; scratch: ReturnType<typeof createGradientScratch>; exact: ReturnType<typeof createExactScratch> | null; gradient: Gradient; v0: Float32Array; weights: Float64Array }>()

/**
 * Runs minibatches of the current epoch, at most maxBatches, stopping at the end of the epoch
 * (then epoch += 1 and batchIndex = 0). Returns the number of minibatches run.
 */
export function trainBatches(state: TrainerState, data: TrainingData, rng: Rng, maxBatches = Infinity, kernels: DenseKernels = tsDenseKernels): number {
  const { rbm, options, velocity } = state
  const { nv, nh } = rbm
  checkTrainingData(rbm, data)
  const rows = data.rows
  const batchSize = Math.min(options.batchSize, rows)
  const total = batchesPerEpoch(rows, batchSize)
  if (state.batchIndex === 0) state.permutation = options.shuffle ? drawPermutation(rows, rng) : null
  if (state.permutation && state.permutation.length !== rows) throw new RangeError(`trainBatches: the state's permutation has ${state.permutation.length} rows, the data ${rows}`)
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
    if (state.persistent.length !== count * nv) throw new RangeError(`trainBatches: ${state.persistent.length / nv} persistent chains, options ask for ${count}`)
    chains = { rows: count, v: state.persistent, h: new Float32Array(count * nh), pv: new Float32Array(count * nv), ph: new Float32Array(count * nh) }
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
        contrastiveDivergencePhase(rbm, n, options.k, options.negativeVisible ?? 'probabilities', weights, gradient, scratch, rng, kernels)
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
export function trainEpoch(state: TrainerState, data: TrainingData, rng: Rng, kernels: DenseKernels = tsDenseKernels): void {
  const epoch = state.epoch
  while (state.epoch === epoch) trainBatches(state, data, rng, Infinity, kernels)
}

/** Trains until options.epochs epochs are complete; onEpoch runs after each one. */
export function trainRbm(state: TrainerState, data: TrainingData, rng: Rng, kernels: DenseKernels = tsDenseKernels, onEpoch?: (state: TrainerState) => void): TrainerState {
  while (state.epoch < state.options.epochs) {
    trainEpoch(state, data, rng, kernels)
    onEpoch?.(state)
  }
  return state
}

/** The whole trainer state as plain typed arrays and numbers (copies; structured-clone safe). */
export interface TrainerCheckpoint {
  version: 1
  options: TrainingOptions
  nv: number
  nh: number
  visibleUnits: UnitKind
  hiddenUnits: UnitKind
  W: Float32Array
  a: Float32Array
  b: Float32Array
  velocityW: Float32Array
  velocityA: Float32Array
  velocityB: Float32Array
  persistent: Float32Array | null
  epoch: number
  batchIndex: number
  permutation: Int32Array | null
  rngState: Uint32Array
}

export function checkpointTrainer(state: TrainerState): TrainerCheckpoint {
  const { rbm, velocity } = state
  return {
    version: 1,
    options: cloneOptions(state.options),
    nv: rbm.nv,
    nh: rbm.nh,
    visibleUnits: rbm.visibleUnits,
    hiddenUnits: rbm.hiddenUnits,
    W: rbm.W.slice(),
    a: rbm.a.slice(),
    b: rbm.b.slice(),
    velocityW: velocity.W.slice(),
    velocityA: velocity.a.slice(),
    velocityB: velocity.b.slice(),
    persistent: state.persistent ? state.persistent.slice() : null,
    epoch: state.epoch,
    batchIndex: state.batchIndex,
    permutation: state.permutation ? state.permutation.slice() : null,
    rngState: state.rngState.slice()
  }
}

/**
 * The trainer state a checkpoint describes (copies). Continue with a generator restored to
 * checkpoint.rngState (xoshiro128ssFromState) to reproduce the uninterrupted run bit for bit.
 */
export function restoreTrainer(cp: TrainerCheckpoint): TrainerState {
  if (cp.version !== 1) throw new RangeError(`restoreTrainer: unknown checkpoint version ${String(cp.version)}`)
  const rbm: Rbm = { nv: cp.nv, nh: cp.nh, visibleUnits: cp.visibleUnits, hiddenUnits: cp.hiddenUnits, W: cp.W.slice(), a: cp.a.slice(), b: cp.b.slice() }
  assertValidRbm(rbm, 'restoreTrainer')
  assertValidTrainingOptions(cp.options, 'restoreTrainer: the options')
  if (cp.velocityW.length !== rbm.W.length || cp.velocityA.length !== cp.nv || cp.velocityB.length !== cp.nh) {
    throw new RangeError('restoreTrainer: the velocity does not match the RBM')
  }
  return {
    rbm,
    options: cloneOptions(cp.options),
    velocity: { W: cp.velocityW.slice(), a: cp.velocityA.slice(), b: cp.velocityB.slice() },
    persistent: cp.persistent ? cp.persistent.slice() : null,
    epoch: cp.epoch,
    batchIndex: cp.batchIndex,
    permutation: cp.permutation ? cp.permutation.slice() : null,
    rngState: cp.rngState.slice()
  }
}
