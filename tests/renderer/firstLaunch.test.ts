import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import GuidePanel from '../../src-renderer/src/components/GuidePanel.vue'
import { runFirstLaunch } from '../../src-renderer/src/composables/firstLaunch'
import { createFakeApi } from './fakeApi'
import { savedDoc, setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  localStorage.clear()
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  setApi(null)
  vi.useRealTimers()
})

describe('first launch', () => {
  it('opens the example as an untitled copy and the guide, once per profile', async () => {
    fake.replies.example = { status: 'opened', path: null, name: 'paper-small', doc: savedDoc(), migratedFrom: null }
    const { project, ui } = await setupProject(fake)
    expect(ui.firstLaunch).toBe(true)
    await runFirstLaunch(project, ui)
    expect(fake.api['project.openExample']).toHaveBeenCalledTimes(1)
    expect(project.path).toBeNull()
    expect(project.project.runs.map((r) => r.id)).toEqual(savedDoc().project.runs.map((r) => r.id))
    expect(ui.guideOpen).toBe(true)
    expect(ui.exampleMissing).toBe(false)
    expect(localStorage.getItem('blockspin.launched')).toBe('1')

    // The next launch (a new store in the same profile) neither reopens the example nor the guide.
    setActivePinia(createPinia())
    const again = await setupProject(fake)
    expect(again.ui.firstLaunch).toBe(false)
    await runFirstLaunch(again.project, again.ui)
    expect(fake.api['project.openExample']).toHaveBeenCalledTimes(1)
    expect(again.ui.guideOpen).toBe(false)
  })

  it('without an example the guide opens on the new project and says so', async () => {
    const { project, ui } = await setupProject(fake)
    const before = project.project.models.map((m) => m.id)
    await runFirstLaunch(project, ui)
    expect(ui.guideOpen).toBe(true)
    expect(ui.exampleMissing).toBe(true)
    expect(project.project.models.map((m) => m.id)).toEqual(before)

    const panel = mount(GuidePanel)
    expect(panel.get('[data-testid="guide-example-missing"]').text()).toMatch(/not installed/)
    // The new project has a model and a live chain: the first step opens it; the rest say what to make.
    await panel.get('[data-testid="guide-go-live"]').trigger('click')
    expect(project.selectedId).toBe(project.project.runs[0]!.id)
    expect(panel.find('[data-testid="guide-step-live"] .tick').exists()).toBe(true)
    expect(panel.get('[data-testid="guide-missing-compare"]').text()).toMatch(/Compare with RG/)
    await panel.get('[data-testid="guide-close"]').trigger('click')
    expect(ui.guideOpen).toBe(false)
  })

  it("Help → Guide reopens the guide (menu command 'guide')", async () => {
    const { project, ui } = await setupProject(fake)
    await project.onMenu('guide')
    await flushPromises()
    expect(ui.guideOpen).toBe(true)
  })
})
