import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import AnalysisPane from '../../src-renderer/src/components/AnalysisPane.vue'
import McrgDialog from '../../src-renderer/src/components/McrgDialog.vue'
import SweepDialog from '../../src-renderer/src/components/SweepDialog.vue'
import TreeAnalyses from '../../src-renderer/src/components/TreeAnalyses.vue'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { isPlanned } from '@shared/cluster/planned'

/** "Run on a cluster…" in the sweep and MCRG dialogs: the item is planned, not run, and its bundle dialog opens. */

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

describe('the launch dialogs’ Run on a cluster…', () => {
  it('plans the sweep as typed (no job starts) and opens its cluster dialog', async () => {
    const project = useProjectStore()
    const cluster = useClusterStore()
    const wrapper = mount(SweepDialog, { attachTo: document.body })
    await wrapper.get('[data-testid="sweep-Ls"]').setValue('32, 64')
    await wrapper.get('[data-testid="sweep-secondary"]').trigger('click')
    await flushPromises()
    const [a] = project.project.analyses
    expect(a).toMatchObject({ kind: 'sweep', name: 'Sweep K 0.38…0.5, L = 32, 64', spec: { Ls: [32, 64] } })
    expect(isPlanned(a!)).toBe(true)
    expect((a!.spec['Ks'] as number[]).length).toBe(13)
    expect(typeof a!.spec['seed']).toBe('number')
    expect(cluster.exportItem).toBe(a!.id)
    expect(wrapper.emitted('close')).toHaveLength(1)
    expect(fake.raw['jobs.start']).not.toHaveBeenCalled()
  })

  it('says what is wrong with a bad field and plans nothing', async () => {
    const project = useProjectStore()
    const wrapper = mount(SweepDialog, { attachTo: document.body })
    await wrapper.get('[data-testid="sweep-Ls"]').setValue('-4')
    await wrapper.get('[data-testid="sweep-secondary"]').trigger('click')
    expect(wrapper.get('[data-testid="sweep-error"]').text()).not.toBe('')
    expect(project.project.analyses).toEqual([])
    expect(useClusterStore().exportItem).toBeNull()
  })

  it('plans an MCRG the same way', async () => {
    const project = useProjectStore()
    const wrapper = mount(McrgDialog, { attachTo: document.body })
    await wrapper.get('[data-testid="mcrg-L"]').setValue('256')
    await wrapper.get('[data-testid="mcrg-secondary"]').trigger('click')
    const [a] = project.project.analyses
    expect(a).toMatchObject({ kind: 'rg.mcrg', name: 'MCRG, 256² at K = 0.440687', spec: { L: 256 } })
    expect(isPlanned(a!)).toBe(true)
    expect(useClusterStore().exportItem).toBe(a!.id)
    const pane = mount(AnalysisPane, { props: { analysis: a! }, attachTo: document.body })
    expect(pane.get('[data-testid="planned-view"]').text()).toContain(
      "brings the finished tasks' chains, pooled into its levels, into this item"
    )
  })
})

describe('a planned analysis', () => {
  async function planned() {
    const wrapper = mount(SweepDialog, { attachTo: document.body })
    await wrapper.get('[data-testid="sweep-secondary"]').trigger('click')
    wrapper.unmount()
    useClusterStore().exportItem = null
    return useProjectStore().project.analyses[0]!
  }

  it('shows its parameters and what comes next, and offers the cluster, a merge, or running it here', async () => {
    const a = await planned()
    const tree = mount(TreeAnalyses, { attachTo: document.body })
    expect(tree.get(`[data-testid="analysis-${a.id}"]`).text()).toContain('planned')
    const pane = mount(AnalysisPane, { props: { analysis: a }, attachTo: document.body })
    const view = pane.get('[data-testid="planned-view"]')
    expect(view.text()).toContain('Planned for a cluster: nothing has run yet.')
    expect(view.text()).toContain('8, 16')
    expect(view.text()).toContain('0.38 … 0.5 (13 values)')
    expect(view.text()).toContain(String(a.spec['seed']))
    await pane.get('[data-testid="planned-cluster"]').trigger('click')
    expect(useClusterStore().exportItem).toBe(a.id)
  })

  it('runs here instead: the planned item gives way to the sweep’s job with the same spec and seed', async () => {
    const a = await planned()
    const pane = mount(AnalysisPane, { props: { analysis: a }, attachTo: document.body })
    await pane.get('[data-testid="planned-here"]').trigger('click')
    await flushPromises()
    expect(useProjectStore().project.analyses).toEqual([])
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    expect(fake.raw['jobs.start'].mock.calls[0]![0]).toMatchObject({
      kind: 'ising.sweep',
      seed: a.spec['seed'],
      spec: { Ls: [8, 16] }
    })
  })
})
