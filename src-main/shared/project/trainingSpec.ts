import type { RbmJobMonitors, RbmTrainingSpec } from '@core/jobs/rbmTrain'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { IsingLattice } from '@core/rbm/isingMonitors'
import type { TrainingOptions } from '@core/rbm/optimizer'
import { checkpointToArrays, dbnToArrays } from './trainingArrays'
import { splitSamples } from './trainingData'
import { trainingHistory, type TrainingMonitorChoice } from './trainings'
import type { NpyArray, ProjectTraining } from './types'

/**
 * From a training record and its dataset to the job spec of 'rbm.train', and from the job's
 * outcome back to the record and its arrays. Everything here is a pure function of the record and
 * the dataset, so a resumed job gets exactly the spec of the job it continues, and the app, the
 * paper template and `blockspin rbm train` train with the same monitors.
 */

/**
 * Monitor settings of the job (fixed for a record, so a resume computes the same draws). The
 * physical monitors' Gibbs chains run on about 20 epochs of a layer (every epoch up to 20), so a
 * 200-epoch paper training spends a small share of its time on them.
 */
export function jobMonitors(choice: TrainingMonitorChoice, lattice: IsingLattice | null, epochs = 1): RbmJobMonitors {
  return {
    physicalEvery: Math.max(1, Math.round(epochs / 20)),
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

/** The job spec of a training on its dataset's samples, resuming from `resume` when given. */
export function trainingJobSpec(
  t: ProjectTraining,
  samples: NpyArray,
  lattice: IsingLattice | null,
  resume?: RbmTrainingCheckpoint
): RbmTrainingSpec {
  const split = splitSamples(samples, t.visibleUnits)
  const usable = lattice && split.data.cols === lattice.Lx * lattice.Ly ? lattice : null
  const monitors = t.monitors ?? { logLikelihood: 'auto', physical: false }
  return {
    ...split,
    dataUnits: t.visibleUnits,
    layers: t.layers.map((l) => ({ nh: l.nh, hiddenUnits: l.hiddenUnits })),
    options: {
      training: JSON.parse(JSON.stringify(t.options)) as TrainingOptions,
      passUp: t.passUp,
      visibleUnits: t.visibleUnits
    },
    monitors: jobMonitors(monitors, usable, t.options.epochs),
    ...(usable && monitors.physical ? { lattice: usable } : {}),
    ...(resume ? { resume } : {})
  }
}

/** How a training's job ended: a finished network, or a checkpoint to resume from. */
export type TrainingOutcome =
  { dbn: Dbn; history: RbmTrainingCheckpoint['history']; arithmetic: string[] } | { checkpoint: RbmTrainingCheckpoint }

/**
 * The record as saved after its job, with its arrays under `${id}.${role}`: 'done' with the
 * network's weights, or 'paused' with the checkpoint (resumable bit for bit).
 */
export function trainingRecordAfter(
  stored: ProjectTraining,
  outcome: TrainingOutcome
): { record: ProjectTraining; arrays: Record<string, NpyArray> } {
  const record: ProjectTraining = { ...stored, arrays: {} }
  delete record.checkpoint
  const arrays: Record<string, NpyArray> = {}
  const put = (roles: Record<string, NpyArray>) => {
    for (const [role, array] of Object.entries(roles)) {
      arrays[`${record.id}.${role}`] = array
      record.arrays[role] = `${record.id}.${role}`
    }
  }
  if ('dbn' in outcome) {
    put(dbnToArrays(outcome.dbn))
    record.status = 'done'
    record.history = trainingHistory(outcome.history, outcome.arithmetic)
  } else {
    const { arrays: roles, scalars } = checkpointToArrays(outcome.checkpoint)
    put(roles)
    record.status = 'paused'
    record.checkpoint = scalars
    record.history = trainingHistory(outcome.checkpoint.history)
  }
  return { record, arrays }
}
