import { z } from 'zod'
import type { ProjectJsonV2 } from '../types'
import { trainingArrayRoleSchema } from '../trainingArrays'
import {
  trainingCheckpointScalarsSchema,
  trainingHistorySchema,
  trainingMonitorChoiceSchema,
  trainingOptionsSchema
} from '../trainings'
import { ARRAY_ID_PATTERN } from './v1'

/**
 * project.json, format version 2 — FROZEN once shipped. Adds general models (any lattice,
 * per-site fields and per-bond couplings as arrays), datasets of samples and analyses. Runs
 * are as in format 1. Objects are loose: unknown fields from a newer minor release are kept.
 * A training's options, history, checkpoint and array roles are ../trainings.ts's (frozen with
 * this format too); the history is read in either shape it was written in.
 */
export const arrayId = z.string().regex(ARRAY_ID_PATTERN, 'must be an array id (letters, digits, _ . -; at most 100)')
const uint32 = z.number().int().min(0).max(0xffffffff)
const size = z
  .number()
  .int()
  .min(1)
  .max(1 << 20)
const coupling = z.number().finite().min(-10).max(10)

const latticeV2 = z.discriminatedUnion('kind', [
  z.looseObject({ kind: z.literal('chain'), N: size, periodic: z.boolean() }),
  z.looseObject({
    kind: z.literal('square'),
    Lx: size,
    Ly: size,
    periodicX: z.boolean(),
    periodicY: z.boolean(),
    diagonals: z.boolean().optional()
  }),
  z.looseObject({ kind: z.literal('triangular'), Lx: size, Ly: size }),
  z.looseObject({ kind: z.literal('graph'), N: size, bonds: arrayId })
])

const modelV2 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  lattice: latticeV2,
  uniform: z.looseObject({
    K: coupling,
    h: coupling,
    Kx: coupling.optional(),
    Ky: coupling.optional(),
    Kd: coupling.optional()
  }),
  arrays: z.looseObject({ fields: arrayId.optional(), couplings: arrayId.optional(), spins: arrayId.optional() }),
  preset: z.string().optional(),
  presetSeed: uint32.optional()
})

const runV2 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  modelId: z.string().min(1),
  kind: z.literal('ising.chain'),
  spec: z.looseObject({
    L: z.number().int().min(1),
    K: z.number(),
    h: z.number(),
    algorithm: z.enum(['metropolis', 'wolff']),
    sweepsPerFrame: z.number().int().min(1),
    seed: uint32,
    start: z.enum(['hot', 'cold']),
    targetSweeps: z.number().int().min(0).optional()
  }),
  status: z.enum(['pending', 'live', 'done']),
  sweep: z.number().int().min(0),
  arrays: z.looseObject({
    spins: arrayId.optional(),
    energy: arrayId.optional(),
    absM: arrayId.optional(),
    rngState: arrayId.optional()
  }),
  createdAt: z.string()
})

export const datasetV2 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  modelId: z.string().min(1),
  algorithm: z.enum(['metropolis', 'metropolis-random', 'heatbath', 'wolff', 'sw']),
  seed: uint32,
  samples: z.number().int().min(0),
  burnIn: z.number().int().min(0),
  thin: z.number().int().min(1),
  tauInt: z.number().nullable(),
  acceptance: z.number().nullable(),
  createdAt: z.string(),
  arrays: z.looseObject({ samples: arrayId.optional(), energy: arrayId.optional(), magnetisation: arrayId.optional() }),
  summary: z.record(z.string(), z.unknown()).optional(),
  // How the pilot chose `thin` (absent when thin was fixed, and in datasets made before it was recorded).
  thinning: z
    .looseObject({
      pilotSweeps: z.number().int().min(1),
      pilotMaxSweeps: z.number().int().min(1),
      reliable: z.boolean(),
      tauSweeps: z.looseObject({ e: z.number(), m: z.number(), absM: z.number() }),
      setBy: z.enum(['e', 'm', 'absM'])
    })
    .optional()
})

const analysisV2 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  kind: z.string().min(1),
  sourceId: z.string().nullable(),
  spec: z.record(z.string(), z.unknown()),
  createdAt: z.string(),
  arrays: z.record(z.string(), arrayId),
  result: z.record(z.string(), z.unknown()).optional()
})

