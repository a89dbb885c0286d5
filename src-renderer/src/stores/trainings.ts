import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { RbmTrainingFrame, RbmTrainingResult } from '@core/jobs/rbmTrain'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { Dbn } from '@core/rbm/dbn'
import type { ModelV2, NpyArray } from '@shared/project/types'
import { getApi } from '../api'
import { dbnOfCheckpoint } from '@shared/project/trainingArrays'
import { physicalLattice } from '@shared/project/trainingData'
import { useJobEvents } from '../composables/useJobEvents'
import type { JobHandlers } from '../logic/jobEvents'
import { createFrameBuffer, EMPTY_RUNTIME, runtimeFromRecord, type TrainingRuntime } from '../logic/trainingRuntime'
import { collectTrainings } from '../logic/trainingSave'
import { trainingJobSpec, type TrainingRecord } from '../logic/trainingSpec'
import { useJobsStore } from './jobs'

/**
 * Trainings of RBMs and deep belief networks: the jobs that train them ('rbm.train'), their live
 * history and latest checkpoint, and their arrays for saving. The records themselves live in the
 * project (`project.trainings`); this store keeps what is not JSON, by training id, and has the
 * project change a record's status as its job pauses, stops or finishes (TrainingRecordActions).
 *
 * A running or paused training is saved with a fresh checkpoint (asked of the job) as status
 * 'paused'; resuming it starts a job with `resume: checkpoint` and the generator at
 * checkpoint.rngState, which continues the uninterrupted run bit for bit.
 */

/** Where a training's data come from: its dataset's int8 samples and the dataset's model. */
export interface TrainingSource {
  samples: NpyArray
  model?: ModelV2
}

/** How this store has the project change its training records (the project store registers them). */
export interface TrainingRecordActions {
  setStatus(id: string, status: TrainingRecord['status']): void
  /** Back to a draft: no arrays, checkpoint or history. */
  resetToDraft(id: string): void
}

/** A training job's title: the training's name and its layer sizes. */
function jobTitle(name: string, sizes: string): string {
  return `${name} (${sizes})`
}

