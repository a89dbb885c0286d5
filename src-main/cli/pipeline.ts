import type { CompareResult } from '@core/jobs/compareRgDbn'
import type { DatasetResult } from '@core/jobs/isingDataset'
import type { MappingResult } from '@core/jobs/mapping'
import type { RbmTrainingFrame, RbmTrainingResult } from '@core/jobs/rbmTrain'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { JobBroker } from '../services/jobBroker'
import { datasetRecord } from '@shared/project/datasetRecords'
import { modelDataFromProject } from '@shared/project/model'
import {
  compareStageOptions,
  datasetStageSpec,
  freeId,
  mappingStageSpec,
  trainingStageRecord
} from '@shared/project/paperTemplate'
import { nextStage, writeStages, type PipelineRecord, type StageState } from '@shared/project/paperPipeline'
import { rgAnalysisRecord } from '@shared/project/rgRecords'
import { checkpointFromArrays, dbnFromArrays } from '@shared/project/trainingArrays'
import { physicalLattice } from '@shared/project/trainingData'
import { trainingJobSpec, trainingRecordAfter } from '@shared/project/trainingSpec'
import type { NpyArray, ProjectDoc, ProjectTraining } from '@shared/project/types'
import { ProgressBar } from './progressBar'

/**
 * `blockspin run` on a project with a paper template: its stages one after another in worker
 * processes, the project saved after each (so an interruption loses at most the stage in
 * progress, and a training keeps its checkpoint: it is saved paused and continues bit for bit
 * on the next `blockspin run`). The records are the app's (shared/project), so the project
 * opens in the app exactly as if the app had run it.
 */

type Out = { log: (s: string) => void; err: (s: string) => void }

export interface PipelineContext {
  broker: JobBroker
  out: Out
  /** Saves the document; false when it could not be written (the caller said why). */
  save: () => Promise<boolean>
  interrupted: () => boolean
}

type StageOutcome = { ok: true } | { ok: false; error: string } | { ok: 'interrupted' }

/** Runs a pipeline's remaining stages; returns 'done', 'interrupted' or 'failed'. */
export async function runPipeline(
  doc: ProjectDoc,
  pipeline: PipelineRecord,
  ctx: PipelineContext
): Promise<'done' | 'interrupted' | 'failed'> {
  const stages = pipeline.stages.map((s) => ({ ...s }))
  // Later stages read earlier stages' outputs from here.
  const live: PipelineRecord = { ...pipeline, stages }
  for (let stage = nextStage(stages); stage; stage = nextStage(stages)) {
    if (ctx.interrupted()) return 'interrupted'
    const started = Date.now()
    let outcome: StageOutcome
    try {
      outcome = await runStage(doc, live, stage, ctx)
    } catch (e) {
      outcome = { ok: false, error: (e as Error).message }
    }
    stage.seconds = (stage.seconds ?? 0) + (Date.now() - started) / 1000
    if (outcome.ok === true) Object.assign(stage, { status: 'done', error: null })
    else if (outcome.ok === 'interrupted') stage.status = stage.name === 'training' ? 'paused' : 'pending'
    else Object.assign(stage, { status: 'failed', error: outcome.error })
    writeStages(doc.project, pipeline.id, stages)
    doc.project.modifiedAt = new Date().toISOString()
    if (!(await ctx.save())) return 'failed'
    if (outcome.ok === 'interrupted') return 'interrupted'
    if (outcome.ok === false) {
      ctx.out.err(`${pipeline.name}: the ${stage.name} stage failed — ${outcome.error}`)
      return 'failed'
    }
  }
  return 'done'
}

