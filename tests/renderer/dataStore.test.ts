import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useDataStore } from '../../src-renderer/src/stores/data'
import type { DatasetSpec } from '@core/jobs/isingDataset'
import type { SweepSpec } from '@core/jobs/isingSweep'
import type { LatticeSpec } from '@core/lattice/types'
import type { JobInfo } from '@shared/protocol'
import type { NpyArray, ProjectAnalysis, ProjectDataset } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { datasetResult, exactResult, sweepResult } from './generalFixtures'

let fake: ReturnType<typeof createFakeApi>
let finished: ReturnType<typeof vi.fn<(item: { dataset?: ProjectDataset; analysis?: ProjectAnalysis }) => void>>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
  finished = vi.fn()
  useDataStore().onFinished(finished)
})
afterEach(() => setApi(null))

const spec = (lattice: LatticeSpec, keepSamples = true): DatasetSpec => ({
  model: { lattice, uniform: { K: 0.4, h: 0 } },
  algorithm: 'wolff',
  samples: 40,
  burnIn: 250,
  thin: 'auto',
  start: 'random',
  keepSamples
})
const GRID: LatticeSpec = { kind: 'square', Lx: 4, Ly: 3, periodicX: true, periodicY: true }
const SWEEP: SweepSpec = {
  Ls: [8],
  Ks: [0.4, 0.45],
  h: 0,
  algorithm: 'wolff',
  burnIn: 100,
  sweeps: 1000,
  start: 'random'
}

async function startDataset(lattice: LatticeSpec = GRID, keep = true, id = 'data1') {
  const data = useDataStore()
  await data.startDataset({ id, name: `Dataset ${id}`, modelId: 'model1', spec: spec(lattice, keep), seed: 77 })
  return { data, jobId: data.pending.at(-1)!.jobId }
}
const result = (jobId: string, r: unknown, cancelled = false) =>
  fake.emit('jobs.result', { jobId, result: r, cancelled })
const datasetOf = (call = 0) => finished.mock.calls[call]![0].dataset!

