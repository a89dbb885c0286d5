import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { defineComponent, h } from 'vue'
import { emptyProject } from '@shared/project/model'
import type { ProjectJson } from '@shared/project/types'
import { setApi } from '../../src-renderer/src/api'
import LatticeCanvas from '../../src-renderer/src/components/LatticeCanvas.vue'
import RgLevelCanvas from '../../src-renderer/src/components/RgLevelCanvas.vue'
import { presenter } from '../../src-renderer/src/composables/usePresentable'
import { usePresenter } from '../../src-renderer/src/composables/usePresenter'
import {
  presentationSequence,
  presenterCommand,
  presenterScale,
  projectItemOrder,
  scaleChartOption,
  stepThrough
} from '../../src-renderer/src/logic/presenter'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

describe('presenter logic', () => {
  it('maps keys to commands, leaving typing and modified keys alone', () => {
    expect(presenterCommand({ key: 'f' }, false, false)).toBe('present')
    expect(presenterCommand({ key: 'P' }, false, false)).toBe('present')
    expect(presenterCommand({ key: 'F' }, true, false)).toBe('leave')
    expect(presenterCommand({ key: 'Escape' }, true, false)).toBe('leave')
    expect(presenterCommand({ key: 'Escape' }, false, false)).toBeNull()
    expect(presenterCommand({ key: 'ArrowRight' }, true, false)).toBe('nextItem')
    expect(presenterCommand({ key: 'ArrowLeft' }, true, false)).toBe('prevItem')
    expect(presenterCommand({ key: 'ArrowDown' }, true, false)).toBe('nextPanel')
    expect(presenterCommand({ key: 'ArrowUp' }, true, false)).toBe('prevPanel')
    // Outside presenter mode the arrows stay the views' own (→ steps the live chain).
    expect(presenterCommand({ key: 'ArrowRight' }, false, false)).toBeNull()
    // A slider or field being used keeps its keys, and Ctrl+F is the browser's.
    expect(presenterCommand({ key: 'ArrowRight' }, true, true)).toBeNull()
    expect(presenterCommand({ key: 'f', ctrlKey: true }, false, false)).toBeNull()
  })

  it('steps through the open tabs when there are several, else through every item in tree order', () => {
    const p: ProjectJson = {
      ...emptyProject('1'),
      models: [{ id: 'm1' }] as ProjectJson['models'],
      runs: [{ id: 'r1' }] as ProjectJson['runs'],
      datasets: [{ id: 'd1' }] as ProjectJson['datasets'],
      trainings: [{ id: 't1' }] as ProjectJson['trainings'],
      analyses: [{ id: 'a1' }] as ProjectJson['analyses']
    }
    const items = projectItemOrder(p)
    expect(items).toEqual(['m1', 'r1', 'd1', 't1', 'a1'])
    expect(presentationSequence(['r1'], items)).toEqual(items)
    expect(presentationSequence(['a1', 'r1'], items)).toEqual(['a1', 'r1'])
    expect(stepThrough(items, 'r1', 1)).toBe('d1')
    expect(stepThrough(items, 'r1', -1)).toBe('m1')
    // The ends stop (a talk does not wrap round to its first slide).
    expect(stepThrough(items, 'a1', 1)).toBe('a1')
    expect(stepThrough(items, 'm1', -1)).toBe('m1')
    expect(stepThrough(items, null, 1)).toBe('m1')
    expect(stepThrough(items, 'gone', -1)).toBe('m1')
    expect(stepThrough([], 'x', 1)).toBeNull()
  })

  it('scales a chart’s own text, lines and pixel offsets, but not its data or percentages', () => {
    expect(presenterScale(800, 450)).toBe(1.25)
    expect(presenterScale(1920, 1000)).toBeCloseTo(1000 / 450)
    expect(presenterScale(4000, 3000)).toBe(2.5)
    const option = {
      grid: { left: 60, right: '5%', top: 30 },
      xAxis: { axisLabel: { fontSize: 12 }, nameGap: 24, data: [1, 2, 3] },
      series: [
        { type: 'line', lineStyle: { width: 1.5 }, symbolSize: 6, data: [[0.4, 1.2]], label: { fontSize: 11 } },
        { type: 'scatter', symbolSize: [4, 8], data: Float64Array.of(1, 2), markLine: { lineStyle: { width: 1 } } }
      ],
      title: { text: 'e', textStyle: { fontSize: 14 }, padding: [2, 4] }
    }
    const scaled = scaleChartOption(option, 2)
    expect(scaled).toEqual({
      grid: { left: 120, right: '5%', top: 60 },
      xAxis: { axisLabel: { fontSize: 24 }, nameGap: 48, data: [1, 2, 3] },
      series: [
        { type: 'line', lineStyle: { width: 3 }, symbolSize: 12, data: [[0.4, 1.2]], label: { fontSize: 22 } },
        { type: 'scatter', symbolSize: [8, 16], data: Float64Array.of(1, 2), markLine: { lineStyle: { width: 2 } } }
      ],
      title: { text: 'e', textStyle: { fontSize: 28 }, padding: [4, 8] }
    })
    expect(scaled.series[1]!.data).toBe(option.series[1]!.data)
    expect(option.grid.left).toBe(60)
    expect(scaleChartOption(option, 1)).toBe(option)
  })
})