async function runStage(
  doc: ProjectDoc,
  pipeline: PipelineRecord,
  stage: StageState,
  ctx: PipelineContext
): Promise<StageOutcome> {
  const p = doc.project
  const params = pipeline.parameters
  const label = `${pipeline.name}: ${stage.name}`
  switch (stage.name) {
    case 'mapping': {
      const spec = mappingStageSpec(params)
      const r = await runJob<MappingResult>(ctx, 'mapping.exact', label, spec, params.compare.seed)
      if (!('result' in r)) return r
      const id = freeId(p, 'map')
      p.analyses.push(
        rgAnalysisRecord({
          id,
          name: 'Fig. 2: the 1D decimation as a deep network',
          kind: 'mapping',
          sourceId: null,
          spec,
          seed: params.compare.seed,
          result: r.result
        })
      )
      stage.outputId = id
      return { ok: true }
    }
    case 'dataset': {
      const model = p.models.find((m) => m.id === pipeline.modelId)
      if (!model) return { ok: false, error: `its model "${pipeline.modelId}" is not in the project` }
      const data = modelDataFromProject(model, doc.arrays)
      if (!data.ok) return { ok: false, error: data.error }
      const spec = datasetStageSpec(params, data.data)
      const r = await runJob<DatasetResult>(ctx, 'ising.dataset', label, spec, params.datasetSeed)
      if (!('result' in r)) return r
      const id = freeId(p, 'data')
      const name = `${params.samples.toLocaleString('en')} samples of ${model.name}`
      const made = datasetRecord({ id, name, modelId: model.id, spec, seed: params.datasetSeed, result: r.result })
      Object.assign(doc.arrays, made.arrays)
      p.datasets.push(made.dataset)
      stage.outputId = id
      return { ok: true }
    }
    case 'training':
      return trainingStage(doc, pipeline, stage, ctx, label)
    case 'compare': {
      const trainingId = pipeline.stages.find((s) => s.name === 'training')?.outputId
      const training = p.trainings?.find((t) => t.id === trainingId)
      const dataset = training && p.datasets.find((d) => d.id === training.datasetId)
      const samples = dataset?.arrays.samples ? doc.arrays[dataset.arrays.samples] : undefined
      if (!training || training.status !== 'done' || !dataset || !samples || samples.shape.length !== 3)
        return { ok: false, error: 'it needs the finished training and the configurations of its dataset' }
      const dbn = dbnFromArrays(training, arraysOf(doc, training))
      const [count, Ly, Lx] = samples.shape as [number, number, number]
      const { seed, ...options } = compareStageOptions(params)
      const shape = { count, Lx, Ly, ...options }
      const r = await runJob<CompareResult>(
        ctx,
        'compare.rgDbn',
        label,
        { ...shape, samples: samples.data as Int8Array, dbn },
        seed
      )
      if (!('result' in r)) return r
      const id = freeId(p, 'compare')
      p.analyses.push(
        rgAnalysisRecord({
          id,
          name: `RG vs ${training.name}`,
          kind: 'compare',
          sourceId: training.id,
          spec: { ...shape, datasetId: dataset.id },
          seed,
          result: r.result
        })
      )
      stage.outputId = id
      return { ok: true }
    }
  }
}

function arraysOf(doc: ProjectDoc, t: ProjectTraining): Record<string, NpyArray | undefined> {
  const mine: Record<string, NpyArray | undefined> = {}
  for (const [role, id] of Object.entries(t.arrays)) mine[role] = doc.arrays[id]
  return mine
}

