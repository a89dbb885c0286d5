import { datasetRecord } from '@shared/project/datasetRecords'
import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef } from 'vue'
import type { DatasetResult, DatasetSpec } from '@core/jobs/isingDataset'
import type { SweepResult, SweepSpec } from '@core/jobs/isingSweep'
import { exactSummary, type ExactDetails, type ExactSpec } from '@core/jobs/isingExact'
import { onsagerCoupling } from '../logic/exactTable'
import type { ExactResult } from '@core/ising/exact/types'
import type { NpyArray, ProjectAnalysis, ProjectDataset } from '@shared/project/types'
import type { ResultOf } from '@shared/jobKinds'
import { getApi } from '../api'
import { useJobEvents } from '../composables/useJobEvents'
import type { JobHandlers } from '../logic/jobEvents'

/** A dataset or sweep job started in this session, not yet in the project. */
export interface PendingJob {
  jobId: string
  kind: 'dataset' | 'sweep' | 'exact'
  /** The id its record will get. */
  id: string
  name: string
  sourceId: string | null
}

/** What a finished job adds to the project: a dataset, several (an RG cascade's levels), an analysis. */
export interface FinishedItem {
  dataset?: ProjectDataset
  datasets?: ProjectDataset[]
  analysis?: ProjectAnalysis
}

/**
 * Datasets and analyses: their (large) arrays, and the jobs that make new ones. Finished jobs
 * are handed to the project through `onFinished`, which adds the record to the tree.
 */
