import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import ProjectTree from '../../src-renderer/src/components/ProjectTree.vue'
import type { JobInfo } from '@shared/protocol'
import { closeLiveChains, createFakeApi, makeFrame } from './fakeApi'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(closeLiveChains)

function setup() {
  const project = useProjectStore()
  project.newProject()
  const wrapper = mount(ProjectTree)
  return { project, live: useLiveStore(), ui: useUiStore(), jobs: useJobsStore(), wrapper }
}
const runNames = (w: ReturnType<typeof mount>) => w.findAll('.runs .name').map((n) => n.text())
const badge = (w: ReturnType<typeof mount>, runId: string) => w.get(`[data-testid="run-${runId}"] .badge`)
const ERROR = 'Sweeps must be a whole number from 1 to 100,000,000.'

describe('ProjectTree', () => {
  it('lists the model with its size and its runs', () => {
    const { wrapper } = setup()
    expect(wrapper.get('.model-item').text()).toContain('Square lattice')
    expect(wrapper.get('.model-item').text()).toContain('128²')
    expect(runNames(wrapper)).toEqual(['Live chain 1'])
    expect(badge(wrapper, 'run1').text()).toBe('draft')
  })

  it('+ Live chain adds a run, opens its tab and selects it', async () => {
    const { project, live, wrapper } = setup()
    await wrapper.get('[data-testid="add-live"]').trigger('click')
    expect(runNames(wrapper)).toEqual(['Live chain 1', 'Live chain 2'])
    expect(live.chains.run2).toBeDefined()
    expect(project.tabs).toEqual(['run1', 'run2'])
    expect(project.selectedId).toBe('run2')
    expect(wrapper.get('[data-testid="run-run2"]').classes()).toContain('selected')
    expect(wrapper.get('[data-testid="run-run1"]').classes()).not.toContain('selected')
  })

  it('clicking a run or the model selects it', async () => {
    const { project, wrapper } = setup()
    await wrapper.get('.model-item').trigger('click')
    expect(project.selectedId).toBe('model1')
    expect(wrapper.get('.model-item').classes()).toContain('selected')
    await wrapper.get('[data-testid="run-run1"]').trigger('click')
    expect(project.selectedId).toBe('run1')
  })

  it.each(['abc', '0', '-5', '2.5', '', '100000001'])(
    'refuses %j sweeps for a batch run with a sentence',
    async (text) => {
      const { project, wrapper } = setup()
      await wrapper.get('[data-testid="batch-sweeps"]').setValue(text)
      await wrapper.get('[data-testid="add-batch"]').trigger('click')
      await flushPromises()
      expect(wrapper.get('[role="alert"]').text()).toBe(ERROR)
      expect(fake.raw['jobs.start']).not.toHaveBeenCalled()
      expect(project.project.runs).toHaveLength(1)
    }
  )

  it('starts a batch run with valid sweeps and clears the sentence', async () => {
    const { project, wrapper } = setup()
    await wrapper.get('[data-testid="batch-sweeps"]').setValue('abc')
    await wrapper.get('[data-testid="add-batch"]').trigger('click')
    expect(wrapper.find('[role="alert"]').exists()).toBe(true)
    await wrapper.get('[data-testid="batch-sweeps"]').setValue('250')
    await wrapper.get('[data-testid="add-batch"]').trigger('click')
    await flushPromises()
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    expect(fake.raw['jobs.start'].mock.calls[0]![0]).toMatchObject({
      interactive: false,
      spec: { targetSweeps: 250, maxFps: 0 }
    })
    expect(runNames(wrapper)).toEqual(['Live chain 1', 'Batch run 2'])
    expect(project.project.runs[1]!.spec.targetSweeps).toBe(250)
  })

  it('badges follow the batch job: queued, then running with its percentage', async () => {
    const { jobs, wrapper } = setup()
    await wrapper.get('[data-testid="add-batch"]').trigger('click')
    await flushPromises()
    const info: JobInfo = {
      id: 'job-1',
      kind: 'ising.chain',
      title: 'b',
      interactive: false,
      status: 'queued',
      progress: null,
      fraction: null,
      etaSeconds: null,
      rate: null,
      error: null,
      queuedAt: 1,
      startedAt: null,
      finishedAt: null,
      pid: null
    }
    jobs.jobs = { 'job-1': info }
    await flushPromises()
    expect(badge(wrapper, 'run2').text()).toBe('queued')
    expect(badge(wrapper, 'run2').classes()).toContain('queued')
    jobs.jobs = { 'job-1': { ...info, status: 'running', fraction: 0.427 } }
    await flushPromises()
    expect(badge(wrapper, 'run2').text()).toBe('42%')
    expect(badge(wrapper, 'run2').classes()).toContain('running')
  })

  it('badges follow a live chain: running, then its sweep count once paused and stopped', async () => {
    const { live, wrapper } = setup()
    await live.play('run1')
    await flushPromises()
    expect(badge(wrapper, 'run1').text()).toBe('running')
    fake.emit('jobs.frame', { jobId: 'job-1', frame: makeFrame(128, 40, 40) })
    await live.pause('run1')
    await flushPromises()
    expect(badge(wrapper, 'run1').text()).toBe('paused')
    fake.emit('jobs.result', { jobId: 'job-1', result: null, cancelled: true })
    await flushPromises()
    expect(badge(wrapper, 'run1').text()).toBe('40 sw')
    expect(badge(wrapper, 'run1').classes()).toContain('done')
  })

  it('deleting a run asks first; Cancel keeps it, Delete removes it', async () => {
    const { project, live, ui, wrapper } = setup()
    await wrapper.get('[data-testid="add-live"]').trigger('click')
    await wrapper.get('[aria-label="Delete Live chain 2"]').trigger('click')
    expect(ui.confirmState).toMatchObject({
      title: 'Delete run',
      message: 'Delete “Live chain 2” and its samples from the project?',
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await flushPromises()
    expect(runNames(wrapper)).toEqual(['Live chain 1', 'Live chain 2'])
    await wrapper.get('[aria-label="Delete Live chain 2"]').trigger('click')
    ui.answerConfirm(0)
    await flushPromises()
    expect(runNames(wrapper)).toEqual(['Live chain 1'])
    expect(live.chains.run2).toBeUndefined()
    expect(project.tabs).toEqual(['run1'])
  })
})
