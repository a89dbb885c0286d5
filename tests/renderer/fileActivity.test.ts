// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { setApi } from '../../src-renderer/src/api'
import TitleBar from '../../src-renderer/src/components/TitleBar.vue'
import { fileActivity, trackFileActivity } from '../../src-renderer/src/composables/useFileActivity'
import type { SaveOutcome } from '@shared/contract'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setupProject } from './projectHelpers'

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  vi.useRealTimers()
  setApi(null)
})

describe('progress of saving and opening', () => {
  it('shows an activity only once it has lasted 0.3 s, with its elapsed time, and hides it when done', async () => {
    vi.useFakeTimers()
    let finish!: (value: string) => void
    const work = trackFileActivity('Saving', new Promise<string>((resolve) => (finish = resolve)))
    await vi.advanceTimersByTimeAsync(200)
    expect(fileActivity.visible).toBe(false)
    await vi.advanceTimersByTimeAsync(1000)
    expect(fileActivity).toMatchObject({ visible: true, label: 'Saving' })
    expect(fileActivity.elapsedSeconds).toBeGreaterThanOrEqual(1.1)
    finish('done')
    expect(await work).toBe('done')
    expect(fileActivity.visible).toBe(false)
  })

  it('a quick save shows nothing', async () => {
    vi.useFakeTimers()
    await trackFileActivity('Saving', Promise.resolve(1))
    await vi.advanceTimersByTimeAsync(500)
    expect(fileActivity.visible).toBe(false)
  })

  it('the title bar says "Saving…" with a progress bar while a slow save runs, then "Opening…" for a slow open', async () => {
    const { project, ui } = await setupProject(fake)
    const bar = mount(TitleBar)
    let answer!: (outcome: SaveOutcome) => void
    fake.raw['project.save'].mockImplementationOnce(() => new Promise<SaveOutcome>((resolve) => (answer = resolve)))
    vi.useFakeTimers()
    const saving = project.save(true)
    await flushPromises()
    ui.answerPick('projects/big.blockspin')
    await vi.advanceTimersByTimeAsync(600)
    const status = bar.get('[data-testid="file-activity"]')
    expect(status.attributes('role')).toBe('status')
    expect(status.text()).toMatch(/^Saving… 0\.[5-9] s$/)
    expect(status.find('progress').exists()).toBe(true)
    expect(bar.get('[data-testid="save"]').attributes('disabled')).toBeDefined()
    answer({ status: 'saved', path: 'projects/big.blockspin', name: 'big' })
    await vi.advanceTimersByTimeAsync(0)
    expect(await saving).toBe(true)
    expect(bar.find('[data-testid="file-activity"]').exists()).toBe(false)

    let opened!: () => void
    fake.raw['project.open'].mockImplementationOnce(
      () => new Promise((resolve) => (opened = () => resolve({ status: 'canceled' })))
    )
    const opening = project.openPath('projects/big.blockspin')
    await vi.advanceTimersByTimeAsync(400)
    expect(bar.get('[data-testid="file-activity"]').text()).toMatch(/^Opening…/)
    opened()
    await vi.advanceTimersByTimeAsync(0)
    await opening
    expect(bar.find('[data-testid="file-activity"]').exists()).toBe(false)
    bar.unmount()
  })
})
