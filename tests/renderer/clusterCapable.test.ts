import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { splitItem } from '@shared/cluster/split'
import type { ProjectDoc } from '@shared/project/types'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterActions from '../../src-renderer/src/components/ClusterActions.vue'
import { clusterCapable } from '../../src-renderer/src/logic/clusterForm'
import { useModelsStore } from '../../src-renderer/src/stores/models'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { setupProject } from './projectHelpers'

// Whether the inspector offers Run on a cluster…: the split's answer, asked of the records alone.

/** clusterKindsProject with items the split refuses, each for its own reason. */
function variedProject(): ProjectDoc {
  const doc = clusterKindsProject()
  const p = doc.project
  const data1 = p.datasets[0]!
  const analysis = (id: string, kind: string, spec: Record<string, unknown>) => ({
    ...p.analyses[0]!,
    id,
    kind,
    spec
  })
  p.analyses.push(
    analysis('badSweep', 'sweep', { ...p.analyses[0]!.spec, Ls: [] }),
    analysis('tinyMcrg', 'rg.mcrg', { ...p.analyses.find((a) => a.id === 'mcrg1')!.spec, count: 4 }),
    analysis('flow1', 'rg.flow', {})
  )
  p.datasets.push(
    { ...data1, id: 'few', samples: 30 },
    { ...data1, id: 'orphan', modelId: 'gone' },
    { ...data1, id: 'bare', arrays: {} }
  )
  p.trainings!.push(
    { ...p.trainings![0]!, id: 'trainBare', datasetId: 'bare' },
    { ...p.trainings![0]!, id: 'trainGone', datasetId: 'nowhere' }
  )
  return doc
}

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

describe('clusterCapable', () => {
  it('agrees with the split on every item, without splitting datasets and trainings', () => {
    const doc = variedProject()
    const p = doc.project
    const ids = [...p.analyses, ...p.datasets, ...p.trainings!, ...p.models].map((x) => x.id)
    const answers = Object.fromEntries(ids.map((id) => [id, clusterCapable(p, id, (a) => a in doc.arrays)]))
    expect(answers).toEqual(Object.fromEntries(ids.map((id) => [id, !('error' in splitItem(doc, id))])))
    expect(ids.filter((id) => answers[id])).toEqual(['sweep1', 'mcrg1', 'data1', 'bare', 'train1'])
  })
})

describe('the inspector’s On a cluster section', () => {
  it('asks of a dataset and a training without rebuilding the models or packing the samples', async () => {
    const { project } = await setupProject(fake)
    fake.replies.open = { status: 'opened', path: 'k.blockspin', name: 'k', doc: clusterKindsProject() }
    await project.openPath('k.blockspin')
    await flushPromises()
    const collect = vi.spyOn(useModelsStore(), 'collect')
    const w = mount(ClusterActions)
    for (const id of ['data1', 'train1', 'sweep1', 'mcrg1']) {
      project.openTab(id)
      project.touch()
      await flushPromises()
      expect(w.find('[data-testid="run-on-cluster"]').exists(), id).toBe(true)
    }
    expect(collect).not.toHaveBeenCalled()
  })
})
