import { afterEach, describe, expect, it, vi } from 'vitest'
import { defineComponent, h } from 'vue'
import { mount } from '@vue/test-utils'
import ChartPanel from '../../src-renderer/src/components/ChartPanel.vue'
import { figureBackground, provideFigureCaption } from '../../src-renderer/src/composables/useFigureExport'
import { readSweep } from '../../src-renderer/src/charts/sweepData'
import { sweepChartOption } from '../../src-renderer/src/charts/sweepOptions'
import {
  canvasFigureLayout,
  captionBand,
  figureOption,
  TITLE_BAND,
  wrapText
} from '../../src-renderer/src/logic/figureExport'
import { analysisText, liveChainText, trainingText } from '../../src-renderer/src/logic/figureCaptions'
import type { EChartsOption } from '../../src-renderer/src/charts/echarts'
import type { TrainingRecord } from '../../src-renderer/src/logic/trainingSpec'
import type { DatasetV2, ModelV2 } from '@shared/project/types'
import { captureDownloads } from './downloads'

/**
 * Exported figures carry a title, a caption of their parameters, the chosen background and a
 * legend without pages, for charts (SVG, PNG) and canvas-drawn images (PNG) alike.
 */
afterEach(() => {
  vi.restoreAllMocks()
  figureBackground.value = 'white'
})

const paged: EChartsOption = {
  grid: { left: 60, right: 20, top: 36, bottom: 44 },
  legend: { type: 'scroll', top: 4 },
  xAxis: { type: 'value' },
  yAxis: { type: 'value' },
  series: Array.from({ length: 12 }, (_, i) => ({
    type: 'line' as const,
    name: `a rather long series name number ${i}`,
    data: [
      [0, i],
      [1, i + 1]
    ]
  }))
}

