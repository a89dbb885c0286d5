import type { RbmTrainingFrame } from '@core/jobs/rbmTrain'
import type { MonitorRecord, RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { NpyArray } from '@shared/project/types'
import { arithmeticOf, checkpointFromArrays, dbnFromArrays, historyOf } from '@shared/project/trainingArrays'
import { createThrottle } from './throttle'
import type { TrainingRecord } from './trainingSpec'

// What the trainings store (stores/trainings.ts) keeps of a training besides its record: its
// phase, job, history, checkpoint and network; here as plain values and the functions that make them.

export type TrainingPhase = 'draft' | 'running' | 'paused' | 'done' | 'failed'

export interface TrainingRuntime {
  phase: TrainingPhase
  jobId: string | null
  history: MonitorRecord[]
  /** Latest checkpoint (from the job's frames, a snapshot, a stop, or the project file). */
  checkpoint: RbmTrainingCheckpoint | null
  /** The finished network ('done'). */
  dbn: Dbn | null
  error: string | null
  /** The arithmetic that trained it (RbmTrainingCheckpoint.arithmetic; the checkpoint's wins while it has one). */
  arithmetic: string[]
}

/** A draft that never ran. */
export const EMPTY_RUNTIME: TrainingRuntime = {
  phase: 'draft',
  jobId: null,
  history: [],
  checkpoint: null,
  dbn: null,
  error: null,
  arithmetic: []
}

/**
 * A training's runtime as its project record and arrays have it: a paused one with its
 * checkpoint, a finished one with its network. Arrays that do not make one leave a sentence in
 * `error` (the training can be trained again from the start).
 */
export function runtimeFromRecord(record: TrainingRecord, arrays: Record<string, NpyArray>): TrainingRuntime {
  const mine: Record<string, NpyArray | undefined> = {}
  for (const [role, id] of Object.entries(record.arrays)) mine[role] = arrays[id]
  const entry: TrainingRuntime = { ...EMPTY_RUNTIME, history: historyOf(record), arithmetic: arithmeticOf(record) }
  try {
    if (record.status === 'paused')
      Object.assign(entry, { phase: 'paused', checkpoint: checkpointFromArrays(record, mine) })
    else if (record.status === 'done') Object.assign(entry, { phase: 'done', dbn: dbnFromArrays(record, mine) })
  } catch (e) {
    entry.error = `${(e as Error).message}; it can be trained again from the start.`
  }
  return entry
}

/**
 * The history after a frame: the checkpoint's whole history when it carries one at least as
 * long, else the frame's epoch added once.
 */
export function historyWithFrame(history: MonitorRecord[], frame: RbmTrainingFrame): MonitorRecord[] {
  const all = frame.checkpoint?.history
  if (all && all.length >= history.length) return all
  if (history.some((h) => h.layer === frame.layer && h.epoch === frame.epoch)) return history
  return [...history, { layer: frame.layer, epoch: frame.epoch, monitors: frame.monitors }]
}

/** A training's newest history and checkpoint, as the frames so far have them. */
export type FrameState = Pick<TrainingRuntime, 'history' | 'checkpoint'>

/**
 * Frames arrive up to 60 times a second; they are gathered here per training and shown (`show`,
 * with the newest history and checkpoint of each training that had frames) at most every `ms`,
 * so charts and images never starve the page of time. `current` is what is shown now.
 */
export function createFrameBuffer(
  ms: number,
  current: (id: string) => FrameState,
  show: (latest: Map<string, FrameState>) => void
): { add(id: string, frame: RbmTrainingFrame): void; flush(): void; drop(id: string): void; clear(): void } {
  const buffered = new Map<string, FrameState>()
  const throttle = createThrottle(ms, () => {
    if (buffered.size === 0) return
    const latest = new Map(buffered)
    buffered.clear()
    show(latest)
  })
  return {
    add(id, frame) {
      const { history, checkpoint } = buffered.get(id) ?? current(id)
      buffered.set(id, { history: historyWithFrame(history, frame), checkpoint: frame.checkpoint ?? checkpoint })
      throttle.request()
    },
    flush: () => throttle.flush(),
    drop: (id) => void buffered.delete(id),
    clear: () => buffered.clear()
  }
}
