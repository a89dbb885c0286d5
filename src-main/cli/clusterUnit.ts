import type { RbmTrainingResult } from '@core/jobs/rbmTrain'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { SweepPointCheckpoint, SweepPointResult, SweepPointSpec } from '@core/jobs/sweepPoint'
import type { DatasetCheckpoint } from '@core/jobs/datasetCheckpoint'
import type { TorusSamplingState } from '@core/jobs/rgSampling'
import type { JobBroker } from '../services/jobBroker'
import type { DatasetSpec } from '@core/jobs/isingDataset'
import type { DatasetShardResult, DatasetShardSpec } from '@core/jobs/datasetShard'
import type { RgFlowResult, RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgSpec } from '@core/jobs/rgMcrg'
import type { RgMcrgSumsResult, RgMcrgSumsSpec, RgMcrgSumsStopped } from '@core/jobs/rgMcrgSums'
import type { BundleTask, TaskResult, TaskUnit } from '@shared/cluster/bundle'
import type { TrainingUnitSpec } from '@shared/cluster/bundleUnits'
import { streamState } from '@shared/cluster/streams'
import { trainingJobSpec } from '@shared/project/trainingSpec'
import type { NpyArray, ProjectTraining } from '@shared/project/types'

/**
 * One unit of a cluster task as a job in a worker process, by the bundle's kind: a sweep point
 * ('ising.sweepPoint', warm-started from the previous point's spins), a dataset shard
 * ('ising.datasetShard'), an MCRG chain ('rg.mcrgSums') or a training ('rbm.train' on the packed
 * dataset, from its last epoch's checkpoint), each resumable half-way. A unit stopped half-way
 * hands back its job's state (`partial`), which the task keeps in its checkpoint. An RG flow's
 * starting K ('rg.flow' with that K alone) is short and keeps no state: stopped, it starts again.
 */

export type DoneUnit = TaskResult['units'][number]
/** The state of a unit stopped half-way (a sweep point's, shard's or MCRG chain's chain, a training's checkpoint). */
export type Partial = {
  unit: number
  state: SweepPointCheckpoint | RbmTrainingCheckpoint | DatasetCheckpoint | TorusSamplingState
  warmFrom?: number | null
}

export type UnitOutcome =
  /** The unit's result as the result file holds it (checked by the schemas when read back). */
  | { status: 'done'; result: unknown }
  | { status: 'stopped'; partial: Partial | null }
  | { status: 'failed'; why: string }

export interface UnitContext {
  task: BundleTask
  unit: TaskUnit
  /** Where this unit stopped before, to resume from. */
  resume: Partial | null
  /** The task's finished units (a sweep point's warm start is the previous one's final spins). */
  done: DoneUnit[]
  /** A training bundle's samples. */
  samples: NpyArray | null
  /** The job's state as it goes (frames), to keep in the checkpoint. */
  onPartial: (p: Partial) => void
  /** Least time between a sweep point's state frames. */
  checkpointMs: number
}

/** The unit before this one in the task, when this one starts from its spins. */
function warmSource(ctx: UnitContext): { from: number; spins: Int8Array } | null {
  const { task, unit } = ctx
  if (task.kind !== 'sweep' || !task.warmStart) return null
  const at = task.units.findIndex((u) => u.unit === unit.unit)
  const prev = at > 0 ? task.units[at - 1] : undefined
  if (!prev || (prev.spec as { Ls: number[] }).Ls[0] !== (unit.spec as { Ls: number[] }).Ls[0]) return null
  const done = ctx.done.find((d) => d.unit === prev.unit)?.result as { finalSpins?: Int8Array } | undefined
  return done?.finalSpins ? { from: prev.unit, spins: done.finalSpins } : null
}

