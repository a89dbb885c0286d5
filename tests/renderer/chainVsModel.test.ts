import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import LiveIsingView from '../../src-renderer/src/views/LiveIsingView.vue'
import Inspector from '../../src-renderer/src/components/Inspector.vue'
import { chainModelNote, describeKh, modelValuesNote } from '../../src-renderer/src/logic/chainVsModel'
import { KC } from '@core/ising/onsager'

beforeEach(() => {
  installFakeApp()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  const live = useLiveStore()
  for (const id of Object.keys(live.chains)) live.close(id)
  setApi(null)
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

describe('the chain’s K and h beside its model’s', () => {
  it('names both only where they differ', () => {
    expect(chainModelNote({ K: 0.3, h: 0 }, { K: KC, h: 0 })).toBe(
      'This chain runs at K = 0.3; its model has K = 0.440687, which new chains start from.'
    )
    expect(chainModelNote({ K: 0.3, h: 0.1 }, { K: 0.3, h: 0 })).toBe(
      'This chain runs at h = 0.1; its model has h = 0, which new chains start from.'
    )
    expect(chainModelNote({ K: KC, h: 0 }, { K: KC, h: 0 })).toBeNull()
    expect(chainModelNote({ K: 0.3, h: 0 }, null)).toBeNull()
    expect(describeKh({ K: KC, h: -0.25 })).toBe('K = 0.440687, h = -0.25')
    expect(modelValuesNote({ K: 0.3, h: 0.1 }, { K: 0.3, h: 0 })).toBe('Model: h = 0 (new chains start from it).')
    expect(modelValuesNote({ K: 0.3, h: 0 }, { K: 0.3, h: 0 })).toBeNull()
  })

  it('the live view and the inspector say which K is the chain’s and which the model’s', async () => {
    const project = useProjectStore()
    project.newProject()
    const run = project.project.runs[0]!
    project.selectedId = run.id
    const view = mount(LiveIsingView, { props: { runId: run.id }, attachTo: document.body })
    const inspector = mount(Inspector, { attachTo: document.body })
    await flushPromises()
    expect(view.find('[data-testid="chain-model-note"]').exists()).toBe(false)
    expect(inspector.get('[data-testid="inspector-chain-kh"]').text()).toBe('K = 0.4407, h = 0')

    await view.get('[data-testid="k-input"]').setValue('0.3')
    expect(view.get('[data-testid="chain-model-note"]').text()).toBe('Model: K = 0.4407 (new chains start from it).')
    expect(inspector.get('[data-testid="inspector-chain-kh"]').text()).toBe('K = 0.3, h = 0 (its model: K = 0.4407)')
    view.unmount()
    inspector.unmount()
  })
})
