import type { z } from 'zod'
import type { ChainAlgorithm, IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import type { ExactResult } from '@core/ising/exact/types'
import type { DatasetResult, DatasetSpec } from '@core/jobs/isingDataset'
import type { ExactSpec } from '@core/jobs/isingExact'
import type { SweepResult, SweepSpec } from '@core/jobs/isingSweep'
import type { RbmTrainingFrame, RbmTrainingResult, RbmTrainingSpec } from '@core/jobs/rbmTrain'
import type { RbmTrainingCheckpoint } from '@core/jobs/rbmTrainCheckpoint'
import type { JobFrame, JobRunner } from '@core/jobs/types'
import type { CompareResult, CompareSpec } from '@core/jobs/compareRgDbn'
import type { MappingResult, MappingSpec } from '@core/jobs/mapping'
import type { RgCascadeResult, RgCascadeSpec } from '@core/jobs/rgCascade'
import type { RgFlowResult, RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgResult, RgMcrgSpec } from '@core/jobs/rgMcrg'
import type { DatasetShardResult, DatasetShardSpec } from '@core/jobs/datasetShard'
import type { RgMcrgSumsResult, RgMcrgSumsSpec, RgMcrgSumsStopped } from '@core/jobs/rgMcrgSums'
import type { SweepPointResult, SweepPointSpec } from '@core/jobs/sweepPoint'
import {
  datasetSpecSchema,
  exactSpecSchema,
  isingChainSpecSchema,
  rbmTrainingSpecSchema,
  sweepPointSpecSchema,
  sweepSpecSchema,
  testCountSpecSchema,
  testThrowSpecSchema
} from './jobSpecSchemas'
import {
  compareSpecSchema,
  mappingSpecSchema,
  rgCascadeSpecSchema,
  rgFlowSpecSchema,
  rgMcrgSpecSchema
} from './rgJobSpecSchemas'
import { datasetShardSpecSchema, rgMcrgSumsSpecSchema } from './cluster/checkpointSchemas'

/**
 * Every job kind, with the spec a job of it is started with, the frames it sends, the result
 * it ends with and what it answers a snapshot command with. The types are the runners' own (src-core/jobs/*); the worker's registry is typed
 * by this map (utility/runners.ts), the broker checks a spec against its kind's schema when the
 * job is started (parseJobSpec), and the renderer starts jobs and reads their events through it
 * (logic/jobEvents.ts), so no side casts a payload.
 */
export interface JobKinds {
  'ising.chain': { spec: IsingChainSpec; frame: IsingFrame; result: IsingChainResult; snapshot: IsingChainResult }
  /** null: cancelled before the first sample. */
  'ising.dataset': { spec: DatasetSpec; frame: JobFrame; result: DatasetResult | null; snapshot: never }
  /** One shard of a dataset that can stop half-way and resume (a cluster bundle's unit). */
  'ising.datasetShard': { spec: DatasetShardSpec; frame: JobFrame; result: DatasetShardResult; snapshot: never }
  'ising.sweep': { spec: SweepSpec; frame: JobFrame; result: SweepResult | null; snapshot: never }
  /** One sweep point that can stop half-way and resume (a cluster bundle's unit). */
  'ising.sweepPoint': { spec: SweepPointSpec; frame: JobFrame; result: SweepPointResult; snapshot: never }
  'ising.exact': { spec: ExactSpec; frame: JobFrame; result: ExactResult; snapshot: never }
  'rbm.train': {
    spec: RbmTrainingSpec
    frame: RbmTrainingFrame
    result: RbmTrainingResult
    snapshot: RbmTrainingCheckpoint
  }
  /** null: cancelled. */
  'rg.cascade': { spec: RgCascadeSpec; frame: JobFrame; result: RgCascadeResult | null; snapshot: never }
  'rg.mcrg': { spec: RgMcrgSpec; frame: JobFrame; result: RgMcrgResult | null; snapshot: never }
  /** One independent part of an MCRG, as means and co-moments, that can stop half-way and resume (a cluster bundle's unit). */
  'rg.mcrgSums': {
    spec: RgMcrgSumsSpec
    frame: JobFrame
    result: RgMcrgSumsResult | RgMcrgSumsStopped
    snapshot: never
  }
  'rg.flow': { spec: RgFlowSpec; frame: JobFrame; result: RgFlowResult | null; snapshot: never }
  'mapping.exact': { spec: MappingSpec; frame: JobFrame; result: MappingResult; snapshot: never }
  /** null: cancelled. */
  'compare.rgDbn': { spec: CompareSpec; frame: JobFrame; result: CompareResult | null; snapshot: never }
  /** The job system's tests (registered only with BLOCKSPIN_TEST_RUNNERS=1). */
  'test.count': {
    spec: TestCountSpec
    frame: TestCountFrame
    result: TestCountResult
    snapshot: { count: number; n: number; edits: number }
  }
  'test.throw': { spec: { message?: string } | null | undefined; frame: JobFrame; result: never; snapshot: never }
  'test.exit': { spec: unknown; frame: JobFrame; result: never; snapshot: never }
  'test.oom': { spec: unknown; frame: JobFrame; result: never; snapshot: never }
  'test.echo': { spec: unknown; frame: JobFrame; result: unknown; snapshot: never }
  /** Keeps the worker's main thread busy for spec.ms without yielding (the parent-death watch). */
  'test.block': {
    spec: { ms?: number } | null | undefined
    frame: JobFrame
    result: { blockedMs: number }
    snapshot: never
  }
}

export type KnownJobKind = keyof JobKinds
export type SpecOf<K extends KnownJobKind> = JobKinds[K]['spec']
export type FrameOf<K extends KnownJobKind> = JobKinds[K]['frame']
export type ResultOf<K extends KnownJobKind> = JobKinds[K]['result']
/** What a job answers a 'snapshot' command with (never: the kind does not answer one). */
export type SnapshotOf<K extends KnownJobKind> = JobKinds[K]['snapshot']
/** The job system's own test kinds. */
export type TestJobKind = Extract<KnownJobKind, `test.${string}`>
export type ProductionJobKind = Exclude<KnownJobKind, TestJobKind>
/** The runner of a kind, typed by the map. */
export type JobRunnerFor<K extends KnownJobKind> = JobRunner<SpecOf<K>, ResultOf<K>, FrameOf<K>>
/** What a worker serves: a runner per kind. */
export type JobRunnerRegistry = { [K in KnownJobKind]: JobRunnerFor<K> }

export interface TestCountSpec {
  /** Count from 0 to n. An 'edit' command with params.n changes the target on the fly. */
  n: number
  /** Pause between steps in milliseconds (0 = only yield to the event loop). */
  delayMs?: number
  /** Send a frame every this many steps (0 or absent = no frames). */
  frameEvery?: number
}

export interface TestCountFrame extends JobFrame {
  count: number
  series: { count: Float64Array; half: Float64Array }
}

export interface TestCountResult {
  count: number
  n: number
  /** Every 'edit' command's params, in the order received. */
  edits: Record<string, unknown>[]
  /** The first draw of the job's generator (checks seeding through the host). */
  firstDraw: number
}

/** The schema each kind's spec must pass when a job is started; null: any spec (the test kinds that ignore theirs). */
export const jobSpecSchemas: { readonly [K in KnownJobKind]: z.ZodType | null } = {
  'ising.chain': isingChainSpecSchema,
  'ising.dataset': datasetSpecSchema,
  'ising.datasetShard': datasetShardSpecSchema,
  'ising.sweep': sweepSpecSchema,
  'ising.sweepPoint': sweepPointSpecSchema,
  'ising.exact': exactSpecSchema,
  'rbm.train': rbmTrainingSpecSchema,
  'rg.cascade': rgCascadeSpecSchema,
  'rg.mcrg': rgMcrgSpecSchema,
  'rg.mcrgSums': rgMcrgSumsSpecSchema,
  'rg.flow': rgFlowSpecSchema,
  'mapping.exact': mappingSpecSchema,
  'compare.rgDbn': compareSpecSchema,
  'test.count': testCountSpecSchema,
  'test.throw': testThrowSpecSchema,
  'test.exit': null,
  'test.oom': null,
  'test.echo': null,
  'test.block': null
}

export function isKnownJobKind(kind: unknown): kind is KnownJobKind {
  return typeof kind === 'string' && Object.prototype.hasOwnProperty.call(jobSpecSchemas, kind)
}

/**
 * Checks a spec against its kind's schema; returns one sentence naming the first bad field, or
 * null when the spec is well formed. Kinds not in the map pass (the worker refuses them by name).
 */
export function jobSpecProblem(kind: string, spec: unknown): string | null {
  if (!isKnownJobKind(kind)) return null
  const schema = jobSpecSchemas[kind]
  if (!schema) return null
  const parsed = schema.safeParse(spec)
  if (parsed.success) return null
  const first = parsed.error.issues[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  return `The ${kind} job was not started: its spec is not valid (${where}${first?.message ?? 'rejected'}).`
}

// Compile-time checks that the schemas' enums name what the core's types do.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never
const _algorithmsAgree: Same<z.infer<typeof isingChainSpecSchema>['algorithm'], ChainAlgorithm> = true
const _exactMethodsAgree: Same<
  NonNullable<z.infer<typeof exactSpecSchema>['method']>,
  NonNullable<ExactSpec['method']>
> = true
void _algorithmsAgree
void _exactMethodsAgree
