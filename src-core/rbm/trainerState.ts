import type { Rng } from '../random/rng'
import { createExactScratch } from './gradient'
import { assertValidTrainingOptions, type TrainingOptions, type Velocity } from './optimizer'
import { assertValidRbm, createRbm } from './rbm'
import type { Batch, Rbm, UnitKind } from './types'

/**
 * A training's state, everything train.ts's loop reads and writes, kept explicit so training is
 * reproducible and resumable bit for bit; and its checkpoint, the same state as plain typed
 * arrays (copies, structured-clone safe). The loop itself is in train.ts.
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
  const rbm: Rbm = {
    nv: cp.nv,
    nh: cp.nh,
    visibleUnits: cp.visibleUnits,
    hiddenUnits: cp.hiddenUnits,
    W: cp.W.slice(),
    a: cp.a.slice(),
    b: cp.b.slice()
  }
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
