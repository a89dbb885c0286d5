import type { Rng } from '../random/rng'
import { xoshiro128ssFromState } from '../random/xoshiro128ss'
import type { MonitorValues } from '../rbm/monitors'
import { cloneRbm } from '../rbm/rbm'
import { checkpointTrainer, restoreTrainer, type TrainerCheckpoint, type TrainerState } from '../rbm/train'
import type { Batch, Rbm } from '../rbm/types'

/**
 * A DBN training's checkpoint (rbmTrain.ts): what it holds, taking one from the running state
 * and bringing a run back to it, bit for bit.
 */

export interface MonitorRecord {
  layer: number
  epoch: number
  monitors: MonitorValues
}

export interface RbmTrainingCheckpoint {
  version: 1
  /** Layer being trained (from 0). */
  layer: number
  /** Finished layers. */
  completed: Rbm[]
  trainer: TrainerCheckpoint
  /** Generator state before passing the data up into layer l + 1, for l = 0 … layer − 1. */
  passUpRngStates: Uint32Array[]
  history: MonitorRecord[]
  rngState: Uint32Array
  /**
   * The arithmetic that trained it (trainingArithmetic: the kernels' and the update's), one entry
   * more each time a resume ran on a different one: then the result is not bit-identical to an
   * uninterrupted run. Absent in checkpoints from before it was recorded.
   */
  arithmetic?: string[]
}

/** The state of a DBN training between minibatches: what a checkpoint is taken from. */
export interface DbnTrainingState {
  layer: number
  completed: Rbm[]
  passUpRngStates: Uint32Array[]
  history: MonitorRecord[]
  trainer: TrainerState
  /** The current layer's input and held-out rows (the data passed up through the finished layers). */
  input: Batch
  heldOut: Batch | undefined
}

function sameState(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((w, k) => w === b[k])
}

/** A checkpoint of the state with the generator's current state (copies: the run goes on). */
export function takeCheckpoint(s: DbnTrainingState, rng: Rng, arithmetic: string[]): RbmTrainingCheckpoint {
  const t = checkpointTrainer(s.trainer)
  t.rngState = rng.getState()
  return {
    version: 1,
    layer: s.layer,
    completed: s.completed.map(cloneRbm),
    trainer: t,
    passUpRngStates: s.passUpRngStates.map((r) => r.slice()),
    history: s.history.slice(),
    rngState: rng.getState(),
    arithmetic: arithmetic.slice()
  }
}

/**
 * The state a checkpoint was taken in, after checking it fits a spec of `layers` layers and that
 * the generator was restored to its state: the finished layers, and the data passed up through
 * them again with the generator states they were passed up with.
 */
export function restoreCheckpoint(
  cp: RbmTrainingCheckpoint,
  layers: number,
  rng: Rng,
  data: Batch,
  heldOut: Batch | undefined,
  passUp: (rbm: Rbm, b: Batch | undefined, r: Rng) => Batch | undefined
): DbnTrainingState {
  if (cp.version !== 1) throw new RangeError(`rbm training: unknown checkpoint version ${String(cp.version)}`)
  if (!sameState(rng.getState(), cp.rngState))
    throw new RangeError(
      'rbm training: the rng passed in is not at resume.rngState; restore it from the checkpoint first'
    )
  if (cp.completed.length !== cp.layer || cp.passUpRngStates.length !== cp.layer || cp.layer >= layers) {
    throw new RangeError('rbm training: the checkpoint does not match the layers of the spec')
  }
  const completed: Rbm[] = []
  const passUpRngStates: Uint32Array[] = []
  let input = data
  for (let l = 0; l < cp.layer; l++) {
    completed.push(cloneRbm(cp.completed[l]))
    passUpRngStates.push(cp.passUpRngStates[l].slice())
    const r = xoshiro128ssFromState(cp.passUpRngStates[l])
    input = passUp(completed[l], input, r)!
    heldOut = passUp(completed[l], heldOut, r)
  }
  return {
    layer: cp.layer,
    completed,
    passUpRngStates,
    history: cp.history.slice(),
    trainer: restoreTrainer(cp.trainer),
    input,
    heldOut
  }
}
