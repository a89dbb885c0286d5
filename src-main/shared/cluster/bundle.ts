import { z } from 'zod'
import { datasetSpecSchema, sweepSpecSchema } from '../jobSpecSchemas'
import { count, finite, float64Array, int8Array, positive, seed } from '../jobSpecFields'
import { rgFlowSpecSchema, rgMcrgSpecSchema } from '../rgJobSpecSchemas'
import {
  dataRefSchema,
  datasetPartial,
  flowPartial,
  flowUnitResultSchema,
  flowUnitSpecSchema,
  mcrgPartial,
  mcrgUnitResultSchema,
  mcrgUnitSpecSchema,
  sweepPartial,
  sweepUnitFields,
  trainingPartial,
  trainingUnitResultSchema,
  trainingUnitSpecSchema
} from './bundleUnits'

/**
 * The files of a cluster bundle (`blockspin cluster export`): bundle.json (what was split, from
 * which project item, with which seed), tasks/N.json (one array task: its units, each a job spec
 * with its own random stream), results/N.json (what the task made, with the streams it used) and
 * checkpoints/N.json (a task's finished units so far, and the state of a unit stopped half-way).
 * A training bundle also packs its dataset (bundleUnits.ts). All are bundle JSON (json.ts); every
 * file read back is checked against these schemas before anything uses it.
 */

export const BUNDLE_VERSION = 1
/** Units of one bundle, at most (a task file per unit in the worst case). */
export const MAX_UNITS = 100_000

export type BundleKind = 'sweep' | 'dataset' | 'mcrg' | 'rgflow' | 'training'

const stream = z.object({
  seed,
  index: count,
  state: z.array(z.number().int().min(0).max(0xffffffff)).length(4)
})

const bundleId = z.string().regex(/^[0-9a-f]{16}$/, 'Expected a bundle id of 16 hex digits')

export const manifestSchema = z.object({
  format: z.literal('blockspin-cluster-bundle'),
  version: z.literal(BUNDLE_VERSION),
  id: bundleId,
  createdAt: z.string().max(40),
  kind: z.enum(['sweep', 'dataset', 'mcrg', 'rgflow', 'training']),
  /** The project item the bundle was split from. */
  item: z.object({ id: z.string().max(200), name: z.string().max(500) }),
  /** The record merging makes (replaced on every merge of this bundle). */
  target: z.object({ id: z.string().max(200), name: z.string().max(500) }),
  seed,
  streams: z.string().max(200),
  tasks: positive.max(MAX_UNITS),
  units: positive.max(MAX_UNITS),
  /** sweep: the sweep's spec; dataset: the model's id and the whole dataset's spec (model left out). */
  sweep: sweepSpecSchema.optional(),
  /** sweep: whether each point after the first of a task starts from the previous point's spins. */
  warmStart: z.boolean().optional(),
  /** mcrg: the analysis's spec (count: all chains' samples) and its source. */
  mcrg: z.object({ spec: rgMcrgSpecSchema, sourceId: z.string().max(200).nullable() }).optional(),
  /** rgflow: the RG flow's spec (all its starting couplings). */
  flow: z.object({ spec: rgFlowSpecSchema }).optional(),
  /** training: the dataset trained on and the grid (learning rates × first hidden sizes × replicas). */
  training: z
    .object({
      datasetId: z.string().max(200),
      data: dataRefSchema,
      learningRates: z.array(finite).min(1).max(1000),
      hidden: z.array(positive).min(1).max(1000),
      replicas: positive.max(1000)
    })
    .optional(),
  dataset: z
    .object({
      modelId: z.string().max(200),
      samples: positive,
      burnIn: count,
      /** 'auto' (a planned dataset's): each shard's pilot chooses its thinning. */
      thin: z.union([positive, z.literal('auto')]),
      algorithm: datasetSpecSchema.shape.algorithm,
      keepSamples: z.boolean()
    })
    .optional()
})
export type BundleManifest = z.infer<typeof manifestSchema>

const unitOf = <S extends z.ZodType>(spec: S) =>
  z.object({ unit: count.max(MAX_UNITS), label: z.string().max(200), spec, stream })

export const taskSchema = z.discriminatedUnion('kind', [
  z.object({
    format: z.literal('blockspin-cluster-task'),
    version: z.literal(BUNDLE_VERSION),
    bundleId,
    index: count.max(MAX_UNITS),
    kind: z.literal('sweep'),
    /** Each unit after the first of the same L starts from the previous unit's final spins. */
    warmStart: z.boolean().optional(),
    units: z.array(unitOf(sweepSpecSchema)).min(1).max(MAX_UNITS)
  }),
  z.object({
    format: z.literal('blockspin-cluster-task'),
    version: z.literal(BUNDLE_VERSION),
    bundleId,
    index: count.max(MAX_UNITS),
    kind: z.literal('dataset'),
    units: z.array(unitOf(datasetSpecSchema)).min(1).max(MAX_UNITS)
  }),
  z.object({
    format: z.literal('blockspin-cluster-task'),
    version: z.literal(BUNDLE_VERSION),
    bundleId,
    index: count.max(MAX_UNITS),
    kind: z.literal('mcrg'),
    units: z.array(unitOf(mcrgUnitSpecSchema)).min(1).max(MAX_UNITS)
  }),
  z.object({
    format: z.literal('blockspin-cluster-task'),
    version: z.literal(BUNDLE_VERSION),
    bundleId,
    index: count.max(MAX_UNITS),
    kind: z.literal('rgflow'),
    units: z.array(unitOf(flowUnitSpecSchema)).min(1).max(MAX_UNITS)
  }),
  z.object({
    format: z.literal('blockspin-cluster-task'),
    version: z.literal(BUNDLE_VERSION),
    bundleId,
    index: count.max(MAX_UNITS),
    kind: z.literal('training'),
    data: dataRefSchema,
    units: z.array(unitOf(trainingUnitSpecSchema)).min(1).max(MAX_UNITS)
  })
])
export type BundleTask = z.infer<typeof taskSchema>
export type TaskUnit = BundleTask['units'][number]

