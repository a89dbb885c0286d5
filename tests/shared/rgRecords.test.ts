import { describe, expect, it } from 'vitest'
import type { JobFrame } from '@core/jobs/types'
import { runRgCascade } from '@core/jobs/rgCascade'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { emptyProject } from '@shared/project/model'
import { cascadeRecords, jsonOf } from '@shared/project/rgRecords'
import type { ProjectDataset, ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'

describe('RG records in a project (format 3)', () => {
  it('a cascade becomes an analysis and one coarse dataset per level, chained, and survives a save', async () => {
    const rng = xoshiro128ss(1)
    const count = 20
    const samples = Int8Array.from({ length: count * 64 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    const spec = { count, Lx: 8, Ly: 8, rule: 'majority' as const, b: 2, levels: 2, couplings: ['nearest' as const] }
    const host = new FakeJobHost<JobFrame>()
    const result = (await runRgCascade({ ...spec, samples }, xoshiro128ss(2), host.sink, host.signal))!
    const source: ProjectDataset = {
      id: 'data1',
      name: 'Samples',
      modelId: 'model1',
      algorithm: 'wolff',
      seed: 3,
      samples: count,
      burnIn: 0,
      thin: 1,
      tauInt: null,
      acceptance: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      arrays: { samples: 'data1.samples' }
    }
    const records = cascadeRecords({
      analysisId: 'rg1',
      name: 'Cascade',
      source,
      spec,
      seed: 2,
      result,
      taken: ['model1', 'data1', 'data2']
    })
    expect(records.datasets.map((d) => [d.id, d.coarse])).toEqual([
      ['data3', { sourceId: 'data1', analysisId: 'rg1', rule: 'majority', b: 2, level: 1 }],
      ['data4', { sourceId: 'data3', analysisId: 'rg1', rule: 'majority', b: 2, level: 2 }]
    ])
    expect(records.arrays['data3.samples']).toMatchObject({ dtype: '|i1', shape: [count, 4, 4] })
    expect(records.arrays['data4.samples']).toMatchObject({ dtype: '|i1', shape: [count, 2, 2] })
    const levels = records.analysis.result!.levels as { level: number; datasetId: string | null }[]
    expect(levels.map((l) => l.datasetId)).toEqual(['data1', 'data3', 'data4'])

    const project = emptyProject('0.3.0')
    project.models.push({
      id: 'model1',
      name: 'T',
      lattice: { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true },
      uniform: { K: 0.4, h: 0 },
      arrays: {}
    })
    project.datasets.push(source, ...records.datasets)
    project.analyses.push(records.analysis)
    const doc: ProjectDoc = {
      project,
      arrays: { 'data1.samples': { dtype: '|i1', shape: [count, 8, 8], data: samples }, ...records.arrays }
    }
    const back = decodeProject(encodeProject(doc, '0.3.0'))
    if (!back.ok) throw new Error(JSON.stringify(back.error))
    expect(back.doc.project.datasets[2]!.coarse!.level).toBe(2)
    expect(Array.from(back.doc.arrays['data4.samples']!.data)).toEqual(
      Array.from(records.arrays['data4.samples']!.data)
    )
  })

  it('jsonOf turns typed arrays into lists', () => {
    expect(jsonOf({ a: Float64Array.of(1, 2), b: { c: Int8Array.of(-1) } })).toEqual({ a: [1, 2], b: { c: [-1] } })
  })
})
