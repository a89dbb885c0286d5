import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import type { SweepPoint } from '@core/jobs/isingSweep'
import type { ClusterExportOutcome, ClusterReadOutcome } from '@shared/clusterContract'
import { splitItem } from '@shared/cluster/split'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterDialog from '../../src-renderer/src/components/ClusterDialog.vue'
import ClusterActions from '../../src-renderer/src/components/ClusterActions.vue'
import ClusterReport from '../../src-renderer/src/components/ClusterReport.vue'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { useModelsStore } from '../../src-renderer/src/stores/models'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import { clusterProject } from '../shared/clusterFixtures'
import { setupProject } from './projectHelpers'

let fake: FakeApi
const api = () => fake.raw as unknown as Record<string, ReturnType<typeof vi.fn>>

beforeEach(() => {
  fake = installFakeApp()
  Object.assign(fake.raw, {
    'cluster.export': vi.fn(),
    'cluster.read': vi.fn(),
    'cluster.submit': vi.fn(),
    'cluster.status': vi.fn(),
    'cluster.chooseFolder': vi.fn(),
    'cluster.defaultFolder': vi.fn().mockResolvedValue({ error: 'There is no folder to suggest: choose one.' })
  })
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

/** The project of the CLI's cluster tests (a 2 L × 3 K sweep, a dataset of 400 samples, an RG-free model), open. */
async function openClusterProject(info = {}) {
  const { project } = await setupProject(fake, info)
  fake.replies.open = { status: 'opened', path: 'runs/p.blockspin', name: 'p', doc: clusterProject() }
  await project.openPath('runs/p.blockspin')
  await flushPromises()
  return project
}

const written = (slurm: { available: true } | { available: false; reason: string }): ClusterExportOutcome => {
  const split = splitItem(clusterProject(), 'sweep1')
  if ('error' in split) throw new Error(split.error)
  return {
    ok: true,
    dir: 'runs/sweep1-bundle',
    fullPath: '/home/u/projects/runs/sweep1-bundle',
    manifest: split.manifest,
    slurm
  }
}

function dialog(itemId = 'sweep1') {
  return mount(ClusterDialog, { props: { itemId }, attachTo: document.body })
}
const error = (w: ReturnType<typeof dialog>) => w.find('[data-testid="cluster-error"]')

describe('Run on a cluster…', () => {
  it('says what the bundle will be, and checks each field with the CLI’s sentences as it is typed', async () => {
    await openClusterProject()
    const w = dialog()
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain('6 array tasks, one unit each: 6 sweep points.')
    expect(error(w).exists()).toBe(false)
    expect(w.find('[data-testid="cluster-shards"]').exists()).toBe(false)
    await w.find('[data-testid="cluster-time"]').setValue('soon')
    expect(error(w).text()).toBe('Time per task takes a Slurm time such as 90, 01:30:00 or 2-00:00:00, not "soon".')
    await w.find('[data-testid="cluster-time"]').setValue('02:00:00')
    await w.find('[data-testid="cluster-mem"]').setValue('lots')
    expect(error(w).text()).toBe('Memory per task takes a size such as 2G or 500M, not "lots".')
    await w.find('[data-testid="cluster-mem"]').setValue('4G')
    await w.find('[data-testid="cluster-partition"]').setValue('short; reboot')
    expect(error(w).text()).toMatch(/^Partition takes a partition's name/)
    await w.find('[data-testid="cluster-partition"]').setValue('short')
    await w.find('[data-testid="cluster-cpus"]').setValue('0')
    expect(error(w).text()).toBe('CPUs per task takes a whole number from 1 to 1024, not 0.')
    await w.find('[data-testid="cluster-cpus"]').setValue('2')
    await w.find('[data-testid="cluster-per-task"]').setValue('4')
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain(
      '2 array tasks, up to 4 units each: 6 sweep points.'
    )
    await w.find('[data-testid="cluster-per-task"]').setValue('0')
    expect(error(w).text()).toMatch(/^Units per task must be a whole number from 1 to/)
    await w.find('[data-testid="cluster-per-task"]').setValue('3')
    await w.find('[data-testid="cluster-name"]').setValue('../elsewhere')
    expect(error(w).text()).toContain('The bundle folder’s name takes letters, digits')
    await w.find('form').trigger('submit')
    expect(api()['cluster.export']).not.toHaveBeenCalled()
  })

  it('offers shards for a dataset and names how many its samples allow', async () => {
    await openClusterProject()
    const w = dialog('data1')
    expect(w.find('[data-testid="cluster-summary"]').text()).toContain(
      '8 array tasks, one unit each: 8 shards of samples.'
    )
    await w.find('[data-testid="cluster-shards"]').setValue('20')
    expect(error(w).text()).toBe('400 samples make 1 to 10 shards (each needs 40 samples), not 20.')
  })

  it('writes the bundle through the services into the project’s folder, then says where it is and what to run', async () => {
    await openClusterProject()
    const w = dialog()
    expect(w.find('[data-testid="cluster-parent"]').text()).toBe('projects/runs')
    api()['cluster.export'].mockResolvedValue(
      written({
        available: false,
        reason: 'sbatch is not on the machine serving this page’s PATH: copy the folder to the cluster.'
      })
    )
    await w.find('[data-testid="cluster-per-task"]').setValue('2')
    await w.find('[data-testid="cluster-partition"]').setValue('short')
    await w.find('form').trigger('submit')
    await flushPromises()
    const call = api()['cluster.export'].mock.calls[0]![0]
    expect(call).toMatchObject({
      parent: 'runs',
      name: 'sweep1-bundle',
      slurm: { time: '01:00:00', mem: '2G', cpus: 1, partition: 'short' },
      manifest: { kind: 'sweep', tasks: 3, units: 6, item: { id: 'sweep1' } }
    })
    expect(call.tasks).toHaveLength(3)
    expect(w.find('[data-testid="cluster-written-path"]').text()).toBe('/home/u/projects/runs/sweep1-bundle')
    expect(w.find('[data-testid="cluster-command"]').text()).toBe('sbatch blockspin-array.sbatch')
    expect(w.find('[data-testid="cluster-no-submit"]').text()).toContain(
      'sbatch is not on the machine serving this page'
    )
    expect(w.find('[data-testid="cluster-submit"]').exists()).toBe(false)
    expect(w.find('[data-testid="cluster-start"]').text()).toBe('Done')
    expect(w.findAll('button').map((b) => b.text())).not.toContain('Cancel')
  })

  it('keeps the form with the services’ sentence when the bundle could not be written', async () => {
    await openClusterProject()
    const w = dialog()
    api()['cluster.export'].mockResolvedValue({
      ok: false,
      error: 'runs/sweep1-bundle holds another bundle; it was left alone (choose another folder).'
    })
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(error(w).text()).toContain('holds another bundle')
    expect(w.find('[data-testid="cluster-time"]').exists()).toBe(true)
  })

  it('fills in the free folder name the services suggest beside a folder holding another bundle', async () => {
    await openClusterProject()
    const w = dialog()
    api()['cluster.export'].mockResolvedValueOnce({
      ok: false,
      error:
        'runs/sweep1-bundle holds another bundle, left alone: write it as sweep1-bundle-2, or choose another name or folder.',
      suggestedName: 'sweep1-bundle-2'
    })
    await w.find('form').trigger('submit')
    await flushPromises()
    expect((w.find('[data-testid="cluster-name"]').element as HTMLInputElement).value).toBe('sweep1-bundle-2')
    expect(error(w).text()).toContain('write it as sweep1-bundle-2')
  })

  it('on the desktop, asks for a folder from the system’s dialog before writing', async () => {
    await openClusterProject({ host: 'electron', nativeDialogs: true, projectsRoot: null })
    const w = dialog()
    expect(w.find('[data-testid="cluster-parent"]').text()).toBe('Not chosen yet')
    await w.find('form').trigger('submit')
    expect(error(w).text()).toBe('Choose the folder the bundle is written in.')
    api()['cluster.chooseFolder'].mockResolvedValue({ path: '/home/u/bundles' })
    await w.find('[data-testid="cluster-choose"]').trigger('click')
    await flushPromises()
    expect(w.find('[data-testid="cluster-parent"]').text()).toBe('/home/u/bundles')
    api()['cluster.export'].mockResolvedValue(written({ available: true }))
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(api()['cluster.export'].mock.calls[0]![0]).toMatchObject({ parent: '/home/u/bundles' })
    expect(w.find('[data-testid="cluster-written"]').exists()).toBe(true)
  })

  it('where sbatch is on PATH, submits once and shows the array’s state, asked again on Refresh', async () => {
    vi.useFakeTimers()
    try {
      await openClusterProject()
      const w = dialog()
      api()['cluster.export'].mockResolvedValue(written({ available: true }))
      await w.find('form').trigger('submit')
      await flushPromises()
      api()['cluster.submit'].mockResolvedValue({
        ok: true,
        message: 'Submitted runs/sweep1-bundle as job 42 (6 tasks).',
        jobId: '42'
      })
      const state = {
        counts: [{ state: 'pending', count: 6, tasks: '0-5' }],
        failed: [],
        notes: [],
        jobId: '42',
        results: 0,
        tasks: 6,
        complete: false,
        settled: false
      }
      api()['cluster.status'].mockResolvedValue({ ok: true, state })
      await w.find('[data-testid="cluster-submit"]').trigger('click')
      await flushPromises()
      expect(api()['cluster.submit']).toHaveBeenCalledWith({ dir: 'runs/sweep1-bundle' })
      expect(w.find('[data-testid="cluster-submit-message"]').text()).toContain('job 42')
      expect(w.findAll('[data-testid="cluster-state-table"] tbody td').map((td) => td.text())).toEqual([
        'Queued',
        '6',
        '0-5'
      ])
      expect(w.find('[data-testid="cluster-state"]').text()).toContain('0 of 6 tasks done')
      expect(w.find('[data-testid="cluster-submit"]').attributes('disabled')).toBeDefined()
      api()['cluster.status'].mockResolvedValue({
        ok: true,
        state: {
          ...state,
          counts: [{ state: 'done', count: 6, tasks: '0-5' }],
          results: 6,
          complete: true,
          settled: true
        }
      })
      await vi.advanceTimersByTimeAsync(20_000)
      expect(api()['cluster.status']).toHaveBeenCalledTimes(2)
      expect(w.find('[data-testid="cluster-state"]').text()).toContain('merge the results now')
      await vi.advanceTimersByTimeAsync(60_000)
      expect(api()['cluster.status']).toHaveBeenCalledTimes(2)
      await w.find('[data-testid="cluster-refresh"]').trigger('click')
      await flushPromises()
      expect(api()['cluster.status']).toHaveBeenCalledTimes(3)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('the inspector’s On a cluster section', () => {
  it('is there for the items the split accepts, and not for others', async () => {
    const project = await openClusterProject()
    const w = mount(ClusterActions)
    for (const [id, shown] of [
      ['sweep1', true],
      ['data1', true],
      ['m1', false]
    ] as const) {
      project.openTab(id)
      await flushPromises()
      expect(w.find('[data-testid="run-on-cluster"]').exists(), id).toBe(shown)
    }
    // A model (painted in its tab) is never rebuilt to ask.
    const collect = vi.spyOn(useModelsStore(), 'collect')
    project.openTab('m1')
    project.touch()
    await flushPromises()
    expect(collect).not.toHaveBeenCalled()
    project.openTab('sweep1')
    await flushPromises()
    await w.find('[data-testid="run-on-cluster"]').trigger('click')
    expect(useClusterStore().exportItem).toBe('sweep1')
  })
})

/** A finished sweep point, as a task's result holds it. */
function point(L: number, K: number): SweepPoint {
  const est = (value: number) => ({ value, error: 0.01 })
  return {
    L,
    K,
    e: est(-1.2),
    c: est(0.5),
    m: est(0),
    absM: est(0.6),
    m2: est(0.4),
    chi: est(3),
    chiAbs: est(1),
    u4: est(0.6),
    tauE: 1,
    tauAbsM: 1,
    equilibrated: true,
    acceptance: 1
  } as SweepPoint
}

function readReply(done: number[]): ClusterReadOutcome {
  // bundle.json as the bundle's folder holds it: made once, read as often as merged.
  const split = splitItem(clusterProject(), 'sweep1', { now: new Date('2026-01-02T03:04:05Z') })
  if ('error' in split) throw new Error(split.error)
  const units = split.tasks
    .filter((t) => done.includes(t.index))
    .flatMap((t) =>
      t.units.map((u) => {
        const s = u.spec as { Ls: number[]; Ks: number[] }
        return { unit: u.unit, stream: u.stream, seconds: 1, result: { points: [point(s.Ls[0]!, s.Ks[0]!)] } }
      })
    )
  const notes = split.tasks
    .filter((t) => !done.includes(t.index))
    .map((t) => `Task ${t.index} (${t.units[0]!.label}) has no result yet.`)
  return { ok: true, dir: 'runs/b', manifest: split.manifest, tasks: split.tasks, units, notes } as ClusterReadOutcome
}

describe('Merge results…', () => {
  it('merges what is done into the open project, reports each missing task, and changes nothing the second time', async () => {
    const project = await openClusterProject()
    const cluster = useClusterStore()
    const ui = useUiStore()
    const report = mount(ClusterReport, { attachTo: document.body })
    api()['cluster.read'].mockResolvedValue(readReply([0, 2, 3]))
    const merging = cluster.mergeFromFolder()
    await flushPromises()
    expect(ui.pickState).toMatchObject({ mode: 'folder', title: 'Bundle folder to merge' })
    ui.answerPick('runs/b')
    await merging
    await flushPromises()
    expect(api()['cluster.read']).toHaveBeenCalledWith({ dir: 'runs/b' })
    const merged = project.project.analyses.find((a) => a.id === 'sweep1-cluster1')
    expect((merged?.result as { points: SweepPoint[] }).points.map((p) => [p.L, p.K])).toEqual([
      [4, 0.3],
      [4, 0.5],
      [6, 0.3]
    ])
    expect(project.dirty).toBe(true)
    expect(project.selectedId).toBe('sweep1-cluster1')
    expect(report.find('[data-testid="cluster-report-summary"]').text()).toBe(
      'Merged 3 of 6 units of “Sweep” as “Sweep (cluster)”.'
    )
    expect(report.findAll('[data-testid="cluster-report-notes"] li').map((li) => li.text())).toEqual([
      'Task 1 (L = 4, K = 0.4) has no result yet.',
      'Task 4 (L = 6, K = 0.4) has no result yet.',
      'Task 5 (L = 6, K = 0.5) has no result yet.'
    ])
    await report.find('form').trigger('submit')
    expect(cluster.report).toBeNull()

    await flushPromises()
    const revision = project.revision
    const before = JSON.stringify(project.project.analyses)
    await cluster.mergeResults(readReply([0, 2, 3]) as Extract<ClusterReadOutcome, { ok: true }>)
    await flushPromises()
    expect(project.revision).toBe(revision)
    expect(JSON.stringify(project.project.analyses)).toBe(before)
    expect(cluster.report?.summary).toBe(
      'The project already holds 3 of 6 units of “Sweep” as “Sweep (cluster)”; nothing changed.'
    )

    // More tasks done: the record is replaced by the fuller one, still once in the tree.
    await cluster.mergeResults(readReply([0, 1, 2, 3, 4, 5]) as Extract<ClusterReadOutcome, { ok: true }>)
    await flushPromises()
    const all = project.project.analyses.filter((a) => a.id === 'sweep1-cluster1')
    expect(all).toHaveLength(1)
    expect((all[0]!.result as { points: SweepPoint[] }).points).toHaveLength(6)
    expect(cluster.report?.notes).toEqual([])
  })

  it('answers File → Merge Cluster Results… of the desktop menu with the system’s folder dialog', async () => {
    await openClusterProject({ host: 'electron', nativeDialogs: true, projectsRoot: null })
    const cluster = useClusterStore()
    api()['cluster.chooseFolder'].mockResolvedValue({ path: '/home/u/b' })
    api()['cluster.read'].mockResolvedValue(readReply([0]))
    fake.emit('menu', { command: 'mergeResults' })
    await flushPromises()
    expect(api()['cluster.chooseFolder']).toHaveBeenCalledWith({ purpose: 'merge' })
    expect(api()['cluster.read']).toHaveBeenCalledWith({ dir: '/home/u/b' })
    expect(cluster.report?.summary).toBe('Merged 1 of 6 units of “Sweep” as “Sweep (cluster)”.')
  })

  it('shows the services’ sentence for a folder that is not a sound bundle, and changes nothing', async () => {
    const project = await openClusterProject()
    const cluster = useClusterStore()
    const revision = project.revision
    api()['cluster.read'].mockResolvedValue({ ok: false, error: 'runs/x/bundle.json: it does not exist.' })
    const merging = cluster.mergeFromFolder()
    await flushPromises()
    useUiStore().answerPick('runs/x')
    await merging
    expect(cluster.report).toEqual({
      title: 'Nothing merged',
      summary: 'runs/x/bundle.json: it does not exist.',
      notes: [],
      itemId: null
    })
    expect(project.revision).toBe(revision)
  })
})
