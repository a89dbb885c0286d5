import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import LiveIsingView from '../../src-renderer/src/views/LiveIsingView.vue'
import LatticeCanvas from '../../src-renderer/src/components/LatticeCanvas.vue'
import { paintingHint } from '../../src-renderer/src/logic/paintHint'
import type { ChainSpecV1 } from '@shared/project/types'
import { makeFrame } from './fakeApi'
import { KC } from '@core/ising/onsager'

const SPEC: ChainSpecV1 = { L: 8, K: 0.2, h: 0, algorithm: 'metropolis', sweepsPerFrame: 1, seed: 42, start: 'hot' }

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  const live = useLiveStore()
  for (const id of Object.keys(live.chains)) live.close(id)
  setApi(null)
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const controls = () => fake.raw['jobs.control'].mock.calls.map(([a]) => a.action)

describe('painting a running chain far from Kc', () => {
  it('hints only while painting a running square chain away from Kc or in a field', () => {
    const at = (K: number, h = 0, over: object = {}) =>
      paintingHint({ painting: true, running: true, general: false, K, h, ...over })
    expect(at(0.2)).toBe('Below Kc, painted domains dissolve in a few sweeps: real physics.')
    expect(at(0.7)).toBe('Far above Kc, painted domains shrink away in a few sweeps: real physics.')
    expect(at(KC, 0.2)).toBe('With h = 0.2, spins painted against the field flip back in a few sweeps: real physics.')
    expect(at(KC)).toBeNull()
    expect(at(0.42)).toBeNull()
    expect(at(0.5)).toBeNull()
    expect(at(0.2, 0, { running: false })).toBeNull()
    expect(at(0.2, 0, { painting: false })).toBeNull()
    expect(at(0.2, 0, { general: true })).toBeNull()
  })

  it('shows the hint, and "pause while painting" pauses the chain while the pointer is down', async () => {
    const live = useLiveStore()
    live.open('r1', SPEC)
    const wrapper = mount(LiveIsingView, { props: { runId: 'r1' }, attachTo: document.body })
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(8, 1, 1) })
    await flushPromises()
    expect(wrapper.find('[data-testid="paint-hint"]').exists()).toBe(false)
    await wrapper.get('[data-testid="paint-mode"]').setValue('up')
    expect(wrapper.get('[data-testid="paint-hint"]').text()).toContain('Below Kc, painted domains dissolve')

    await wrapper.get('[data-testid="paint-pause"]').setValue(true)
    expect(wrapper.find('[data-testid="paint-hint"]').exists()).toBe(false)
    const canvas = wrapper.findComponent(LatticeCanvas)
    canvas.vm.$emit('paint', { x: 2, y: 3, first: true })
    await flushPromises()
    expect(live.chains.r1!.status).toBe('paused')
    expect(controls()).toEqual(['pause'])
    expect(fake.raw['jobs.command'].mock.calls.at(-1)?.[0].command.type).toBe('paint')
    canvas.vm.$emit('paint', { x: 3, y: 3, first: false })
    await flushPromises()
    expect(controls()).toEqual(['pause'])

    window.dispatchEvent(new Event('pointerup'))
    await flushPromises()
    expect(live.chains.r1!.status).toBe('running')
    expect(controls()).toEqual(['pause', 'resume'])

    // A chain the user paused stays paused after a stroke.
    await wrapper.get('[data-testid="play"]').trigger('click')
    await flushPromises()
    canvas.vm.$emit('paint', { x: 5, y: 5, first: true })
    window.dispatchEvent(new Event('pointerup'))
    await flushPromises()
    expect(live.chains.r1!.status).toBe('paused')
    expect(controls()).toEqual(['pause', 'resume', 'pause'])
    wrapper.unmount()
  })
})