describe('data store: dataset jobs', () => {
  it('starts an ising.dataset job and keeps it pending under the id its record will get', async () => {
    const { data, jobId } = await startDataset()
    expect(fake.raw['jobs.start']).toHaveBeenCalledWith({
      kind: 'ising.dataset',
      title: 'Dataset data1',
      interactive: false,
      spec: spec(GRID),
      seed: 77
    })
    expect(data.pending).toEqual([{ jobId, kind: 'dataset', id: 'data1', name: 'Dataset data1', sourceId: 'model1' }])
  })

  it('turns the result of a grid into a dataset record and [n, Ly, Lx] samples', async () => {
    const { data, jobId } = await startDataset()
    const r = datasetResult(12, 3)
    result(jobId, r)
    expect(finished).toHaveBeenCalledTimes(1)
    expect(finished.mock.calls[0]![0].analysis).toBeUndefined()
    const d = datasetOf()
    expect(d).toMatchObject({
      id: 'data1',
      name: 'Dataset data1',
      modelId: 'model1',
      algorithm: 'wolff',
      seed: 77,
      samples: 3,
      burnIn: 250,
      thin: 6,
      tauInt: 2.75,
      acceptance: 0.375,
      arrays: { samples: 'data1.samples', energy: 'data1.energy', magnetisation: 'data1.magnetisation' },
      thinning: r.thinning
    })
    expect(Number.isNaN(Date.parse(d.createdAt))).toBe(false)
    expect(Object.keys(data.arrays).sort()).toEqual(['data1.energy', 'data1.magnetisation', 'data1.samples'])
    expect(data.arrays['data1.samples']).toEqual({ dtype: '|i1', shape: [3, 3, 4], data: r.samples })
    expect(data.arrays['data1.energy']).toEqual({ dtype: '<f8', shape: [3], data: r.energy })
    expect(Array.from(data.arrays['data1.magnetisation']!.data)).toEqual([-1, 3, -1])
    expect(data.pending).toEqual([])
  })

  it('stores the summary as plain JSON, correlations as number arrays', async () => {
    const { jobId } = await startDataset()
    result(jobId, datasetResult(12, 3))
    const summary = datasetOf().summary as Record<string, unknown>
    expect(summary).toEqual({
      summary: {
        n: 3,
        N: 12,
        e: { value: -1.4, error: 0.02 },
        absM: { value: 0.6, error: 0.01 },
        tauInt: { H: { value: 1.5, error: 0.1, window: 9, reliable: true } }
      },
      correlation: { x: [1, 0.5, 0.25], y: [1, 0.75] },
      xi: { value: 1.25, error: 0.125 },
      tauIntSweeps: 2.75,
      totalSweeps: 2268,
      kernel: 'general'
    })
    const correlation = summary.correlation as { x: unknown }
    expect(Array.isArray(correlation.x)).toBe(true)
    expect(JSON.parse(JSON.stringify(summary))).toEqual(summary)
  })

  it('shapes the samples of chains and graphs as [n, N]; observable-only runs store no samples', async () => {
    const chain = await startDataset({ kind: 'chain', N: 6, periodic: true }, true, 'data1')
    result(chain.jobId, datasetResult(6, 4))
    expect(chain.data.arrays['data1.samples']!.shape).toEqual([4, 6])
    const graph = await startDataset(
      {
        kind: 'graph',
        N: 3,
        bonds: [
          [0, 1],
          [1, 2]
        ]
      },
      true,
      'data2'
    )
    result(graph.jobId, datasetResult(3, 2))
    expect(graph.data.arrays['data2.samples']!.shape).toEqual([2, 3])
    const bare = await startDataset(GRID, false, 'data3')
    result(bare.jobId, datasetResult(12, 5, false))
    expect(datasetOf(2).arrays).toEqual({ energy: 'data3.energy', magnetisation: 'data3.magnetisation' })
    expect(bare.data.arrays['data3.samples']).toBeUndefined()
    expect(bare.data.arrays['data3.energy']!.shape).toEqual([5])
  })

  it('makes nothing of a cancelled or failed job', async () => {
    const { data, jobId } = await startDataset()
    result(jobId, datasetResult(12, 3), true)
    expect(data.pending).toEqual([])
    const second = await startDataset(GRID, true, 'data2')
    // A failed job reports its status; the broker sends no result.
    fake.emit('jobs.update', { id: second.jobId, status: 'failed', error: 'boom' } as JobInfo)
    expect(data.pending).toEqual([])
    result(second.jobId, null)
    expect(finished).not.toHaveBeenCalled()
    expect(data.arrays).toEqual({})
  })

  it('ignores results and updates of jobs it did not start', async () => {
    const { data, jobId } = await startDataset()
    result('job-99', datasetResult(12, 3))
    fake.emit('jobs.update', { id: 'job-98', status: 'failed' } as JobInfo)
    fake.emit('jobs.update', { id: jobId, status: 'running' } as JobInfo)
    expect(finished).not.toHaveBeenCalled()
    expect(data.pending.map((p) => p.jobId)).toEqual([jobId])
    expect(data.arrays).toEqual({})
  })
})

