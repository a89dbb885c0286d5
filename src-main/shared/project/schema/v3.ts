import { z } from 'zod'
import type { ProjectJsonV3 } from '../types'
import { arrayId, checkProjectReferences, datasetV2, projectV2Object } from './v2'

/**
 * project.json, format version 3 — FROZEN once shipped. Adds renormalization: a dataset may be a
 * coarse level of another (`coarse`: the dataset it was blocked from, the RG analysis that made
 * it, rule, b and level; its samples are int8 ±1 spins, or float32 block averages for the average
 * rule), and analyses of the RG kinds (rg.cascade, rg.flow, rg.mcrg, mapping) keep their spec,
 * seed and result. Everything else is format 2's. An older Blockspin refuses these files by
 * version instead of misreading float32 samples.
 */
const coarseOrigin = z.looseObject({
  sourceId: z.string().min(1),
  analysisId: z.string().min(1),
  rule: z.enum(['average', 'majority', 'decimation']),
  b: z.number().int().min(2).max(1024),
  level: z.number().int().min(1).max(64)
})

const datasetV3 = datasetV2.extend({ coarse: coarseOrigin.optional() })

export const projectV3Object = projectV2Object.extend({
  formatVersion: z.literal(3),
  datasets: z.array(datasetV3)
})

export const projectV3Schema = projectV3Object.superRefine((project, ctx) => {
  checkProjectReferences(project, ctx)
  const datasetIds = new Set(project.datasets.map((d) => d.id))
  const analysisIds = new Set(project.analyses.map((a) => a.id))
  project.datasets.forEach((d, i) => {
    if (!d.coarse) return
    if (!datasetIds.has(d.coarse.sourceId))
      ctx.addIssue({
        code: 'custom',
        path: ['datasets', i, 'coarse', 'sourceId'],
        message: `no dataset has id "${d.coarse.sourceId}"`
      })
    if (!analysisIds.has(d.coarse.analysisId)) {
      ctx.addIssue({
        code: 'custom',
        path: ['datasets', i, 'coarse', 'analysisId'],
        message: `no analysis has id "${d.coarse.analysisId}"`
      })
    }
  })
})

export { arrayId }

export type ProjectJsonV3Parsed = z.infer<typeof projectV3Schema>

/** Compile-time guard: what this schema accepts is a ProjectJsonV3. */
const _schemaMatchesType: (p: ProjectJsonV3Parsed) => ProjectJsonV3 = (p) => p
void _schemaMatchesType
