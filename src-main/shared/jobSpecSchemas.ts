import { z } from 'zod'
import { trainingOptionsSchema } from './project/trainings'
import {
  count,
  finite,
  float32Array,
  float64Array,
  int8Array,
  mcAlgorithm,
  modelDataSchema,
  positive,
  rbm,
  rbmShape,
  rngState,
  seed,
  sizesAgree,
  sizesMessage,
  uint32Array,
  unitKind
} from './jobSpecFields'

/**
 * Shapes of the job specs, checked where a job is started (jobKinds.ts, parseJobSpec). They say
 * which fields exist and of what type, with the ranges that make a spec nonsense; the runners
 * still check what needs the whole model (src-core/jobs/*: validateIsingChainSpec, …). Typed
 * arrays are checked by class and length only, never element by element, so a spec with a
 * 20,000 × 1600 dataset is checked in microseconds. Unknown fields are allowed (and ignored).
 * The RG, mapping and comparison specs are in rgJobSpecSchemas.ts.
 */

/** src-core/ising/types IsingChainState (a saved chain to continue). */
const chainState = z
  .object({ L: positive, sweep: count, spins: int8Array, energy: float64Array, absM: float64Array, rngState })
  .refine((s) => s.energy.length === s.sweep && s.absM.length === s.sweep, {
    message: 'Expected energy and absM to hold one value per sweep',
    path: ['energy']
  })

/** src-core/ising/types IsingChainSpec. */
export const isingChainSpecSchema = z.object({
  L: positive,
  K: finite,
  h: finite,
  algorithm: mcAlgorithm,
  sweepsPerFrame: positive,
  beta: finite.optional(),
  seed,
  start: z.enum(['hot', 'cold', 'painted']),
  startSpins: int8Array.optional(),
  model: modelDataSchema.optional(),
  resume: chainState.optional(),
  targetSweeps: count.optional(),
  maxFps: finite.min(0).optional()
})

/** src-core/jobs/isingDataset DatasetSpec. */
export const datasetSpecSchema = z.object({
  model: modelDataSchema,
  algorithm: mcAlgorithm,
  samples: positive,
  burnIn: count,
  thin: z.union([positive, z.literal('auto')]),
  pilotSweeps: positive.optional(),
  start: z.enum(['random', 'up', 'down']),
  keepSamples: z.boolean(),
  kernel: z.enum(['auto', 'general']).optional()
})

/** src-core/jobs/isingSweep SweepSpec. */
export const sweepSpecSchema = z.object({
  Ls: z.array(positive).min(1).max(16),
  Ks: z.array(finite).min(1).max(500),
  h: finite,
  algorithm: mcAlgorithm,
  burnIn: count,
  sweeps: positive,
  start: z.enum(['random', 'up', 'down'])
})

/** src-core/jobs/sweepPoint SweepPointCheckpoint. */
export const sweepPointCheckpointSchema = z
  .object({
    version: z.literal(1),
    done: count,
    spins: int8Array,
    H: float64Array,
    M: float64Array,
    sums: z.object({ energy: finite, magnetisation: finite, attempts: count, accepted: count }),
    rngState
  })
  .refine((c) => c.H.length === c.M.length, { message: 'Expected as many H as M values', path: ['H'] })

/** src-core/jobs/sweepPoint SweepPointSpec. */
export const sweepPointSpecSchema = z.object({
  L: positive,
  K: finite,
  h: finite,
  algorithm: mcAlgorithm,
  burnIn: count,
  sweeps: positive,
  start: z.enum(['random', 'up', 'down']),
  startSpins: int8Array.optional(),
  resume: sweepPointCheckpointSchema.optional(),
  checkpointMs: count.optional()
})

/** src-core/jobs/isingExact ExactSpec. */
export const exactSpecSchema = z.object({
  model: modelDataSchema,
  method: z.enum(['enumeration', 'transfer-matrix-1d', 'strip-transfer-matrix', 'kaufman']).optional()
})

/** src-core/jobs/rbmTrain RawBatch: rows × cols values, row-major; the length is checked, not the values. */
const rawBatch = z
  .object({
    rows: positive,
    cols: positive,
    data: z.union([float32Array, int8Array], { message: 'Expected a Float32Array or an Int8Array' })
  })
  .refine((b) => b.data.length === b.rows * b.cols, { message: 'Expected rows·cols values', path: ['data'] })

/** src-core/rbm/optimizer TrainingOptions, as a training record stores them (per layer, the overrides are partial). */
const trainingOptions = trainingOptionsSchema

/** src-core/rbm/trainerState TrainerCheckpoint: the network being trained, its velocities and where it is. */
const trainerCheckpoint = z
  .object({
    ...rbmShape,
    version: z.literal(1),
    options: trainingOptions,
    velocityW: float32Array,
    velocityA: float32Array,
    velocityB: float32Array,
    persistent: float32Array.nullable(),
    epoch: count,
    batchIndex: count,
    permutation: z.instanceof(Int32Array, { message: 'Expected an Int32Array' }).nullable(),
    rngState
  })
  .refine(sizesAgree, sizesMessage)
  .refine((t) => t.velocityW.length === t.W.length && t.velocityA.length === t.nv && t.velocityB.length === t.nh, {
    message: 'Expected velocities of the shapes of W, a and b',
    path: ['velocityW']
  })

/** src-core/jobs/rbmTrain RbmTrainingCheckpoint (array lengths checked, values left to the trainer). */
const trainingCheckpoint = z
  .object({
    version: z.literal(1),
    layer: count,
    completed: z.array(rbm),
    trainer: trainerCheckpoint,
    passUpRngStates: z.array(uint32Array),
    history: z.array(z.object({ layer: count, epoch: count }).loose()),
    rngState,
    arithmetic: z.array(z.string()).optional()
  })
  .loose()

/** src-core/jobs/rbmTrain RbmTrainingSpec. */
export const rbmTrainingSpecSchema = z.object({
  data: rawBatch,
  heldOut: rawBatch.optional(),
  dataUnits: unitKind.optional(),
  layers: z
    .array(z.object({ nh: positive, hiddenUnits: unitKind.optional(), options: trainingOptions.partial().optional() }))
    .min(1)
    .max(16),
  options: z.object({
    training: trainingOptions,
    passUp: z.enum(['probabilities', 'samples']),
    visibleUnits: unitKind,
    thumbnails: count.optional(),
    frameIntervalMs: finite.min(0).optional()
  }),
  monitors: z
    .object({
      physical: z.union([z.literal(false), z.object({}).loose()]).optional(),
      physicalEvery: z.number().int().min(1).max(100_000).optional()
    })
    .loose(),
  lattice: z.object({ Lx: positive, Ly: positive, K: finite }).optional(),
  resume: trainingCheckpoint.optional()
})

/** utility/testRunners: the job system's own test kinds. */
export const testCountSpecSchema = z.object({
  n: count,
  delayMs: finite.min(0).optional(),
  frameEvery: count.optional()
})
export const testThrowSpecSchema = z.object({ message: z.string().optional() }).nullish()
