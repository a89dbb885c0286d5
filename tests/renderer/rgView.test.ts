import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useRgStore } from '../../src-renderer/src/stores/rg'
import RgView from '../../src-renderer/src/views/RgView.vue'
import RgCascadeExplorer from '../../src-renderer/src/components/RgCascadeExplorer.vue'
import DatasetTab from '../../src-renderer/src/views/DatasetTab.vue'
import type { JobFrame } from '@core/jobs/types'
import { runRgCascade } from '@core/jobs/rgCascade'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { BlockRule } from '@core/rg/blockSpin'
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

const COUNT = 10
const L = 16
const rng = xoshiro128ss(21)
const samples = Int8Array.from({ length: COUNT * L * L }, () => (rng.nextFloat() < 0.5 ? 1 : -1))

function doc(): ProjectDoc {
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
          lattice: { kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true },
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
    arrays: { 'data1.samples': { dtype: '|i1', shape: [COUNT, L, L], data: samples } }
  }
}

/** A periodic chain of 27 spins and its samples, stored [count, N] as chain datasets are. */
function chainDoc(): ProjectDoc {
  const d = doc()
  d.project.models[0]!.lattice = { kind: 'chain', N: 27, periodic: true }
  d.arrays['data1.samples'] = { dtype: '|i1', shape: [COUNT, 27], data: samples.slice(0, COUNT * 27) }
  return d
}

/** A project with the dataset and a finished cascade of it by `rule` (3 levels of 2×2, or 2 of 3×1 on the chain). */
async function withCascade(rule: BlockRule, chain = false) {
  const { project } = await setupProject(fake)
  fake.replies.open = {
    status: 'opened',
    path: '/p/rg.blockspin',
    name: 'rg.blockspin',
    doc: chain ? chainDoc() : doc()
  }
  await project.openPath('/p/rg.blockspin')
  await flushPromises()
  const rg = useRgStore()
  await rg.startCascade({
    datasetId: 'data1',
    rule,
    b: chain ? 3 : 2,
    levels: chain ? 2 : 3,
    couplings: ['nearest'],
    seed: 3
  })
  const call = fake.raw['jobs.start'].mock.calls.at(-1)![0] as unknown as { spec: Record<string, unknown> }
  const host = new FakeJobHost<JobFrame>()
  const result = await runRgCascade(
    { ...(call.spec as object), samples: chain ? samples.slice(0, COUNT * 27) : samples } as Parameters<
      typeof runRgCascade
    >[0],
    xoshiro128ss(3),
    host.sink,
    host.signal
  )
  fake.emit('jobs.result', { jobId: rg.pending[0]!.jobId, result, cancelled: false })
  await flushPromises()
  return project
}

const signatures = (w: ReturnType<typeof mount>) =>
  [0, 1, 2, 3].map((l) => w.get(`[data-testid="rg-level-${l}"]`).attributes('data-signature'))

describe('RgView', () => {
  it('shows the same sample at every level, the couplings per level and the sign convention', async () => {
    const project = await withCascade('majority')
    const w = mount(RgView, {
      props: { analysis: project.project.analyses[0]! },
      global: { stubs: { ChartPanel: true } }
    })
    expect(w.findAll('[data-testid^="rg-level-"]')).toHaveLength(4)
    expect(w.get('[data-testid="rg-level-3"]').text()).toContain('2×2')
    expect(w.get('[data-testid="rg-convention"]').text()).toContain('K > 0 ferromagnetic')
    expect(w.get('[data-testid="rg-convention"]').text()).toContain('±1 spins')
    const nearest = w.get('[data-testid="rg-coupling-nearest"]').findAll('td')
    expect(nearest).toHaveLength(4)
    expect(nearest[0]!.text()).toMatch(/±/)
    // The next sample changes every level.
    const before = signatures(w)
    ;(w.findComponent(RgCascadeExplorer).vm as unknown as { go(i: number): void }).go(1)
    await flushPromises()
    signatures(w).forEach((s, i) => expect(s).not.toBe(before[i]))
  })

  it('painting a spin of level 0 recomputes every level at once', async () => {
    const project = await withCascade('average')
    const w = mount(RgView, {
      props: { analysis: project.project.analyses[0]! },
      global: { stubs: { ChartPanel: true } }
    })
    expect(w.get('[data-testid="rg-convention"]').text()).toContain('block averages')
    const before = signatures(w)
    // (0, 0) lies in the top-left block of every level, so every block average moves by 2/A.
    ;(w.findComponent(RgCascadeExplorer).vm as unknown as { paintAt(x: number, y: number): void }).paintAt(0, 0)
    await flushPromises()
    expect(w.find('[data-testid="rg-painted"]').exists()).toBe(true)
    signatures(w).forEach((s, i) => expect(s).not.toBe(before[i]))
    await w.get('[data-testid="rg-unpaint"]').trigger('click')
    expect(signatures(w)).toEqual(before)
  })

  it('blocks a chain b × 1 and offers the form on its dataset', async () => {
    const project = await withCascade('majority', true)
    const w = mount(RgView, {
      props: { analysis: project.project.analyses[0]! },
      global: { stubs: { ChartPanel: true } }
    })
    expect([0, 1, 2].map((l) => w.get(`[data-testid="rg-level-${l}"]`).text())).toEqual([
      expect.stringContaining('27×1'),
      expect.stringContaining('9×1'),
      expect.stringContaining('3×1')
    ])
    const tab = mount(DatasetTab, { props: { datasetId: 'data1' }, global: { stubs: { ChartPanel: true } } })
    expect(tab.find('[data-testid="open-cascade"]').exists()).toBe(true)
  })

  it('opens a coarse dataset with its level, observables and origin', async () => {
    const project = await withCascade('majority')
    const coarse = project.project.datasets.find((d) => d.coarse?.level === 2)!
    const w = mount(DatasetTab, { props: { datasetId: coarse.id }, global: { stubs: { ChartPanel: true } } })
    expect(w.find('[role="alert"]').exists()).toBe(false)
    expect(w.get('[data-testid="coarse-level"]').text()).toBe('2')
    expect(w.get('[data-testid="coarse-absm"]').text()).toMatch(/±/)
    expect(w.get('[data-testid="coarse-source"]').text()).toContain('Level 1')
    expect(w.get('[data-testid="rg-level-0"]').text()).toContain('4×4')
  })
})

describe('LiveRgPanel', () => {
  it('computes nothing while closed, then the levels of every new frame', async () => {
    const { default: LiveRgPanel } = await import('../../src-renderer/src/components/LiveRgPanel.vue')
    const frame = samples.slice(0, L * L)
    const w = mount(LiveRgPanel, { props: { spins: frame, L, sweep: 1 } })
    expect(w.find('[data-testid="rg-levels"]').exists()).toBe(false)
    const details = w.get('[data-testid="live-rg"]').element as HTMLDetailsElement
    details.open = true
    await w.get('[data-testid="live-rg"]').trigger('toggle')
    expect(w.findAll('[data-testid^="rg-level-"]')).toHaveLength(4)
    const before = signatures(w)
    await w.setProps({ spins: samples.slice(L * L, 2 * L * L), sweep: 2 })
    signatures(w).forEach((s, i) => expect(s).not.toBe(before[i]))
    await w.get('[data-testid="live-rg-b"]').setValue('4')
    expect(w.findAll('[data-testid^="rg-level-"]')).toHaveLength(3)
  })
})
