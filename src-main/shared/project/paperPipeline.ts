import { z } from 'zod'
import type { ProjectAnalysis, ProjectJson } from './types'

/**
 * The paper template's pipeline record (paperTemplate.ts): an analysis of kind 'pipeline' whose
 * spec holds the template's parameters and whose result holds each stage's state. Its schemas,
 * and reading, checking and writing back its stages.
 */

export const PAPER_TEMPLATE = 'mehta-schwab-2014'
export const PIPELINE_KIND = 'pipeline'

export type PaperVariant = 'full' | 'small'
export type StageName = 'mapping' | 'dataset' | 'training' | 'compare'
export const STAGES: readonly StageName[] = ['mapping', 'dataset', 'training', 'compare']

const parametersSchema = z
  .object({
    variant: z.enum(['full', 'small']),
    L: z.number().int().min(4).max(256),
    K: z.number().min(0).max(10),
    samples: z.number().int().min(10).max(1_000_000),
    datasetSeed: z.number().int().min(0).max(0xffffffff),
    layers: z.array(z.number().int().min(1).max(65_536)).min(1).max(8),
    epochs: z.number().int().min(1).max(100_000),
    l1: z.number().min(0).max(1),
    trainingSeed: z.number().int().min(0).max(0xffffffff),
    compare: z.object({
      rule: z.enum(['majority', 'decimation']),
      b: z.number().int().min(2).max(16),
      couplings: z.array(z.enum(['field', 'nearest', 'diagonal', 'third', 'plaquette'])).min(1),
      flow: z.object({
        Ks: z.array(z.number().min(0).max(10)).min(1).max(32),
        steps: z.number().int().min(1).max(64),
        count: z.number().int().min(1).max(100_000)
      }),
      seed: z.number().int().min(0).max(0xffffffff)
    }),
    mapping: z.object({ K: z.number(), M: z.number().int().min(2).max(64), steps: z.number().int().min(1).max(16) })
  })
  .superRefine((p, ctx) => {
    // A shared file must not make `blockspin run` or the app allocate without bound: at most
    // 2^28 stored spins (8× the paper's dataset) and 2^27 weights in any layer.
    if (p.samples * p.L * p.L > 2 ** 28)
      ctx.addIssue({
        code: 'custom',
        path: ['samples'],
        message: `${p.samples} samples of ${p.L}×${p.L} spins is more than the 2^28 spins a reproduction may store`
      })
    const sizes = [p.L * p.L, ...p.layers]
    sizes.slice(1).forEach((nh, l) => {
      if (sizes[l]! * nh > 2 ** 27)
        ctx.addIssue({
          code: 'custom',
          path: ['layers', l],
          message: `a ${sizes[l]}×${nh} layer has more than 2^27 weights`
        })
    })
  })
export type PaperParameters = z.infer<typeof parametersSchema>

const stageSchema = z.object({
  name: z.enum(['mapping', 'dataset', 'training', 'compare']),
  status: z.enum(['pending', 'running', 'paused', 'done', 'failed']),
  outputId: z.string().nullable(),
  /** Wall-clock seconds the stage took (summed over resumes). */
  seconds: z.number().min(0).nullable(),
  error: z.string().nullable()
})
export type StageState = z.infer<typeof stageSchema>

const pipelineSpecSchema = z.object({ template: z.literal(PAPER_TEMPLATE), parameters: parametersSchema })
const pipelineResultSchema = z.object({ stages: z.array(stageSchema).length(STAGES.length) })

/** A pipeline analysis as read: its parameters and stages, or why it cannot be run. */
export type PipelineRecord = {
  id: string
  name: string
  modelId: string
  parameters: PaperParameters
  stages: StageState[]
}

export function freshStages(): StageState[] {
  return STAGES.map((name) => ({ name, status: 'pending', outputId: null, seconds: null, error: null }))
}

/** The pipeline analyses of a project, read and checked (a damaged one is reported, not run). */
export function pipelinesOf(project: ProjectJson): (PipelineRecord | { id: string; name: string; problem: string })[] {
  return project.analyses.filter((a) => a.kind === PIPELINE_KIND).map((a) => readPipeline(a))
}

export function readPipeline(a: ProjectAnalysis): PipelineRecord | { id: string; name: string; problem: string } {
  const spec = pipelineSpecSchema.safeParse(a.spec)
  const result = pipelineResultSchema.safeParse(a.result ?? {})
  if (!spec.success || !result.success || a.sourceId === null) {
    const issue = !spec.success ? spec.error.issues[0] : !result.success ? result.error.issues[0] : undefined
    const where = issue ? ` (${issue.path.join('.') || 'spec'}: ${issue.message})` : ' (no model)'
    return { id: a.id, name: a.name, problem: `its parameters or stages are not readable${where}` }
  }
  const stages = result.data.stages
  if (stages.some((s, i) => s.name !== STAGES[i]))
    return { id: a.id, name: a.name, problem: `its stages are not ${STAGES.join(', ')}` }
  return { id: a.id, name: a.name, modelId: a.sourceId, parameters: spec.data.parameters, stages }
}

/** Writes a pipeline's stages back into its analysis record. */
export function writeStages(project: ProjectJson, pipelineId: string, stages: StageState[]): void {
  const a = project.analyses.find((x) => x.id === pipelineId)
  if (!a) throw new Error(`no pipeline "${pipelineId}"`)
  a.result = { stages: stages.map((s) => ({ ...s })) }
}

/** The first stage that is not done (null when the reproduction is complete). */
export function nextStage(stages: StageState[]): StageState | null {
  return stages.find((s) => s.status !== 'done') ?? null
}