export const useDataStore = defineStore('data', () => {
  /** Arrays of datasets and analyses by array id (never deep-reactive). */
  const arrays = shallowRef<Record<string, NpyArray>>({})
  /** Jobs whose results will become datasets or analyses. */
  const pending = ref<PendingJob[]>([])
  let finished: ((item: FinishedItem) => void) | null = null

  function load(loaded: Record<string, NpyArray>, datasets: ProjectDataset[], analyses: ProjectAnalysis[]): void {
    const keep: Record<string, NpyArray> = {}
    for (const d of datasets) for (const id of Object.values(d.arrays)) if (id && loaded[id]) keep[id] = loaded[id]
    for (const a of analyses) for (const id of Object.values(a.arrays)) if (loaded[id]) keep[id] = loaded[id]
    arrays.value = keep
    for (const p of pending.value) {
      useJobEvents().unwatch(p.jobId)
      void getApi()
        ['jobs.control']({ jobId: p.jobId, action: 'cancel' })
        .catch(() => undefined)
    }
    pending.value = []
  }

  /** Where finished datasets and analyses go (the project adds them to its records). */
  function onFinished(handler: typeof finished): void {
    finished = handler
  }

  /** Keeps a started job pending, and turns its result into a record for `finished`. */
  function pendingJob<K extends 'ising.dataset' | 'ising.sweep' | 'ising.exact'>(
    job: PendingJob,
    record: (result: NonNullable<ResultOf<K>>) => { dataset?: ProjectDataset; analysis?: ProjectAnalysis }
  ): JobHandlers<K> {
    pending.value = [...pending.value, job]
    const waiting = () => pending.value.some((p) => p.jobId === job.jobId)
    const stopWaiting = () => void (pending.value = pending.value.filter((p) => p.jobId !== job.jobId))
    return {
      result(result, cancelled) {
        if (!waiting()) return
        stopWaiting()
        if (!cancelled && result) finished?.(record(result))
      },
      // A failed job sends no result: stop waiting for it (the jobs strip shows why it failed).
      update({ status }) {
        if (status === 'failed') stopWaiting()
      }
    }
  }

  async function startDataset(opts: {
    id: string
    name: string
    modelId: string
    spec: DatasetSpec
    seed: number
  }): Promise<void> {
    const request = {
      kind: 'ising.dataset',
      title: opts.name,
      interactive: false,
      spec: opts.spec,
      seed: opts.seed
    } as const
    await useJobEvents().start(request, (jobId) => {
      const job: PendingJob = { jobId, kind: 'dataset', id: opts.id, name: opts.name, sourceId: opts.modelId }
      return pendingJob<'ising.dataset'>(job, (r) => ({ dataset: addDataset(job, opts, r) }))
    })
  }

  async function startSweep(opts: { id: string; name: string; spec: SweepSpec; seed: number }): Promise<void> {
    const request = {
      kind: 'ising.sweep',
      title: opts.name,
      interactive: false,
      spec: opts.spec,
      seed: opts.seed
    } as const
    await useJobEvents().start(request, (jobId) => {
      const job: PendingJob = { jobId, kind: 'sweep', id: opts.id, name: opts.name, sourceId: null }
      return pendingJob<'ising.sweep'>(job, (r) => ({ analysis: sweepAnalysis(job, opts, r) }))
    })
  }

  /** Solves a model exactly in a worker; the result becomes an 'exact' analysis of the model. */
  async function startExact(opts: { id: string; name: string; modelId: string; spec: ExactSpec }): Promise<void> {
    const request = { kind: 'ising.exact', title: opts.name, interactive: false, spec: opts.spec, seed: 0 } as const
    await useJobEvents().start(request, (jobId) => {
      const job: PendingJob = { jobId, kind: 'exact', id: opts.id, name: opts.name, sourceId: opts.modelId }
      return pendingJob<'ising.exact'>(job, (r) => ({
        analysis: exactAnalysis(job, r, onsagerCoupling(opts.spec.model))
      }))
    })
  }

  /** The record of an exact solution; its marginals, correlations and P(v) (when given) as arrays. */
  function exactAnalysis(job: PendingJob, r: ExactResult & ExactDetails, onsagerK: number | null): ProjectAnalysis {
    const kept: Record<string, string> = {}
    const next = { ...arrays.value }
    const keep = (name: keyof ExactDetails, shape: number[]): void => {
      const values = r[name]
      if (!values) return
      kept[name] = `${job.id}.${name}`
      next[kept[name]] = { dtype: '<f8', shape, data: Float64Array.from(values) }
    }
    keep('marginals', [r.N])
    keep('correlations', [r.N, r.N])
    keep('distribution', [2 ** r.N])
    arrays.value = next
    const spec = { method: r.method, ...(onsagerK === null ? {} : { onsagerK }) }
    return {
      id: job.id,
      name: job.name,
      kind: 'exact',
      sourceId: job.sourceId,
      spec,
      createdAt: new Date().toISOString(),
      arrays: kept,
      result: exactSummary(r)
    }
  }

  function addDataset(
    job: PendingJob,
    started: { modelId: string; spec: DatasetSpec; seed: number },
    r: DatasetResult
  ): ProjectDataset {
    const made = datasetRecord({ id: job.id, name: job.name, ...started, result: r })
    arrays.value = { ...arrays.value, ...made.arrays }
    return made.dataset
  }

  function sweepAnalysis(job: PendingJob, started: { spec: SweepSpec; seed: number }, r: SweepResult): ProjectAnalysis {
    return {
      id: job.id,
      name: job.name,
      kind: 'sweep',
      sourceId: job.sourceId,
      spec: { ...started.spec, seed: started.seed },
      createdAt: new Date().toISOString(),
      arrays: {},
      result: JSON.parse(JSON.stringify(r)) as Record<string, unknown>
    }
  }

  /** The arrays of the given datasets and analyses, for saving. */
  function collect(datasets: ProjectDataset[], analyses: ProjectAnalysis[]): Record<string, NpyArray> {
    const out: Record<string, NpyArray> = {}
    for (const d of datasets)
      for (const id of Object.values(d.arrays)) if (id && arrays.value[id]) out[id] = arrays.value[id]
    for (const a of analyses) for (const id of Object.values(a.arrays)) if (arrays.value[id]) out[id] = arrays.value[id]
    return out
  }

  /**
   * Hands records made elsewhere (the RG store's finished jobs) to the project, with their
   * arrays: the same path a finished dataset takes.
   */
  function deliver(item: FinishedItem, more: Record<string, NpyArray> = {}): void {
    if (Object.keys(more).length) arrays.value = { ...arrays.value, ...more }
    finished?.(item)
  }

  function forget(ids: (string | undefined)[]): void {
    const next = { ...arrays.value }
    for (const id of ids) if (id) delete next[id]
    arrays.value = next
  }

  return { arrays, pending, load, onFinished, deliver, startDataset, startSweep, startExact, collect, forget }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useDataStore, import.meta.hot))
