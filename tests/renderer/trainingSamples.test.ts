import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import type { Dbn } from '@core/rbm/dbn'
import { isingObservables, latticeEnergyMagnetisation } from '@core/rbm/isingMonitors'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { setApi } from '../../src-renderer/src/api'
import TrainingSamples from '../../src-renderer/src/components/TrainingSamples.vue'
import RbmSamplesView from '../../src-renderer/src/views/RbmSamplesView.vue'
import {
  dataBatch,
  drawNetworkSamples,
  errorGroups,
  measureSamples,
  SAMPLES_KIND
} from '../../src-renderer/src/logic/networkSamples'
import { useDataStore } from '../../src-renderer/src/stores/data'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

/**
 * “Draw samples” in a training's view: N samples drawn a chunk at a time with the page given its
 * turn between chunks, e and |m| measured against the data's, and the samples kept with the
 * project as an 'rbm.samples' analysis of the training (no change to the file format).
 */
const L = 4
const N = L * L

function network(seed: number): Dbn {
  const rng = xoshiro128ss(seed)
  const sizes = [N, 8, 4]
  const layers = [8, 4].map((nh, l) => ({
    nv: sizes[l]!,
    nh,
    visibleUnits: '01' as const,
    hiddenUnits: '01' as const,
    W: Float32Array.from({ length: sizes[l]! * nh }, () => rng.nextFloat() - 0.5),
    a: Float32Array.from({ length: sizes[l]! }, () => rng.nextFloat() - 0.5),
    b: Float32Array.from({ length: nh }, () => rng.nextFloat() - 0.5)
  }))
  return { layers, passUp: 'probabilities' }
}
const rng = xoshiro128ss(4)
const spins = Int8Array.from({ length: 50 * N }, () => (rng.nextFloat() < 0.7 ? 1 : -1))
const lattice = { Lx: L, Ly: L, K: 0.4 }

beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  setActivePinia(createPinia())
})
afterEach(() => {
  vi.restoreAllMocks()
  setApi(null)
})

describe('drawing network samples', () => {
  it('draws in chunks, giving the page its turn between them, the same samples for the same seed', async () => {
    const pause = vi.fn(() => Promise.resolve())
    const progress: number[] = []
    const a = await drawNetworkSamples(network(1), {
      count: 25,
      seed: 9,
      gibbsSteps: 20,
      chunk: 10,
      pause,
      progress: (d) => progress.push(d)
    })
    expect(a.rows).toBe(25)
    expect(a.data).toHaveLength(25 * N)
    expect(pause).toHaveBeenCalledTimes(2)
    expect(progress).toEqual([10, 20, 25])
    expect([...a.data].every((v) => v === 0 || v === 1)).toBe(true)
    const b = await drawNetworkSamples(network(1), { count: 25, seed: 9, gibbsSteps: 20, chunk: 10, pause })
    expect(b.data).toEqual(a.data)
    let stop = false
    const c = await drawNetworkSamples(network(1), {
      count: 25,
      seed: 9,
      gibbsSteps: 20,
      chunk: 10,
      pause: async () => void (stop = true),
      cancelled: () => stop
    })
    expect(c.rows).toBe(10)
  })

  it('measures e and |m| as the training monitors do', () => {
    const batch = dataBatch(spins, N, 0, 50, '01')
    const got = measureSamples(batch, '01', lattice, 10)
    const { H, M } = latticeEnergyMagnetisation(batch, '01', lattice)
    const want = isingObservables(H, M, N, 10)
    expect(got.e).toEqual(want.e)
    expect(got.absM).toEqual(want.absM)
    expect(got.samples).toBe(50)
    // Error groups use every sample where they can: 30 samples in 15 groups of 2, 200 in 20.
    expect([30, 200, 7, 1].map((n) => errorGroups(n))).toEqual([15, 20, 7, 1])
  })
})

describe('TrainingSamples', () => {
  it('draws N samples, shows 12 and the numbers against the data, and keeps them as an analysis of the training', async () => {
    const fake = createFakeApi()
    setApi(fake.api)
    const { project } = await setupProject(fake)
    const before = project.selectedId
    const w = mount(TrainingSamples, {
      props: {
        dbn: network(2),
        spins,
        trainRows: 40,
        Lx: L,
        Ly: L,
        units: '01',
        seed: 3,
        trainingId: 'train1',
        trainingName: 'RBM 16→8→4',
        lattice
      },
      attachTo: document.body
    })
    await w.get('[data-testid="samples-count"]').setValue('30')
    await w.get('[data-testid="draw-samples"]').trigger('click')
    await vi.waitFor(() => expect(w.find('[data-testid="samples-saved"]').exists()).toBe(true))
    expect(w.findAll('[aria-label="sample"], canvas').length).toBeGreaterThanOrEqual(12)
    const numbers = w.get('[data-testid="sample-numbers"]').text()
    expect(numbers).toContain('network (30 samples)')
    expect(numbers).toContain('data (40 samples)')
    expect(w.get('[data-testid="sample-numbers-e"]').text()).toMatch(/±/)

    const record = project.project.analyses.find((a) => a.kind === SAMPLES_KIND)!
    expect(record).toMatchObject({ sourceId: 'train1', name: '30 samples of RBM 16→8→4' })
    const saved = useDataStore().collect([], project.project.analyses)[record.arrays.samples!]!
    expect(saved.dtype).toBe('|i1')
    expect(saved.shape).toEqual([30, L, L])
    expect([...(saved.data as Int8Array)].every((s) => s === 1 || s === -1)).toBe(true)
    const result = record.result as { network: { samples: number }; data: { e: { value: number } } }
    expect(result.network.samples).toBe(30)
    const data = measureSamples(dataBatch(spins, N, 0, 40, '01'), '01', lattice, 10)
    expect(result.data.e.value).toBeCloseTo(data.e.value, 12)
    // The training's view stays in front.
    expect(project.selectedId).toBe(before)
    w.unmount()
  })

  it('opens as a view with the samples and the numbers', async () => {
    const fake = createFakeApi()
    setApi(fake.api)
    await setupProject(fake)
    const est = (value: number) => ({ value, error: 0.01 })
    const count = 30
    useDataStore().deliver(
      {},
      { 's1.samples': { dtype: '|i1', shape: [count, L, L], data: spins.slice(0, count * N) } }
    )
    const w = mount(RbmSamplesView, {
      props: {
        analysis: {
          id: 's1',
          name: '30 samples of RBM 16→8→4',
          kind: SAMPLES_KIND,
          sourceId: 'train1',
          spec: { count, gibbsSteps: 200, seed: 5, K: 0.4 },
          createdAt: '',
          arrays: { samples: 's1.samples' },
          result: {
            network: { e: est(-0.7), absM: est(0.5), samples: count },
            data: { e: est(-0.75), absM: est(0.52), samples: 40 }
          }
        }
      }
    })
    expect(w.text()).toContain('The first 24 samples')
    expect(w.get('[data-testid="sample-numbers-absM"]').text()).toContain('0.500 ± 0.010')
    expect(w.get('[data-testid="sample-numbers-e"]').text()).toContain('3.5 σ')
    expect(w.find('[data-testid="explanation-rbmSamples"]').exists()).toBe(true)
    w.unmount()
  })
})