describe('presenter keys', () => {
  let fake: ReturnType<typeof createFakeApi>
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
    fake = createFakeApi()
    setApi(fake.api)
    setActivePinia(createPinia())
    presenter.presenting = false
    presenter.spotlight = null
  })
  afterEach(() => {
    setApi(null)
    vi.useRealTimers()
  })

  const Host = defineComponent({
    setup() {
      usePresenter()
      return () =>
        h('div', [
          h(LatticeCanvas, { spins: null, L: 8, sweep: 0 }),
          h(LatticeCanvas, { spins: null, L: 16, sweep: 0 })
        ])
    }
  })
  const press = async (key: string) => {
    window.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))
    await flushPromises()
  }

  it('F presents the first lattice, ↓ ↑ step through the panels, ← → through the items, Escape leaves', async () => {
    const { project } = await setupProject(fake)
    const items = projectItemOrder(project.project)
    expect(items).toEqual(['model1', 'run1']) // the new project's model and live chain
    expect(project.tabs).toEqual(['run1'])
    const wrapper = mount(Host, { attachTo: document.body })
    // Which lattice is presented (moved to the page's top level), by its side: [8 presented, 16 presented].
    const figures = () => {
      const shown = Array.from(document.querySelectorAll('.lattice-frame.presented canvas')).map((c) =>
        c.getAttribute('width')
      )
      expect(shown.length).toBeLessThanOrEqual(1)
      return [shown.includes('8'), shown.includes('16')]
    }

    await press('f')
    expect(presenter.presenting).toBe(true)
    expect(figures()).toEqual([true, false])
    // Moved to the top level, so no ancestor's containment confines the fixed frame.
    expect(document.querySelector('.lattice-frame.presented')!.parentElement).toBe(document.body)
    await press('ArrowDown')
    expect(figures()).toEqual([false, true])
    await press('ArrowDown')
    expect(figures()).toEqual([false, true])
    await press('ArrowUp')
    expect(figures()).toEqual([true, false])

    // With one tab open, ← → step through every item in tree order, staying in presenter mode.
    await press('ArrowRight')
    expect(project.selectedId).toBe('run1') // the last item: the talk stops there
    await press('ArrowLeft')
    expect(project.selectedId).toBe('model1')
    expect(presenter.presenting).toBe(true)
    expect(figures()).toEqual([true, false])
    // With several tabs open, the tabs are the talk: model1 was opened last, so ← goes back to run1.
    expect(project.tabs).toEqual(['run1', 'model1'])
    project.openTab('run1')
    await press('ArrowRight')
    expect(project.selectedId).toBe('model1')

    await press('Escape')
    expect(presenter.presenting).toBe(false)
    expect(figures()).toEqual([false, false])

    // The lattice's own ⛶ button presents that lattice.
    await wrapper.findAll('[data-testid="present"]')[1]!.trigger('click')
    expect(figures()).toEqual([false, true])
    wrapper.unmount()
  })
  it('an RG level is a panel too: ↓ from the lattice presents it at the top level', async () => {
    await setupProject(fake)
    const Levels = defineComponent({
      setup() {
        usePresenter()
        return () =>
          h('div', [
            h(LatticeCanvas, { spins: null, L: 8, sweep: 0 }),
            h(RgLevelCanvas, { data: null, Lx: 4, Ly: 4, label: 'Level 1, 4 by 4' })
          ])
      }
    })
    const wrapper = mount(Levels, { attachTo: document.body })
    await press('f')
    expect(document.querySelector('.rg-level-frame.presented')).toBeNull()
    await press('ArrowDown')
    const frame = document.querySelector('.rg-level-frame.presented')
    expect(frame?.parentElement).toBe(document.body)
    expect(frame?.querySelector('canvas')?.getAttribute('aria-label')).toBe('Level 1, 4 by 4')
    await press('Escape')
    expect(document.querySelector('.rg-level-frame.presented')).toBeNull()
    wrapper.unmount()
  })
})
