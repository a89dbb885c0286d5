import { describe, expect, it } from 'vitest'
import { pipelineEta, pipelineFraction, stageEstimates } from '@shared/project/paperEstimate'
import { PAPER_PARAMETERS, paperProject } from '@shared/project/paperTemplate'
import { nextStage, pipelinesOf, readPipeline, type StageState } from '@shared/project/paperPipeline'
import { decodeProject, encodeProject } from '@shared/project/codec'

const stages = (...statuses: StageState['status'][]): StageState[] =>
  (['mapping', 'dataset', 'training', 'compare'] as const).map((name, i) => ({
    name,
    status: statuses[i]!,
    outputId: null,
    seconds: null,
    error: null
  }))

describe('the paper template', () => {
  it('is a project with the paper’s model and a pipeline of four pending stages, and survives a save', () => {
    const doc = paperProject('full', '0.1.0', new Date('2026-01-01T00:00:00Z'))
    expect(doc.project.models).toHaveLength(1)
    const m = doc.project.models[0]!
    expect(m.lattice).toMatchObject({ kind: 'square', Lx: 40, Ly: 40, periodicX: true, periodicY: true })
    expect(m.uniform).toMatchObject({ K: 0.408, h: 0 })
    const decoded = decodeProject(encodeProject(doc, '0.1.0'))
    if (!decoded.ok) throw new Error('did not reopen')
    const [p] = pipelinesOf(decoded.doc.project)
    expect(p && !('problem' in p) ? p.parameters : null).toEqual(PAPER_PARAMETERS.full)
  })

  it('reports a damaged pipeline instead of running it', () => {
    const doc = paperProject('small', '0.1.0')
    const a = doc.project.analyses[0]!
    const bad = readPipeline({ ...a, result: { stages: [] } })
    expect('problem' in bad && bad.problem).toContain('not readable')
    const renamed = readPipeline({ ...a, spec: { ...a.spec, template: 'other' } })
    expect('problem' in renamed).toBe(true)
    const negative = readPipeline({
      ...a,
      spec: { template: 'mehta-schwab-2014', parameters: { ...PAPER_PARAMETERS.small, samples: -5 } }
    })
    expect('problem' in negative && negative.problem).toContain('samples')
    // A hostile size is refused before anything is allocated.
    const huge = readPipeline({
      ...a,
      spec: { template: 'mehta-schwab-2014', parameters: { ...PAPER_PARAMETERS.small, L: 256, samples: 1_000_000 } }
    })
    expect('problem' in huge && huge.problem).toContain('2^28 spins')
    const wide = readPipeline({
      ...a,
      spec: {
        template: 'mehta-schwab-2014',
        parameters: { ...PAPER_PARAMETERS.small, L: 256, samples: 100, layers: [65_536] }
      }
    })
    expect('problem' in wide && wide.problem).toContain('2^27 weights')
  })

  it('continues with the first stage that is not done', () => {
    expect(nextStage(stages('done', 'done', 'paused', 'pending'))?.name).toBe('training')
    expect(nextStage(stages('done', 'done', 'done', 'done'))).toBeNull()
  })
})

describe('the template’s estimates', () => {
  it('put the full template under ten minutes and the small one under a minute, the training first', () => {
    const full = stageEstimates(PAPER_PARAMETERS.full)
    const total = Object.values(full).reduce((a, b) => a + b, 0)
    expect(total).toBeLessThan(600)
    expect(full.training).toBeGreaterThan(full.dataset + full.compare + full.mapping)
    const small = Object.values(stageEstimates(PAPER_PARAMETERS.small)).reduce((a, b) => a + b, 0)
    expect(small).toBeLessThan(60)
  })

  it('ETA: the running job’s own ETA plus the estimates of what follows', () => {
    const p = PAPER_PARAMETERS.full
    const e = stageEstimates(p)
    const s = stages('done', 'done', 'running', 'pending')
    expect(pipelineEta(p, s, { name: 'training', etaSeconds: 100, fraction: 0.5 })).toBeCloseTo(100 + e.compare, 9)
    // Without the job's ETA, what is left of the stage's estimate.
    expect(pipelineEta(p, s, { name: 'training', etaSeconds: null, fraction: 0.25 })).toBeCloseTo(
      0.75 * e.training + e.compare,
      9
    )
    expect(pipelineEta(p, stages('done', 'done', 'done', 'done'), null)).toBeNull()
    const total = e.mapping + e.dataset + e.training + e.compare
    expect(pipelineFraction(p, s, { name: 'training', etaSeconds: 1, fraction: 0.5 })).toBeCloseTo(
      (e.mapping + e.dataset + 0.5 * e.training) / total,
      12
    )
  })
})