async function trainingStage(
  doc: ProjectDoc,
  pipeline: PipelineRecord,
  stage: StageState,
  ctx: PipelineContext,
  label: string
): Promise<StageOutcome> {
  const p = doc.project
  const datasetId = pipeline.stages.find((s) => s.name === 'dataset')?.outputId
  const dataset = p.datasets.find((d) => d.id === datasetId)
  const samples = dataset?.arrays.samples ? doc.arrays[dataset.arrays.samples] : undefined
  if (!dataset || !samples) return { ok: false, error: 'its dataset is missing' }
  const model = p.models.find((m) => m.id === dataset.modelId)
  const cols = samples.shape.slice(1).reduce((a, b) => a * b, 1)
  const lattice = physicalLattice(model, cols)
  let record = p.trainings?.find((t) => t.id === stage.outputId)
  let resume: RbmTrainingCheckpoint | undefined
  if (record?.status === 'paused') {
    try {
      resume = checkpointFromArrays(record, arraysOf(doc, record))
    } catch (e) {
      ctx.out.err(`${label}: its checkpoint is unreadable (${(e as Error).message}); training from the start.`)
    }
  }
  if (!record) {
    record = trainingStageRecord(pipeline.parameters, freeId(p, 'train'), dataset.id, lattice !== null)
    p.trainings = [...(p.trainings ?? []), record]
    stage.outputId = record.id
  }
  if (resume)
    ctx.out.err(`${label}: continuing from layer ${resume.layer + 1}, epoch ${resume.trainer.epoch} (its checkpoint).`)
  const spec = trainingJobSpec(record, samples, lattice, resume)
  // Frames carry the latest checkpoint; their monitors complete its history.
  let latest: RbmTrainingCheckpoint | null = resume ?? null
  const history = [...(resume?.history ?? [])]
  const r = await runJob<RbmTrainingResult>(ctx, 'rbm.train', label, spec, record.seed, resume?.rngState, (f) => {
    const frame = f as RbmTrainingFrame
    if (!history.some((h) => h.layer === frame.layer && h.epoch === frame.epoch))
      history.push({ layer: frame.layer, epoch: frame.epoch, monitors: frame.monitors })
    if (frame.checkpoint) latest = frame.checkpoint
  })
  const result = 'result' in r ? r.result : 'partial' in r ? (r.partial as RbmTrainingResult | null) : null
  const keep = (outcome: Parameters<typeof trainingRecordAfter>[1]) => {
    const stored = record!
    for (const id of Object.values(stored.arrays)) delete doc.arrays[id]
    const after = trainingRecordAfter(stored, outcome)
    Object.assign(doc.arrays, after.arrays)
    p.trainings = (p.trainings ?? []).map((t) => (t.id === stored.id ? after.record : t))
  }
  if (result?.complete) {
    keep({ dbn: result.dbn, history: result.history, arithmetic: result.arithmetic })
    return { ok: true }
  }
  const checkpoint = result?.checkpoint ?? latest
  if (checkpoint) {
    const cp = checkpoint as RbmTrainingCheckpoint
    keep({ checkpoint: cp.history.length >= history.length ? cp : { ...cp, history } })
    if ('ok' in r && r.ok === 'interrupted')
      ctx.out.err(
        `${label}: paused at layer ${cp.layer + 1}, epoch ${cp.trainer.epoch}; run the project again to continue.`
      )
  }
  return 'ok' in r ? r : { ok: false, error: 'the training ended without a result' }
}

type JobRun<T> = { result: T } | ({ partial?: unknown } & StageOutcome)

/** One job with a progress bar; cancelled when the command is interrupted. */
async function runJob<T>(
  ctx: PipelineContext,
  kind: 'mapping.exact' | 'ising.dataset' | 'rbm.train' | 'compare.rgDbn',
  label: string,
  spec: unknown,
  seed: number,
  rngState?: Uint32Array,
  onFrame?: (frame: unknown) => void
): Promise<JobRun<T>> {
  const { broker } = ctx
  const jobId = broker.start({
    kind,
    title: label,
    interactive: false,
    spec,
    seed,
    ...(rngState ? { rngState } : {})
  } as Parameters<JobBroker['start']>[0])
  const bar = new ProgressBar(label)
  const offUpdate = broker.on('update', (i) => {
    if (i.id === jobId && i.progress)
      bar.update(i.progress.done, i.progress.total, i.etaSeconds, i.progress.unit, i.progress.note)
  })
  const offFrame = onFrame ? broker.on('frame', (e) => e.jobId === jobId && onFrame(e.frame)) : () => undefined
  const poll = setInterval(() => {
    if (ctx.interrupted()) broker.control(jobId, 'cancel')
  }, 100)
  try {
    const outcome = await broker.wait(jobId)
    if (outcome.status === 'failed') {
      bar.finish(`failed — ${outcome.error}`)
      return { ok: false, error: outcome.error }
    }
    if (outcome.status === 'cancelled' || !outcome.result) {
      bar.finish('interrupted')
      return { ok: 'interrupted', partial: outcome.status === 'cancelled' ? outcome.result : null }
    }
    bar.finish('done')
    return { result: outcome.result as T }
  } finally {
    clearInterval(poll)
    offUpdate()
    offFrame()
  }
}
