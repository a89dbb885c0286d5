import type { Rng } from '../random/rng'
import { passUpOneLayer, type Dbn, type PassUp } from '../rbm/dbn'
import type { IsingLattice } from '../rbm/isingMonitors'
import { computeMonitors, type MonitorSettings, type MonitorValues } from '../rbm/monitors'
import { cloneRbm } from '../rbm/rbm'
import { receptiveFields } from '../rbm/receptiveFields'
import { batchesPerEpoch, createTrainer, trainBatches, type TrainingOptions } from '../rbm/train'
import type { Batch, DenseKernels, Rbm, UnitKind } from '../rbm/types'
import { batchToUnits } from '../rbm/unitConversion'
import { tsDenseKernels } from '../rbm/kernelsTs'
import { appendSeries } from './frames'
import {
  restoreCheckpoint,
  takeCheckpoint,
  type DbnTrainingState,
  type MonitorRecord,
  type RbmTrainingCheckpoint
} from './rbmTrainCheckpoint'
import { resumedArithmetic, trainingArithmetic, trainingWork, workDone } from './rbmTrainWork'
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
  /**
   * The physical monitors' Gibbs chains cost about as much as an epoch of a large layer: they run
   * after the first epoch, every `physicalEvery`-th and the last (default 1: every epoch). A
   * function of the epoch alone, so a resumed run draws the same numbers.
   */
  physicalEvery?: number
}

/** Whether layer 1's physical monitors run after `epoch` (1-based) of `epochs`. */
export function physicalEpoch(epoch: number, epochs: number, every = 1): boolean {
  return every <= 1 || epoch === 1 || epoch === epochs || epoch % every === 0
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

  const arithmetic = resumedArithmetic(spec.resume?.arithmetic ?? [], trainingArithmetic(kernels))
  const s: DbnTrainingState = spec.resume
    ? restoreCheckpoint(spec.resume, spec.layers.length, rng, data, heldOut0, passUp)
    : {
        layer: 0,
        completed: [],
        passUpRngStates: [],
        history: [],
        trainer: createTrainer(
          { nv: data.cols, nh: spec.layers[0].nh, visibleUnits, hiddenUnits: spec.layers[0].hiddenUnits ?? '01' },
          optionsOf(0),
          rng
        ),
        input: data,
        heldOut: heldOut0
      }
  const checkpoint = (): RbmTrainingCheckpoint => takeCheckpoint(s, rng, arithmetic)
  const report = () => {
    const E = epochsOf(s.layer)
    const fraction =
      s.trainer.batchIndex / batchesPerEpoch(s.input.rows, Math.min(s.trainer.options.batchSize, s.input.rows))
    sink.progress({
      done: workDone(work, s.layer, s.trainer.epoch + (s.trainer.epoch < E ? fraction : 0), E),
      total: 100,
      unit: '%',
      note: `layer ${s.layer + 1}/${spec.layers.length}, epoch ${s.trainer.epoch}/${E}`
    })
  }
  const thumbnails = (): RbmTrainingFrame['thumbnails'] => {
    const count = spec.options.thumbnails ?? 0
    const lat = spec.lattice
    if (count <= 0 || !lat || data.cols !== lat.Lx * lat.Ly) return undefined
    const fields = receptiveFields([...s.completed, s.trainer.rbm], s.layer + 1, lat.Lx, lat.Ly, { kernels })
    return {
      depth: s.layer + 1,
      Lx: lat.Lx,
      Ly: lat.Ly,
      images: fields.images.slice(0, count),
      globalMin: fields.globalMin,
      globalMax: fields.globalMax
    }
  }
  const monitorSettings = (l: number, epoch: number): MonitorSettings => {
    const { physical, dataDistribution, physicalEvery, ...rest } = spec.monitors
    const settings: MonitorSettings = { ...rest }
    if (l === 0 && dataDistribution) settings.dataDistribution = dataDistribution
    if (l === 0 && physical && spec.lattice && physicalEpoch(epoch, epochsOf(0), physicalEvery))
      settings.physical = { ...physical, lattice: spec.lattice }
    return settings
  }

  report()
  const frameIntervalMs = spec.options.frameIntervalMs ?? 250
  let lastFrameAt = -Infinity
  /** Monitor series of epochs whose frames were held back, delivered with the next frame. */
  let pendingSeries: Record<string, Float64Array> = {}
  let cancelled = false
  for (;;) {
    while (s.trainer.epoch < epochsOf(s.layer)) {
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
      const epoch = s.trainer.epoch
      const start = signal.now()
      do trainBatches(s.trainer, s.input, rng, 1, kernels)
      while (s.trainer.epoch === epoch && signal.now() - start < RBM_TRAINING_SLICE_MS)
      if (s.trainer.epoch !== epoch) {
        const monitors = computeMonitors(s.trainer.rbm, s.input, monitorSettings(s.layer, s.trainer.epoch), {
          heldOut: s.heldOut,
          rng,
          kernels
        })
        s.history.push({ layer: s.layer, epoch: s.trainer.epoch, monitors })
        const series: Record<string, Float64Array> = {}
        for (const [key, value] of Object.entries(monitors))
          if (typeof value === 'number') series[`layer${s.layer + 1}:${key}`] = Float64Array.of(value)
        series[`layer${s.layer + 1}:epoch`] = Float64Array.of(s.trainer.epoch)
        pendingSeries = appendSeries(pendingSeries, series)
        const lastOfLayer = s.trainer.epoch >= epochsOf(s.layer)
        if (lastOfLayer || signal.now() - lastFrameAt >= frameIntervalMs) {
          const frame: RbmTrainingFrame = {
            layer: s.layer,
            epoch: s.trainer.epoch,
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
    if (cancelled || s.layer === spec.layers.length - 1) break
    s.completed.push(s.trainer.rbm)
    s.passUpRngStates.push(rng.getState())
    s.input = passUp(s.trainer.rbm, s.input, rng)!
    s.heldOut = passUp(s.trainer.rbm, s.heldOut, rng)
    s.layer++
    s.trainer = createTrainer(
      {
        nv: s.input.cols,
        nh: spec.layers[s.layer].nh,
        visibleUnits: s.trainer.rbm.hiddenUnits,
        hiddenUnits: spec.layers[s.layer].hiddenUnits ?? '01'
      },
      optionsOf(s.layer),
      rng
    )
    report()
  }
  const final = checkpoint()
  return {
    dbn: { layers: [...s.completed.map(cloneRbm), cloneRbm(s.trainer.rbm)], passUp: spec.options.passUp },
    history: s.history.slice(),
    checkpoint: final,
    complete: !cancelled,
    arithmetic: arithmetic.slice()
  }
}