describe('data store: sweeps and exact solutions', () => {
  it('a sweep result becomes a sweep analysis with its spec and seed', async () => {
    const data = useDataStore()
    await data.startSweep({ id: 'sweep1', name: 'Sweep', spec: SWEEP, seed: 5 })
    expect(fake.raw['jobs.start']).toHaveBeenCalledWith({
      kind: 'ising.sweep',
      title: 'Sweep',
      interactive: false,
      spec: SWEEP,
      seed: 5
    })
    const r = sweepResult()
    result(data.pending[0]!.jobId, r)
    const a = finished.mock.calls[0]![0].analysis!
    expect(a).toMatchObject({
      id: 'sweep1',
      name: 'Sweep',
      kind: 'sweep',
      sourceId: null,
      arrays: {},
      spec: { ...SWEEP, seed: 5 }
    })
    expect(a.result).toEqual(JSON.parse(JSON.stringify(r)))
    expect((a.result as { points: { K: number }[] }).points.map((p) => p.K)).toEqual([0.4, 0.45])
    expect(finished.mock.calls[0]![0].dataset).toBeUndefined()
  })

  it('an exact result becomes an exact analysis of its model', async () => {
    const data = useDataStore()
    const model = { lattice: GRID, uniform: { K: 0.4, h: 0 } }
    await data.startExact({ id: 'exact1', name: 'Exact', modelId: 'model3', spec: { model } })
    expect(fake.raw['jobs.start']).toHaveBeenCalledWith({
      kind: 'ising.exact',
      title: 'Exact',
      interactive: false,
      spec: { model },
      seed: 0
    })
    result(data.pending[0]!.jobId, exactResult())
    expect(finished.mock.calls[0]![0].analysis).toMatchObject({
      id: 'exact1',
      kind: 'exact',
      sourceId: 'model3',
      spec: { method: 'enumeration' },
      arrays: {},
      result: {
        method: 'enumeration',
        N: 9,
        lnZ: 7.25,
        f: -7.25 / 9,
        e: -0.5,
        c: 0.25,
        m: 0,
        absM: 0.625,
        m2: 0.5,
        chi: 4.5,
        chiAbs: 1
      }
    })
    expect(data.pending).toEqual([])
  })
})

describe('data store: load and collect', () => {
  const arr = (v: number): NpyArray => ({ dtype: '<f8', shape: [1], data: new Float64Array([v]) })
  const dataset = (arrays: ProjectDataset['arrays']): ProjectDataset => ({
    id: 'd1',
    name: 'd',
    modelId: 'm',
    algorithm: 'wolff',
    seed: 1,
    samples: 1,
    burnIn: 0,
    thin: 1,
    tauInt: null,
    acceptance: null,
    createdAt: '',
    arrays
  })
  const analysis = (arrays: Record<string, string>): ProjectAnalysis => ({
    id: 'a1',
    name: 'a',
    kind: 'rg',
    sourceId: 'd1',
    spec: {},
    createdAt: '',
    arrays
  })

  it('keeps only the arrays its datasets and analyses refer to, and collects them back', () => {
    const data = useDataStore()
    const loaded = { e: arr(1), m: arr(2), flow: arr(3), 'run1.spins': arr(4), 'model1.fields': arr(5) }
    const ds = [dataset({ energy: 'e', magnetisation: 'm', samples: 'gone' })]
    const an = [analysis({ flow: 'flow' })]
    data.load(loaded, ds, an)
    expect(Object.keys(data.arrays).sort()).toEqual(['e', 'flow', 'm'])
    const out = data.collect(ds, an)
    expect(Object.keys(out).sort()).toEqual(['e', 'flow', 'm'])
    expect(out.e).toBe(loaded.e)
    expect(out.flow).toBe(loaded.flow)
    expect(Object.keys(data.collect(ds, []))).toEqual(['e', 'm'])
    data.forget(['e', undefined])
    expect(Object.keys(data.collect(ds, an)).sort()).toEqual(['flow', 'm'])
  })

  it('cancels the pending jobs of the previous project; their late results are ignored', async () => {
    const data = useDataStore()
    const a = await startDataset()
    await data.startSweep({ id: 'sweep1', name: 'Sweep', spec: SWEEP, seed: 5 })
    const sweepJob = data.pending[1]!.jobId
    data.load({}, [], [])
    await flushPromises()
    expect(fake.raw['jobs.control'].mock.calls.map((c) => c[0])).toEqual([
      { jobId: a.jobId, action: 'cancel' },
      { jobId: sweepJob, action: 'cancel' }
    ])
    expect(data.pending).toEqual([])
    result(a.jobId, datasetResult(12, 3))
    result(sweepJob, sweepResult())
    expect(finished).not.toHaveBeenCalled()
    expect(data.arrays).toEqual({})
  })
})
