import { z } from 'zod'
import { rbmTrainingSpecSchema, sweepPointCheckpointSchema } from '../jobSpecSchemas'
import { count, finite, int8Array, positive, rbm } from '../jobSpecFields'
import { rgFlowSpecSchema, rgMcrgSpecSchema } from '../rgJobSpecSchemas'
import { datasetCheckpointSchema, samplingStateSchema } from './checkpointSchemas'
import { monitorRecordSchema, trainingMonitorChoiceSchema, trainingOptionsSchema } from '../project/trainings'

/**
 * The units of the bundle kinds beyond sweeps and datasets (bundle.ts composes them): an MCRG's
 * independent chains, an RG flow's starting couplings and a grid of trainings, what each unit's result holds, and the chain state
 * a checkpoint may hold for the unit that was stopped half-way (`partial`).
 */

/** Bundle-relative path of the dataset a training bundle packs (bundle JSON of dataFileSchema). */
export const TRAINING_DATA_FILE = 'data/samples.json' as const

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'Expected a SHA-256 of 64 hex digits')

/** The packed dataset: the samples as the project stores them ([rows, Ly, Lx] int8 ±1). */
export const dataFileSchema = z
  .object({
    format: z.literal('blockspin-cluster-data'),
    version: z.literal(1),
    datasetId: z.string().max(200),
    shape: z.array(positive).min(2).max(3),
    samples: int8Array
  })
  .refine((d) => d.samples.length === d.shape.reduce((a, b) => a * b, 1), {
    message: 'Expected as many spins as the shape says',
    path: ['samples']
  })
export type BundleDataFile = z.infer<typeof dataFileSchema>

/** Where a training task finds its data, and the SHA-256 of that file's bytes. */
export const dataRefSchema = z.object({ file: z.literal(TRAINING_DATA_FILE), sha256: sha256Hex })

const units = z.enum(['01', 'pm1'])

/** One configuration of a training grid: the record it becomes, and what the grid varied. */
export const trainingUnitSpecSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().max(500),
  visibleUnits: units,
  layers: z
    .array(z.object({ nh: positive.max(1 << 16), hiddenUnits: units }))
    .min(1)
    .max(16),
  options: trainingOptionsSchema,
  passUp: z.enum(['probabilities', 'samples']),
  monitors: trainingMonitorChoiceSchema,
  lattice: z.object({ Lx: positive, Ly: positive, K: finite }).nullable(),
  config: z.object({ learningRate: finite, hidden: positive, replica: count })
})
export type TrainingUnitSpec = z.infer<typeof trainingUnitSpecSchema>

export const mcrgUnitSpecSchema = rgMcrgSpecSchema

const matrix = z.array(z.number()).max(16 * 16)
export const mcrgUnitResultSchema = z
  .object({
    operators: z
      .array(z.enum(['nearest', 'diagonal', 'third', 'plaquette']))
      .min(1)
      .max(4),
    b: z.number().int().min(2),
    samples: positive,
    levels: z
      .array(z.object({ level: positive, meanN: z.array(finite), meanP: z.array(finite), A: matrix, B: matrix }))
      .min(1)
      .max(16),
    L: positive,
    K: finite,
    rule: z.enum(['majority', 'decimation']),
    sweeps: count
  })
  .refine(
    (r) =>
      r.levels.every(
        (l, i) =>
          l.level === i + 1 &&
          [l.meanN, l.meanP].every((m) => m.length === r.operators.length) &&
          [l.A, l.B].every((m) => m.length === r.operators.length ** 2 && m.every(Number.isFinite))
      ),
    { message: 'Expected levels 1, 2, … with a mean per operator and operators² co-moments', path: ['levels'] }
  )

/** An RG flow's unit: the flow at one starting K (the rg.flow spec with Ks = [K]). */
export const flowUnitSpecSchema = rgFlowSpecSchema.refine((s) => s.Ks.length === 1, {
  message: 'Expected one starting K',
  path: ['Ks']
})

/** A number as a job computes it: NaN or ±∞ where an error bar or a fit has none (bundle JSON keeps them). */
const real = z.custom<number>((v) => typeof v === 'number', 'Expected a number')
const couplingName = z.enum(['field', 'nearest', 'diagonal', 'third', 'plaquette'])
const flowLevel = z.object({
  level: count.max(16),
  side: positive,
  fit: z
    .object({
      couplings: z.array(couplingName).min(1).max(5),
      K: z.array(real).max(5),
      errors: z.array(real).max(5),
      samples: count,
      blocks: count,
      runaway: count,
      converged: z.boolean(),
      iterations: count
    })
    .refine((f) => f.K.length === f.couplings.length && f.errors.length === f.couplings.length, {
      message: 'Expected a coupling and an error per fitted coupling',
      path: ['K']
    })
    .nullable(),
  matched: z.object({ correlation: real, correlationError: real, K: real, KError: real }).nullable(),
  note: z.string().max(2000).optional()
})

/** The flow at the unit's K: its levels (0, the sampled lattice, to the last), as the rg.flow job gives them. */
export const flowUnitResultSchema = z.object({
  L: positive,
  rule: z.enum(['majority', 'decimation']),
  b: z.number().int().min(2),
  couplings: z.array(couplingName).min(1).max(5),
  points: z.array(z.object({ K: finite, levels: z.array(flowLevel).min(1).max(17) })).length(1)
})

export const trainingUnitResultSchema = z.object({
  dbn: z.object({ layers: z.array(rbm).min(1).max(16), passUp: z.enum(['probabilities', 'samples']) }),
  history: z.array(monitorRecordSchema).max(16 * 1_000_000),
  arithmetic: z.array(z.string().max(200)).max(100)
})

/** The sweep point's result: the point, the spins it ended with (the next point's warm start) and where it started. */
export const sweepUnitFields = {
  /** The final spins, kept until the task's next point has started from them (merge drops them). */
  finalSpins: int8Array.optional(),
  /** The unit whose final spins this point started from, or null (its own start). */
  warmFrom: count.nullable().optional()
}

/** A checkpoint's unit stopped half-way: its job's state to resume from. */
export const partialOf = <S extends z.ZodType>(state: S) =>
  z.object({ unit: count, state, warmFrom: count.nullable().optional() }).optional()

export const sweepPartial = partialOf(sweepPointCheckpointSchema)
export const datasetPartial = partialOf(datasetCheckpointSchema)
export const mcrgPartial = partialOf(samplingStateSchema)
export const trainingPartial = partialOf(rbmTrainingSpecSchema.shape.resume.unwrap())
/** An RG flow's unit keeps no state half-way: it is short, and a stopped one starts again. */
export const flowPartial = z.undefined().optional()
