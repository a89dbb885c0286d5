import type { RawBatch, RbmJobMonitors, RbmTrainingCheckpoint, RbmTrainingSpec } from '../../../src-core/jobs/rbmTrain'
import type { IsingLattice } from '../../../src-core/rbm/isingMonitors'
import type { TrainingOptions } from '../../../src-core/rbm/optimizer'
import type { UnitKind } from '../../../src-core/rbm/types'
import type { ModelV2, NpyArray, ProjectTraining } from '../../../src-main/shared/project/types'
import type { TrainingConfig, TrainingMonitorChoice } from './trainingForm'

/**
 * From a training record and its dataset to the job spec of 'rbm.train'. Everything here is a
 * pure function of the record and the dataset, so a resumed job gets exactly the spec of the
 * job it continues (SCIENCE.md §1: units converted explicitly, v01 = (v + 1)/2).
 */

/** The last tenth of the samples is held out (the free-energy gap, held-out likelihood). */
export const HELD_OUT_FRACTION = 0.1
/** Fewer samples than this: no held-out set. */
export const HELD_OUT_MIN_SAMPLES = 20

/** A training record with its monitor choices (a loose field of the project format). */
export type TrainingRecord = ProjectTraining & { monitors?: TrainingMonitorChoice }

/** Rows and columns of a dataset's int8 samples ([n, Ly, Lx] or [n, N]). */
export function sampleShape(samples: NpyArray): { rows: number; cols: number } {
  const [rows = 0, ...rest] = samples.shape
  return { rows, cols: rest.reduce((p, x) => p * x, 1) }
}

export function heldOutRows(rows: number): number {
  return rows >= HELD_OUT_MIN_SAMPLES ? Math.floor(rows * HELD_OUT_FRACTION) : 0
}

/** ±1 spins in the visible units: {0,1} by v01 = (v + 1)/2, or ±1 unchanged. Int8 keeps transfers small. */
export function spinsToUnits(spins: Int8Array, units: UnitKind): Int8Array {
  if (units === 'pm1') return spins.slice()
  const out = new Int8Array(spins.length)
  for (let k = 0; k < spins.length; k++) {
    const v = spins[k]!
    if (v !== 1 && v !== -1) throw new RangeError(`sample value ${v} at entry ${k} is not a spin ±1`)
    out[k] = (v + 1) / 2
  }
  return out
}

/** Training rows and held-out rows of a dataset, in the visible units. */
export function splitSamples(samples: NpyArray, units: UnitKind): { data: RawBatch; heldOut?: RawBatch } {
  if (!(samples.data instanceof Int8Array)) throw new RangeError('the dataset’s samples are not int8 spins')
  const { rows, cols } = sampleShape(samples)
  const held = heldOutRows(rows)
  const train = rows - held
  const values = spinsToUnits(samples.data, units)
  const data: RawBatch = { rows: train, cols, data: values.subarray(0, train * cols) }
  return held > 0 ? { data, heldOut: { rows: held, cols, data: values.subarray(train * cols) } } : { data }
}

/**
 * The model's lattice for the physical monitors when it is a uniform periodic square lattice at
 * zero field (what isingMonitors.ts assumes), else null.
 */
export function physicalLattice(model: ModelV2 | undefined): IsingLattice | null {
  if (!model) return null
  const l = model.lattice
  const u = model.uniform
  const uniform = [u.Kx, u.Ky].every((k) => k === undefined || k === u.K) && u.h === 0
  const plain = model.arrays.fields === undefined && model.arrays.couplings === undefined
  if (l.kind !== 'square' || !l.periodicX || !l.periodicY || l.diagonals || !uniform || !plain) return null
  return { Lx: l.Lx, Ly: l.Ly, K: u.K }
}

/** Monitor settings of the job (fixed for a record, so a resume computes the same draws). */
export function jobMonitors(choice: TrainingMonitorChoice, lattice: IsingLattice | null): RbmJobMonitors {
  return {
    reconstruction: true,
    pseudoLikelihood: 'stochastic',
    logLikelihood: choice.logLikelihood,
    ais: { chains: 16, intermediate: 500 },
    freeEnergyGap: true,
    maxRows: 500,
    physical: choice.physical && lattice ? { chains: 10, burnIn: 100, samplesPerChain: 40, thin: 1, dataGroups: 10 } : false
  }
}

export function configOfRecord(t: TrainingRecord): TrainingConfig {
  return {
    visibleUnits: t.visibleUnits,
    layers: t.layers.map((l) => ({ nh: l.nh, hiddenUnits: l.hiddenUnits })),
    options: JSON.parse(JSON.stringify(t.options)) as TrainingOptions,
    passUp: t.passUp,
    seed: t.seed,
    monitors: t.monitors ?? { logLikelihood: 'auto', physical: false }
  }
}

/** The record's fields a configuration sets. */
export function applyConfig(t: TrainingRecord, c: TrainingConfig): void {
  t.visibleUnits = c.visibleUnits
  t.layers = c.layers.map((l) => ({ ...l }))
  t.options = JSON.parse(JSON.stringify(c.options)) as Record<string, unknown>
  t.passUp = c.passUp
  t.seed = c.seed
  t.monitors = { ...c.monitors }
}

/** The job spec of a training on its dataset's samples, resuming from `resume` when given. */
export function trainingJobSpec(t: TrainingRecord, samples: NpyArray, lattice: IsingLattice | null, resume?: RbmTrainingCheckpoint): RbmTrainingSpec {
  const config = configOfRecord(t)
  const split = splitSamples(samples, config.visibleUnits)
  const usable = lattice && split.data.cols === lattice.Lx * lattice.Ly ? lattice : null
  return {
    ...split,
    dataUnits: config.visibleUnits,
    layers: config.layers.map((l) => ({ nh: l.nh, hiddenUnits: l.hiddenUnits })),
    options: { training: config.options, passUp: config.passUp, visibleUnits: config.visibleUnits },
    monitors: jobMonitors(config.monitors, usable),
    ...(usable && config.monitors.physical ? { lattice: usable } : {}),
    ...(resume ? { resume } : {})
  }
}
