import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { NpyArray } from '@shared/project/types'
import { checkpointToArrays, dbnToArrays } from '@shared/project/trainingArrays'
import { trainingHistory } from '@shared/project/trainings'
import type { TrainingRecord } from './trainingSpec'

/** What saving needs to know of a training besides its record (the trainings store's runtime). */
export interface TrainingSaveState {
  phase: 'draft' | 'running' | 'paused' | 'done' | 'failed'
  jobId: string | null
  history: RbmTrainingCheckpoint['history']
  dbn: Dbn | null
  arithmetic: string[]
}

/**
 * Records as saved and their arrays: a finished network → 'done' with its weights; running or
 * paused → 'paused' with a fresh checkpoint (`freshCheckpoint` asks the job); else a draft.
 */
export async function collectTrainings(
  records: TrainingRecord[],
  stateOf: (id: string) => TrainingSaveState,
  freshCheckpoint: (id: string) => Promise<RbmTrainingCheckpoint | null>
): Promise<{ trainings: TrainingRecord[]; arrays: Record<string, NpyArray> }> {
  const arrays: Record<string, NpyArray> = {}
  const trainings: TrainingRecord[] = []
  for (const stored of records) {
    const t: TrainingRecord = { ...stored, arrays: {} }
    delete t.checkpoint
    const r = stateOf(stored.id)
    const put = (roles: Record<string, NpyArray>) => {
      for (const [role, array] of Object.entries(roles)) {
        const id = `${t.id}.${role}`
        arrays[id] = array
        t.arrays[role] = id
      }
    }
    // A finished network is saved as such whatever the phase says (never as a draft).
    if (r.dbn && !r.jobId) {
      put(dbnToArrays(r.dbn))
      t.status = 'done'
      t.history = trainingHistory(r.history, r.arithmetic)
    } else {
      const cp = r.phase === 'draft' && !r.jobId ? null : await freshCheckpoint(stored.id)
      if (cp) {
        const { arrays: roles, scalars } = checkpointToArrays(cp)
        put(roles)
        t.status = 'paused'
        t.checkpoint = scalars
        t.history = trainingHistory(cp.history.length >= r.history.length ? cp.history : r.history)
      } else {
        t.status = 'draft'
        delete t.history
      }
    }
    trainings.push(t)
  }
  return { trainings, arrays }
}
