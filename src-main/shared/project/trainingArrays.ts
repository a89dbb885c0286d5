import { z } from 'zod'
import type { MonitorRecord, RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { TrainingOptions } from '@core/rbm/optimizer'
import type { TrainerCheckpoint } from '@core/rbm/train'
import type { Rbm, UnitKind } from '@core/rbm/types'
import type { NpyArray, NpyDtype, ProjectTraining } from './types'
import type { TrainingCheckpointScalars } from './trainings'

/**
 * A training's weights and checkpoint as project arrays, and back. Layer l (from 1) keeps its
 * weights as roles `W<l>` (nv × nh, ML convention), `a<l>` (visible biases) and `b<l>` (hidden
 * biases), <f4. A paused training adds the checkpoint's state: the current layer's increments
 * (`vW`, `va`, `vb`), PCD chains (`persistent`), the epoch's row order (`permutation`, <i4),
 * the generator states (`rng`, `trainerRng`, `passUpRng<l>`, <u4). The weights of the layers
 * the checkpoint holds are W1 … W<layer+1>: they are not stored twice. The checkpoint's scalars
 * go in the record's `checkpoint`, its history in `history.records` (trainings.ts).
 */

const LAYER_ROLE = /^(W|a|b|passUpRng)([1-9]\d{0,4})$/
const CHECKPOINT_ROLES = ['vW', 'va', 'vb', 'persistent', 'permutation', 'rng', 'trainerRng'] as const

/** The dtype every array of a role has. */
export function trainingArrayDtype(role: string): NpyDtype | null {
  const layer = LAYER_ROLE.exec(role)
  if (layer) return layer[1] === 'passUpRng' ? '<u4' : '<f4'
  switch (role) {
    case 'permutation':
      return '<i4'
    case 'rng':
    case 'trainerRng':
      return '<u4'
    default:
      return (CHECKPOINT_ROLES as readonly string[]).includes(role) ? '<f4' : null
  }
}

/** A key of a training record's `arrays`: one of the roles above. */
export const trainingArrayRoleSchema = z
  .string()
  .refine(
    (role) => trainingArrayDtype(role) !== null,
    'must be a training array role (W1, a1, b1, …, vW, va, vb, persistent, permutation, rng, trainerRng, passUpRng1, …)'
  )

const f4 = (data: Float32Array, shape: number[]): NpyArray => ({ dtype: '<f4', shape, data })

function layerArrays(rbm: Pick<Rbm, 'nv' | 'nh' | 'W' | 'a' | 'b'>, l: number): Record<string, NpyArray> {
  return {
    [`W${l}`]: f4(rbm.W.slice(), [rbm.nv, rbm.nh]),
    [`a${l}`]: f4(rbm.a.slice(), [rbm.nv]),
    [`b${l}`]: f4(rbm.b.slice(), [rbm.nh])
  }
}

/** Role → array of every layer of a network. */
export function dbnToArrays(dbn: Dbn): Record<string, NpyArray> {
  return Object.assign({}, ...dbn.layers.map((rbm, l) => layerArrays(rbm, l + 1))) as Record<string, NpyArray>
}

/** Role → array, and the scalars, of a checkpoint. */
export function checkpointToArrays(cp: RbmTrainingCheckpoint): {
  arrays: Record<string, NpyArray>
  scalars: TrainingCheckpointScalars
} {
  const t = cp.trainer
  const arrays: Record<string, NpyArray> = {}
  cp.completed.forEach((rbm, l) => Object.assign(arrays, layerArrays(rbm, l + 1)))
  Object.assign(arrays, layerArrays(t, cp.layer + 1))
  arrays.vW = f4(t.velocityW.slice(), [t.nv, t.nh])
  arrays.va = f4(t.velocityA.slice(), [t.nv])
  arrays.vb = f4(t.velocityB.slice(), [t.nh])
  if (t.persistent) arrays.persistent = f4(t.persistent.slice(), [t.persistent.length / t.nv, t.nv])
  if (t.permutation) arrays.permutation = { dtype: '<i4', shape: [t.permutation.length], data: t.permutation.slice() }
  arrays.rng = { dtype: '<u4', shape: [cp.rngState.length], data: cp.rngState.slice() }
  arrays.trainerRng = { dtype: '<u4', shape: [t.rngState.length], data: t.rngState.slice() }
  cp.passUpRngStates.forEach(
    (s, l) => (arrays[`passUpRng${l + 1}`] = { dtype: '<u4', shape: [s.length], data: s.slice() })
  )
  const scalars: TrainingCheckpointScalars = {
    version: cp.version,
    layer: cp.layer,
    epoch: t.epoch,
    batchIndex: t.batchIndex,
    options: JSON.parse(JSON.stringify(t.options)) as TrainingOptions,
    units: [...cp.completed, t].map((r): [UnitKind, UnitKind] => [r.visibleUnits, r.hiddenUnits]),
    ...(cp.arithmetic ? { arithmetic: cp.arithmetic.slice() } : {})
  }
  return { arrays, scalars }
}

/** Unit kinds of layer l (from 0): its visible are the previous layer's hidden. */
export function layerUnits(
  training: Pick<ProjectTraining, 'visibleUnits' | 'layers'>,
  l: number
): [UnitKind, UnitKind] {
  return [l === 0 ? training.visibleUnits : training.layers[l - 1]!.hiddenUnits, training.layers[l]!.hiddenUnits]
}

function need<T extends NpyArray['data']>(
  arrays: Record<string, NpyArray | undefined>,
  role: string,
  ctor: new (n: number) => T
): T {
  const a = arrays[role]
  if (!a || !(a.data instanceof ctor))
    throw new Error(`the training's array “${role}” is missing or has the wrong type`)
  return a.data as T
}

/** Layer l (from 1) from arrays `W<l>`, `a<l>`, `b<l>`. */
export function rbmFromArrays(
  arrays: Record<string, NpyArray | undefined>,
  l: number,
  units: [UnitKind, UnitKind]
): Rbm {
  const W = need(arrays, `W${l}`, Float32Array)
  const a = need(arrays, `a${l}`, Float32Array)
  const b = need(arrays, `b${l}`, Float32Array)
  if (W.length !== a.length * b.length)
    throw new Error(`layer ${l}: W has ${W.length} entries, nv·nh = ${a.length * b.length}`)
  return {
    nv: a.length,
    nh: b.length,
    visibleUnits: units[0],
    hiddenUnits: units[1],
    W: W.slice(),
    a: a.slice(),
    b: b.slice()
  }
}

/** The finished network stored with a training ('done'). */
export function dbnFromArrays(training: ProjectTraining, arrays: Record<string, NpyArray | undefined>): Dbn {
  return {
    layers: training.layers.map((_, l) => rbmFromArrays(arrays, l + 1, layerUnits(training, l))),
    passUp: training.passUp
  }
}

/** The checkpoint stored with a paused training. */
export function checkpointFromArrays(
  training: ProjectTraining,
  arrays: Record<string, NpyArray | undefined>
): RbmTrainingCheckpoint {
  const s = training.checkpoint
  if (!s) throw new Error('the checkpoint of this training is incomplete')
  const layer = s.layer
  if (layer >= training.layers.length)
    throw new Error(`the checkpoint is at layer ${layer + 1} of a ${training.layers.length}-layer network`)
  const completed = Array.from({ length: layer }, (_, l) => rbmFromArrays(arrays, l + 1, layerUnits(training, l)))
  const current = rbmFromArrays(arrays, layer + 1, layerUnits(training, layer))
  const persistent = arrays.persistent?.data
  const permutation = arrays.permutation?.data
  const trainer: TrainerCheckpoint = {
    version: 1,
    options: JSON.parse(JSON.stringify(s.options)) as TrainingOptions,
    nv: current.nv,
    nh: current.nh,
    visibleUnits: current.visibleUnits,
    hiddenUnits: current.hiddenUnits,
    W: current.W as Float32Array,
    a: current.a as Float32Array,
    b: current.b as Float32Array,
    velocityW: need(arrays, 'vW', Float32Array).slice(),
    velocityA: need(arrays, 'va', Float32Array).slice(),
    velocityB: need(arrays, 'vb', Float32Array).slice(),
    persistent: persistent instanceof Float32Array ? persistent.slice() : null,
    epoch: s.epoch,
    batchIndex: s.batchIndex,
    permutation: permutation instanceof Int32Array ? permutation.slice() : null,
    rngState: need(arrays, 'trainerRng', Uint32Array).slice()
  }
  return {
    version: 1,
    layer,
    completed,
    trainer,
    passUpRngStates: Array.from({ length: layer }, (_, l) => need(arrays, `passUpRng${l + 1}`, Uint32Array).slice()),
    history: historyOf(training),
    rngState: need(arrays, 'rng', Uint32Array).slice(),
    ...(arithmeticOf(training).length ? { arithmetic: arithmeticOf(training) } : {})
  }
}

/** The network a checkpoint holds: finished layers and the one being trained. */
export function dbnOfCheckpoint(cp: RbmTrainingCheckpoint, passUp: Dbn['passUp']): Dbn {
  const t = cp.trainer
  const current: Rbm = {
    nv: t.nv,
    nh: t.nh,
    visibleUnits: t.visibleUnits,
    hiddenUnits: t.hiddenUnits,
    W: t.W,
    a: t.a,
    b: t.b
  }
  return { layers: [...cp.completed, current], passUp }
}

/**
 * The arithmetic that trained a saved training (RbmTrainingCheckpoint.arithmetic): the
 * checkpoint's while paused, the history's once done; [] when not recorded.
 */
export function arithmeticOf(training: Pick<ProjectTraining, 'checkpoint' | 'history'>): string[] {
  return (training.checkpoint?.arithmetic ?? training.history?.arithmetic ?? []).slice()
}

/**
 * The saved per-epoch monitors, as the project schema read them (trainings.ts: either shape
 * ever written, NaN where JSON had null).
 */
export function historyOf(training: Pick<ProjectTraining, 'history'>): MonitorRecord[] {
  return training.history?.records ?? []
}
