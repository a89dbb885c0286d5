import { z } from 'zod'
import { trainingOptionsSchema } from './project/trainings'

/**
 * Shapes of the job specs, checked where a job is started (jobKinds.ts, parseJobSpec). They say
 * which fields exist and of what type, with the ranges that make a spec nonsense; the runners
 * still check what needs the whole model (src-core/jobs/*: validateIsingChainSpec, …). Typed
 * arrays are checked by class and length only, never element by element, so a spec with a
 * 20,000 × 1600 dataset is checked in microseconds. Unknown fields are allowed (and ignored).
 */

const finite = z.number().finite()
const int = z.number().int()
const count = int.min(0)
const positive = int.min(1)
const seed = z.number().refine(Number.isSafeInteger, 'Expected a safe integer')

/** ising/types ChainAlgorithm: the fast square kernels' two and the general samplers' five. */
const MC_ALGORITHMS = ['metropolis', 'metropolis-random', 'heatbath', 'wolff', 'sw'] as const
const mcAlgorithm = z.enum(MC_ALGORITHMS)
const unitKind = z.enum(['01', 'pm1'])

const int8Array = z.instanceof(Int8Array, { message: 'Expected an Int8Array' })
const float32Array = z.instanceof(Float32Array, { message: 'Expected a Float32Array' })
const float64Array = z.instanceof(Float64Array, { message: 'Expected a Float64Array' })
const uint32Array = z.instanceof(Uint32Array, { message: 'Expected a Uint32Array' })
/** A generator state (xoshiro128**: four 32-bit words). */
const rngState = uint32Array.refine((s) => s.length === 4, 'Expected a generator state of 4 words')

const latticeSpec = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('chain'), N: positive, periodic: z.boolean() }),
  z.object({
    kind: z.literal('square'),
    Lx: positive,
    Ly: positive,
    periodicX: z.boolean(),
    periodicY: z.boolean(),
    diagonals: z.boolean().optional()
  }),
  z.object({ kind: z.literal('triangular'), Lx: positive, Ly: positive }),
  // The bonds themselves are checked by buildLattice in the worker (a graph may have many).
  z.object({ kind: z.literal('graph'), N: positive, bonds: z.array(z.unknown()) })
])

/** src-core/lattice/data ModelData. */
export const modelDataSchema = z.object({
  lattice: latticeSpec,
  uniform: z.object({ K: finite, h: finite, Kx: finite.optional(), Ky: finite.optional(), Kd: finite.optional() }),
  fields: float64Array.optional(),
  couplings: float64Array.optional()
})

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

/** src-core/rbm/types Rbm: the lengths of W (nv × nh), a and b agree with nv and nh. */
const rbmShape = {
  nv: positive,
  nh: positive,
  visibleUnits: unitKind,
  hiddenUnits: unitKind,
  W: float32Array,
  a: float32Array,
  b: float32Array
}
type RbmShape = { nv: number; nh: number; W: Float32Array; a: Float32Array; b: Float32Array }
const sizesAgree = (r: RbmShape): boolean => r.W.length === r.nv * r.nh && r.a.length === r.nv && r.b.length === r.nh
const sizesMessage = { message: 'Expected W of nv × nh, a of nv and b of nh values', path: ['W'] }
const rbm = z.object(rbmShape).loose().refine(sizesAgree, sizesMessage)

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
  monitors: z.object({ physical: z.union([z.literal(false), z.object({}).loose()]).optional() }).loose(),
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

// ── RG and mapping (src-core/jobs/rgCascade, rgMcrg, rgFlow, mapping) ──

const blockRule = z.enum(['average', 'majority', 'decimation'])
const couplingName = z.enum(['field', 'nearest', 'diagonal', 'third', 'plaquette'])
const evenOperator = z.enum(['nearest', 'diagonal', 'third', 'plaquette'])
const torusSampling = {
  L: int.min(4).max(1024),
  K: finite.gt(0).max(10),
  count: int.min(4).max(1_000_000),
  between: int.min(1).max(10_000),
  burnIn: int.min(0).max(10_000_000)
}

