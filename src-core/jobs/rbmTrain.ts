import type { Rng } from '../random/rng'
import { xoshiro128ssFromState } from '../random/xoshiro128ss'
import { passUpOneLayer, type Dbn, type PassUp } from '../rbm/dbn'
import type { IsingLattice } from '../rbm/isingMonitors'
import { computeMonitors, type MonitorSettings, type MonitorValues } from '../rbm/monitors'
import { cloneRbm } from '../rbm/rbm'
import { receptiveFields } from '../rbm/receptiveFields'
import {
  batchesPerEpoch,
  checkpointTrainer,
  createTrainer,
  restoreTrainer,
  trainBatches,
  type TrainerCheckpoint,
  type TrainerState,
  type TrainingOptions
} from '../rbm/train'
import type { Batch, DenseKernels, Rbm, UnitKind } from '../rbm/types'
import { batchToUnits } from '../rbm/unitConversion'
import { tsDenseKernels } from '../rbm/kernelsTs'
import { appendSeries } from './frames'
import type { JobFrame, JobRunner } from './types'

/**
 * Training a deep belief network as a job (greedy, layer by layer; src-core/rbm/dbn.ts), with
 * per-epoch monitors (monitors.ts) and a checkpoint in every epoch's frame: the host keeps the
 * latest, so a crash loses at most one epoch. A `snapshot` command is answered (sink.reply) with
 * the checkpoint of the current state, which may be mid-epoch. Other commands are ignored.
 *
 * Determinism: one generator drives everything in a fixed order — layer initialisation, then per
 * epoch its minibatches and the monitors; between layers the pass-up (when passing samples).
 * Minibatches are run in time-sliced chunks, which does not change the arithmetic. Resuming
 * from a checkpoint with the generator restored to checkpoint.rngState (xoshiro128ssFromState;
 * the runner checks) continues the uninterrupted run bit for bit.
 *
 * Data are given in `dataUnits` (int8 ±1 spins, say) and converted explicitly to layer 1's
 * visible units (v01 = (s + 1)/2). Layer l's options are options.training overridden by
 * layers[l].options. Physical monitors (and exact KL) apply to layer 1 only.
 */

export interface RawBatch {
  rows: number
  cols: number
  data: Float32Array | Int8Array
}

export interface RbmTrainingLayer {
  nh: number
  hiddenUnits?: UnitKind
  options?: Partial<TrainingOptions>
}

export type RbmJobMonitors = Omit<MonitorSettings, 'physical'> & {
  /** Physical monitors on spec.lattice (layer 1); false or absent: off. */
  physical?: false | Omit<NonNullable<MonitorSettings['physical']>, 'lattice'>
}

export interface RbmTrainingSpec {
  data: RawBatch
  heldOut?: RawBatch
  /** Units the rows are given in; default options.visibleUnits. */
  dataUnits?: UnitKind
  layers: RbmTrainingLayer[]
  options: {
    training: TrainingOptions
    passUp: PassUp
    visibleUnits: UnitKind
    /** Receptive-field images of the current depth in each frame (needs lattice); default 0. */
    thumbnails?: number
    /**
     * Least host time between frames (default 250 ms). Each frame carries the full checkpoint,
     * whose history grows with every epoch, so fast small networks would otherwise flood the
     * viewer; epochs in between are still checkpointed in the next frame. 0: a frame per epoch.
     */
    frameIntervalMs?: number
  }
  monitors: RbmJobMonitors
  lattice?: IsingLattice
  resume?: RbmTrainingCheckpoint
}

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

export interface RbmTrainingFrame extends JobFrame {
  layer: number
  epoch: number
  monitors: MonitorValues
  thumbnails?: { depth: number; Lx: number; Ly: number; images: Float32Array[]; globalMin: number; globalMax: number }
  checkpoint: RbmTrainingCheckpoint
}

export interface RbmTrainingResult {
  /** Finished layers, plus the partly trained current one when not complete. */
  dbn: Dbn
  history: MonitorRecord[]
  checkpoint: RbmTrainingCheckpoint
  complete: boolean
  /** As RbmTrainingCheckpoint.arithmetic. */
  arithmetic: string[]
}

/** Time slice between yields to the host (ms of host time). */
export const RBM_TRAINING_SLICE_MS = 50

function toBatch(raw: RawBatch, from: UnitKind, to: UnitKind, what: string): Batch {
  if (
    !Number.isInteger(raw.rows) ||
    !Number.isInteger(raw.cols) ||
    raw.rows < 1 ||
    raw.cols < 1 ||
    raw.data.length !== raw.rows * raw.cols
  ) {
    throw new RangeError(
      `${what}: need rows·cols = data length with rows, cols ≥ 1 (got ${raw.rows}×${raw.cols}, ${raw.data.length} values)`
    )
  }
  const f32 = raw.data instanceof Float32Array ? raw.data : Float32Array.from(raw.data)
  return batchToUnits({ rows: raw.rows, cols: raw.cols, data: f32 }, from, to)
}

function sameState(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((w, k) => w === b[k])
}

