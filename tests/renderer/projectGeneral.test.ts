import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useDataStore } from '../../src-renderer/src/stores/data'
import { useModelsStore } from '../../src-renderer/src/stores/models'
import { useProjectItems } from '../../src-renderer/src/stores/projectItems'
import { presetModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { emptyProject } from '@shared/project/model'
import type { NpyArray, ProjectDoc, ProjectJson } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { datasetResult, graphModel, sweepResult, triangularModel } from './generalFixtures'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  setApi(null)
  vi.useRealTimers()
})

const PATH = '/p/general.blockspin'

/** A file on disk: a graph model and a 4×3 square with edited fields (both left unopened), and a triangular model. */
function initialDoc(): ProjectDoc {
  const g = graphModel('g1')
  const t = triangularModel('tri')
  const project: ProjectJson = { ...emptyProject('1.0.0', new Date('2024-03-01T00:00:00Z')), name: 'General' }
  project.models = [
    g.record,
    {
      id: 'keep',
      name: 'Square with fields',
      lattice: { kind: 'square', Lx: 4, Ly: 3, periodicX: false, periodicY: true },
      uniform: { K: 0.3, h: 0 },
      arrays: { fields: 'keep.fields' }
    },
    t.record
  ]
  const fields: NpyArray = {
    dtype: '<f8',
    shape: [12],
    data: Float64Array.from({ length: 12 }, (_, i) => (i % 3) / 4 - 0.1)
  }
  return { project, arrays: { ...g.arrays, ...t.arrays, 'keep.fields': fields } }
}

/** Through the real codec, as the services would write and read the file. */
function throughFile(doc: ProjectDoc, version = '9.9.9') {
  const decoded = decodeProject(encodeProject(doc, version))
  if (!decoded.ok) throw new Error(`decode failed: ${JSON.stringify(decoded.error)}`)
  return decoded.doc
}

async function openDoc(project: Awaited<ReturnType<typeof setupProject>>['project'], doc: ProjectDoc) {
  fake.replies.open = { status: 'opened', path: PATH, name: 'general.blockspin', doc }
  await project.openPath(PATH)
  await flushPromises()
}

async function saveDoc(project: Awaited<ReturnType<typeof setupProject>>['project']): Promise<ProjectDoc> {
  expect(await project.save()).toBe(true)
  return fake.raw['project.save'].mock.calls.at(-1)![0].doc as ProjectDoc
}

function expectSameArrays(a: Record<string, NpyArray>, b: Record<string, NpyArray>) {
  expect(Object.keys(b).sort()).toEqual(Object.keys(a).sort())
  for (const [id, x] of Object.entries(a)) {
    const y = b[id]!
    expect({ id, dtype: y.dtype, shape: y.shape, type: y.data.constructor.name }).toEqual({
      id,
      dtype: x.dtype,
      shape: x.shape,
      type: x.data.constructor.name
    })
    expect(Array.from(y.data), id).toEqual(Array.from(x.data))
  }
}

