import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { splitItem } from '@shared/cluster/split'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ClusterDialog from '../../src-renderer/src/components/ClusterDialog.vue'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { setupProject } from './projectHelpers'

// The bundle's seed and a sweep's warm start in Run on a cluster…, as the CLI's --seed and --no-warm-start.
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

async function open(itemId: string) {
  const { project } = await setupProject(fake)
  fake.replies.open = { status: 'opened', path: 'k.blockspin', name: 'k', doc: clusterKindsProject() }
  await project.openPath('k.blockspin')
  await flushPromises()
  return mount(ClusterDialog, { props: { itemId }, attachTo: document.body })
}
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
