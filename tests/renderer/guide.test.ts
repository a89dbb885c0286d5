import { describe, expect, it } from 'vitest'
import { emptyProject } from '@shared/project/model'
import type { ProjectJson } from '@shared/project/types'
import { guideSteps } from '../../src-renderer/src/logic/guide'

function project(extra: Partial<ProjectJson>): ProjectJson {
  return { ...emptyProject('0.1.0'), ...extra }
}
const model = (id: string, kind: 'square' | 'chain') =>
  ({
    id,
    name: id,
    lattice:
      kind === 'square' ? { kind, Lx: 16, Ly: 16, periodicX: true, periodicY: true } : { kind, N: 8, periodic: true },
    uniform: { K: 0.408, h: 0 },
    arrays: {}
  }) as ProjectJson['models'][number]
const analysis = (id: string, kind: string) => ({
  id,
  name: id,
  kind,
  sourceId: null,
  spec: {},
  createdAt: '',
  arrays: {}
})
const dataset = (id: string, coarse?: boolean) =>
  ({
    id,
    name: id,
    modelId: 'm2',
    ...(coarse ? { coarse: { level: 1 } } : {})
  }) as unknown as ProjectJson['datasets'][number]

describe('guideSteps', () => {
  it('does not open a dataset planned for a cluster (it has no samples yet)', () => {
    const planned = { ...dataset('plan1'), summary: { planned: true, keepSamples: true, thin: 'auto' } }
    const p = project({ models: [model('m2', 'square')], datasets: [planned, dataset('data1')] })
    expect(guideSteps(p)[2]!.action).toEqual({ kind: 'open', id: 'data1' })
    expect(guideSteps(project({ models: [model('m2', 'square')], datasets: [planned] }))[2]!.action).toBeNull()
  })

  it('on an empty project every step says what to do instead of opening nothing', () => {
    const steps = guideSteps(project({}))
    expect(steps.map((s) => s.key)).toEqual(['paper', 'live', 'dataset', 'cascade', 'mapping', 'compare'])
    for (const s of steps) {
      expect(s.action).toBeNull()
      expect(s.missing.length).toBeGreaterThan(10)
    }
  })

  it('starts a live chain on the square model when the project has none', () => {
    const steps = guideSteps(project({ models: [model('m1', 'chain'), model('m2', 'square')] }))
    expect(steps[1]!.action).toEqual({ kind: 'live', modelId: 'm2' })
    expect(steps[1]!.label).toBe('Start a live chain')
  })

  it('opens the items of an example project: run, uncoarsened dataset, cascade, mapping, comparison', () => {
    const p = project({
      models: [model('m2', 'square')],
      runs: [{ id: 'run1', modelId: 'm2' } as ProjectJson['runs'][number]],
      datasets: [dataset('coarse1', true), dataset('data1')],
      analyses: [
        analysis('map1', 'mapping'),
        analysis('rg1', 'rg.cascade'),
        analysis('cmp1', 'compare'),
        analysis('paper1', 'pipeline')
      ]
    })
    expect(guideSteps(p).map((s) => s.action)).toEqual([
      { kind: 'open', id: 'paper1' },
      { kind: 'open', id: 'run1' },
      { kind: 'open', id: 'data1' },
      { kind: 'open', id: 'rg1' },
      { kind: 'open', id: 'map1' },
      { kind: 'open', id: 'cmp1' }
    ])
  })

  it('falls back to the dataset for the cascade and to the training for the comparison', () => {
    const p = project({
      models: [model('m2', 'square')],
      datasets: [dataset('data1')],
      trainings: [
        { id: 'rbm', layers: [{ nh: 4 }] },
        { id: 'dbn', layers: [{ nh: 4 }, { nh: 2 }] }
      ] as unknown as ProjectJson['trainings']
    })
    const steps = guideSteps(p)
    expect(steps[3]!.action).toEqual({ kind: 'open', id: 'data1' })
    expect(steps[3]!.label).toMatch(/dataset/)
    expect(steps[5]!.action).toEqual({ kind: 'open', id: 'dbn' })
    expect(steps[5]!.label).toBe('Open the training')
  })
})
