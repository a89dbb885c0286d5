import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { flushPromises, mount } from '@vue/test-utils'
import { setApi } from '../../src-renderer/src/api'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import JobsStrip from '../../src-renderer/src/components/JobsStrip.vue'
import { useJobEvents } from '../../src-renderer/src/composables/useJobEvents'
import type { JobInfo } from '@shared/protocol'

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => setApi(null))

function job(id: string, over: Partial<JobInfo> = {}): JobInfo {
  return {
    id,
    kind: 'ising.chain',
    title: `Job ${id}`,
    interactive: false,
    status: 'running',
    progress: null,
    fraction: null,
    etaSeconds: null,
    rate: null,
    error: null,
    queuedAt: 1,
    startedAt: 1,
    finishedAt: null,
    pid: 100,
    ...over
  }
}

/** Jobs this project started (the strip shows no other window's or project's jobs). */
async function mountWith(list: JobInfo[]) {
  fake.replies.jobs = list
  const jobs = useJobsStore()
  await jobs.init()
  for (const j of list) jobs.adopt(j.id)
  const wrapper = mount(JobsStrip)
  await flushPromises()
  return { jobs, wrapper }
}
const row = (w: ReturnType<typeof mount>, id: string) => w.get(`[data-testid="job-${id}"]`)
const buttons = (w: ReturnType<typeof mount>, id: string) =>
  row(w, id)
    .findAll('button')
    .map((b) => b.text())

