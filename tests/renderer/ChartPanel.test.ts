import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import ChartPanel from '../../src-renderer/src/components/ChartPanel.vue'
import { energyChartOption } from '../../src-renderer/src/charts/liveOptions'
import { echarts } from '../../src-renderer/src/charts/echarts'
import { captureDownloads } from './downloads'

const option = energyChartOption({
  sweeps: new Float64Array([1, 2, 3]),
  values: new Float64Array([-0.4, -0.45, -0.46]),
  K: 0.408,
  h: 0
})

afterEach(() => vi.restoreAllMocks())

describe('ChartPanel', () => {
  it('shows its title and export buttons, and falls back to SVG without a canvas', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const wrapper = mount(ChartPanel, {
      props: { option, title: 'Energy per spin', csv: { header: ['sweep', 'e'], rows: [] } }
    })
    expect(wrapper.get('h3').text()).toBe('Energy per spin')
    expect(wrapper.get('[data-testid="export-png"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="export-svg"]').attributes('aria-label')).toBe('Export Energy per spin as SVG')
    expect(wrapper.find('[data-testid="export-csv"]').exists()).toBe(true)
    wrapper.unmount()
  })

  it('exports CSV (calling a lazy csv function) and SVG with the labelled reference line', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const downloads = captureDownloads()
    const csv = vi.fn(() => ({
      header: ['sweep', 'e'],
      rows: [
        [1, -0.4],
        [2, -0.45]
      ]
    }))
    const wrapper = mount(ChartPanel, { props: { option, title: 'Energy per spin', csv }, attachTo: document.body })
    expect(csv).not.toHaveBeenCalled()
    await wrapper.get('[data-testid="export-csv"]').trigger('click')
    expect(downloads[0].name).toBe('energy-per-spin.csv')
    expect(await downloads[0].blob.text()).toBe('sweep,e\r\n1,-0.4\r\n2,-0.45\r\n')
    await wrapper.get('[data-testid="export-svg"]').trigger('click')
    expect(downloads[1].name).toBe('energy-per-spin.svg')
    expect(downloads[1].blob.type).toBe('image/svg+xml')
    const svg = await downloads[1].blob.text()
    expect(svg.startsWith('<svg')).toBe(true)
    expect(svg).toContain('Onsager e = K·u(K)')
    wrapper.unmount()
  })

  it('keeps the exports in a menu beside the title, closed by a choice and by Escape', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    captureDownloads()
    const wrapper = mount(ChartPanel, {
      props: { option, title: 'Energy per spin', csv: { header: ['sweep', 'e'], rows: [] } },
      attachTo: document.body
    })
    const menu = wrapper.get<HTMLDetailsElement>('details.export-menu')
    // The header holds the title, the full-screen button and the menu's one button: no export buttons.
    expect(wrapper.findAll('.chart-head > .chart-actions > button')).toHaveLength(1)
    expect(menu.element.open).toBe(false)
    expect(menu.get('[data-testid="export-menu"]').text()).toBe('Export')
    for (const id of ['export-png', 'export-svg', 'export-csv', 'export-background'])
      expect(menu.find(`.export-list [data-testid="${id}"]`).exists(), id).toBe(true)
    menu.element.open = true
    await menu.get('[data-testid="export-csv"]').trigger('click')
    expect(menu.element.open).toBe(false)
    menu.element.open = true
    await menu.trigger('keydown', { key: 'Escape' })
    expect(menu.element.open).toBe(false)
    wrapper.unmount()
  })

  it('has no CSV button without data', () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const wrapper = mount(ChartPanel, { props: { option, title: 'x' } })
    expect(wrapper.find('[data-testid="export-csv"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('off screen keeps only the newest option and draws it when scrolled into view', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    let report: (visible: boolean) => void = () => undefined
    vi.stubGlobal(
      'IntersectionObserver',
      class {
        constructor(callback: (entries: { isIntersecting: boolean }[]) => void) {
          report = (visible) => callback([{ isIntersecting: visible }])
        }
        observe(): void {}
        disconnect(): void {}
      }
    )
    try {
      const wrapper = mount(ChartPanel, { props: { option, title: 'Energy per spin' }, attachTo: document.body })
      const instance = echarts.getInstanceByDom(wrapper.get('.chart-body').element as HTMLElement)!
      const setOption = vi.spyOn(instance, 'setOption')
      const next = (n: number) =>
        energyChartOption({
          sweeps: Float64Array.from({ length: n }, (_, i) => i),
          values: new Float64Array(n),
          K: 0.4,
          h: 0
        })
      report(false)
      await wrapper.setProps({ option: next(4) })
      await wrapper.setProps({ option: next(5) })
      expect(setOption).not.toHaveBeenCalled()
      report(true)
      expect(setOption).toHaveBeenCalledTimes(1)
      const drawn = setOption.mock.calls[0]![0] as { series: { data: unknown[] }[] }
      expect(drawn.series[0]!.data).toHaveLength(5)
      await wrapper.setProps({ option: next(6) })
      expect(setOption).toHaveBeenCalledTimes(2)
      wrapper.unmount()
    } finally {
      vi.unstubAllGlobals()
    }
  })
})
