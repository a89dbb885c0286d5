import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import DatasetView from '../../src-renderer/src/views/DatasetView.vue'
import { summarise } from '@core/stats'
import type { DatasetV2 } from '@shared/project/types'

const L = 8
const N = L * L
const n = 120

/** Samples that drift slowly, so observables, τ_int and ρ(t) are non-trivial. */
function makeData(Lx = L, Ly = L) {
  const sites = Lx * Ly
  let s = 7
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
  const samples = new Int8Array(n * sites)
  const energy = new Float64Array(n)
  const magnetisation = new Float64Array(n)
  let bias = 0.2
  for (let k = 0; k < n; k++) {
    bias = Math.max(-0.9, Math.min(0.9, 0.9 * bias + 0.1 * (rand() - 0.5)))
    let M = 0
    for (let i = 0; i < sites; i++) {
      const v = rand() < 0.5 + bias / 2 ? 1 : -1
      samples[k * sites + i] = v
      M += v
    }
    magnetisation[k] = M
    energy[k] = -0.44 * (1.2 * sites + 4 * Math.round(10 * rand()))
  }
  return { samples, energy, magnetisation }
}

function makeMeta(summary: unknown, extra: Partial<DatasetV2> = {}): DatasetV2 {
  return {
    id: 'd1',
    name: 'Samples at K = 0.44',
    modelId: 'm1',
    algorithm: 'wolff',
    seed: 1234,
    samples: n,
    burnIn: 500,
    thin: 3,
    tauInt: 1.27,
    acceptance: 0.55,
    createdAt: '2024-01-01T00:00:00Z',
    arrays: {},
    summary: summary as Record<string, unknown>,
    ...extra
  }
}

function fullSummary(data: ReturnType<typeof makeData>, ok?: boolean) {
  const { energy: H, magnetisation: M } = data
  const summary = summarise({ H, M, absM: M.map(Math.abs), M2: M.map((m) => m * m) }, N)
  if (ok !== undefined)
    summary.equilibration = {
      ...summary.equilibration,
      ok,
      message: ok ? 'The energy is flat.' : 'The energy still drifts in the first half.'
    }
  return JSON.parse(
    JSON.stringify({
      summary,
      correlation: { x: [1, 0.4, 0.2, 0.15, 0.1], y: [1, 0.38, 0.21, 0.14, 0.1] },
      xi: { value: 1.31, error: 0.04 },
      tauIntSweeps: 1.27,
      totalSweeps: 2860
    })
  )
}

