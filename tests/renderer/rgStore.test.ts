import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useDataStore } from '../../src-renderer/src/stores/data'
import { useRgStore } from '../../src-renderer/src/stores/rg'
import type { JobFrame } from '@core/jobs/types'
import { runRgCascade } from '@core/jobs/rgCascade'
import { computeMapping } from '@core/jobs/mapping'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => setApi(null))

const COUNT = 12
const rng = xoshiro128ss(4)
const samples = Int8Array.from({ length: COUNT * 64 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))

function docWithDataset(): ProjectDoc {
  return {
    project: {
      format: 'blockspin',
      formatVersion: 3,
      appVersion: '1.0.0',
      name: 'RG',
      createdAt: '2026-01-01T00:00:00.000Z',
      modifiedAt: '2026-01-01T00:00:00.000Z',
      notes: '',
      models: [
        {
          id: 'model1',
          name: 'Torus',
          lattice: { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true },
          uniform: { K: 0.4, h: 0 },
          arrays: {}
        }
      ],
      runs: [],
      datasets: [
        {
          id: 'data1',
          name: 'Samples',
          modelId: 'model1',
          algorithm: 'wolff',
          seed: 1,
          samples: COUNT,
          burnIn: 0,
          thin: 1,
          tauInt: null,
          acceptance: null,
          createdAt: '2026-01-01T00:00:00.000Z',
          arrays: { samples: 'data1.samples' }
        }
      ],
      analyses: [],
      trainings: [],
      arrays: {}
    },
    arrays: { 'data1.samples': { dtype: '|i1', shape: [COUNT, 8, 8], data: samples } }
  }
}

async function openDoc() {
  const { project } = await setupProject(fake)
  fake.replies.open = { status: 'opened', path: '/p/rg.blockspin', name: 'rg.blockspin', doc: docWithDataset() }
  await project.openPath('/p/rg.blockspin')
  await flushPromises()
  return project
}

describe('RG store', () => {
  it('starts a cascade of a dataset and adds its analysis and coarse datasets with their arrays', async () => {
    const project = await openDoc()
    const rg = useRgStore()
    const id = await rg.startCascade({
      datasetId: 'data1',
      rule: 'decimation',
      b: 2,
      levels: 2,
      couplings: ['nearest'],
      seed: 3
    })
    expect(id).toBe('rg1')
    const call = fake.raw['jobs.start'].mock.calls.at(-1)![0] as unknown as {
      kind: string
      spec: Record<string, unknown>
    }
    expect(call.kind).toBe('rg.cascade')
    expect(call.spec).toMatchObject({ count: COUNT, Lx: 8, Ly: 8, rule: 'decimation', b: 2, levels: 2 })
    const jobId = rg.pending[0]!.jobId
    const host = new FakeJobHost<JobFrame>()
    const result = await runRgCascade(
      { ...(call.spec as object), samples } as Parameters<typeof runRgCascade>[0],
      xoshiro128ss(3),
      host.sink,
      host.signal
    )
    fake.emit('jobs.result', { jobId, result, cancelled: false })
    await flushPromises()
    expect(rg.pending).toEqual([])
    expect(project.project.analyses.map((a) => [a.id, a.kind])).toEqual([['rg1', 'rg.cascade']])
    expect(project.project.datasets.map((d) => [d.id, d.coarse?.level ?? 0])).toEqual([
      ['data1', 0],
      ['data2', 1],
      ['data3', 2]
    ])
    const level2 = useDataStore().arrays['data3.samples']!
    expect(level2.shape).toEqual([COUNT, 2, 2])
    // Decimation keeps the top-left spin of each block: level 2 is the spin at (0, 0), (4, 0), (0, 4), (4, 4).
    expect(Array.from(level2.data.subarray(0, 4))).toEqual([samples[0], samples[4], samples[32], samples[36]])
    expect(project.selectedId).toBe('rg1')
  })

  it('refuses a dataset without configurations with a sentence', async () => {
    await openDoc()
    const ui = (await import('../../src-renderer/src/stores/ui')).useUiStore()
    expect(
      await useRgStore().startCascade({ datasetId: 'nope', rule: 'majority', b: 2, levels: 1, couplings: [], seed: 1 })
    ).toBeNull()
    expect(ui.errorMessage?.title).toMatch(/cascade was not started/)
  })

  it('a mapping job becomes a mapping analysis with its spec and seed', async () => {
    const project = await openDoc()
    const rg = useRgStore()
    const spec = { preset: 'decimation-1d' as const, K: 0.8, h: 0.3 }
    await rg.startMapping(spec, 1, '1D decimation')
    const jobId = rg.pending[0]!.jobId
    fake.emit('jobs.result', { jobId, result: computeMapping(spec, xoshiro128ss(1)), cancelled: false })
    await flushPromises()
    const a = project.project.analyses[0]!
    expect(a).toMatchObject({
      id: 'map1',
      kind: 'mapping',
      name: '1D decimation',
      spec: { preset: 'decimation-1d', K: 0.8, h: 0.3, seed: 1 }
    })
    expect((a.result as { summary: { maxHDiff: number } }).summary.maxHDiff).toBeLessThan(1e-10)
    expect(Array.isArray((a.result as { HRG: unknown }).HRG)).toBe(true)
  })
})