describe('JobsStrip', () => {
  it('says nothing runs when there are no jobs', async () => {
    const { wrapper } = await mountWith([])
    expect(wrapper.text()).toContain('Nothing running.')
    expect(wrapper.findAll('.job')).toHaveLength(0)
  })

  it('shows a running job with its progress bar, percent and ETA', async () => {
    const { wrapper } = await mountWith([
      job('a', {
        title: 'Batch run 2 (128², 10000 sweeps)',
        fraction: 0.25,
        etaSeconds: 125,
        progress: { done: 2500, total: 10000, unit: 'sweeps' }
      })
    ])
    const r = row(wrapper, 'a')
    expect(r.text()).toContain('Batch run 2 (128², 10000 sweeps)')
    expect(r.get('.status').text()).toBe('running')
    const bar = r.get('[role="progressbar"]')
    expect(bar.attributes('aria-valuenow')).toBe('25')
    expect(bar.get('.fill').attributes('style')).toContain('width: 25%')
    expect(r.text()).toContain('25%')
    expect(r.text()).toContain('ETA 2 min 05 s')
    expect(buttons(wrapper, 'a')).toEqual(['Pause', 'Cancel'])
    expect(r.find('[role="alert"]').exists()).toBe(false)
  })

  it('shows one decimal below 10 % and a dash when the ETA is unknown', async () => {
    const { wrapper } = await mountWith([job('a', { fraction: 0.053, etaSeconds: null })])
    expect(row(wrapper, 'a').text()).toContain('5.3%')
    expect(row(wrapper, 'a').text()).toContain('ETA —')
  })

  it('shows the work done when the total is unknown (a live chain)', async () => {
    const { wrapper } = await mountWith([
      job('a', { interactive: true, progress: { done: 3000, total: null, unit: 'sweeps' } })
    ])
    const r = row(wrapper, 'a')
    expect(r.find('[role="progressbar"]').exists()).toBe(false)
    expect(r.text()).toContain('3000 sweeps')
    expect(r.text()).not.toContain('ETA')
  })

  it('a queued job can only be cancelled; a paused one resumed or cancelled', async () => {
    const { wrapper } = await mountWith([
      job('q', { status: 'queued', startedAt: null }),
      job('p', { status: 'paused', fraction: 0.5, etaSeconds: 10, queuedAt: 2 })
    ])
    expect(row(wrapper, 'q').get('.status').text()).toBe('queued')
    expect(buttons(wrapper, 'q')).toEqual(['Cancel'])
    expect(row(wrapper, 'q').find('[role="progressbar"]').exists()).toBe(false)
    expect(buttons(wrapper, 'p')).toEqual(['Resume', 'Cancel'])
    expect(row(wrapper, 'p').text()).toContain('ETA 10 s')
  })

  it('pause, resume and cancel call jobs.control for that job', async () => {
    const { wrapper } = await mountWith([
      job('r', { title: 'R', fraction: 0.1 }),
      job('p', { title: 'P', status: 'paused', queuedAt: 2 }),
      job('q', { title: 'Q', status: 'queued', queuedAt: 3 })
    ])
    await wrapper.get('[aria-label="Pause R"]').trigger('click')
    await wrapper.get('[aria-label="Resume P"]').trigger('click')
    await wrapper.get('[aria-label="Cancel Q"]').trigger('click')
    await wrapper.get('[aria-label="Cancel R"]').trigger('click')
    expect(fake.raw['jobs.control'].mock.calls.map(([a]) => a)).toEqual([
      { jobId: 'r', action: 'pause' },
      { jobId: 'p', action: 'resume' },
      { jobId: 'q', action: 'cancel' },
      { jobId: 'r', action: 'cancel' }
    ])
  })

  it('a failed job shows its sentence and can be dismissed', async () => {
    const { wrapper, jobs } = await mountWith([
      job('f', { title: 'F', status: 'failed', error: 'The job ran out of memory.', finishedAt: 5 })
    ])
    const r = row(wrapper, 'f')
    expect(r.get('.status').text()).toBe('failed')
    expect(r.get('[role="alert"]').text()).toBe('The job ran out of memory.')
    expect(buttons(wrapper, 'f')).toEqual(['×'])
    await wrapper.get('[aria-label="Dismiss F"]').trigger('click')
    await flushPromises()
    expect(fake.raw['jobs.dismiss']).toHaveBeenCalledWith({ jobId: 'f' })
    expect(jobs.jobs.f).toBeUndefined()
    expect(wrapper.find('[data-testid="job-f"]').exists()).toBe(false)
  })

  it('follows jobs.update events: running first, three in the strip, the rest in a popover', async () => {
    const { wrapper, jobs } = await mountWith([])
    for (let i = 1; i <= 5; i++) {
      jobs.adopt(`j${i}`)
      fake.emit('jobs.update', job(`j${i}`, { queuedAt: i }))
    }
    await flushPromises()
    const inStrip = () => wrapper.findAll('.rows .job').map((j) => j.attributes('data-testid'))
    expect(inStrip()).toEqual(['job-j1', 'job-j2', 'job-j3'])
    fake.emit('jobs.update', job('j1', { status: 'done', queuedAt: 1, finishedAt: 11 }))
    await flushPromises()
    expect(inStrip()).toEqual(['job-j2', 'job-j3', 'job-j4'])
    const more = wrapper.get('[data-testid="jobs-more"]')
    expect(more.text()).toContain('2 more')
    expect(wrapper.find('[data-testid="jobs-popover"]').exists()).toBe(false)
    await more.trigger('click')
    const popover = wrapper.get('[data-testid="jobs-popover"]')
    expect(popover.findAll('.job').map((j) => j.attributes('data-testid'))).toEqual(['job-j5', 'job-j1'])
    expect(buttons(wrapper, 'j1')).toEqual(['×'])
    await wrapper.get('[data-testid="jobs-strip"]').trigger('keydown', { key: 'Escape' })
    expect(wrapper.find('[data-testid="jobs-popover"]').exists()).toBe(false)
  })

  it("lists only jobs started in this project, not other windows' or an earlier project's", async () => {
    const { wrapper, jobs } = await mountWith([])
    fake.replies.jobs = [job('other', { title: 'Other window' })]
    await jobs.init()
    fake.emit('jobs.update', job('elsewhere', { title: 'Elsewhere' }))
    const id = await useJobEvents().start(
      { kind: 'ising.chain', title: 'Mine', interactive: false, spec: {} } as never,
      () => null
    )
    fake.emit('jobs.update', job(id, { title: 'Mine' }))
    await flushPromises()
    expect(wrapper.findAll('.job').map((j) => j.get('.title').text())).toEqual(['Mine'])
    jobs.forgetProject()
    await flushPromises()
    expect(wrapper.findAll('.job')).toHaveLength(0)
    expect(wrapper.text()).toContain('Nothing running.')
  })

  it('"Clear finished" dismisses every finished job and keeps the running ones', async () => {
    const { wrapper } = await mountWith([
      job('d', { title: 'D', status: 'done', finishedAt: 2 }),
      job('f', { title: 'F', status: 'failed', error: 'Out of memory.', finishedAt: 3, queuedAt: 2 }),
      job('r', { title: 'R', queuedAt: 3 })
    ])
    await wrapper.get('[data-testid="jobs-clear-finished"]').trigger('click')
    await flushPromises()
    expect(fake.raw['jobs.dismiss'].mock.calls.map(([a]) => a.jobId).sort()).toEqual(['d', 'f'])
    expect(wrapper.findAll('.job').map((j) => j.attributes('data-testid'))).toEqual(['job-r'])
    expect(wrapper.find('[data-testid="jobs-clear-finished"]').exists()).toBe(false)
  })

  it("Tab reaches the strip's actions and every job's controls before any Dismiss button", async () => {
    const { wrapper } = await mountWith([
      job('old', { title: 'Old', status: 'done', queuedAt: 1, finishedAt: 2 }),
      job('new', { title: 'New', queuedAt: 5, fraction: 0.5 })
    ])
    const order = wrapper.findAll('button').map((b) => b.attributes('aria-label') ?? b.text())
    const firstDismiss = order.findIndex((t) => t.startsWith('Dismiss'))
    expect(order.indexOf('Pause New')).toBeLessThan(firstDismiss)
    expect(order.indexOf('Cancel New')).toBeLessThan(firstDismiss)
    expect(order.findIndex((t) => t.startsWith('Clear finished'))).toBeLessThan(firstDismiss)
  })
})

