import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import AnalysisPane from '../../src-renderer/src/components/AnalysisPane.vue'
import RgFlowDialog from '../../src-renderer/src/components/RgFlowDialog.vue'
import { clusterCapable } from '../../src-renderer/src/logic/clusterForm'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { isPlanned } from '@shared/cluster/planned'

/** "Run on a cluster…" in the RG flow dialog: the flow is planned, not run, and its bundle dialog opens. */

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

async function planFlow(Ks = '0.4, 0.42, 0.44') {
  const wrapper = mount(RgFlowDialog, { attachTo: document.body })
  await wrapper.get('[data-testid="flow-L"]').setValue('128')
  await wrapper.get('[data-testid="flow-Ks"]').setValue(Ks)
  await wrapper.get('[data-testid="flow-secondary"]').trigger('click')
  await flushPromises()
  return wrapper
}

describe('an RG flow planned for a cluster', () => {
  it('is planned as typed from the dialog (no job starts), its cluster dialog opened, and the inspector offers it', async () => {
    const wrapper = await planFlow()
    const [a] = useProjectStore().project.analyses
    expect(a).toMatchObject({
      kind: 'rg.flow',
      name: 'RG flow, 128², K 0.4…0.44',
      spec: { L: 128, Ks: [0.4, 0.42, 0.44], rule: 'majority', b: 2, levels: 3 }
    })
    expect(isPlanned(a!)).toBe(true)
    expect(useClusterStore().exportItem).toBe(a!.id)
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(fake.api['jobs.start']).not.toHaveBeenCalled()
    expect(clusterCapable(useProjectStore().project, a!.id, () => false)).toBe(true)
  })

  it('says what is wrong with a bad field and plans nothing', async () => {
    const wrapper = await planFlow('0.4, x')
    expect(wrapper.get('[data-testid="flow-error"]').text()).not.toBe('')
    expect(useProjectStore().project.analyses).toEqual([])
    expect(useClusterStore().exportItem).toBeNull()
  })

  it('shows its parameters, and runs here instead as the flow’s job with the same spec and seed', async () => {
    ;(await planFlow()).unmount()
    useClusterStore().exportItem = null
    const a = useProjectStore().project.analyses[0]!
    const pane = mount(AnalysisPane, { props: { analysis: a }, attachTo: document.body })
    const view = pane.get('[data-testid="planned-view"]')
    expect(view.text()).toContain('Planned for a cluster: nothing has run yet.')
    expect(view.text()).toContain('128×128 torus')
    expect(view.text()).toContain('0.4, 0.42, 0.44')
    expect(view.text()).toContain('nearest, diagonal, plaquette')
    expect(view.text()).toContain('samples per K')
    expect(view.text()).toContain(String(a.spec['seed']))
    await pane.get('[data-testid="planned-cluster"]').trigger('click')
    expect(useClusterStore().exportItem).toBe(a.id)
    await pane.get('[data-testid="planned-here"]').trigger('click')
    await flushPromises()
    expect(useProjectStore().project.analyses).toEqual([])
    const calls = (fake.api['jobs.start'] as unknown as { mock: { calls: unknown[][] } }).mock.calls
    expect(calls).toHaveLength(1)
    expect(calls[0]![0]).toMatchObject({
      kind: 'rg.flow',
      seed: a.spec['seed'],
      spec: { L: 128, Ks: [0.4, 0.42, 0.44] }
    })
  })
})
