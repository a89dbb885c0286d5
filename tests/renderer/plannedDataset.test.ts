import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ModelActions from '../../src-renderer/src/components/ModelActions.vue'
import TrainingLauncher from '../../src-renderer/src/components/TrainingLauncher.vue'
import TreeModels from '../../src-renderer/src/components/TreeModels.vue'
import DatasetTab from '../../src-renderer/src/views/DatasetTab.vue'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useProjectItems } from '../../src-renderer/src/stores/projectItems'
import { isPlannedDataset, plannedDatasetMark } from '@shared/cluster/planned'

/** "Run on a cluster…" in the dataset form: the dataset is planned, not generated, and its bundle dialog opens. */

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

function form() {
  const id = useProjectItems().addModel('ferromagnet', { L: 16 })
  const model = useProjectStore().project.models.find((m) => m.id === id)!
  return { model, wrapper: mount(ModelActions, { props: { model }, attachTo: document.body }) }
}

async function planned() {
  const { wrapper } = form()
  await wrapper.get('[data-testid="dataset-samples"]').setValue('40000')
  await wrapper.get('[data-testid="dataset-seed"]').setValue('123')
  await wrapper.get('[data-testid="dataset-cluster"]').trigger('click')
  await flushPromises()
  wrapper.unmount()
  return useProjectStore().project.datasets[0]!
}

describe('the dataset form’s Run on a cluster…', () => {
  it('plans the dataset as typed (no job starts, no arrays) and opens its cluster dialog', async () => {
    const project = useProjectStore()
    const { model, wrapper } = form()
    await wrapper.get('[data-testid="dataset-algorithm"]').setValue('wolff')
    await wrapper.get('[data-testid="dataset-samples"]').setValue('40000')
    await wrapper.get('[data-testid="dataset-seed"]').setValue('123')
    await wrapper.get('[data-testid="dataset-cluster"]').trigger('click')
    await flushPromises()
    expect(project.project.datasets).toHaveLength(1)
    const d = project.project.datasets[0]!
    expect(d).toMatchObject({ modelId: model.id, algorithm: 'wolff', samples: 40000, burnIn: 1000, seed: 123 })
    expect(d.arrays).toEqual({})
    expect(isPlannedDataset(d)).toBe(true)
    expect(plannedDatasetMark(d)).toEqual({ planned: true, keepSamples: true, thin: 'auto' })
    expect(useClusterStore().exportItem).toBe(d.id)
    expect(fake.raw['jobs.start']).not.toHaveBeenCalled()
  })

  it('keeps a fixed thinning and an unticked keep configurations', async () => {
    const { wrapper } = form()
    await wrapper.get('[data-testid="dataset-thin"]').setValue('5')
    await wrapper.get('input[type="checkbox"]').setValue(false)
    await wrapper.get('[data-testid="dataset-cluster"]').trigger('click')
    const d = useProjectStore().project.datasets[0]!
    expect(d.thin).toBe(5)
    expect(plannedDatasetMark(d)).toEqual({ planned: true, keepSamples: false, thin: 5 })
  })

  it('says what is wrong with a bad field and plans nothing', async () => {
    const { wrapper } = form()
    await wrapper.get('[data-testid="dataset-samples"]').setValue('10')
    await wrapper.get('[data-testid="dataset-cluster"]').trigger('click')
    expect(wrapper.get('[role="alert"]').text()).toBe('Samples must be a whole number from 40 to 10,000,000.')
    expect(useProjectStore().project.datasets).toEqual([])
    expect(useClusterStore().exportItem).toBeNull()
  })
})

describe('a planned dataset', () => {
  it('shows its parameters and what comes next, and the tree marks it planned', async () => {
    const d = await planned()
    useClusterStore().exportItem = null
    const tree = mount(TreeModels, { attachTo: document.body })
    const row = tree.get(`[data-testid="dataset-${d.id}"]`)
    // The planned badge instead of the sample count, which the name already says (room for the name).
    expect(row.findAll('.badge').map((b) => b.text())).toEqual(['planned'])
    expect(row.get('.name').attributes('title')).toBe(d.name)
    const tab = mount(DatasetTab, { props: { datasetId: d.id }, attachTo: document.body })
    const view = tab.get('[data-testid="planned-dataset-view"]')
    expect(view.text()).toContain('Planned for a cluster: no samples yet.')
    expect(view.text()).toContain('40,000')
    expect(view.text()).toContain('auto (each shard’s pilot run chooses ⌈2 τ_int⌉)')
    expect(view.text()).toContain('123')
    expect(tab.find('[data-testid="open-cascade"]').exists()).toBe(false)
    expect(tab.find('[role="alert"]').exists()).toBe(false)
    await tab.get('[data-testid="planned-cluster"]').trigger('click')
    expect(useClusterStore().exportItem).toBe(d.id)
  })

  it('generates here instead: the planned dataset gives way to the job with the same sampler and seed', async () => {
    const d = await planned()
    const tab = mount(DatasetTab, { props: { datasetId: d.id }, attachTo: document.body })
    await tab.get('[data-testid="planned-here"]').trigger('click')
    await flushPromises()
    expect(useProjectStore().project.datasets).toEqual([])
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    expect(fake.raw['jobs.start'].mock.calls[0]![0]).toMatchObject({
      kind: 'ising.dataset',
      seed: 123,
      spec: { samples: 40000, burnIn: 1000, thin: 'auto', keepSamples: true }
    })
  })

  it('cannot be trained on: the launcher says why in a sentence', async () => {
    const d = await planned()
    const project = useProjectStore()
    project.openTab(d.id)
    const launcher = mount(TrainingLauncher, { attachTo: document.body })
    expect(launcher.get('[data-testid="train-rbm"]').attributes('disabled')).toBeDefined()
    expect(launcher.get('[data-testid="train-planned"]').text()).toBe(
      'This dataset is planned for a cluster and has no configurations yet: merge its results to train an RBM on it.'
    )
    expect(useProjectItems().addTraining(d.id)).toBeNull()
  })
})
