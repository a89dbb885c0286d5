import { z } from 'zod'
import {
  finite,
  float32Array,
  float64Array,
  int,
  int8Array,
  modelDataSchema,
  positive,
  rbm,
  unitKind
} from './jobSpecFields'

// Shapes of the RG, mapping and comparison job specs (src-core/jobs/rgCascade, rgMcrg, rgFlow,
// mapping, compareRgDbn), checked where a job is started as jobSpecSchemas.ts says.

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
