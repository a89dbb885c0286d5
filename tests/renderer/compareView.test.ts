import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useTrainingsStore } from '../../src-renderer/src/stores/trainings'
import CompareView from '../../src-renderer/src/views/CompareView.vue'
import ChartPanel from '../../src-renderer/src/components/ChartPanel.vue'
import type { TrainingRecord } from '../../src-renderer/src/logic/trainingSpec'
import { runCompareRgDbn } from '@core/jobs/compareRgDbn'
import { sampleTorus } from '@core/jobs/rgSampling'
import type { JobFrame } from '@core/jobs/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Dbn } from '@core/rbm/dbn'
import type { Rbm } from '@core/rbm/types'
import { HINTON_SALAKHUTDINOV } from '@core/rbm/train'
import { emptyProject } from '@shared/project/model'
import { rgAnalysisRecord } from '@shared/project/rgRecords'
import type { ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

const L = 8
const COUNT = 60

/** Unit j of the layer sums the spins of block j (side s) of an Ls × Ls grid with weight w (±1 units). */
function blockLayer(Ls: number, s: number, w: number): Rbm {
  const nv = Ls * Ls
  const side = Ls / s
  const nh = side * side
  const W = new Float32Array(nv * nh)
  for (let i = 0; i < nv; i++) W[i * nh + Math.floor(Math.floor(i / Ls) / s) * side + Math.floor((i % Ls) / s)] = w
  return { nv, nh, visibleUnits: 'pm1', hiddenUnits: 'pm1', W, a: new Float32Array(nv), b: new Float32Array(nh) }
}
const dbn: Dbn = { layers: [blockLayer(8, 2, 0.4), blockLayer(4, 2, 0.4)], passUp: 'probabilities' }

async function fixture() {
  const host = new FakeJobHost<JobFrame>()
  const samples = (await sampleTorus(
    { L, K: 0.4, count: COUNT, between: 2, burnIn: 50 },
    xoshiro128ss(5),
    host.signal,
    () => undefined
  ))!
  const shape = {
    count: COUNT,
    Lx: L,
    Ly: L,
    rule: 'majority' as const,
    b: 2,
    couplings: ['nearest' as const],
    flow: { Ks: [0.3, 0.44], steps: 2, count: 40 }
  }
  const result = (await runCompareRgDbn({ ...shape, samples, dbn }, xoshiro128ss(6), host.sink, host.signal))!
  const analysis = rgAnalysisRecord({
    id: 'compare1',
    name: 'RG vs the block network',
    kind: 'compare',
    sourceId: 'train1',
    spec: { ...shape, datasetId: 'data1' },
    seed: 7,
    result
  })
  const project = emptyProject('1.0.0')
  project.models.push({
    id: 'model1',
    name: '8×8',
    lattice: { kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true },
    uniform: { K: 0.4, h: 0 },
    arrays: {}
  })
  project.datasets.push({
    id: 'data1',
    name: 'samples',
    modelId: 'model1',
    algorithm: 'wolff',
    seed: 1,
    samples: COUNT,
    burnIn: 0,
    thin: 1,
    tauInt: null,
    acceptance: null,
    createdAt: '',
    arrays: { samples: 'data1.samples' }
  })
  const training: TrainingRecord = {
    id: 'train1',
    name: 'block network',
    datasetId: 'data1',
    visibleUnits: 'pm1',
    layers: [
      { nh: 16, hiddenUnits: 'pm1' },
      { nh: 4, hiddenUnits: 'pm1' }
    ],
    options: { ...HINTON_SALAKHUTDINOV, epochs: 1 },
    passUp: 'probabilities',
    seed: 3,
    status: 'done',
    createdAt: '',
    arrays: {},
    monitors: { logLikelihood: 'auto', physical: false }
  }
  project.trainings = [training]
  // Saved and read back: typed arrays become lists, as in a project file.
  project.analyses.push(JSON.parse(JSON.stringify(analysis)))
  const doc: ProjectDoc = {
    project,
    arrays: { 'data1.samples': { dtype: '|i1', shape: [COUNT, L, L], data: samples } }
  }
  return { doc, samples }
}

let fake: ReturnType<typeof createFakeApi>
let wrapper: VueWrapper | null = null
beforeEach(() => {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  wrapper?.unmount()
  wrapper = null
  vi.restoreAllMocks()
  setApi(null)
})

async function open() {
  const { doc, samples } = await fixture()
  const { project } = await setupProject(fake)
  fake.replies.open = { status: 'opened', path: '/p/c.blockspin', name: 'c.blockspin', doc }
  await project.openPath('/p/c.blockspin')
  await flushPromises()
  const trainings = useTrainingsStore()
  trainings.runtime = {
    ...trainings.runtime,
    train1: { ...trainings.of('train1'), phase: 'done', dbn, checkpoint: null }
  }
  wrapper = mount(CompareView, {
    props: { analysis: useProjectStore().project.analyses[0]! },
    global: { stubs: { ChartPanel: true } }
  })
  await flushPromises()
  return { w: wrapper, samples }
}

const chartOptions = (w: VueWrapper) => w.findAllComponents(ChartPanel).map((c) => JSON.stringify(c.props('option')))
const unitsOn = (w: VueWrapper) => w.findAll('[data-testid^="compare-unit-on-"]').map((e) => e.text())

describe('CompareView', () => {
  it('sets every level of block spins beside the layer of the same depth, with the convention, couplings and the similarity defined', async () => {
    const { w } = await open()
    expect(w.findAll('[data-testid^="compare-rg-"]')).toHaveLength(3)
    expect(w.findAll('[data-testid^="compare-dbn-"]')).toHaveLength(2)
    expect(w.get('[data-testid="compare-dbn-1"]').text()).toContain('16 units')
    const convention = w.get('[data-testid="compare-convention"]').text()
    expect(convention).toContain('K > 0 ferromagnetic')
    expect(convention).toContain('centroid of its receptive field')
    expect(convention).toContain('±1')
    expect(w.get('[data-testid="compare-similarity-definition"]').text()).toContain('ln 2 = identical')
    // Block-sum units: the similarity of level 1 is a positive number of nats below ln 2, with an error.
    const sim = w.get('[data-testid="compare-similarity-1"]').text()
    const [value, error] = sim
      .match(/similarity ([\d.]+) ± ([\d.]+)/)!
      .slice(1)
      .map(Number)
    expect(value).toBeGreaterThan(0)
    expect(value).toBeLessThanOrEqual(Math.LN2)
    expect(error).toBeGreaterThan(0)
    const row = w
      .get('[data-testid="compare-coupling-row-nearest"]')
      .findAll('td')
      .map((td) => td.text())
    expect(row).toHaveLength(4)
    expect(row.every((t) => /^-?\d/.test(t))).toBe(true)
    // Layer 1's units sit on their blocks: overlap 1.0 printed for the first units.
    expect(w.findAll('figcaption').filter((f) => /^#1 · 1\.0(?!\d)/.test(f.text()))).toHaveLength(2)
    // Charts: sizes, m and C(r) per level, the flow and the similarity.
    expect(w.findAllComponents(ChartPanel)).toHaveLength(2 * 3 + 2)
  })

  it('painting a spin or stepping to another sample updates the maps, the unit activities and the per-level charts at once', async () => {
    const { w } = await open()
    const vm = w.vm as unknown as { paintAt: (x: number, y: number) => void; go: (i: number) => void }
    const before = { charts: chartOptions(w), on: unitsOn(w) }
    vm.paintAt(0, 0)
    await flushPromises()
    expect(w.find('[data-testid="compare-painted"]').exists()).toBe(true)
    const painted = { charts: chartOptions(w), on: unitsOn(w) }
    // Unit 1 of layer 1 sums block (0, 0), which holds the painted site.
    expect(painted.on[0]).not.toBe(before.on[0])
    // The m histograms and C(r) of level 1 mark this configuration; the size histogram is the network's.
    const changed = before.charts.map((c, i) => c !== painted.charts[i])
    expect(changed.slice(0, 3)).toEqual([false, true, true])
    await w.get('[data-testid="compare-next"]').trigger('click')
    await flushPromises()
    expect(w.get('[data-testid="compare-sample"]').element).toHaveProperty('value', '2')
    expect(w.find('[data-testid="compare-painted"]').exists()).toBe(false)
    expect(chartOptions(w)[1]).not.toBe(painted.charts[1])
  })
})