/**
 * How a training computes, as its checkpoints record it: the kernels' arithmetic and the
 * update's. Revised whenever a change makes training round differently (the update moved from
 * double to fp32 arithmetic when this label gained "fp32 updates"), so that a checkpoint
 * resumed across such a change says so.
 */
export function trainingArithmetic(kernels: DenseKernels): string {
  return `${kernels.arithmetic ?? 'unnamed kernels'}; fp32 updates`
}

/**
 * The share of a training's arithmetic in each layer, for progress and ETA: an epoch of layer l
 * costs about rows·nv·nh·(k + 2) multiply-adds (the positive phase, k Gibbs steps, the gradient),
 * so the paper's 1600→400→100→25 network spends 94 % of its time in layer 1 and a progress count
 * in epochs (600 in all) would make the ETA three times too long in layer 1.
 */
export function trainingWork(rows: number, sizes: number[], layers: { epochs: number; k?: number }[]): number[] {
  const perLayer = layers.map((l, i) => l.epochs * rows * sizes[i] * sizes[i + 1] * ((l.k ?? 1) + 2))
  const total = perLayer.reduce((a, b) => a + b, 0)
  return perLayer.map((w) => (total > 0 ? w / total : 1 / layers.length))
}

/** Percent of the work done `epochs` (fractional) into layer `layer` of E epochs, one decimal. */
export function workDone(shares: number[], layer: number, epochs: number, E: number): number {
  let done = 0
  for (let l = 0; l < layer; l++) done += shares[l]
  done += E > 0 ? shares[layer] * Math.min(1, epochs / E) : 0
  return Math.round(1000 * done) / 10
}

export function runRbmTrainingWith(
  kernels: DenseKernels
): JobRunner<RbmTrainingSpec, RbmTrainingResult, RbmTrainingFrame> {
  return (spec, rng, sink, signal) => runRbmTrainingImpl(spec, rng, sink, signal, kernels)
}

export const runRbmTraining: JobRunner<RbmTrainingSpec, RbmTrainingResult, RbmTrainingFrame> = (
  spec,
  rng,
  sink,
  signal
) => runRbmTrainingImpl(spec, rng, sink, signal, tsDenseKernels)

