import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import TabBar from '../../src-renderer/src/components/TabBar.vue'
import { scrollToReveal } from '../../src-renderer/src/logic/stripFit'
import { closeLiveChains, createFakeApi } from './fakeApi'

/**
 * The tab bar lays tabs out 120 px wide, 2 px apart, in a bar 300 px wide (happy-dom has no
 * layout: the geometry is given to the elements here).
 */
const TAB = 120
const GAP = 2
const BAR = 300
const saved = {
  offsetLeft: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetLeft'),
  offsetWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'offsetWidth'),
  clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth')
}
function giveGeometry(): void {
  Object.defineProperty(HTMLElement.prototype, 'offsetLeft', {
    configurable: true,
    get(this: HTMLElement) {
      const siblings = this.parentElement ? [...this.parentElement.children] : []
      return this.dataset.tabId ? siblings.indexOf(this) * (TAB + GAP) : 0
    }
  })
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset.tabId ? TAB : 0
    }
  })
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
    configurable: true,
    get(this: HTMLElement) {
      return this.dataset?.testid === 'tab-bar' ? BAR : 0
    }
  })
}

beforeEach(() => {
  setApi(createFakeApi().api)
  setActivePinia(createPinia())
  giveGeometry()
})
afterEach(() => {
  for (const [name, d] of Object.entries(saved)) {
    if (d) Object.defineProperty(HTMLElement.prototype, name, d)
    else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name]
  }
  closeLiveChains()
})

async function withTabs(count: number) {
  const project = useProjectStore()
  project.newProject()
  for (let i = 1; i < count; i++) project.addLiveRun(project.project.models[0]!.id)
  const wrapper = mount(TabBar, { attachTo: document.body })
  await flushPromises()
  return { project, wrapper, bar: wrapper.get('[data-testid="tab-bar"]').element as HTMLElement }
}

describe('the tab bar', () => {
  it('scrolls the active tab whole into view, moving as little as needed', async () => {
    const { project, wrapper, bar } = await withTabs(8)
    // The last tab opened is active: its right edge at the bar's right edge.
    expect(project.selectedId).toBe('run8')
    expect(bar.scrollLeft).toBe(7 * (TAB + GAP) + TAB - BAR)
    // Back to the first tab: its left edge at the bar's left edge.
    await wrapper.get('[data-tab-id="run1"]').trigger('click')
    await flushPromises()
    expect(bar.scrollLeft).toBe(0)
    // A tab already whole in view does not move the bar.
    await wrapper.get('[data-tab-id="run2"]').trigger('click')
    await flushPromises()
    expect(bar.scrollLeft).toBe(0)
    // Selected elsewhere (the project tree): revealed too.
    project.openTab('run5')
    await flushPromises()
    expect(bar.scrollLeft).toBe(4 * (TAB + GAP) + TAB - BAR)
    wrapper.unmount()
  })

  it('gives each tab its full name as a tooltip and a close button named after it', async () => {
    const { project, wrapper } = await withTabs(2)
    const tab = wrapper.get('[data-tab-id="run2"]')
    expect(tab.attributes('title')).toBe(project.itemName('run2'))
    expect(tab.get('.name').text()).toBe(project.itemName('run2'))
    await tab.get(`[aria-label="Close ${project.itemName('run2')}"]`).trigger('click')
    expect(project.tabs).toEqual(['run1'])
    wrapper.unmount()
  })

  it('scrollToReveal: whole tabs stay put, cut ones are brought to the nearer edge', () => {
    expect(scrollToReveal(100, 300, 150, 100)).toBe(100)
    expect(scrollToReveal(100, 300, 50, 100)).toBe(50)
    expect(scrollToReveal(100, 300, 350, 100)).toBe(150)
    expect(scrollToReveal(100, 300, 500, 400)).toBe(500)
  })
})