const estimate = z.object({ value: z.number(), error: z.number() })
export const sweepPointSchema = z.object({
  L: positive,
  K: finite,
  e: estimate,
  c: estimate,
  m: estimate,
  absM: estimate,
  m2: estimate,
  chi: estimate,
  chiAbs: estimate,
  u4: estimate,
  tauE: z.number(),
  tauAbsM: z.number(),
  equilibrated: z.boolean(),
  acceptance: z.number()
})

const sweepUnitResult = z.object({ points: z.array(sweepPointSchema).length(1), ...sweepUnitFields })

export const datasetUnitResult = z
  .object({
    N: positive,
    samples: int8Array.nullable(),
    energy: float64Array,
    magnetisation: float64Array,
    burnIn: count,
    thin: positive,
    tauIntSweeps: z.number().nullable(),
    thinning: z.looseObject({}).nullable(),
    acceptance: z.number(),
    totalSweeps: count,
    kernel: z.string().max(40),
    summary: z.looseObject({}),
    correlation: z.object({ x: float64Array.nullable(), y: float64Array.nullable() }).nullable(),
    xi: estimate.nullable()
  })
  .refine(
    (r) =>
      r.magnetisation.length === r.energy.length && (r.samples === null || r.samples.length === r.energy.length * r.N),
    { message: 'Expected one energy, magnetisation and configuration per sample', path: ['energy'] }
  )

/** One finished unit: its stream (as the task gave it) and the job's result. */
const doneUnit = <R extends z.ZodType>(result: R) =>
  z.object({ unit: count.max(MAX_UNITS), stream, seconds: z.number().min(0), result })

const resultBase = {
  bundleId,
  index: count.max(MAX_UNITS),
  /** How many times the task started from a checkpoint before it finished. */
  resumed: count,
  host: z.string().max(200)
}

export const resultSchema = z.discriminatedUnion('kind', [
  z.object({
    format: z.enum(['blockspin-cluster-result', 'blockspin-cluster-checkpoint']),
    version: z.literal(BUNDLE_VERSION),
    kind: z.literal('sweep'),
    ...resultBase,
    units: z.array(doneUnit(sweepUnitResult)).max(MAX_UNITS),
    partial: sweepPartial
  }),
  z.object({
    format: z.enum(['blockspin-cluster-result', 'blockspin-cluster-checkpoint']),
    version: z.literal(BUNDLE_VERSION),
    kind: z.literal('dataset'),
    ...resultBase,
    units: z.array(doneUnit(datasetUnitResult)).max(MAX_UNITS),
    partial: datasetPartial
  }),
  z.object({
    format: z.enum(['blockspin-cluster-result', 'blockspin-cluster-checkpoint']),
    version: z.literal(BUNDLE_VERSION),
    kind: z.literal('mcrg'),
    ...resultBase,
    units: z.array(doneUnit(mcrgUnitResultSchema)).max(MAX_UNITS),
    partial: mcrgPartial
  }),
  z.object({
    format: z.enum(['blockspin-cluster-result', 'blockspin-cluster-checkpoint']),
    version: z.literal(BUNDLE_VERSION),
    kind: z.literal('rgflow'),
    ...resultBase,
    units: z.array(doneUnit(flowUnitResultSchema)).max(MAX_UNITS),
    partial: flowPartial
  }),
  z.object({
    format: z.enum(['blockspin-cluster-result', 'blockspin-cluster-checkpoint']),
    version: z.literal(BUNDLE_VERSION),
    kind: z.literal('training'),
    ...resultBase,
    units: z.array(doneUnit(trainingUnitResultSchema)).max(MAX_UNITS),
    partial: trainingPartial
  })
])
export type TaskResult = z.infer<typeof resultSchema>

/** The first problem of a value against a schema, as a clause ("units.0.result.energy: Expected …"). */
export function schemaProblem(schema: z.ZodType, value: unknown): string | null {
  const parsed = schema.safeParse(value)
  if (parsed.success) return null
  const first = parsed.error.issues[0]
  const where = first?.path.length ? `${first.path.join('.')}: ` : ''
  return `${where}${first?.message ?? 'rejected'}`
}