describe('a project of general models, datasets and analyses through the file format', () => {
  it('saves, encodes, decodes and opens back identically; unopened models survive two cycles byte for byte', async () => {
    const { project } = await setupProject(fake)
    const models = useModelsStore()
    const data = useDataStore()
    const items = useProjectItems()
    const disk0 = throughFile(initialDoc(), '1.0.0')
    await openDoc(project, disk0)
    expect(project.project.models.map((m) => m.id)).toEqual(['g1', 'keep', 'tri'])

    // Edit the triangular model: a coupling, a field and a spin.
    const tri = project.project.models[2]!
    const doc = models.docFor(tri)
    const couplings = Float64Array.from(doc.model.couplings)
    couplings[2] = -0.35
    const fields = Float64Array.from(doc.model.fields)
    fields[4] = 0.6
    const spins = Int8Array.from(doc.model.fields, (_, i) => (i % 2 ? 1 : -1))
    models.update('tri', { model: { ...doc.model, couplings, fields }, spins })
    const glass = items.addModel('spin-glass', { L: 4, seed: 9 })
    expect(glass).toBe('model1')

    // A dataset of the edited model and a sweep, as their jobs report back.
    await items.generateDataset('tri', {
      algorithm: 'metropolis',
      samples: 40,
      burnIn: 250,
      thin: 'auto',
      seed: 4242,
      keepSamples: true
    })
    const sentModel = (fake.raw['jobs.start'].mock.calls[0]![0].spec as { model: { couplings: Float64Array } }).model
    expect(sentModel.couplings[2]).toBe(-0.35)
    const samples = datasetResult(9, 4)
    fake.emit('jobs.result', { jobId: data.pending[0]!.jobId, result: samples, cancelled: false })
    await items.runSweep(
      { Ls: [8], Ks: [0.4, 0.45], h: 0, algorithm: 'wolff', burnIn: 100, sweeps: 1000, start: 'random' },
      5
    )
    fake.emit('jobs.result', { jobId: data.pending[0]!.jobId, result: sweepResult(), cancelled: false })
    expect(project.project.datasets.map((d) => d.id)).toEqual(['data1'])
    expect(project.project.analyses.map((a) => a.id)).toEqual(['sweep1'])

    // Save 1 → the file → open.
    const saved1 = await saveDoc(project)
    expect(fake.raw['project.save'].mock.calls[0]![0].path).toBe(PATH)
    expect(Object.keys(saved1.arrays).sort()).toEqual([
      'data1.energy',
      'data1.magnetisation',
      'data1.samples',
      'g1.K',
      'g1.h',
      'g1.pairs',
      'g1.v',
      'keep.fields',
      'model1.couplings',
      'model1.spins',
      'tri.couplings',
      'tri.fields',
      'tri.spins'
    ])
    expect(saved1.arrays['data1.samples']).toMatchObject({ dtype: '|i1', shape: [4, 3, 3] })
    const disk1 = throughFile(saved1)
    expectSameArrays(saved1.arrays, disk1.arrays)
    await openDoc(project, disk1)
    expect(project.dirty).toBe(false)
    expect(project.project.models).toEqual(saved1.project.models)
    expect(project.project.datasets).toEqual(saved1.project.datasets)
    expect(project.project.analyses).toEqual(saved1.project.analyses)
    expect(project.project.models.find((m) => m.id === 'tri')!.uniform).toEqual({ K: 0.2, h: 0.05 })
    expect(project.project.datasets[0]).toMatchObject({
      modelId: 'tri',
      algorithm: 'metropolis',
      seed: 4242,
      samples: 4,
      thin: 6,
      tauInt: 2.75
    })
    expect((project.project.datasets[0]!.summary as { correlation: unknown }).correlation).toEqual({
      x: [1, 0.5, 0.25],
      y: [1, 0.75]
    })
    expect((project.project.analyses[0]!.result as { points: unknown[] }).points).toHaveLength(2)
    expect(Array.from(data.arrays['data1.samples']!.data)).toEqual(Array.from(samples.samples!))
    expect(data.arrays['data1.samples']!.shape).toEqual([4, 3, 3])

    // Save 2 with nothing opened: every array comes back byte for byte.
    const saved2 = await saveDoc(project)
    const disk2 = throughFile(saved2)
    expect(disk2.project.arrays).toEqual(disk1.project.arrays)
    for (const id of ['g1.K', 'g1.h', 'g1.pairs', 'g1.v', 'keep.fields']) {
      expect(disk2.project.arrays[id], id).toEqual(disk0.project.arrays[id])
      expect(saved2.arrays[id]!.data.constructor).toBe(disk0.arrays[id]!.data.constructor)
    }
    expect(saved2.project.models).toEqual(saved1.project.models)
    expect(saved2.project.datasets).toEqual(saved1.project.datasets)
    expect(saved2.project.analyses).toEqual(saved1.project.analyses)

    // Open the second file: the edited models and the untouched ones are as they were made.
    await openDoc(project, disk2)
    const reopened = (id: string) => project.project.models.find((m) => m.id === id)!
    const triDoc = models.docFor(reopened('tri'))
    expect(Array.from(triDoc.model.couplings)).toEqual(Array.from(couplings))
    expect(triDoc.model.couplings[5]).toBe(-0.75)
    expect(Array.from(triDoc.model.fields)).toEqual(Array.from(fields))
    expect(Array.from(triDoc.spins)).toEqual(Array.from(spins))
    expect(Array.from(models.docFor(reopened(glass)).model.couplings)).toEqual(
      Array.from(presetModel('spin-glass', { L: 4, rng: xoshiro128ss(9) }).couplings)
    )
    const g = models.docFor(reopened('g1'))
    expect(Array.from(g.model.lattice.bondJ)).toEqual([1, 2, 3, 0, 4])
    expect(Array.from(g.model.couplings)).toEqual([0.1, -0.2, 0.3, 0.45, -1.5])
    expect(Array.from(g.spins)).toEqual([1, -1, 1, -1, -1])
    expect(Array.from(models.dataOf(reopened('keep')).fields!)).toEqual(
      Array.from(initialDoc().arrays['keep.fields']!.data)
    )
  })
})
