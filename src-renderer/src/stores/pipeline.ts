import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import { pipelineEta, pipelineFraction, type CurrentStage } from '@shared/project/paperEstimate'
import {
  PAPER_PARAMETERS,
  PAPER_TITLE,
  compareStageOptions,
  datasetStageSpec,
  freeId,
  mappingStageSpec,
  paperPipelineRecord,
  trainingStageRecord
} from '@shared/project/paperTemplate'
import {
  PIPELINE_KIND,
  nextStage,
  readPipeline,
  type PaperVariant,
  type PipelineRecord,
  type StageName,
  type StageState
} from '@shared/project/paperPipeline'
import { physicalLattice } from '@shared/project/trainingData'
import { useDataStore } from './data'
import { useJobsStore } from './jobs'
import { useModelsStore } from './models'
import { useProjectStore } from './project'
import { useProjectItems } from './projectItems'
import { useRgStore } from './rg'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'

/**
 * The paper template in the app: adds the reproduction to the open project and runs its stages
 * one after another through the stores that own each kind of record (data, trainings, RG), so
 * every output is an ordinary item of the project, shown by its own view as it runs. The stages'
 * state lives in the pipeline's analysis record (shared/project/paperTemplate.ts), so a saved
 * project continues where it stopped: a paused training resumes from its checkpoint, an
 * interrupted short stage starts again. `blockspin run` runs the same stages headlessly.
 */

type StageEnd = 'done' | 'paused' | 'failed'