const units = z.enum(['01', 'pm1'])
const trainingV2 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  datasetId: z.string().min(1),
  visibleUnits: units,
  layers: z
    .array(
      z.looseObject({
        nh: z
          .number()
          .int()
          .min(1)
          .max(1 << 16),
        hiddenUnits: units
      })
    )
    .min(1)
    .max(16),
  options: trainingOptionsSchema,
  passUp: z.enum(['probabilities', 'samples']),
  seed: uint32,
  status: z.enum(['draft', 'paused', 'done']),
  createdAt: z.string(),
  arrays: z.record(trainingArrayRoleSchema, arrayId),
  history: trainingHistorySchema.optional(),
  checkpoint: trainingCheckpointScalarsSchema.optional(),
  monitors: trainingMonitorChoiceSchema.optional()
})

const arrayEntry = z.looseObject({
  dtype: z.enum(['|i1', '|u1', '<i4', '<u4', '<f4', '<f8']),
  shape: z.array(z.number().int().min(0)).max(32),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
})

/** Format 2's fields, before the reference checks (format 3 extends them). */
export const projectV2Object = z.looseObject({
  format: z.literal('blockspin'),
  formatVersion: z.literal(2),
  appVersion: z.string(),
  name: z.string(),
  createdAt: z.string(),
  modifiedAt: z.string(),
  notes: z.string(),
  models: z.array(modelV2),
  runs: z.array(runV2),
  datasets: z.array(datasetV2),
  analyses: z.array(analysisV2),
  trainings: z.array(trainingV2).optional(),
  arrays: z.record(arrayId, arrayEntry)
})

export const projectV2Schema = projectV2Object.superRefine((project, ctx) => checkProjectReferences(project, ctx))

/**
 * Unique ids across everything the tree shows, and every reference resolvable. Format 3 runs the
 * same check (schema/v3.ts), so it is exported; its behaviour is part of format 2 and frozen.
 */
export function checkProjectReferences(
  project: Pick<z.infer<typeof projectV2Object>, 'models' | 'runs' | 'datasets' | 'analyses' | 'trainings' | 'arrays'>,
  ctx: z.RefinementCtx
): void {
  // Unique ids across everything the tree shows, and every reference resolvable.
  const ids = new Map<string, string>()
  const claim = (id: string, path: (string | number)[]) => {
    if (ids.has(id)) ctx.addIssue({ code: 'custom', path, message: `duplicate id "${id}" (also a ${ids.get(id)})` })
    else ids.set(id, String(path[0]))
  }
  const listed = (id: unknown, path: (string | number)[]) => {
    if (typeof id === 'string' && !Object.prototype.hasOwnProperty.call(project.arrays, id)) {
      ctx.addIssue({ code: 'custom', path, message: `array "${id}" is not listed in "arrays"` })
    }
  }
  const modelIds = new Set(project.models.map((m) => m.id))
  project.models.forEach((m, i) => {
    claim(m.id, ['models', i, 'id'])
    for (const [role, id] of Object.entries(m.arrays)) listed(id, ['models', i, 'arrays', role])
    if (m.lattice.kind === 'graph') listed(m.lattice.bonds, ['models', i, 'lattice', 'bonds'])
  })
  const refersToModel = (collection: 'runs' | 'datasets', i: number, modelId: string) => {
    if (!modelIds.has(modelId))
      ctx.addIssue({ code: 'custom', path: [collection, i, 'modelId'], message: `no model has id "${modelId}"` })
  }
  project.runs.forEach((r, i) => {
    claim(r.id, ['runs', i, 'id'])
    refersToModel('runs', i, r.modelId)
    for (const [role, id] of Object.entries(r.arrays)) listed(id, ['runs', i, 'arrays', role])
  })
  project.datasets.forEach((d, i) => {
    claim(d.id, ['datasets', i, 'id'])
    refersToModel('datasets', i, d.modelId)
    for (const [role, id] of Object.entries(d.arrays)) listed(id, ['datasets', i, 'arrays', role])
  })
  project.analyses.forEach((a, i) => {
    claim(a.id, ['analyses', i, 'id'])
    for (const [role, id] of Object.entries(a.arrays)) listed(id, ['analyses', i, 'arrays', role])
  })
  const datasetIds = new Set(project.datasets.map((d) => d.id))
  ;(project.trainings ?? []).forEach((t, i) => {
    claim(t.id, ['trainings', i, 'id'])
    if (!datasetIds.has(t.datasetId))
      ctx.addIssue({
        code: 'custom',
        path: ['trainings', i, 'datasetId'],
        message: `no dataset has id "${t.datasetId}"`
      })
    for (const [role, id] of Object.entries(t.arrays)) listed(id, ['trainings', i, 'arrays', role])
  })
}

export type ProjectJsonV2Parsed = z.infer<typeof projectV2Schema>

/** Compile-time guard: what this schema accepts is a ProjectJsonV2. */
const _schemaMatchesType: (p: ProjectJsonV2Parsed) => ProjectJsonV2 = (p) => p
void _schemaMatchesType
