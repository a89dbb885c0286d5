import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { splitItem } from '@shared/cluster/split'
import type { AnalysisV2 } from '@shared/project/types'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterReport from '../../src-renderer/src/components/ClusterReport.vue'
import type { BundleResults } from '../../src-renderer/src/logic/clusterMerge'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import McrgView from '../../src-renderer/src/views/McrgView.vue'
import { clusterKindsProject, mcrgChainUnit } from '../shared/clusterKindsFixtures'
import { setupProject } from './projectHelpers'

// Merge results… of an MCRG bundle: its chains pooled into one MCRG analysis, in the tree and in its view.
let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

/** One chain's per-level co-moments, as a task's result holds them. */
const chain = (unit: number, stream: unknown, shift: number) => mcrgChainUnit(unit, stream, shift, 20)

describe('Merge results… of an MCRG bundle', () => {
  it('adds one MCRG analysis, opened in its view with its levels and errors over the chains, and reports it', async () => {
    const { project } = await setupProject(fake)
    fake.replies.open = { status: 'opened', path: 'k.blockspin', name: 'k', doc: clusterKindsProject({ count: 60 }) }
    await project.openPath('k.blockspin')
    await flushPromises()
    const split = splitItem(clusterKindsProject({ count: 60 }), 'mcrg1', { shards: 3 })
    if ('error' in split) throw new Error(split.error)
    const report = mount(ClusterReport, { attachTo: document.body })
    const units = split.tasks.slice(0, 2).map((t, k) => chain(t.units[0]!.unit, t.units[0]!.stream, k))
    const notes = ['Task 2 (chain 3 of 3 (20 samples)) has no result yet.']
    await useClusterStore().mergeResults({
      manifest: split.manifest,
      tasks: split.tasks,
      units,
      notes
    } as BundleResults)
    await flushPromises()

    const merged = project.project.analyses.filter((a) => a.id === 'mcrg1-cluster1')
    expect(merged).toHaveLength(1)
    expect(merged[0]).toMatchObject({ kind: 'rg.mcrg', name: 'MCRG at Kc (cluster)', result: { samples: 40 } })
    expect(project.selectedId).toBe('mcrg1-cluster1')
    expect(project.dirty).toBe(true)
    expect(report.find('[data-testid="cluster-report-summary"]').text()).toBe(
      'Merged 2 of 3 units of “MCRG at Kc” as “MCRG at Kc (cluster)”.'
    )
    expect(report.find('[data-testid="cluster-report-notes"]').text()).toBe(notes[0])

    const view = mount(McrgView, { props: { analysis: merged[0] as AnalysisV2 }, attachTo: document.body })
    const rows = view.findAll('[data-testid="mcrg-table"] tbody tr')
    expect(rows.map((r) => r.find('td').text())).toEqual(['0 → 1', '1 → 2'])
    expect(view.text()).toContain('16×16 torus')
    expect(view.text()).toContain(
      'Errors: jackknife over the 2 independent chains run on a cluster, each left out in turn.'
    )
  })
})
