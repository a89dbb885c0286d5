import { z } from 'zod'
import type { ProjectJsonV1 } from '../types'

/**
 * project.json, format version 1 — FROZEN. Once a version has shipped its schema never changes:
 * a change to the format is a new file (v2.ts) plus a migration in ../migrations.ts.
 *
 * Every object is loose: fields this version does not know (written by a newer minor release)
 * are kept on load and written back on save, not dropped.
 */

export const ARRAY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,100}$/

const arrayId = z.string().regex(ARRAY_ID_PATTERN, 'must be an array id (letters, digits, _ . -; at most 100)')
const uint32 = z.number().int().min(0).max(0xffffffff)

const modelV1 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  lattice: z.looseObject({ kind: z.literal('square'), L: z.number().int().min(1), periodic: z.literal(true) }),
  K: z.number(),
  h: z.number()
})

const chainSpecV1 = z.looseObject({
  L: z.number().int().min(1),
  K: z.number(),
  h: z.number(),
  algorithm: z.enum(['metropolis', 'wolff']),
  sweepsPerFrame: z.number().int().min(1),
  seed: uint32,
  start: z.enum(['hot', 'cold']),
  targetSweeps: z.number().int().min(0).optional()
})

const runV1 = z.looseObject({
  id: z.string().min(1),
  name: z.string(),
  modelId: z.string().min(1),
  kind: z.literal('ising.chain'),
  spec: chainSpecV1,
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

const arrayEntryV1 = z.looseObject({
  dtype: z.enum(['|i1', '|u1', '<i4', '<u4', '<f4', '<f8']),
  shape: z.array(z.number().int().min(0)).max(32),
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lower-case hex digits')
})

export const projectV1Schema = z
  .looseObject({
    format: z.literal('blockspin'),
    formatVersion: z.literal(1),
    appVersion: z.string(),
    name: z.string(),
    createdAt: z.string(),
    modifiedAt: z.string(),
    notes: z.string(),
    models: z.array(modelV1),
    runs: z.array(runV1),
    arrays: z.record(arrayId, arrayEntryV1)
  })
  .superRefine((project, ctx) => {
    // References between parts of the file: unique ids, runs pointing at models and arrays that exist.
    const modelIds = new Set<string>()
    project.models.forEach((model, i) => {
      if (modelIds.has(model.id))
        ctx.addIssue({ code: 'custom', path: ['models', i, 'id'], message: `duplicate model id "${model.id}"` })
      modelIds.add(model.id)
    })
    const runIds = new Set<string>()
    project.runs.forEach((run, i) => {
      if (runIds.has(run.id))
        ctx.addIssue({ code: 'custom', path: ['runs', i, 'id'], message: `duplicate run id "${run.id}"` })
      runIds.add(run.id)
      if (!modelIds.has(run.modelId)) {
        ctx.addIssue({ code: 'custom', path: ['runs', i, 'modelId'], message: `no model has id "${run.modelId}"` })
      }
      for (const [role, id] of Object.entries(run.arrays)) {
        if (typeof id === 'string' && !Object.prototype.hasOwnProperty.call(project.arrays, id)) {
          ctx.addIssue({
            code: 'custom',
            path: ['runs', i, 'arrays', role],
            message: `array "${id}" is not listed in "arrays"`
          })
        }
      }
    })
  })

export type ProjectJsonV1Parsed = z.infer<typeof projectV1Schema>

/** Compile-time guard: what this schema accepts is a ProjectJsonV1. */
const _schemaMatchesType: (p: ProjectJsonV1Parsed) => ProjectJsonV1 = (p) => p
void _schemaMatchesType