export function startUnit(broker: JobBroker, ctx: UnitContext): { jobId: string; finish: (o: Outcome) => UnitOutcome } {
  const { task, unit, resume } = ctx
  const base = { title: unit.label, interactive: false, seed: unit.stream.seed }
  const stream = streamState(unit.stream)
  if (task.kind === 'sweep') {
    const s = unit.spec as Extract<BundleTask, { kind: 'sweep' }>['units'][number]['spec']
    const warm = resume ? null : warmSource(ctx)
    const warmFrom = resume ? (resume.warmFrom ?? null) : (warm?.from ?? null)
    const state = resume?.state as SweepPointCheckpoint | undefined
    const spec: SweepPointSpec = {
      L: s.Ls[0]!,
      K: s.Ks[0]!,
      h: s.h,
      algorithm: s.algorithm,
      burnIn: s.burnIn,
      sweeps: s.sweeps,
      start: s.start,
      checkpointMs: ctx.checkpointMs,
      ...(warm ? { startSpins: warm.spins } : {}),
      ...(state ? { resume: state } : {})
    }
    const jobId = broker.start({ ...base, kind: 'ising.sweepPoint', spec, rngState: state?.rngState ?? stream })
    const off = broker.on('frame', (e) => {
      const cp = (e.jobId === jobId && (e.frame as { checkpoint?: SweepPointCheckpoint }).checkpoint) || null
      if (cp) ctx.onPartial({ unit: unit.unit, state: cp, warmFrom })
    })
    return {
      jobId,
      finish: (o) => {
        off()
        const r = ('result' in o ? o.result : null) as SweepPointResult | null | undefined
        if (o.status === 'done' && r?.complete && r.point)
          return { status: 'done', result: { points: [r.point], finalSpins: r.finalSpins!, warmFrom } }
        if (o.status === 'cancelled')
          return {
            status: 'stopped',
            partial: r?.checkpoint ? { unit: unit.unit, state: r.checkpoint, warmFrom } : null
          }
        return { status: 'failed', why: o.status === 'failed' ? o.error : 'it ended without a point' }
      }
    }
  }
  if (task.kind === 'rgflow') {
    const jobId = broker.start({ ...base, kind: 'rg.flow', spec: unit.spec as RgFlowSpec, rngState: stream })
    return {
      jobId,
      finish: (o) => {
        const r = ('result' in o ? o.result : null) as RgFlowResult | null | undefined
        if (o.status === 'done' && r) {
          const { fixedPoint: _fixedPoint, ...flow } = r
          return { status: 'done', result: flow }
        }
        if (o.status === 'cancelled') return { status: 'stopped', partial: null }
        return { status: 'failed', why: o.status === 'failed' ? o.error : 'it ended without a flow' }
      }
    }
  }
  if (task.kind === 'training') {
    const t = unit.spec as TrainingUnitSpec
    const cp = resume?.state as RbmTrainingCheckpoint | undefined
    const record = { ...t, seed: 0, datasetId: '', status: 'draft', createdAt: '', arrays: {} } as ProjectTraining
    const spec = trainingJobSpec(record, ctx.samples!, t.lattice, cp)
    const jobId = broker.start({ ...base, kind: 'rbm.train', spec, rngState: cp?.rngState ?? stream })
    const off = broker.on('frame', (e) => {
      const c = e.jobId === jobId ? (e.frame as { checkpoint?: RbmTrainingCheckpoint }).checkpoint : undefined
      if (c) ctx.onPartial({ unit: unit.unit, state: c })
    })
    return {
      jobId,
      finish: (o) => {
        off()
        const r = ('result' in o ? o.result : null) as RbmTrainingResult | null | undefined
        if (o.status === 'done' && r?.complete)
          return { status: 'done', result: { dbn: r.dbn, history: r.history, arithmetic: r.arithmetic } }
        if (o.status === 'cancelled')
          return { status: 'stopped', partial: r?.checkpoint ? { unit: unit.unit, state: r.checkpoint } : null }
        return { status: 'failed', why: o.status === 'failed' ? o.error : 'it ended without a network' }
      }
    }
  }
  // A dataset shard or an MCRG chain: started from its stream, resumed or not (the job draws its
  // start as before, then continues from the state).
  const more = { checkpointMs: ctx.checkpointMs, ...(resume ? { resume: resume.state } : {}) }
  const jobId =
    task.kind === 'mcrg'
      ? broker.start({
          ...base,
          kind: 'rg.mcrgSums',
          spec: { ...(unit.spec as RgMcrgSpec), ...more } as RgMcrgSumsSpec,
          rngState: stream
        })
      : broker.start({
          ...base,
          kind: 'ising.datasetShard',
          spec: { ...(unit.spec as DatasetSpec), ...more } as DatasetShardSpec,
          rngState: stream
        })
  const off = broker.on('frame', (e) => {
    const c = e.jobId === jobId ? (e.frame as { checkpoint?: Partial['state'] }).checkpoint : undefined
    if (c) ctx.onPartial({ unit: unit.unit, state: c })
  })
  return {
    jobId,
    finish: (o) => {
      off()
      const r = ('result' in o ? o.result : null) as DatasetShardResult | RgMcrgSumsResult | RgMcrgSumsStopped | null
      const stoppedAt = r && 'checkpoint' in r ? r.checkpoint : null
      if (o.status === 'done' && r && task.kind === 'dataset' && (r as DatasetShardResult).complete)
        return { status: 'done', result: (r as DatasetShardResult).result }
      if (o.status === 'done' && r && task.kind === 'mcrg' && !('stopped' in r)) return { status: 'done', result: r }
      if (o.status === 'cancelled')
        return { status: 'stopped', partial: stoppedAt ? { unit: unit.unit, state: stoppedAt } : null }
      return { status: 'failed', why: o.status === 'failed' ? o.error : 'it ended without a result' }
    }
  }
}

export type Outcome = Awaited<ReturnType<JobBroker['wait']>>