async function runRbmTrainingImpl(
  ...[spec, rng, sink, signal, kernels]: [
    ...Parameters<JobRunner<RbmTrainingSpec, RbmTrainingResult, RbmTrainingFrame>>,
    DenseKernels
  ]
): Promise<RbmTrainingResult> {
  if (!Array.isArray(spec.layers) || spec.layers.length === 0) throw new RangeError('rbm training: no layers')
  const visibleUnits = spec.options.visibleUnits
  const dataUnits = spec.dataUnits ?? visibleUnits
  const data = toBatch(spec.data, dataUnits, visibleUnits, 'rbm training data')
  const heldOut0 = spec.heldOut ? toBatch(spec.heldOut, dataUnits, visibleUnits, 'rbm held-out data') : undefined
  if (heldOut0 && heldOut0.cols !== data.cols)
    throw new RangeError(`rbm training: held-out rows have ${heldOut0.cols} columns, the data ${data.cols}`)
  const optionsOf = (l: number): TrainingOptions => ({ ...spec.options.training, ...(spec.layers[l].options ?? {}) })
  const epochsOf = (l: number) => optionsOf(l).epochs
  const work = trainingWork(
    data.rows,
    [data.cols, ...spec.layers.map((l) => l.nh)],
    spec.layers.map((_, l) => ({ epochs: epochsOf(l), k: optionsOf(l).k }))
  )
  const passUp = (rbm: Rbm, b: Batch | undefined, r: Rng) =>
    b ? passUpOneLayer(rbm, b, spec.options.passUp, r, kernels) : undefined

  const here = trainingArithmetic(kernels)
  const before = spec.resume?.arithmetic ?? []
  const arithmetic = before.length && before[before.length - 1] === here ? before.slice() : [...before, here]
  let layer = 0
  const completed: Rbm[] = []
  const passUpRngStates: Uint32Array[] = []
  const history: MonitorRecord[] = []
  let input = data
  let heldOut = heldOut0
  let trainer: TrainerState
  if (spec.resume) {
    const cp = spec.resume
    if (cp.version !== 1) throw new RangeError(`rbm training: unknown checkpoint version ${String(cp.version)}`)
    if (!sameState(rng.getState(), cp.rngState))
      throw new RangeError(
        'rbm training: the rng passed in is not at resume.rngState; restore it from the checkpoint first'
      )
    if (cp.completed.length !== cp.layer || cp.passUpRngStates.length !== cp.layer || cp.layer >= spec.layers.length) {
      throw new RangeError('rbm training: the checkpoint does not match the layers of the spec')
    }
    layer = cp.layer
    for (let l = 0; l < layer; l++) {
      completed.push(cloneRbm(cp.completed[l]))
      passUpRngStates.push(cp.passUpRngStates[l].slice())
      const r = xoshiro128ssFromState(cp.passUpRngStates[l])
      input = passUp(completed[l], input, r)!
      heldOut = passUp(completed[l], heldOut, r)
    }
    history.push(...cp.history)
    trainer = restoreTrainer(cp.trainer)
  } else {
    trainer = createTrainer(
      { nv: data.cols, nh: spec.layers[0].nh, visibleUnits, hiddenUnits: spec.layers[0].hiddenUnits ?? '01' },
      optionsOf(0),
      rng
    )
  }

  const checkpoint = (): RbmTrainingCheckpoint => {
    const t = checkpointTrainer(trainer)
    t.rngState = rng.getState()
    return {
      version: 1,
      layer,
      completed: completed.map(cloneRbm),
      trainer: t,
      passUpRngStates: passUpRngStates.map((s) => s.slice()),
      history: history.slice(),
      rngState: rng.getState(),
      arithmetic: arithmetic.slice()
    }
  }
  const report = () => {
    const E = epochsOf(layer)
    const fraction = trainer.batchIndex / batchesPerEpoch(input.rows, Math.min(trainer.options.batchSize, input.rows))
    sink.progress({
      done: workDone(work, layer, trainer.epoch + (trainer.epoch < E ? fraction : 0), E),
      total: 100,
      unit: '%',
      note: `layer ${layer + 1}/${spec.layers.length}, epoch ${trainer.epoch}/${E}`
    })
  }
  const thumbnails = (): RbmTrainingFrame['thumbnails'] => {
    const count = spec.options.thumbnails ?? 0
    const lat = spec.lattice
    if (count <= 0 || !lat || data.cols !== lat.Lx * lat.Ly) return undefined
    const fields = receptiveFields([...completed, trainer.rbm], layer + 1, lat.Lx, lat.Ly, { kernels })
    return {
      depth: layer + 1,
      Lx: lat.Lx,
      Ly: lat.Ly,
      images: fields.images.slice(0, count),
      globalMin: fields.globalMin,
      globalMax: fields.globalMax
    }
  }
  const monitorSettings = (l: number): MonitorSettings => {
    const { physical, dataDistribution, ...rest } = spec.monitors
    const settings: MonitorSettings = { ...rest }
    if (l === 0 && dataDistribution) settings.dataDistribution = dataDistribution
    if (l === 0 && physical && spec.lattice) settings.physical = { ...physical, lattice: spec.lattice }
    return settings
  }

  report()
  const frameIntervalMs = spec.options.frameIntervalMs ?? 250
  let lastFrameAt = -Infinity
  /** Monitor series of epochs whose frames were held back, delivered with the next frame. */
  let pendingSeries: Record<string, Float64Array> = {}
  let cancelled = false
  for (;;) {
    while (trainer.epoch < epochsOf(layer)) {
      const commands = await signal.next()
      for (const command of commands) {
        if (command.type === 'snapshot') sink.reply(command.requestId, checkpoint())
        else sink.log(`rbm training: ignored command ${command.type}`)
      }
      if (signal.cancelled) {
        cancelled = true
        break
      }
      if (signal.paused) continue
      const epoch = trainer.epoch
      const start = signal.now()
      do trainBatches(trainer, input, rng, 1, kernels)
      while (trainer.epoch === epoch && signal.now() - start < RBM_TRAINING_SLICE_MS)
      if (trainer.epoch !== epoch) {
        const monitors = computeMonitors(trainer.rbm, input, monitorSettings(layer), { heldOut, rng, kernels })
        history.push({ layer, epoch: trainer.epoch, monitors })
        const series: Record<string, Float64Array> = {}
        for (const [key, value] of Object.entries(monitors))
          if (typeof value === 'number') series[`layer${layer + 1}:${key}`] = Float64Array.of(value)
        series[`layer${layer + 1}:epoch`] = Float64Array.of(trainer.epoch)
        pendingSeries = appendSeries(pendingSeries, series)
        const lastOfLayer = trainer.epoch >= epochsOf(layer)
        if (lastOfLayer || signal.now() - lastFrameAt >= frameIntervalMs) {
          const frame: RbmTrainingFrame = {
            layer,
            epoch: trainer.epoch,
            monitors,
            checkpoint: checkpoint(),
            series: pendingSeries
          }
          const thumbs = thumbnails()
          if (thumbs) frame.thumbnails = thumbs
          sink.frame(frame)
          pendingSeries = {}
          lastFrameAt = signal.now()
        }
      }
      report()
    }
    if (cancelled || layer === spec.layers.length - 1) break
    completed.push(trainer.rbm)
    passUpRngStates.push(rng.getState())
    input = passUp(trainer.rbm, input, rng)!
    heldOut = passUp(trainer.rbm, heldOut, rng)
    layer++
    trainer = createTrainer(
      {
        nv: input.cols,
        nh: spec.layers[layer].nh,
        visibleUnits: trainer.rbm.hiddenUnits,
        hiddenUnits: spec.layers[layer].hiddenUnits ?? '01'
      },
      optionsOf(layer),
      rng
    )
    report()
  }
  const final = checkpoint()
  return {
    dbn: { layers: [...completed.map(cloneRbm), cloneRbm(trainer.rbm)], passUp: spec.options.passUp },
    history: history.slice(),
    checkpoint: final,
    complete: !cancelled,
    arithmetic: arithmetic.slice()
  }
}
