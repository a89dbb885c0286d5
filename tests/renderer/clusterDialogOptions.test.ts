import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { splitItem } from '@shared/cluster/split'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterDialog from '../../src-renderer/src/components/ClusterDialog.vue'
import { useClusterStore } from '../../src-renderer/src/stores/cluster'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { setupProject } from './projectHelpers'

// Run on a cluster…'s starting values: the bundle's seed and a sweep's warm start (the CLI's --seed
// and --no-warm-start), and on the desktop the folder the bundle goes in.
let fake: FakeApi
const exportCall = vi.fn()
beforeEach(() => {
  fake = installFakeApp()
  exportCall.mockReset()
  exportCall.mockResolvedValue({ ok: false, error: 'not written here' })
  Object.assign(fake.raw, { 'cluster.export': exportCall })
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

async function open(itemId: string, info = {}, path = 'k.blockspin') {
  const { project } = await setupProject(fake, info)
  fake.replies.open = { status: 'opened', path, name: 'k', doc: clusterKindsProject() }
  await project.openPath(path)
  await flushPromises()
  return mount(ClusterDialog, { props: { itemId }, attachTo: document.body })
}
const raw = () => fake.raw as unknown as Record<string, unknown>
type W = Awaited<ReturnType<typeof open>>
const error = (w: W) => w.find('[data-testid="cluster-error"]')
async function write(w: W) {
  await w.find('form').trigger('submit')
  await flushPromises()
  return exportCall.mock.calls.at(-1)![0]
}

describe('Run on a cluster…: seed and warm start', () => {
  it('starts at the item’s own seed with warm start on, as the CLI does, and writes the bundle the CLI would', async () => {
    const w = await open('sweep1')
    expect((w.find('[data-testid="cluster-seed"]').element as HTMLInputElement).value).toBe('7')
    expect((w.find('[data-testid="cluster-warm-start"]').element as HTMLInputElement).checked).toBe(true)
    const sent = await write(w)
    const cli = splitItem(clusterKindsProject(), 'sweep1')
    if ('error' in cli) throw new Error(cli.error)
    expect(sent.manifest).toMatchObject({ seed: 7, warmStart: true, id: cli.manifest.id })
  })

  it('takes another seed and no warm start, each task then as the CLI’s --seed 42 --no-warm-start makes it', async () => {
    const w = await open('sweep1')
    await w.find('[data-testid="cluster-seed"]').setValue('42')
    await w.find('[data-testid="cluster-warm-start"]').setValue(false)
    const sent = await write(w)
    const cli = splitItem(clusterKindsProject(), 'sweep1', { seed: 42, warmStart: false })
    if ('error' in cli) throw new Error(cli.error)
    expect(sent.manifest).toMatchObject({ seed: 42, warmStart: false, id: cli.manifest.id })
    expect(sent.tasks).toEqual(cli.tasks)
    // Emptied, the seed is the item's own again.
    await w.find('[data-testid="cluster-seed"]').setValue('')
    expect((await write(w)).manifest.seed).toBe(7)
  })

  it('says what is wrong with a seed in a sentence, and writes nothing', async () => {
    const w = await open('sweep1')
    for (const bad of ['seven', '1.5', '12345678901234567890']) {
      await w.find('[data-testid="cluster-seed"]').setValue(bad)
      expect(error(w).text()).toBe(`Seed takes a whole number (up to 16 digits), not "${bad.slice(0, 20)}".`)
    }
    // Without a bundle to describe, the lead still reads as sentences.
    expect(w.find('[data-testid="cluster-summary"]').text()).toMatch(/^A Slurm job array of “Sweep”\. Each task runs/)
    await w.find('form').trigger('submit')
    await flushPromises()
    expect(exportCall).not.toHaveBeenCalled()
  })

  it('has no warm start for other kinds, and a training’s seed in its own range', async () => {
    const w = await open('train1')
    expect(w.find('[data-testid="cluster-warm-start"]').exists()).toBe(false)
    expect((w.find('[data-testid="cluster-seed"]').element as HTMLInputElement).value).toBe('3')
    await w.find('[data-testid="cluster-seed"]').setValue('-1')
    expect(error(w).text()).toBe('A training’s seed is a whole number from 0 to 4294967295, not -1.')
    await w.find('[data-testid="cluster-seed"]').setValue('9')
    expect((await write(w)).manifest.seed).toBe(9)
    const m = await open('mcrg1')
    expect((m.find('[data-testid="cluster-seed"]').element as HTMLInputElement).value).toBe('5')
    expect(m.find('[data-testid="cluster-warm-start"]').exists()).toBe(false)
  })
})

describe('Run on a cluster… on the desktop', () => {
  const desktop = { host: 'electron', nativeDialogs: true, projectsRoot: null }

  it('starts in the folder the services suggest for the open project, and writes there unless another is chosen', async () => {
    const suggest = vi.fn().mockResolvedValue({ path: '/home/u/fss' })
    raw()['cluster.defaultFolder'] = suggest
    const w = await open('sweep1', desktop, '/home/u/fss/k.blockspin')
    await flushPromises()
    expect(suggest).toHaveBeenCalledWith({ projectPath: '/home/u/fss/k.blockspin' })
    expect(w.find('[data-testid="cluster-parent"]').text()).toBe('/home/u/fss')
    expect((await write(w)).parent).toBe('/home/u/fss')
    raw()['cluster.chooseFolder'] = vi.fn().mockResolvedValue({ path: '/scratch/bundles' })
    await w.find('[data-testid="cluster-choose"]').trigger('click')
    await flushPromises()
    expect((await write(w)).parent).toBe('/scratch/bundles')
  })

  it('asks to choose a folder when the services suggest none', async () => {
    raw()['cluster.defaultFolder'] = vi.fn().mockResolvedValue({ error: 'There is no folder to suggest: choose one.' })
    const w = await open('sweep1', desktop, '/home/u/fss/k.blockspin')
    await flushPromises()
    expect(w.find('[data-testid="cluster-parent"]').text()).toBe('Not chosen yet')
    await w.find('form').trigger('submit')
    expect(error(w).text()).toBe('Choose the folder the bundle is written in.')
  })
})

describe('the array’s state after Submit', () => {
  it('is a table of states with the failed tasks’ causes, and Merge results merges this bundle without asking for its folder', async () => {
    const w = await open('sweep1')
    const cli = splitItem(clusterKindsProject(), 'sweep1')
    if ('error' in cli) throw new Error(cli.error)
    exportCall.mockResolvedValue({
      ok: true,
      dir: 'b',
      fullPath: '/p/b',
      manifest: cli.manifest,
      slurm: { available: true }
    })
    await write(w)
    const read = vi.fn().mockResolvedValue({ ok: false, error: 'b/results: nothing readable.' })
    Object.assign(raw(), {
      'cluster.submit': vi.fn().mockResolvedValue({ ok: true, message: 'Submitted b as job 9.', jobId: '9' }),
      'cluster.status': vi.fn().mockResolvedValue({
        ok: true,
        state: {
          counts: [
            { state: 'done', count: 4, tasks: '0-3' },
            { state: 'pending', count: 1, tasks: '4' },
            { state: 'failed', count: 1, tasks: '5' }
          ],
          failed: [{ index: 5, detail: 'Slurm TIMEOUT, exit 0:15, no result' }],
          notes: [],
          jobId: '9',
          results: 4,
          tasks: 6,
          complete: false,
          settled: false
        }
      }),
      'cluster.read': read
    })
    await w.find('[data-testid="cluster-submit"]').trigger('click')
    await flushPromises()
    const rows = w
      .findAll('[data-testid="cluster-state-table"] tbody tr')
      .map((r) => r.findAll('td').map((td) => td.text()))
    expect(rows).toEqual([
      ['Done', '4', '0-3'],
      ['Queued', '1', '4'],
      ['Failed', '1', '5']
    ])
    expect(w.find('[data-testid="cluster-failed"]').text()).toBe('Task 5: Slurm TIMEOUT, exit 0:15, no result')
    await w.find('[data-testid="cluster-merge-now"]').trigger('click')
    await flushPromises()
    expect(read).toHaveBeenCalledWith({ dir: 'b' })
    expect(useClusterStore().report?.summary).toBe('b/results: nothing readable.')
  })
})