beforeEach(() => {
  // The views' explanations remember their state in the ui store.
  setActivePinia(createPinia())
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  // Give chart boxes a size so ECharts really draws (SVG renderer without a 2D canvas).
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600)
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(300)
})
afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('DatasetView', () => {
  it('shows how the dataset was drawn, its observables with errors and τ_int, and the equilibration verdict', () => {
    const data = makeData()
    const wrapper = mount(DatasetView, {
      props: { meta: makeMeta(fullSummary(data, true)), N, Lx: L, Ly: L, ...data, modelName: 'Square 8×8' },
      attachTo: document.body
    })
    const fact = (k: string) => wrapper.get(`[data-testid="fact-${k}"]`).text()
    expect(fact('model')).toContain('Square 8×8')
    expect(fact('algorithm')).toContain('Wolff')
    expect(fact('seed')).toContain('1234')
    expect(fact('samples')).toContain('120')
    expect(fact('thin')).toContain('3')
    expect(fact('burnin')).toContain('500')
    expect(fact('tau')).toContain('1.27')
    expect(fact('acceptance')).toContain('55.0 %')
    const table = wrapper.get('[data-testid="observables-table"]').text()
    for (const label of [
      'e = ⟨H⟩/N',
      '|m|',
      'm²',
      'c = Var(H)/N',
      'χ = N(⟨m²⟩−⟨m⟩²)',
      'χ′ = N(⟨m²⟩−⟨|m|⟩²)',
      'Binder U4',
      'ξ'
    ])
      expect(table).toContain(label)
    expect(wrapper.get('[data-testid="observable-e"]').text()).toMatch(/-?\d\.\d+ ± \d\.\d+/)
    expect(wrapper.get('[data-testid="observable-xi"]').text()).toContain('1.310 ± 0.040')
    for (const k of ['H', 'M', 'absM', 'M2']) expect(wrapper.find(`[data-testid="series-${k}"]`).exists()).toBe(true)
    const eq = wrapper.get('[data-testid="equilibration"]')
    expect(eq.classes()).not.toContain('warn')
    expect(eq.text()).toContain('The energy is flat.')
    const titles = wrapper.findAll('h3.chart-title').map((h) => h.text())
    expect(titles).toEqual([
      'Histogram of m = M/N',
      'Histogram of e = H/N',
      'Autocorrelation ρ(t) of the stored samples',
      'Correlation function C(r), ξ = 1.310 ± 0.040'
    ])
    expect(wrapper.findAll('[data-testid="export-csv"]')).toHaveLength(4)
    // The histogram bars are drawn (custom series rendered as SVG paths).
    expect(wrapper.findAll('.chart-body')[0]!.findAll('path').length).toBeGreaterThan(10)
    wrapper.unmount()
  })

  it('says which observable’s τ_int set the thinning and whether the pilot was long enough to trust', () => {
    const data = makeData()
    const thinning = {
      pilotSweeps: 64_000,
      pilotMaxSweeps: 512_000,
      reliable: true,
      tauSweeps: { e: 5.87, m: 333.0, absM: 10.3 },
      setBy: 'm' as const
    }
    const meta = makeMeta(fullSummary(data), { algorithm: 'metropolis', thin: 666, tauInt: 333.0, thinning })
    const wrapper = mount(DatasetView, { props: { meta, N, Lx: L, Ly: L, ...data } })
    const fact = (k: string) => wrapper.get(`[data-testid="fact-${k}"]`)
    expect(fact('tau').text()).toContain('333 of m (sets thin); e 5.87, |m| 10.3')
    expect(fact('pilot').text()).toContain('64\u202f000 of at most 512\u202f000: τ_int reliable')
    expect(fact('pilot').classes()).not.toContain('warn')
    wrapper.unmount()
    const short = makeMeta(fullSummary(data), {
      thinning: { ...thinning, pilotSweeps: 3000, pilotMaxSweeps: 3000, reliable: false }
    })
    const capped = mount(DatasetView, { props: { meta: short, N, Lx: L, Ly: L, ...data } })
    expect(capped.get('[data-testid="fact-pilot"]').text()).toContain('3\u202f000, its cap: τ_int not reliable')
    expect(capped.get('[data-testid="fact-pilot"]').classes()).toContain('warn')
    capped.unmount()
  })

  it('warns when the run did not equilibrate', () => {
    const data = makeData()
    const wrapper = mount(DatasetView, {
      props: { meta: makeMeta(fullSummary(data, false)), N, Lx: L, Ly: L, ...data }
    })
    const eq = wrapper.get('[data-testid="equilibration"]')
    expect(eq.classes()).toContain('warn')
    expect(eq.attributes('role')).toBe('alert')
    expect(eq.text()).toContain('Not equilibrated.')
    expect(eq.text()).toContain('still drifts')
    wrapper.unmount()
  })

  it('browses the stored samples with prev, next and the slider', async () => {
    const data = makeData()
    const wrapper = mount(DatasetView, { props: { meta: makeMeta(fullSummary(data)), N, Lx: L, Ly: L, ...data } })
    const index = () => wrapper.get('[data-testid="sample-index"]')
    expect(index().attributes('data-value')).toBe('0')
    expect(index().text()).toBe('sample 1 of 120')
    expect(wrapper.find('[data-testid="lattice-canvas"]').exists()).toBe(true)
    expect(wrapper.get('[data-testid="sample-prev"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="sample-next"]').trigger('click')
    await wrapper.get('[data-testid="sample-next"]').trigger('click')
    expect(index().attributes('data-value')).toBe('2')
    expect(wrapper.get('[data-testid="sample-readout"]').text()).toContain(
      `m = ${(data.magnetisation[2]! / N).toFixed(4)}`
    )
    await wrapper.get('[data-testid="sample-prev"]').trigger('click')
    expect(index().attributes('data-value')).toBe('1')
    await wrapper.get('[data-testid="sample-slider"]').setValue('119')
    expect(index().text()).toBe('sample 120 of 120')
    expect(wrapper.get('[data-testid="sample-next"]').attributes('disabled')).toBeDefined()
    wrapper.unmount()
  })

  it('draws rectangular lattices on their own Lx×Ly canvas', () => {
    const data = makeData(16, 4)
    const wrapper = mount(DatasetView, { props: { meta: makeMeta(undefined), N: 64, Lx: 16, Ly: 4, ...data } })
    const canvas = wrapper.get('[data-testid="sample-canvas"]')
    expect(canvas.attributes('width')).toBe('16')
    expect(canvas.attributes('height')).toBe('4')
    expect(wrapper.find('[data-testid="lattice-canvas"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('shows what exists when samples, the summary or the correlation function are missing', () => {
    const data = makeData()
    const wrapper = mount(DatasetView, {
      props: { meta: makeMeta(undefined, { tauInt: null, acceptance: null }), N, Lx: L, Ly: L, ...data, samples: null }
    })
    expect(wrapper.get('[data-testid="samples-empty"]').text()).toContain(
      'Only observables were kept for this dataset.'
    )
    expect(wrapper.find('[data-testid="sample-index"]').exists()).toBe(false)
    expect(wrapper.text()).toContain('No observables were saved with this dataset.')
    expect(wrapper.find('[data-testid="equilibration"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="fact-tau"]').text()).toContain('not measured')
    expect(wrapper.find('[data-testid="fact-pilot"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="fact-acceptance"]').text()).toContain('—')
    const titles = wrapper.findAll('h3.chart-title').map((h) => h.text())
    expect(titles).toEqual([
      'Histogram of m = M/N',
      'Histogram of e = H/N',
      'Autocorrelation ρ(t) of the stored samples'
    ])
    wrapper.unmount()
    const bare = mount(DatasetView, {
      props: {
        meta: makeMeta({ summary: { e: { value: -0.9, error: 0.01 } } }),
        N,
        Lx: L,
        Ly: L,
        samples: null,
        energy: new Float64Array(0),
        magnetisation: new Float64Array(0)
      }
    })
    expect(bare.get('[data-testid="observable-e"]').text()).toContain('-0.900 ± 0.010')
    expect(bare.findAll('h3.chart-title')).toHaveLength(0)
    bare.unmount()
  })
})
