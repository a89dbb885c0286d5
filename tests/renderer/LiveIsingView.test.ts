import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { flushPromises, mount } from '@vue/test-utils'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import LiveIsingView from '../../src-renderer/src/views/LiveIsingView.vue'
import type { ChainSpecV1 } from '@shared/project/types'
import { makeFrame } from './fakeApi'
import { captureDownloads } from './downloads'

const SPEC: ChainSpecV1 = { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 42, start: 'hot' }

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  setApi(null)
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

function setup() {
  const live = useLiveStore()
  live.open('r1', SPEC)
  const wrapper = mount(LiveIsingView, { props: { runId: 'r1' }, attachTo: document.body })
  return { live, wrapper }
}

describe('LiveIsingView', () => {
  it('shows every control with a label and its test id, and the sign convention once', () => {
    const { wrapper } = setup()
    for (const id of [
      'k-slider',
      'k-input',
      'h-input',
      'algorithm',
      'l-input',
      'seed-input',
      'start-select',
      'play',
      'step',
      'reset',
      'spf-input',
      'status-sweep',
      'status-absm',
      'status-energy',
      'lattice-canvas'
    ]) {
      expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    }
    for (const id of ['k-input', 'h-input', 'algorithm', 'l-input', 'seed-input', 'start-select', 'spf-input']) {
      const el = wrapper.get(`[data-testid="${id}"]`).element
      expect(wrapper.find(`label[for="${el.id}"]`).exists(), id).toBe(true)
    }
    expect(wrapper.get('[data-testid="k-slider"]').attributes('aria-label')).toBeTruthy()
    expect(wrapper.text().match(/K > 0 ferromagnetic/g)).toHaveLength(1)
    expect(wrapper.text()).toContain('Kc = 0.4407')
    expect((wrapper.get('[data-testid="k-input"]').element as HTMLInputElement).value).toBe('0.4')
    wrapper.unmount()
  })

  it('plays, shows frames in the status line and pauses', async () => {
    const { live, wrapper } = setup()
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    expect(wrapper.get('[data-testid="play"]').text()).toBe('Pause')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 1234, 1234) })
    await flushPromises()
    expect(wrapper.get('[data-testid="status-sweep"]').attributes('data-value')).toBe('1234')
    expect(wrapper.get('[data-testid="status-energy"]').text()).toBe('-1.2340')
    expect(wrapper.get('[data-testid="status-absm"]').text()).toBe('0.1234')
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    expect(live.chains.r1.status).toBe('paused')
    wrapper.unmount()
  })

  it('validates number fields as typed: invalid text is marked, explained and not applied', async () => {
    const { live, wrapper } = setup()
    const k = wrapper.get('[data-testid="k-input"]')
    await k.setValue('abc')
    expect(k.classes()).toContain('invalid')
    expect(k.attributes('aria-invalid')).toBe('true')
    expect(wrapper.text()).toContain('“abc” is not a number.')
    expect(live.chains.r1.params.K).toBe(0.4)
    await k.setValue('0.45')
    expect(k.classes()).not.toContain('invalid')
    expect(live.chains.r1.params.K).toBe(0.45)
    await wrapper.get('[data-testid="spf-input"]').setValue('5000')
    expect(wrapper.text()).toContain('Sweeps per frame must be between 1 and 1000.')
    expect(live.chains.r1.params.sweepsPerFrame).toBe(2)
    wrapper.unmount()
  })

  it('applies L on Enter only when valid', async () => {
    const { live, wrapper } = setup()
    const l = wrapper.get('[data-testid="l-input"]')
    await l.setValue('2000')
    await l.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(wrapper.text()).toContain('L must be between 4 and 1024.')
    expect(live.chains.r1.L).toBe(8)
    await l.setValue('32')
    expect(live.chains.r1.L).toBe(8)
    await l.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(live.chains.r1.L).toBe(32)
    wrapper.unmount()
  })

  it('disables Wolff for K < 0 and sends slider moves straight to the chain', async () => {
    const { live, wrapper } = setup()
    await wrapper.get('[data-testid="k-input"]').setValue('-0.2')
    const wolff = wrapper.get('option[value="wolff"]')
    expect((wolff.element as HTMLOptionElement).disabled).toBe(true)
    expect(wolff.attributes('title')).toContain('K ≥ 0')
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    await wrapper.get('[data-testid="k-slider"]').setValue('0.5')
    expect(live.chains.r1.params.K).toBe(0.5)
    expect(fake.raw['jobs.command'].mock.calls.at(-1)?.[0].command).toMatchObject({ type: 'edit', params: { K: 0.5 } })
    wrapper.unmount()
  })

  it('space toggles play/pause and → steps, except while typing in a field', async () => {
    const { live, wrapper } = setup()
    window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    await flushPromises()
    expect(live.chains.r1.status).toBe('running')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    await flushPromises()
    expect(live.chains.r1.status).toBe('paused')
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }))
    await flushPromises()
    expect(fake.raw['jobs.command'].mock.calls.at(-1)?.[0].command).toEqual({ type: 'step', count: 1 })
    const input = wrapper.get('[data-testid="k-input"]').element
    input.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }))
    await flushPromises()
    expect(live.chains.r1.status).toBe('paused')
    wrapper.unmount()
  })

  it('exports its charts with a caption of the chain: lattice, K, h, algorithm by name, sweep and seed', async () => {
    const downloads = captureDownloads()
    const { wrapper } = setup()
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 1234, 1234) })
    await flushPromises()
    await wrapper.get('section[aria-label="Energy per spin"] [data-testid="export-svg"]').trigger('click')
    const svg = await downloads[0]!.blob.text()
    expect(svg).toContain('Live Monte Carlo chain on the 8×8 torus, K = 0.4, h = 0, Metropolis (checkerboard),')
    expect(svg).toMatch(/sweep 1\s?234, seed 42</)
    wrapper.unmount()
  })

  it('says what to do when the run is not open', () => {
    const wrapper = mount(LiveIsingView, { props: { runId: 'missing' } })
    expect(wrapper.get('[data-testid="live-empty"]').text()).toContain('not open')
  })
})
