import { shallowRef, type Ref } from 'vue'
import type { ChainStart, IsingChainResult } from '@core/ising/types'
import { chainSetupOf, jobSpecOfRun, nextId, runWithState, specFromModel, stateToArrays } from '@shared/project/model'
import type { ChainSource } from '@shared/project/runs'
import type { NpyArray, ProjectJson, RunV1 } from '@shared/project/types'
import { getApi } from '../api'
import { useJobEvents } from '../composables/useJobEvents'
import { useJobsStore } from './jobs'
import { useLiveStore } from './live'
import { useModelsStore } from './models'

/** What the runs part needs of the rest of the project store. */
export interface ProjectRunsContext {
  project: Ref<ProjectJson>
  touch(): void
  openTab(id: string): void
  dropItem(id: string): void
}

/** A new chain record on a model: live (open-ended) or a batch run of `targetSweeps`. */
export function newRunRecord(
  json: ProjectJson,
  modelId: string,
  label: string,
  targetSweeps?: number,
  start: ChainStart = 'hot'
): RunV1 {
  const model = json.models.find((m) => m.id === modelId)!
  const id = nextId(
    'run',
    json.runs.map((r) => r.id)
  )
  const seed = (Date.now() ^ (Math.random() * 0xffffffff)) >>> 0
  return {
    id,
    name: `${label} ${id.slice(3)}`,
    modelId,
    kind: 'ising.chain',
    spec: specFromModel(model, seed, targetSweeps, start),
    status: targetSweeps === undefined ? 'live' : 'pending',
    sweep: 0,
    arrays: {},
    createdAt: new Date().toISOString()
  }
}

/** A batch run's job title: its name, lattice and length. */
function batchTitle(run: RunV1): string {
  return `${run.name} (${run.spec.L}², ${run.spec.targetSweeps} sweeps)`
}

/**
 * The project store's runs (Markov chains on its models) and the batch jobs that compute them.
 * Live chains run in the live store; a batch run's result is stored in its record when its job
 * ends. A part of the project store (project.ts), not a store itself.
 */
export function projectRuns(ctx: ProjectRunsContext) {
  const { project, touch } = ctx
  const live = useLiveStore()
  const models = useModelsStore()
  /** Batch runs started while the project was open: run id by job id. */
  const batchJobs = shallowRef<Record<string, string>>({})

  /** Chains take their model as edited (and its painted spins) from the models store, at every start. */
  function chainSource(runId: string, needs: { model: boolean; painted: boolean }): ChainSource {
    if (!needs.model && !needs.painted) return {}
    const run = project.value.runs.find((r) => r.id === runId)
    const record = project.value.models.find((m) => m.id === run?.modelId)
    if (!record) throw new Error(`the model of this run (“${run?.modelId ?? runId}”) is not in the project`)
    return {
      ...(needs.model ? { model: models.dataOf(record) } : {}),
      ...(needs.painted ? { startSpins: Int8Array.from(models.docFor(record).spins) } : {})
    }
  }
  live.setChainSource(chainSource)

  /**
   * A live chain on a model: the fast square kernels when the model is a uniform periodic L×L
   * square lattice, else the general samplers on the model as edited (liveChainKernel). Start
   * 'painted' begins from the spins painted in the model editor.
   */
  function addLiveRun(modelId: string, start: ChainStart = 'hot'): string | null {
    if (!project.value.models.some((m) => m.id === modelId)) return null
    const run = newRunRecord(project.value, modelId, 'Live chain', undefined, start)
    project.value.runs.push(run)
    live.open(run.id, run.spec, null)
    ctx.openTab(run.id)
    touch()
    return run.id
  }

  /** A batch run: queued like any batch job, results stored in the project when done. */
  async function addBatchRun(modelId: string, targetSweeps: number): Promise<string> {
    const run = newRunRecord(project.value, modelId, 'Batch run', targetSweeps)
    project.value.runs.push(run)
    live.open(run.id, run.spec, null)
    touch()
    await startBatch(run)
    return run.id
  }

  async function startBatch(run: RunV1): Promise<void> {
    const saved = await live.snapshot(run.id)
    const setup = chainSetupOf(run.spec)
    const source = chainSource(run.id, { model: setup.general, painted: setup.start === 'painted' })
    const resume = saved && saved.sweep > 0 ? saved : null
    const spec = { ...jobSpecOfRun(run.spec, source), maxFps: 0, ...(resume ? { resume } : {}) }
    const request = {
      kind: 'ising.chain',
      title: batchTitle(run),
      interactive: false,
      spec,
      seed: run.spec.seed,
      ...(resume ? { rngState: resume.rngState } : {})
    } as const
    await useJobEvents().start(request, (jobId) => {
      batchJobs.value = { ...batchJobs.value, [jobId]: run.id }
      return { result: (result) => onBatchResult(jobId, result) }
    })
  }

  function onBatchResult(jobId: string, result: IsingChainResult | null): void {
    const runId = batchJobs.value[jobId]
    if (!runId) return
    const run = project.value.runs.find((r) => r.id === runId)
    if (!run || !result) return
    live.open(run.id, run.spec, result)
    Object.assign(run, runWithState(run, result, { seed: run.spec.seed, start: chainSetupOf(run.spec).start }))
    touch()
  }

  /** The batch job computing a run, if one was started in this session. */
  function batchJobFor(runId: string): string | null {
    for (const [jobId, id] of Object.entries(batchJobs.value)) if (id === runId) return jobId
    return null
  }

  /**
   * The project is being replaced: its batch jobs are cancelled, so that their results do not
   * land on a run of the next project that happens to reuse the run id.
   */
  function cancelBatchJobs(): void {
    for (const jobId of Object.keys(batchJobs.value)) {
      useJobEvents().unwatch(jobId)
      void getApi()
        ['jobs.control']({ jobId, action: 'cancel' })
        .catch(() => undefined)
    }
    batchJobs.value = {}
  }

  function removeRun(runId: string): void {
    live.close(runId)
    project.value.runs = project.value.runs.filter((r) => r.id !== runId)
    ctx.dropItem(runId)
    touch()
  }

  function renameRun(runId: string, newName: string): void {
    const run = project.value.runs.find((r) => r.id === runId)
    if (!run || !newName.trim()) return
    run.name = newName.trim().slice(0, 200)
    const jobId = batchJobFor(runId)
    if (jobId) useJobsStore().retitle(jobId, batchTitle(run))
    touch()
  }

  /** The runs as saved, with their current arrays (running chains are snapshotted). */
  async function collect(): Promise<{ runs: RunV1[]; arrays: Record<string, NpyArray> }> {
    const arrays: Record<string, NpyArray> = {}
    const runs: RunV1[] = []
    for (const stored of project.value.runs) {
      const state = await live.snapshot(stored.id)
      // The chain's setup as the user last edited it (K, h, L, seed, …), not as it was opened.
      const spec = live.specOf(stored.id) ?? stored.spec
      const run = { ...stored, spec }
      if (state && state.sweep > 0) {
        Object.assign(arrays, stateToArrays(run.id, state))
        const { params, start } = chainSetupOf(spec)
        runs.push(runWithState(run, { ...state, params }, { seed: spec.seed, start }))
      } else {
        runs.push({ ...run, sweep: 0, arrays: {}, status: spec.targetSweeps === undefined ? 'live' : 'pending' })
      }
    }
    return { runs, arrays }
  }

  return { addLiveRun, addBatchRun, batchJobFor, cancelBatchJobs, removeRun, renameRun, collect }
}
