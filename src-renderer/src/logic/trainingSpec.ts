import type { RbmJobMonitors, RbmTrainingCheckpoint, RbmTrainingSpec } from '@core/jobs/rbmTrain'
import type { IsingLattice } from '@core/rbm/isingMonitors'
import type { TrainingOptions } from '@core/rbm/optimizer'
import { splitSamples } from '@shared/project/trainingData'
import type { TrainingMonitorChoice } from '@shared/project/trainings'
import type { NpyArray, ProjectTraining } from '@shared/project/types'
import type { TrainingConfig } from './trainingForm'

/**
 * From a training record and its dataset to the job spec of 'rbm.train'. Everything here is a
 * pure function of the record and the dataset, so a resumed job gets exactly the spec of the
 * job it continues. The held-out split and the physical lattice check are the project layer's
 * (src-main/shared/project/trainingData.ts), shared with `blockspin rbm train`.
 */

/** A training record (with its monitor choices). */
export type TrainingRecord = ProjectTraining

/** Monitor settings of the job (fixed for a record, so a resume computes the same draws). */
export function jobMonitors(choice: TrainingMonitorChoice, lattice: IsingLattice | null): RbmJobMonitors {
  return {
    reconstruction: true,
    pseudoLikelihood: 'stochastic',
    logLikelihood: choice.logLikelihood,
    ais: { chains: 16, intermediate: 500 },
    freeEnergyGap: true,
    maxRows: 500,
    physical:
      choice.physical && lattice ? { chains: 10, burnIn: 100, samplesPerChain: 40, thin: 1, dataGroups: 10 } : false
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
  t.options = JSON.parse(JSON.stringify(c.options)) as TrainingOptions
  t.passUp = c.passUp
  t.seed = c.seed
  t.monitors = { ...c.monitors }
}

/** The job spec of a training on its dataset's samples, resuming from `resume` when given. */
export function trainingJobSpec(
  t: TrainingRecord,
  samples: NpyArray,
  lattice: IsingLattice | null,
  resume?: RbmTrainingCheckpoint
): RbmTrainingSpec {
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
