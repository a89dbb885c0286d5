import type { TrainingOptions } from '@core/rbm/optimizer'
import type { ProjectTraining } from '@shared/project/types'
import type { TrainingConfig } from './trainingForm'

/**
 * Between a training record and the training form's configuration. The job spec of a record is
 * the project layer's (src-main/shared/project/trainingSpec.ts), shared with the paper template
 * and `blockspin rbm train`; it is re-exported here for the stores.
 */
export { jobMonitors, trainingJobSpec } from '@shared/project/trainingSpec'

/** A training record (with its monitor choices). */
export type TrainingRecord = ProjectTraining

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