describe('JobsStrip in a narrow window', () => {
  // happy-dom has no layout: each chip is 200 px wide, 12 px apart, in rows `width` px wide.
  const saved = {
    scrollWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'scrollWidth'),
    clientWidth: Object.getOwnPropertyDescriptor(HTMLElement.prototype, 'clientWidth')
  }
  let width = 450
  beforeEach(() => {
    const rows = (el: HTMLElement) => el.dataset.testid === 'jobs-rows'
    Object.defineProperty(HTMLElement.prototype, 'scrollWidth', {
      configurable: true,
      get(this: HTMLElement) {
        const n = this.children.length
        return rows(this) ? Math.max(width, n * 200 + Math.max(0, n - 1) * 12) : 0
      }
    })
    Object.defineProperty(HTMLElement.prototype, 'clientWidth', {
      configurable: true,
      get(this: HTMLElement) {
        return rows(this) ? width : 0
      }
    })
  })
  afterEach(() => {
    for (const [name, d] of Object.entries(saved)) {
      if (d) Object.defineProperty(HTMLElement.prototype, name, d)
      else delete (HTMLElement.prototype as unknown as Record<string, unknown>)[name]
    }
  })

  it('shows only the chips that fit whole and counts the others in "N more"', async () => {
    width = 450
    const { wrapper, jobs } = await mountWith([job('a'), job('b', { queuedAt: 2 }), job('c', { queuedAt: 3 })])
    await flushPromises()
    const inStrip = () => wrapper.findAll('.rows .job').map((j) => j.attributes('data-testid'))
    expect(inStrip()).toEqual(['job-a', 'job-b'])
    expect(wrapper.get('[data-testid="jobs-more"]').text()).toContain('1 more')
    // A job gone: the strip starts again from three and keeps what fits.
    fake.emit('jobs.update', job('a', { status: 'done', queuedAt: 1, finishedAt: 9 }))
    await flushPromises()
    expect(inStrip()).toEqual(['job-b', 'job-c'])
    expect(wrapper.get('[data-testid="jobs-more"]').text()).toContain('1 more')
    jobs.dismiss('a')
    await flushPromises()
    expect(inStrip()).toEqual(['job-b', 'job-c'])
    expect(wrapper.find('[data-testid="jobs-more"]').exists()).toBe(false)
  })

  it('keeps one chip however narrow the strip', async () => {
    width = 120
    const { wrapper } = await mountWith([job('a'), job('b', { queuedAt: 2 })])
    await flushPromises()
    expect(wrapper.findAll('.rows .job')).toHaveLength(1)
    expect(wrapper.get('[data-testid="jobs-more"]').text()).toContain('1 more')
  })
})
