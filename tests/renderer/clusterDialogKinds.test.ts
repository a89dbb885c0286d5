import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { fromBundleJson } from '@shared/cluster/json'
import { splitItem } from '@shared/cluster/split'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterActions from '../../src-renderer/src/components/ClusterActions.vue'
import ClusterDialog from '../../src-renderer/src/components/ClusterDialog.vue'
import type { BundleResults } from '../../src-renderer/src/logic/clusterMerge'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { useTrainingsStore } from '../../src-renderer/src/stores/trainings'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { setupProject } from './projectHelpers'

// Run on a cluster… for the kinds beyond sweeps and datasets: what the split accepts, the app offers.
let fake: FakeApi
const exportCall = vi.fn()
beforeEach(() => {
  fake = installFakeApp()
  exportCall.mockReset()
  Object.assign(fake.raw, { 'cluster.export': exportCall })
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

async function openProject() {
  const { project } = await setupProject(fake)
  fake.replies.open = { status: 'opened', path: 'k.blockspin', name: 'k', doc: clusterKindsProject() }
  await project.openPath('k.blockspin')
  await flushPromises()
  return project
}

describe('Run on a cluster… for an MCRG and a training', () => {
  it('is offered for the MCRG analysis and the training, as the split accepts them', async () => {
    const project = await openProject()
    const w = mount(ClusterActions)
    for (const id of ['mcrg1', 'train1']) {
      project.openTab(id)
      await flushPromises()
      expect(w.find('[data-testid="run-on-cluster"]').exists(), id).toBe(true)
    }
  })

  it('splits an MCRG into independent chains, with the split’s sentence for too many', async () => {
    await openProject()
    const w = mount(ClusterDialog, { props: { itemId: 'mcrg1' }, attachTo: document.body })
    expect(w.text()).toContain('Independent chains')
    await w.find('[data-testid="cluster-shards"]').setValue('2')
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain(
      '2 array tasks, one unit each: 2 independent chains.'
    )
    await w.find('[data-testid="cluster-shards"]').setValue('500')
    expect(w.find('[data-testid="cluster-error"]').text()).toMatch(/^200 samples make 2 to \d+ independent chains/)
  })

  it('makes a training grid from the typed rates, sizes and seeds, and packs the whole dataset when written', async () => {
    await openProject()
    const w = mount(ClusterDialog, { props: { itemId: 'train1' }, attachTo: document.body })
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain('1 array task, one unit each: 1 training.')
    await w.find('[data-testid="cluster-rates"]').setValue('fast')
    expect(w.find('[data-testid="cluster-error"]').text()).toBe(
      'Learning rates takes numbers separated by commas, not "fast".'
    )
    await w.find('[data-testid="cluster-rates"]').setValue('0.1, 0.05')
    await w.find('[data-testid="cluster-hidden"]').setValue('16 32')
    await w.find('[data-testid="cluster-replicas"]').setValue('2')
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain('8 array tasks, one unit each: 8 trainings.')
    await w.find('[data-testid="cluster-replicas"]').setValue('0')
    expect(w.find('[data-testid="cluster-error"]').text()).toBe('seeds must be a whole number from 1 to 1000.')
    await w.find('[data-testid="cluster-replicas"]').setValue('2')
    exportCall.mockResolvedValue({ ok: false, error: 'stop here' })
    await w.find('form').trigger('submit')
    await flushPromises()
    const sent = exportCall.mock.calls[0]![0]
    expect(sent.manifest).toMatchObject({
      kind: 'training',
      units: 8,
      training: { learningRates: [0.1, 0.05], hidden: [16, 32], replicas: 2 }
    })
    // The real dataset (200 configurations of 8×8), not the one the form checked against.
    expect(sent.files).toHaveLength(1)
    const packed = fromBundleJson(sent.files[0].text) as { shape: number[]; samples: Int8Array }
    expect(packed.shape).toEqual([200, 8, 8])
    expect(packed.samples).toHaveLength(200 * 64)
  })
})

describe('Merge results… of a training bundle', () => {
  it('adds the finished trainings to the tree with their networks, once', async () => {
    const project = await openProject()
    const cluster = useClusterStore()
    const split = splitItem(clusterKindsProject(), 'train1', { grid: { hidden: [4, 8] } })
    if ('error' in split) throw new Error(split.error)
    const layer = (nh: number) => ({ nv: 64, nh, visibleUnits: '01', hiddenUnits: '01' })
    const unit = (k: number, nh: number) => ({
      unit: k,
      stream: split.tasks[k]!.units[0]!.stream,
      seconds: 1,
      result: {
        dbn: {
          layers: [{ ...layer(nh), W: new Float32Array(64 * nh), a: new Float32Array(64), b: new Float32Array(nh) }],
          passUp: 'probabilities'
        },
        history: [],
        arithmetic: []
      }
    })
    const results = {
      manifest: split.manifest,
      tasks: split.tasks,
      notes: ['Task 1 (learning rate 0.1, 8 hidden) has no result yet.']
    }
    await cluster.mergeResults({ ...results, units: [unit(0, 4)] } as unknown as BundleResults)
    await flushPromises()
    const id = (split.tasks[0]!.units[0]!.spec as { id: string }).id
    const made = project.project.trainings!.find((t) => t.id === id)
    expect(made).toMatchObject({ status: 'done', layers: [{ nh: 4 }] })
    expect(useTrainingsStore().networkOf(id)?.layers[0]!.nh).toBe(4)
    expect(cluster.report).toMatchObject({ summary: 'Merged 1 of 2 units of “64→16” as trainings.', itemId: id })
    expect(project.selectedId).toBe(id)
    const saved = await project.buildDoc()
    expect(Object.keys(saved.arrays).filter((a) => a.startsWith(id))).not.toEqual([])

    const revision = project.revision
    await cluster.mergeResults({ ...results, units: [unit(0, 4)] } as unknown as BundleResults)
    await flushPromises()
    expect(project.revision).toBe(revision)
    expect(cluster.report?.title).toBe('Already merged')
    await cluster.mergeResults({ ...results, notes: [], units: [unit(0, 4), unit(1, 8)] } as unknown as BundleResults)
    await flushPromises()
    expect(project.project.trainings!.filter((t) => t.id.startsWith('train1-cluster'))).toHaveLength(2)
  })
})
