import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import { computeMapping, type MappingSpec } from '@core/jobs/mapping'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { rgAnalysisRecord } from '@shared/project/rgRecords'
import type { AnalysisV2 } from '@shared/project/types'
import MappingView from '../../src-renderer/src/views/MappingView.vue'

/** A computed mapping as the project holds it: the record rgRecords makes, JSON round-tripped. */
function analysis(spec: MappingSpec, name = 'Mapping'): AnalysisV2 {
  const result = computeMapping(spec, xoshiro128ss(3))
  const record = rgAnalysisRecord({ id: 'map1', name, kind: 'mapping', sourceId: null, spec, seed: 3, result })
  return JSON.parse(JSON.stringify(record)) as AnalysisV2
}

beforeEach(() => {
  // The views' explanations remember their state in the ui store.
  setActivePinia(createPinia())
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600)
  vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(320)
})
afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const titles = (w: ReturnType<typeof mount>) => w.findAll('h3.chart-title').map((h) => h.text())
const value = (w: ReturnType<typeof mount>, key: string) =>
  Number(w.get(`[data-testid="mapping-${key}"]`).attributes('data-value'))

describe('MappingView', () => {
  it('shows the 1D decimation: exact numbers, the scatter, the histogram, the network and cobweb, both tables', () => {
    const wrapper = mount(MappingView, {
      props: { analysis: analysis({ preset: 'decimation-1d', K: 0.8, h: 0.3, M: 4, steps: 3 }, '1D decimation') },
      attachTo: document.body
    })
    expect(wrapper.get('h2').text()).toBe('1D decimation')
    expect(wrapper.get('[data-testid="mapping-title"]').text()).toContain('ring of 8 spins')
    expect(wrapper.get('[data-testid="mapping-convention"]').text()).toMatch(/H = −Σ K vᵢvⱼ − Σ h vᵢ.*w = −W.*±1/)
    expect(Math.abs(value(wrapper, 'deltaF'))).toBeLessThan(1e-10)
    expect(Math.abs(value(wrapper, 'traceResidual'))).toBeLessThan(1e-10)
    expect(value(wrapper, 'maxHDiff')).toBeLessThan(1e-10)
    expect(wrapper.find('[data-testid="mapping-kl"]').exists()).toBe(false)
    expect(titles(wrapper)).toEqual([
      'H^RG vs H^RBM, every h',
      'Trace residual, every v',
      'Cobweb: tanh K′ = tanh² K (h = 0)',
      '(K, h) flow'
    ])
    // Layers of 9, 5, 3 and 2 spins drawn (a stretch of 8 bonds); K⁽⁰⁾ … K⁽³⁾ named beside them.
    const network = wrapper.get('[data-testid="decimation-network"]')
    expect(network.findAll('circle')).toHaveLength(9 + 5 + 3 + 2)
    expect(network.text()).toContain('K⁽⁰⁾ = 0.8')
    expect(network.text()).toContain('K⁽³⁾ =')
    // The two tables agree: −K′ on nearest pairs in both, and say J < 0 is ferromagnetic.
    const J = (id: string) =>
      Number(wrapper.get(`[data-testid="couplings-${id}"] tbody tr td:nth-child(4)`).attributes('data-value'))
    expect(J('rg')).toBeCloseTo(J('rbm'), 10)
    expect(wrapper.get('[data-testid="couplings-rg"] tbody tr').text()).toMatch(/field|nearest/)
    expect(wrapper.text()).toContain('J < 0 is ferromagnetic')
    wrapper.unmount()
  })

  it('shows the counterexample: ΔF = 0 with a trace residual above 0.1, and no scatter without an RBM', () => {
    const wrapper = mount(MappingView, {
      props: { analysis: analysis({ preset: 'lin-tegmark', K: 0.3, a: 1, lambda: 1 }) }
    })
    expect(Math.abs(value(wrapper, 'deltaF'))).toBeLessThan(1e-10)
    expect(value(wrapper, 'traceResidual')).toBeGreaterThan(0.1)
    expect(titles(wrapper)).toEqual(['Trace residual, every v'])
    expect(wrapper.text()).toContain('No RBM in this mapping')
    expect(wrapper.find('[data-testid="decimation-network"]').exists()).toBe(false)
    expect(wrapper.find('[data-testid="couplings-rbm"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('draws the λ scan of a model under Kadanoff’s kernel', () => {
    const model = { lattice: { kind: 'chain' as const, N: 8, periodic: true }, uniform: { K: 0.5, h: 0 } }
    const wrapper = mount(MappingView, {
      props: { analysis: analysis({ preset: 'kernel', model, kernel: 'kadanoff', b: 2, lambdas: [0.5, 1, 2] }) }
    })
    expect(titles(wrapper)).toEqual([
      'Trace residual, every v',
      'ΔF and trace residual vs λ',
      'Couplings and reach vs λ'
    ])
    expect(Math.abs(value(wrapper, 'traceResidual'))).toBeLessThan(1e-10)
    wrapper.unmount()
  })

  it('draws H^RBM less a constant it carries and says so; an exact one is drawn as saved', () => {
    const shifted = analysis({ preset: 'decimation-1d', K: 0.5, h: 0, M: 3, steps: 1 })
    const result = shifted.result as { HRBM: number[] }
    result.HRBM = result.HRBM.map((x) => x + 2.5)
    const wrapper = mount(MappingView, { props: { analysis: shifted } })
    expect(wrapper.get('[data-testid="scatter-shift"]').text()).toContain('less the constant 2.500')
    wrapper.unmount()
    const exact = mount(MappingView, {
      props: { analysis: analysis({ preset: 'decimation-1d', K: 0.5, h: 0, M: 3, steps: 1 }) }
    })
    expect(exact.find('[data-testid="scatter-shift"]').exists()).toBe(false)
    exact.unmount()
  })

  it('says what to do when the record has no result', () => {
    const empty: AnalysisV2 = {
      id: 'map1',
      name: 'Empty',
      kind: 'mapping',
      sourceId: null,
      spec: {},
      createdAt: '',
      arrays: {}
    }
    const wrapper = mount(MappingView, { props: { analysis: empty } })
    expect(wrapper.get('[data-testid="mapping-empty"]').text()).toContain('+ Mapping…')
    wrapper.unmount()
  })
})
