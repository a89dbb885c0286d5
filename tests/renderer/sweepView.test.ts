import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount } from '@vue/test-utils'
import SweepView from '../../src-renderer/src/views/SweepView.vue'
import type { AnalysisV2 } from '@shared/project/types'

/** A saved sweep; U4 = 0.5 + (K − 0.44)·L/10 makes every pair of sizes cross at K = 0.44. */
function analysis(options: { h?: number; Ls?: number[]; equilibrated?: boolean; points?: boolean } = {}): AnalysisV2 {
  const Ls = options.Ls ?? [8, 16, 32]
  const Ks = [0.38, 0.42, 0.46, 0.5]
  const est = (value: number, error: number) => ({ value, error })
  const points = Ls.flatMap((L) =>
    Ks.map((K, i) => ({
      L,
      K,
      e: est(-2 * K, 0.002),
      c: est(1 + K / L, 0.05),
      m: est(0, 0.01),
      absM: est(K, 0.01),
      m2: est(K * K, 0.01),
      chi: est(L * K, 0.5),
      chiAbs: est(L * K * 0.3, 0.2),
      u4: est(0.5 + (K - 0.44) * L * 0.1, 0.004),
      tauE: 2.5,
      tauAbsM: 4,
      equilibrated: options.equilibrated ?? i > 0,
      acceptance: 0.4
    }))
  )
  return {
    id: 'a1',
    name: 'Sweep near Kc',
    kind: 'ising.sweep',
    sourceId: 'm1',
    spec: { Ls, Ks, h: options.h ?? 0, algorithm: 'wolff', burnIn: 1000, sweeps: 10000, start: 'random' },
    createdAt: '2024-01-01T00:00:00Z',
    arrays: {},
    result: options.points === false ? undefined : { points }
  }
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

describe('SweepView', () => {
  it('draws one chart per observable with CSV export, and lists the Binder crossings with exact Kc', () => {
    const wrapper = mount(SweepView, { props: { analysis: analysis() }, attachTo: document.body })
    expect(titles(wrapper)).toEqual([
      'Energy per spin',
      'Specific heat per spin',
      'Magnetisation |m|',
      'Susceptibility χ = N(⟨m²⟩−⟨m⟩²)',
      'Binder cumulant U4'
    ])
    expect(wrapper.findAll('[data-testid="export-csv"]')).toHaveLength(5)
    const crossings = wrapper
      .get('[data-testid="binder-crossings"]')
      .findAll('li')
      .map((li) => li.text())
    expect(crossings).toHaveLength(2)
    expect(crossings[0]).toMatch(/^L = 8 and 16 cross at K = 0\.44\d* ± [\d.]+; exact Kc = 0\.440687$/)
    expect(crossings[1]).toMatch(/^L = 16 and 32 cross at K = 0\.44/)
    expect(wrapper.get('[data-testid="exact-note"]').text()).toContain('Onsager')
    expect(wrapper.get('[data-testid="fact-sizes"]').text()).toBe('8, 16, 32')
    // Error bars are drawn: the energy chart has many more strokes than points.
    expect(wrapper.findAll('.chart-body')[0]!.findAll('path').length).toBeGreaterThan(12 * 3)
    wrapper.unmount()
  })

  it('switches the susceptibility convention and says which one it shows', async () => {
    const wrapper = mount(SweepView, { props: { analysis: analysis() } })
    await wrapper.get('[data-testid="chi-abs"]').setValue(true)
    expect(titles(wrapper)[3]).toBe('Susceptibility χ′ = N(⟨m²⟩−⟨|m|⟩²)')
    await wrapper.get('[data-testid="chi-connected"]').setValue(true)
    expect(titles(wrapper)[3]).toBe('Susceptibility χ = N(⟨m²⟩−⟨m⟩²)')
    wrapper.unmount()
  })

  it('tables every point, flags unequilibrated ones and exports them', () => {
    const saved: string[] = []
    vi.spyOn(URL, 'createObjectURL').mockReturnValue('blob:test')
    vi.spyOn(URL, 'revokeObjectURL').mockImplementation(() => undefined)
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      saved.push(this.download)
    })
    const wrapper = mount(SweepView, { props: { analysis: analysis() } })
    const rows = wrapper.get('[data-testid="sweep-table"]').findAll('tbody tr')
    expect(rows).toHaveLength(12)
    const cells = rows[1]!.findAll('td').map((td) => td.text())
    expect(cells.slice(0, 3)).toEqual(['8', '0.42', '-0.8400 ± 0.0020'])
    expect(rows.filter((r) => r.classes().includes('warn'))).toHaveLength(3)
    expect(wrapper.get('[data-testid="sweep-warning"]').text()).toContain('3 of 12 points')
    wrapper.get('[data-testid="table-export-csv"]').trigger('click')
    expect(saved).toEqual(['sweep-near-kc-points.csv'])
    wrapper.unmount()
  })

  it('explains why there are no exact curves in a field, and has an empty state', () => {
    const field = mount(SweepView, { props: { analysis: analysis({ h: 0.1, equilibrated: true }) } })
    expect(field.get('[data-testid="exact-note"]').text()).toBe(
      'Exact curves hold in zero field only; this sweep has h = 0.1000.'
    )
    expect(field.get('[data-testid="binder-crossings"]').text()).not.toContain('Kc')
    expect(field.find('[data-testid="sweep-warning"]').exists()).toBe(false)
    field.unmount()
    const empty = mount(SweepView, { props: { analysis: analysis({ points: false }) } })
    expect(empty.get('[data-testid="sweep-empty"]').text()).toContain('no points yet')
    expect(titles(empty)).toEqual([])
    empty.unmount()
  })
})
