import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import LiveIsingView from '../../src-renderer/src/views/LiveIsingView.vue'
import Inspector from '../../src-renderer/src/components/Inspector.vue'
import ProjectTree from '../../src-renderer/src/components/ProjectTree.vue'
import {
  chainModelNote,
  chainSizeBadge,
  describeChainSize,
  describeKh,
  modelValuesNote
} from '../../src-renderer/src/logic/chainVsModel'
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

  it('names the chain’s size beside its model’s only where they differ', () => {
    const square = { kind: 'square', Lx: 128, Ly: 128 }
    expect(chainSizeBadge(1024, square)).toBe('1024²')
    expect(chainSizeBadge(128, square)).toBeNull()
    expect(chainSizeBadge(1024, { kind: 'graph', N: 12 })).toBeNull()
    expect(describeChainSize(1024, square)).toBe('1024×1024 (its model: 128×128)')
    expect(describeChainSize(128, square)).toBe('128×128')
  })

  it('the tree and the inspector say which size is the model’s and which the chain’s', async () => {
    const project = useProjectStore()
    project.newProject()
    const run = project.project.runs[0]!
    const model = project.project.models[0]!
    const side = (model.lattice as { Lx: number }).Lx
    project.selectedId = run.id
    const view = mount(LiveIsingView, { props: { runId: run.id }, attachTo: document.body })
    const inspector = mount(Inspector, { attachTo: document.body })
    const tree = mount(ProjectTree, { attachTo: document.body })
    await flushPromises()
    expect(tree.find(`[data-testid="run-size-${run.id}"]`).exists()).toBe(false)
    expect(inspector.get('[data-testid="inspector-chain-size"]').text()).toBe(`${side}×${side}`)

    const other = side * 2
    await view.get('[data-testid="l-input"]').setValue(String(other))
    await view.get('[data-testid="l-input"]').trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(useLiveStore().chains[run.id]!.L).toBe(other)
    // The model keeps its size in the tree; the run beside it names the chain's.
    expect(tree.get(`[data-testid="model-${model.id}"]`).text()).toContain(`${side}²`)
    expect(tree.get(`[data-testid="run-size-${run.id}"]`).text()).toBe(`chain ${other}²`)
    expect(inspector.get('[data-testid="inspector-chain-size"]').text()).toBe(
      `${other}×${other} (its model: ${side}×${side})`
    )
    view.unmount()
    inspector.unmount()
    tree.unmount()
  })
})