export const useTrainingsStore = defineStore('trainings', () => {
  /** By training id; entries are replaced, never mutated. */
  const runtime = shallowRef<Record<string, TrainingRuntime>>({})
  /** Bumped whenever a record changes here (the project marks itself dirty). */
  const revision = ref(0)
  /** Records of the trainings with a job, by job id. */
  const byJob = new Map<string, TrainingRecord>()
  /** Each job started here: its training and the layer sizes in its title ("1600 → 400 → 100"). */
  const jobTitles = new Map<string, { trainingId: string; sizes: string }>()
  let recordActions: TrainingRecordActions | null = null
  /** Registers how the project changes its training records (the project store does). */
  const setRecordActions = (actions: TrainingRecordActions | null): void => void (recordActions = actions)

  const of = (id: string): TrainingRuntime => runtime.value[id] ?? EMPTY_RUNTIME
  function patch(id: string, change: Partial<TrainingRuntime>): void {
    runtime.value = { ...runtime.value, [id]: { ...of(id), ...change } }
  }
  function changed(): void {
    revision.value++
  }
  /** Has the project set a training's status, when it differs. */
  function setStatus(record: TrainingRecord, status: TrainingRecord['status']): void {
    if (record.status === status) return
    recordActions?.setStatus(record.id, status)
    changed()
  }

  /** The network to show: finished, or as far as the latest checkpoint has it. */
  function networkOf(id: string, passUp: Dbn['passUp'] = 'probabilities'): Dbn | null {
    const r = of(id)
    return r.dbn ?? (r.checkpoint ? dbnOfCheckpoint(r.checkpoint, passUp) : null)
  }

  /** What happens to a training as its job sends frames, status updates and its result. */
  function trainingHandlers(jobId: string): JobHandlers<'rbm.train'> {
    return {
      frame: (frame) => onFrame(jobId, frame),
      result: (result) => onResult(jobId, result),
      update({ status, error }) {
        const record = byJob.get(jobId)
        if (!record) return
        if (status === 'failed') {
          byJob.delete(jobId)
          patch(record.id, { phase: 'failed', jobId: null, error: error ?? 'The training failed.' })
          if (of(record.id).checkpoint) setStatus(record, 'paused')
        } else if (status === 'paused' || status === 'running') {
          patch(record.id, { phase: status })
        }
      }
    }
  }

  /** A training job's frames, shown at most every 250 ms (trainingRuntime.ts). */
  const frames = createFrameBuffer(250, of, (latest) => {
    const next = { ...runtime.value }
    for (const [id, b] of latest) next[id] = { ...(next[id] ?? EMPTY_RUNTIME), ...b }
    runtime.value = next
  })
  /** Shows the buffered frames now. */
  const flushFrames = (): void => frames.flush()

  function onFrame(jobId: string, frame: RbmTrainingFrame): void {
    const record = byJob.get(jobId)
    if (record && frame) frames.add(record.id, frame)
  }

  function onResult(jobId: string, result: RbmTrainingResult | null): void {
    const record = byJob.get(jobId)
    if (!record) return
    byJob.delete(jobId)
    flushFrames()
    if (!result) {
      patch(record.id, { jobId: null, phase: of(record.id).checkpoint ? 'paused' : 'draft' })
      return
    }
    if (result.complete) {
      setStatus(record, 'done')
      patch(record.id, {
        phase: 'done',
        jobId: null,
        dbn: result.dbn,
        history: result.history,
        checkpoint: null,
        error: null,
        arithmetic: result.arithmetic ?? []
      })
    } else {
      // Stopped: resumable from where it stopped.
      setStatus(record, 'paused')
      patch(record.id, { phase: 'paused', jobId: null, checkpoint: result.checkpoint, history: result.history })
    }
    changed()
  }

  function load(records: TrainingRecord[], arrays: Record<string, NpyArray>): void {
    frames.clear()
    for (const jobId of byJob.keys()) {
      useJobEvents().unwatch(jobId)
      void getApi()
        ['jobs.control']({ jobId, action: 'cancel' })
        .catch(() => undefined)
    }
    byJob.clear()
    jobTitles.clear()
    const next: Record<string, TrainingRuntime> = {}
    for (const t of records) next[t.id] = runtimeFromRecord(t, arrays)
    runtime.value = next
  }

  async function launch(record: TrainingRecord, source: TrainingSource, resume?: RbmTrainingCheckpoint): Promise<void> {
    // Checkpoints that came with frames carry no history: give the job the history gathered here.
    const known = of(record.id).history
    if (resume && resume.history.length < known.length) resume = { ...resume, history: known }
    let spec
    try {
      spec = trainingJobSpec(record, source.samples, physicalLattice(source.model), resume)
    } catch (e) {
      // A dataset the network cannot read (block averages): say why, in the training's view.
      patch(record.id, { error: `The training was not started: ${(e as Error).message}.` })
      return
    }
    const sizes = [spec.data.cols, ...record.layers.map((l) => l.nh)].join(' → ')
    patch(record.id, {
      phase: 'running',
      error: null,
      ...(resume ? { checkpoint: resume } : { history: [], checkpoint: null, dbn: null, arithmetic: [] })
    })
    const request = {
      kind: 'rbm.train',
      title: jobTitle(record.name, sizes),
      interactive: false,
      spec,
      seed: record.seed
    } as const
    await useJobEvents().start({ ...request, ...(resume ? { rngState: resume.rngState } : {}) }, (jobId) => {
      byJob.set(jobId, record)
      jobTitles.set(jobId, { trainingId: record.id, sizes })
      patch(record.id, { jobId })
      return trainingHandlers(jobId)
    })
  }

  /** Retitles the training's jobs (running or still listed) after the training was renamed. */
  function renamed(record: TrainingRecord): void {
    for (const [jobId, { trainingId, sizes }] of jobTitles) {
      if (trainingId === record.id) useJobsStore().retitle(jobId, jobTitle(record.name, sizes))
    }
  }

  /** Starts a draft from scratch. */
  async function start(record: TrainingRecord, source: TrainingSource): Promise<void> {
    if (of(record.id).jobId) return
    await launch(record, source)
  }

  async function pause(record: TrainingRecord): Promise<void> {
    const jobId = of(record.id).jobId
    if (!jobId) return
    const { ok } = await getApi()['jobs.control']({ jobId, action: 'pause' })
    // Not ok: the job has just finished or stopped, and its result says what the training is.
    if (!ok || of(record.id).jobId !== jobId) return
    patch(record.id, { phase: 'paused' })
    setStatus(record, 'paused')
  }

  /** Continues a paused job, or starts a new one from the stored checkpoint. */
  async function resume(record: TrainingRecord, source: TrainingSource): Promise<void> {
    const r = of(record.id)
    if (r.jobId) {
      const { ok } = await getApi()['jobs.control']({ jobId: r.jobId, action: 'resume' })
      if (ok && of(record.id).jobId === r.jobId) patch(record.id, { phase: 'running' })
    } else if (r.checkpoint) {
      await launch(record, source, r.checkpoint)
    } else {
      await launch(record, source)
    }
  }

  /** Stops the job; its result carries a checkpoint, so the training stays resumable. */
  async function cancel(record: TrainingRecord): Promise<void> {
    const jobId = of(record.id).jobId
    if (jobId) await getApi()['jobs.control']({ jobId, action: 'cancel' })
  }

  /** Back to a draft: progress, weights and history dropped (the configuration kept). */
  function discard(record: TrainingRecord): void {
    forget(record.id)
    recordActions?.resetToDraft(record.id)
    changed()
  }

  /** Drops what this store holds for a training (it was deleted or reset); its job is stopped. */
  function forget(id: string): void {
    frames.drop(id)
    for (const [jobId, record] of byJob) {
      if (record.id !== id) continue
      byJob.delete(jobId)
      useJobEvents().unwatch(jobId)
      void getApi()
        ['jobs.control']({ jobId, action: 'cancel' })
        .catch(() => undefined)
    }
    const next = { ...runtime.value }
    delete next[id]
    runtime.value = next
  }

  /** A training made elsewhere (merged from a cluster bundle), as its record and arrays say. */
  function adopt(record: TrainingRecord, arrays: Record<string, NpyArray>): void {
    forget(record.id)
    runtime.value = { ...runtime.value, [record.id]: runtimeFromRecord(record, arrays) }
  }

  /** The latest checkpoint of a training with a job: asked of the job, else the newest frame's. */
  async function freshCheckpoint(id: string): Promise<RbmTrainingCheckpoint | null> {
    flushFrames()
    const r = of(id)
    if (r.jobId) {
      const cp = await useJobEvents()
        .snapshot(r.jobId, 'rbm.train')
        .catch(() => null)
      if (cp) {
        patch(id, { checkpoint: cp })
        return cp
      }
    }
    return of(id).checkpoint
  }

  /** Records as saved and their arrays: running or paused → 'paused' with a checkpoint; done → weights. */
  const collect = (stored: TrainingRecord[]) => collectTrainings(stored, of, freshCheckpoint)

  return {
    runtime,
    revision,
    of,
    networkOf,
    setRecordActions,
    load,
    start,
    pause,
    resume,
    cancel,
    discard,
    forget,
    adopt,
    collect,
    flushFrames,
    renamed
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useTrainingsStore, import.meta.hot))