describe('figure layout', () => {
  it('wraps a caption on word boundaries within the width', () => {
    const lines = wrapText('one two three four five six', 60, (s) => s.length * 6)
    expect(lines).toEqual(['one two', 'three four', 'five six'])
    expect(wrapText('', 100)).toEqual([])
  })

  it('adds the title above and the caption below, shifts the plot and makes legends plain', () => {
    const caption = 'x '.repeat(200).trim()
    const { option, height } = figureOption(paged, { title: 'Energy', caption }, 500, 300, 'transparent')
    const o = option as {
      grid: { top: number; bottom: number }
      legend: { type: string; top: number }
      title: { text: string }[]
      backgroundColor: string
    }
    const lines = o.title[1]!.text.split('\n')
    expect(lines.length).toBeGreaterThan(1)
    expect(lines.join(' ')).toBe(caption)
    expect(o.title[0]!.text).toBe('Energy')
    expect(height).toBe(300 + TITLE_BAND + captionBand(lines.length))
    expect(o.grid).toMatchObject({ top: 36 + TITLE_BAND, bottom: 44 + captionBand(lines.length) })
    expect(o.legend).toMatchObject({ type: 'plain', top: 4 + TITLE_BAND })
    expect(o.backgroundColor).toBe('transparent')
    expect(
      (figureOption(paged, { title: 't', caption: '' }, 500, 300, 'white').option as typeof o).backgroundColor
    ).toBe('#ffffff')
  })

  it('places a canvas figure’s image between its title and its caption', () => {
    const layout = canvasFigureLayout(300, 200, 'Receptive fields of layer 2', 'w '.repeat(120), (s) => s.length * 7)
    expect(layout.width).toBe(480)
    expect(layout.imageX).toBe(90)
    expect(layout.imageY).toBe(TITLE_BAND)
    expect(layout.captionY).toBeGreaterThan(layout.imageY + 200)
    expect(layout.height).toBe(TITLE_BAND + 200 + captionBand(layout.lines.length))
  })

  it('states a training’s network, method, epochs, L1 and data in its caption', () => {
    const model = {
      id: 'm',
      name: 'Ferromagnet 40×40',
      lattice: { kind: 'square', Lx: 40, Ly: 40, periodicX: true, periodicY: true, diagonals: false },
      uniform: { K: 0.408, h: 0 },
      arrays: {}
    } as unknown as ModelV2
    const dataset = { samples: 20000, algorithm: 'wolff', thin: 3, seed: 1 } as unknown as DatasetV2
    const record = {
      layers: [{ nh: 400 }, { nh: 100 }, { nh: 25 }],
      seed: 7,
      visibleUnits: '01',
      passUp: 'probabilities',
      options: { method: 'cd', k: 1, epochs: 200, batchSize: 100, l1: 2e-4, l2: 0 }
    } as unknown as TrainingRecord
    expect(trainingText(record, 1600, dataset, model)).toMatch(
      /^DBN 1600→400→100→25, CD-1, 200 epochs per layer, batch 100, L1 2×10⁻⁴, seed 7, trained on 20\s000 samples of the 40×40 torus at K = 0\.408 \(Wolff/
    )
  })
})

describe('live chain captions', () => {
  it('state a general chain’s model, β, its K and h where uniform, the algorithm by name, sweep and whole seed', () => {
    const params = { K: 0.3, h: 0.1, algorithm: 'sw' as const, beta: 0.5 }
    const chain = { L: 16, seed: 4_000_000_007, sweep: 20, params }
    const glass = liveChainText({ ...chain, model: { name: 'Glass', sites: 256, uniform: false } })
    expect(glass).toBe(
      'Live Monte Carlo chain on “Glass” (256 sites), β = 0.5, Swendsen–Wang, sweep 20, seed 4000000007'
    )
    expect(liveChainText({ ...chain, model: { name: 'Uniform', sites: 256, uniform: true } })).toContain(
      'β = 0.5, K = 0.3, h = 0.1, Swendsen–Wang'
    )
  })
})

describe('analysis captions', () => {
  it('print a seed whole and other numbers compactly', () => {
    const text = analysisText({ name: 'RG flow', spec: { seed: 2806312345, samples: 40, K: 0.44068679 } })
    expect(text).toBe('RG flow: seed 2806312345, samples 40, K 0.44069')
  })
})

describe('chart export', () => {
  const Host = (caption: string, option: EChartsOption) =>
    defineComponent({
      setup() {
        provideFigureCaption(() => caption)
        return () => h(ChartPanel, { option, title: 'Energy per spin', filename: 'energy' })
      }
    })

  it('saves an SVG with the title, the view’s caption, no legend pages, on white or transparent', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    vi.spyOn(HTMLElement.prototype, 'clientWidth', 'get').mockReturnValue(600)
    vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(320)
    const downloads = captureDownloads()
    const wrapper = mount(Host('Sweep of the 8×8 torus, L = 4, 8, 16, 32, Wolff cluster', paged), {
      attachTo: document.body
    })
    await wrapper.get('[data-testid="export-svg"]').trigger('click')
    const white = await downloads[0]!.blob.text()
    expect(downloads[0]!.name).toBe('energy.svg')
    expect(white).toContain('>Energy per spin<')
    expect(white).toContain('Sweep of the 8×8 torus, L = 4, 8, 16, 32, Wolff cluster')
    // A paged legend draws its page count ("1/3") and arrows; every entry is drawn instead.
    expect(white).not.toMatch(/>\d+\/\d+</)
    for (let i = 0; i < 12; i++) expect(white).toContain(`a rather long series name number ${i}`)
    expect(white).toMatch(/<rect[^>]*fill="#ffffff"/)

    await wrapper.get('[data-testid="export-background"]').setValue('transparent')
    expect(figureBackground.value).toBe('transparent')
    await wrapper.get('[data-testid="export-svg"]').trigger('click')
    expect(await downloads[1]!.blob.text()).not.toMatch(/<rect[^>]*fill="#ffffff"/)
    wrapper.unmount()
  })

  it('exports a sweep chart with every size in its legend', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const downloads = captureDownloads()
    const points = [4, 8, 16, 32].flatMap((L) =>
      [0.4, 0.44].map((K) => ({ L, K, e: { value: -K, error: 0.01 }, equilibrated: true }))
    )
    const data = readSweep({ spec: { h: 0 }, result: { points } })
    const wrapper = mount(Host('a sweep', sweepChartOption(data, 'e')), { attachTo: document.body })
    await wrapper.get('[data-testid="export-svg"]').trigger('click')
    const svg = await downloads[0]!.blob.text()
    for (const L of [4, 8, 16, 32]) {
      expect(svg).toContain(`L = ${L} Monte Carlo`)
      expect(svg).toContain(`L = ${L} exact (Kaufman)`)
    }
    wrapper.unmount()
  })
})