/** src-core/jobs/rgCascade RgCascadeSpec. */
export const rgCascadeSpecSchema = z
  .object({
    samples: int8Array,
    count: positive,
    Lx: int.min(2),
    Ly: positive,
    rule: blockRule,
    b: int.min(2),
    levels: positive.max(16),
    couplings: z.array(couplingName).max(5)
  })
  .refine((s) => s.samples.length === s.count * s.Lx * s.Ly, {
    message: 'Expected count × Lx × Ly samples',
    path: ['samples']
  })

/** src-core/jobs/rgMcrg RgMcrgSpec. */
export const rgMcrgSpecSchema = z.object({
  ...torusSampling,
  rule: z.enum(['majority', 'decimation']),
  b: int.min(2),
  levels: positive.max(16),
  operators: z.array(evenOperator).min(1).max(4).optional()
})

/** src-core/jobs/rgFlow RgFlowSpec. */
export const rgFlowSpecSchema = z.object({
  L: torusSampling.L,
  Ks: z.array(torusSampling.K).min(1).max(64),
  rule: z.enum(['majority', 'decimation']),
  b: int.min(2),
  levels: positive.max(16),
  count: torusSampling.count,
  between: torusSampling.between,
  burnIn: torusSampling.burnIn,
  couplings: z.array(couplingName).min(1).max(5)
})

/** src-core/jobs/mapping MappingSpec. */
export const mappingSpecSchema = z.discriminatedUnion('preset', [
  z.object({
    preset: z.literal('decimation-1d'),
    K: finite,
    h: finite,
    M: int.min(3).max(12).optional(),
    steps: int.min(0).max(64).optional()
  }),
  z.object({ preset: z.literal('lin-tegmark'), K: finite, a: finite, lambda: finite.min(0) }),
  z.object({
    preset: z.literal('block-2x2'),
    K: finite,
    epochs: positive.max(100_000).optional(),
    learningRate: finite.gt(0).optional()
  }),
  z.object({
    preset: z.literal('kernel'),
    model: modelDataSchema,
    kernel: z.enum(['kadanoff', 'majority', 'decimation']),
    lambda: finite.min(0).optional(),
    b: int.min(2),
    lambdas: z.array(finite.min(0)).max(200).optional()
  }),
  z.object({
    preset: z.literal('rbm'),
    model: modelDataSchema,
    rbm: z
      .object({
        nv: positive.max(24),
        nh: positive.max(16),
        visibleUnits: unitKind,
        hiddenUnits: unitKind,
        W: z.union([float32Array, float64Array]),
        a: z.union([float32Array, float64Array]),
        b: z.union([float32Array, float64Array])
      })
      .refine((r) => r.W.length === r.nv * r.nh && r.a.length === r.nv && r.b.length === r.nh, {
        message: 'Expected W of nv × nh, a of nv and b of nh values',
        path: ['W']
      })
  })
])

/** src-core/jobs/compareRgDbn CompareSpec. */
export const compareSpecSchema = z
  .object({
    samples: int8Array,
    count: positive,
    Lx: int.min(2),
    Ly: positive,
    dbn: z.object({ layers: z.array(rbm).min(1).max(16), passUp: z.enum(['probabilities', 'samples']) }),
    rule: z.enum(['majority', 'decimation']),
    b: int.min(2),
    couplings: z.array(couplingName).max(5),
    flow: z
      .object({
        Ks: z.array(finite.gt(0).max(10)).max(16),
        steps: int.min(0).max(1000),
        count: int.min(4).max(100_000)
      })
      .optional()
  })
  .refine((s) => s.samples.length === s.count * s.Lx * s.Ly, {
    message: 'Expected count × Lx × Ly samples',
    path: ['samples']
  })