export const usePipelineStore = defineStore('pipeline', () => {
  /** The pipeline being run in this window and the job of its current stage. */
  const running = ref<{ id: string; stage: StageName; jobId: string | null; startedAt: number } | null>(null)
  const pauseRequested = ref(false)

  const project = () => useProjectStore()

  /**
   * The pipeline as read. A stage saved as running that is not running in this window (the
   * project was saved mid-stage and reopened) is what it would be after a pause: the training
   * paused at its checkpoint, a short stage pending.
   */
  function recordOf(id: string): PipelineRecord | { id: string; name: string; problem: string } | null {
    const a = project().project.analyses.find((x) => x.id === id && x.kind === PIPELINE_KIND)
    if (!a) return null
    const p = readPipeline(a)
    if ('problem' in p || running.value?.id === id) return p
    const stages = p.stages.map((s) =>
      s.status === 'running' ? { ...s, status: s.name === 'training' ? ('paused' as const) : ('pending' as const) } : s
    )
    return { ...p, stages }
  }

  /** Adds the reproduction (its model and its pipeline) to the open project and opens it. */
  function add(variant: PaperVariant): string {
    const params = PAPER_PARAMETERS[variant]
    const items = useProjectItems()
    const modelId =
      params.L === 40 ? items.addModel('paper-40x40') : items.addModel('ferromagnet', { L: params.L, K: params.K })
    const p = project().project
    const id = freeId(p, 'paper')
    const taken = p.analyses.filter((a) => a.kind === PIPELINE_KIND).length
    const name = taken ? `${PAPER_TITLE[variant]} #${taken + 1}` : PAPER_TITLE[variant]
    const record = paperPipelineRecord(id, name, variant, modelId)
    project().addRecord('analyses', record)
    return id
  }

  function writeStages(id: string, stages: StageState[]): void {
    const a = project().project.analyses.find((x) => x.id === id)
    if (!a) return
    a.result = { stages: stages.map((s) => ({ ...s })) }
    project().touch()
  }

  /** Resolves with the first non-null value of `check`, re-checked whenever what it reads changes. */
  function until<T>(check: () => T | null): Promise<T> {
    return new Promise((resolve) => {
      const first = check()
      if (first !== null) return resolve(first)
      const stop = watch(check, (value) => {
        if (value === null) return
        stop()
        resolve(value)
      })
    })
  }

  /** Runs (or continues) a pipeline's remaining stages; a second call while it runs does nothing. */
  async function run(id: string): Promise<void> {
    if (running.value) return
    const first = recordOf(id)
    if (!first || 'problem' in first) {
      useUiStore().showError(
        'The reproduction cannot run',
        first ? `It ${first.problem}.` : 'It is not in the project.'
      )
      return
    }
    pauseRequested.value = false
    const stages = first.stages.map((s) => ({ ...s }))
    const live: PipelineRecord = { ...first, stages }
    try {
      for (let stage = nextStage(stages); stage && !pauseRequested.value; stage = nextStage(stages)) {
        running.value = { id, stage: stage.name, jobId: null, startedAt: Date.now() }
        stage.status = 'running'
        stage.error = null
        writeStages(id, stages)
        // A stage's output opens in a tab of its own; someone watching the reproduction stays on it.
        const watching = project().selectedId === id
        let end: StageEnd
        try {
          end = await runStage(live, stage)
        } catch (e) {
          stage.error = (e as Error).message
          end = 'failed'
        }
        stage.seconds = (stage.seconds ?? 0) + (Date.now() - running.value.startedAt) / 1000
        stage.status = end === 'paused' ? (stage.name === 'training' ? 'paused' : 'pending') : end
        if (end === 'failed') stage.error ??= 'its job failed (the jobs strip says why)'
        writeStages(id, stages)
        if (watching && project().selectedId === stage.outputId) project().openTab(id)
        if (end !== 'done') break
      }
    } finally {
      running.value = null
    }
  }

  /** Pauses at once: the training keeps its checkpoint; a short stage is stopped and redone later. */
  async function pause(): Promise<void> {
    const r = running.value
    if (!r) return
    pauseRequested.value = true
    if (r.stage === 'training') {
      const record = project().project.trainings?.find((t) => t.id === outputOf(r.id, 'training'))
      if (record) await useTrainingsStore().pause(record)
    } else if (r.jobId) await useJobsStore().control(r.jobId, 'cancel')
  }

  function outputOf(id: string, name: StageName): string | null {
    const p = recordOf(id)
    return p && !('problem' in p) ? (p.stages.find((s) => s.name === name)?.outputId ?? null) : null
  }

  async function runStage(pipeline: PipelineRecord, stage: StageState): Promise<StageEnd> {
    const params = pipeline.parameters
    const p = project().project
    const data = useDataStore()
    const rg = useRgStore()
    const jobOfRg = (out: string) => rg.pending.find((j) => j.id === out)?.jobId ?? null
    switch (stage.name) {
      case 'mapping': {
        const out = await rg.startMapping(
          mappingStageSpec(params),
          params.compare.seed,
          'Fig. 2: the 1D decimation as a deep network'
        )
        stage.outputId = out
        setJob(jobOfRg(out))
        return until(() => (p.analyses.some((a) => a.id === out) ? 'done' : jobOfRg(out) ? null : ended()))
      }
      case 'dataset': {
        const model = p.models.find((m) => m.id === pipeline.modelId)
        if (!model) throw new Error(`its model “${pipeline.modelId}” is no longer in the project`)
        const spec = datasetStageSpec(params, useModelsStore().dataOf(model))
        const out = freeId(p, 'data')
        const name = `${params.samples.toLocaleString('en')} samples of ${model.name}`
        await data.startDataset({ id: out, name, modelId: model.id, spec, seed: params.datasetSeed })
        stage.outputId = out
        const jobOf = () => data.pending.find((j) => j.id === out)?.jobId ?? null
        setJob(jobOf())
        return until(() => (project().project.datasets.some((d) => d.id === out) ? 'done' : jobOf() ? null : ended()))
      }
      case 'training':
        return trainingStage(pipeline, stage)
      case 'compare': {
        const trainingId = pipeline.stages.find((s) => s.name === 'training')?.outputId
        if (!trainingId) throw new Error('it needs the finished training')
        const out = await rg.startCompare({ trainingId, ...compareStageOptions(params) })
        if (!out) return 'failed'
        stage.outputId = out
        setJob(jobOfRg(out))
        return until(() =>
          project().project.analyses.some((a) => a.id === out) ? 'done' : jobOfRg(out) ? null : ended()
        )
      }
    }
  }

  /** A job that left without its record: paused on request, otherwise failed. */
  const ended = (): StageEnd => (pauseRequested.value ? 'paused' : 'failed')
  const setJob = (jobId: string | null) => {
    if (running.value) running.value = { ...running.value, jobId }
  }

  async function trainingStage(pipeline: PipelineRecord, stage: StageState): Promise<StageEnd> {
    const p = project().project
    const trainings = useTrainingsStore()
    const datasetId = pipeline.stages.find((s) => s.name === 'dataset')?.outputId
    const source = datasetId ? useProjectItems().trainingSource(datasetId) : null
    if (!datasetId || !source) throw new Error('its dataset (with its configurations) is missing')
    let record = p.trainings?.find((t) => t.id === stage.outputId)
    if (!record) {
      const cols = source.samples.shape.slice(1).reduce((a, b) => a * b, 1)
      const physical = physicalLattice(source.model, cols) !== null
      record = trainingStageRecord(pipeline.parameters, freeId(p, 'train'), datasetId, physical)
      project().addRecord('trainings', record, false)
      stage.outputId = record.id
      writeStages(pipeline.id, pipeline.stages)
    }
    const id = record.id
    const phase = () => trainings.of(id).phase
    if (phase() === 'done') return 'done'
    if (phase() === 'paused' || trainings.of(id).checkpoint) await trainings.resume(record, source)
    else await trainings.start(record, source)
    setJob(trainings.of(id).jobId)
    const end = await until<StageEnd>(() => {
      const now = phase()
      if (running.value && trainings.of(id).jobId !== running.value.jobId) setJob(trainings.of(id).jobId)
      if (now === 'done') return 'done'
      if (now === 'paused') return 'paused'
      if (now === 'failed' || (now === 'draft' && !trainings.of(id).jobId)) return 'failed'
      return null
    })
    if (end === 'failed') stage.error = trainings.of(id).error ?? 'the training stopped'
    return end
  }

  /** The running stage's job as the progress bar and ETA see it. */
  const current = computed<CurrentStage | null>(() => {
    const r = running.value
    if (!r) return null
    const job = r.jobId ? useJobsStore().jobs[r.jobId] : undefined
    return { name: r.stage, etaSeconds: job?.etaSeconds ?? null, fraction: job?.fraction ?? null }
  })

  /** Fraction done and seconds left of a pipeline (the running one uses its job's own ETA). */
  function progressOf(id: string): { fraction: number; etaSeconds: number | null } | null {
    const p = recordOf(id)
    if (!p || 'problem' in p) return null
    const cur = running.value?.id === id ? current.value : null
    return {
      fraction: pipelineFraction(p.parameters, p.stages, cur),
      etaSeconds: pipelineEta(p.parameters, p.stages, cur)
    }
  }

  return { running, pauseRequested, recordOf, add, run, pause, progressOf }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(usePipelineStore, import.meta.hot))
