import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { useJobsStore } from '../../src-renderer/src/stores/jobs'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import type { AppInfo } from '@shared/contract'
import type { ChainSpecV1, ProjectJsonV1 } from '@shared/project/types'
import { createFakeApi, makeState } from './fakeApi'
import { savedDoc, setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  setApi(null)
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const setup = (info: Partial<AppInfo> = {}) => setupProject(fake, info)
const DESKTOP: Partial<AppInfo> = { host: 'electron', nativeDialogs: true }
const opened = () => ({
  status: 'opened' as const,
  path: '/p/saved.blockspin',
  name: 'saved.blockspin',
  doc: savedDoc()
})

describe('confirmDiscard', () => {
  it('goes on at once when nothing changed', async () => {
    const { project, ui } = await setup()
    expect(await project.confirmDiscard('closing it')).toBe(true)
    expect(ui.confirmState).toBeNull()
  })

  it('asks Save / Don’t Save / Cancel when dirty; Cancel stays', async () => {
    const { project, ui } = await setup()
    project.touch()
    const asked = project.confirmDiscard('closing it')
    await flushPromises()
    expect(ui.confirmState).toMatchObject({
      title: 'Unsaved changes',
      message: 'Save the changes to “Untitled” before closing it?',
      buttons: ['Save', "Don't Save", 'Cancel'],
      cancelIndex: 2
    })
    ui.answerConfirm(2)
    expect(await asked).toBe(false)
    expect(project.dirty).toBe(true)
    expect(fake.raw['project.save']).not.toHaveBeenCalled()
  })

  it('Don’t Save goes on without saving', async () => {
    const { project, ui } = await setup()
    project.touch()
    const asked = project.confirmDiscard('closing it')
    await flushPromises()
    ui.answerConfirm(1)
    expect(await asked).toBe(true)
    expect(fake.raw['project.save']).not.toHaveBeenCalled()
  })

  it('Save saves first and goes on only once it is saved', async () => {
    const { project, ui } = await setup()
    project.touch()
    const asked = project.confirmDiscard('closing it')
    await flushPromises()
    ui.answerConfirm(0)
    await flushPromises()
    expect(ui.pickState?.mode).toBe('save')
    ui.answerPick('kept.blockspin')
    expect(await asked).toBe(true)
    expect(fake.raw['project.save'].mock.calls[0]![0].path).toBe('kept.blockspin')
    expect(project.dirty).toBe(false)

    // A save that fails (or whose picker is cancelled) does not go on.
    project.touch()
    const again = project.confirmDiscard('closing it')
    await flushPromises()
    fake.replies.save = { status: 'error', path: 'kept.blockspin', error: { tag: 'io', detail: 'read-only' } }
    ui.answerConfirm(0)
    expect(await again).toBe(false)
    expect(project.dirty).toBe(true)
  })
})

describe('menu commands', () => {
  it('new: replaces a dirty project only after Don’t Save', async () => {
    const { project, live, ui } = await setup(DESKTOP)
    project.addLiveRun('model1')
    fake.emit('menu', { command: 'new' })
    await flushPromises()
    expect(ui.confirmState?.message).toBe('Save the changes to “Untitled” before starting a new project?')
    ui.answerConfirm(2)
    await flushPromises()
    expect(project.project.runs).toHaveLength(2)

    fake.emit('menu', { command: 'new' })
    await flushPromises()
    ui.answerConfirm(1)
    await flushPromises()
    expect(project.project.runs.map((r) => r.id)).toEqual(['run1'])
    expect(Object.keys(live.chains)).toEqual(['run1'])
    expect(project.dirty).toBe(false)
  })

  it('open uses the native dialog on the desktop', async () => {
    const { project } = await setup(DESKTOP)
    fake.replies.open = opened()
    fake.emit('menu', { command: 'open' })
    await flushPromises()
    expect(fake.raw['project.openDialog']).toHaveBeenCalledTimes(1)
    expect(project.name).toBe('saved')
  })

  it('save and saveAs', async () => {
    const { project } = await setup(DESKTOP)
    project.touch()
    fake.emit('menu', { command: 'save' })
    await flushPromises()
    expect(fake.raw['project.save'].mock.calls[0]![0]).toMatchObject({ path: null, saveAs: false })
    // Untitled takes the chosen file's name, written into the file by a second save there.
    expect(fake.raw['project.save'].mock.calls[1]![0]).toMatchObject({
      path: '/chosen/by-dialog.blockspin',
      saveAs: false
    })
    expect(fake.raw['project.save'].mock.calls[1]![0].doc.project.name).toBe('by-dialog')
    expect(project.dirty).toBe(false)
    fake.emit('menu', { command: 'saveAs' })
    await flushPromises()
    expect(fake.raw['project.save'].mock.calls[2]![0]).toMatchObject({
      path: '/chosen/by-dialog.blockspin',
      saveAs: true
    })
    expect(fake.raw['project.save']).toHaveBeenCalledTimes(3)
  })

  it('openRecent:<path> opens that path', async () => {
    const { project } = await setup(DESKTOP)
    fake.replies.open = opened()
    fake.emit('menu', { command: 'openRecent:/home/me/a b.blockspin' })
    await flushPromises()
    expect(fake.raw['project.open']).toHaveBeenCalledWith({ path: '/home/me/a b.blockspin' })
    expect(project.path).toBe('/p/saved.blockspin')
  })
})

describe('recovery', () => {
  const ENTRY = {
    id: 'rec1',
    name: 'Lost work',
    originalPath: '/home/me/lost.blockspin',
    savedAt: '2024-05-01T10:00:00.000Z'
  }

  it('restoreRecovery loads the entry as unsaved work at its original path and discards it', async () => {
    fake.replies.recovery = [ENTRY]
    const { project, live } = await setup()
    expect(project.recovery).toEqual([ENTRY])
    fake.replies.recoveryLoad = { status: 'opened', path: null, name: 'Lost work', doc: savedDoc() }
    // The list is asked for before the discard lands, so the services still name the entry.
    await project.restoreRecovery('rec1')
    await flushPromises()
    expect(fake.raw['recovery.load']).toHaveBeenCalledWith({ id: 'rec1' })
    expect(fake.raw['recovery.discard']).toHaveBeenCalledWith({ id: 'rec1' })
    expect(project.recovery).toEqual([])
    expect(project.project.runs.map((r) => r.name)).toEqual(['Saved chain', 'Draft chain'])
    expect(live.chains.run1!.sweep).toBe(5)
    expect(project.path).toBe('/home/me/lost.blockspin')
    expect(project.name).toBe('lost')
    expect(project.dirty).toBe(true)
  })

  it('a recovery entry that cannot be read is reported and kept', async () => {
    fake.replies.recovery = [ENTRY]
    const { project, ui } = await setup()
    fake.replies.recoveryLoad = { status: 'error', path: null, error: { tag: 'missing-project-json' } }
    await project.restoreRecovery('rec1')
    expect(ui.errorMessage).toEqual({
      title: '“Lost work” could not be opened',
      message: 'This is not a Blockspin project: it has no project.json.'
    })
    expect(fake.raw['recovery.discard']).not.toHaveBeenCalled()
    expect(project.recovery).toEqual([ENTRY])
  })

  it('discardRecovery forgets the entry', async () => {
    fake.replies.recovery = [ENTRY]
    const { project } = await setup()
    await project.discardRecovery('rec1')
    expect(fake.raw['recovery.discard']).toHaveBeenCalledWith({ id: 'rec1' })
    expect(project.recovery).toEqual([])
    // A listing that still names it (asked for before the discard landed) does not bring it back.
    fake.replies.open = opened()
    await project.openPath('/p/saved.blockspin')
    await flushPromises()
    expect(fake.raw['recovery.list']).toHaveBeenCalledTimes(2)
    expect(project.recovery).toEqual([])
  })

  it('autosaves every 15 s, only while dirty and only once per change', async () => {
    const { project } = await setup()
    vi.advanceTimersByTime(15_000)
    await flushPromises()
    expect(fake.raw['recovery.save']).not.toHaveBeenCalled()

    project.touch()
    vi.advanceTimersByTime(14_999)
    await flushPromises()
    expect(fake.raw['recovery.save']).not.toHaveBeenCalled()
    vi.advanceTimersByTime(1)
    await flushPromises()
    expect(fake.raw['recovery.save']).toHaveBeenCalledTimes(1)
    const args = fake.raw['recovery.save'].mock.calls[0]![0]
    expect(args.key).toMatch(/^session-/)
    expect(args.name).toBe('Untitled')
    expect(args.originalPath).toBeNull()
    expect((args.doc.project as unknown as ProjectJsonV1).runs.map((r) => r.id)).toEqual(['run1'])

    vi.advanceTimersByTime(15_000)
    await flushPromises()
    expect(fake.raw['recovery.save']).toHaveBeenCalledTimes(1)
    project.touch()
    vi.advanceTimersByTime(15_000)
    await flushPromises()
    expect(fake.raw['recovery.save']).toHaveBeenCalledTimes(2)
  })

  it('this session’s own autosave is never offered as work from an earlier session', async () => {
    const { project } = await setup(DESKTOP)
    project.touch()
    vi.advanceTimersByTime(15_000)
    await flushPromises()
    const key = fake.raw['recovery.save'].mock.calls[0]![0].key
    fake.replies.recovery = [
      { id: key, name: 'Untitled', originalPath: null, savedAt: '2024-05-01T10:00:00.000Z' },
      ENTRY
    ]
    fake.replies.open = opened()
    const opening = project.onMenu('open')
    await flushPromises()
    useUiStore().answerConfirm(1)
    await opening
    await flushPromises()
    expect(project.path).toBe('/p/saved.blockspin')
    expect(project.recovery).toEqual([ENTRY])
  })
})

describe('batch runs', () => {
  async function setupSmall() {
    const s = await setup()
    s.project.project.models[0]!.lattice = { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true }
    return s
  }

  it('addBatchRun starts a non-interactive job with the target sweeps and no frame pacing', async () => {
    const { project } = await setupSmall()
    const runId = await project.addBatchRun('model1', 500)
    expect(runId).toBe('run2')
    const run = project.project.runs.find((r) => r.id === 'run2')!
    expect(run).toMatchObject({ name: 'Batch run 2', status: 'pending', sweep: 0, spec: { L: 8, targetSweeps: 500 } })
    expect(fake.raw['jobs.start']).toHaveBeenCalledTimes(1)
    const args = fake.raw['jobs.start'].mock.calls[0]![0]
    expect(args).toMatchObject({
      kind: 'ising.chain',
      interactive: false,
      title: 'Batch run 2 (8², 500 sweeps)',
      seed: run.spec.seed
    })
    expect(args.spec).toEqual({ ...run.spec, maxFps: 0 })
    expect(args.rngState).toBeUndefined()
    expect(project.batchJobFor('run2')).toBe('job-1')
    expect(project.batchJobFor('run1')).toBeNull()
    expect(project.dirty).toBe(true)
  })

  it('renaming a batch run while its job runs retitles the job', async () => {
    const { project } = await setupSmall()
    await project.addBatchRun('model1', 500)
    const jobs = useJobsStore()
    await jobs.init()
    fake.emit('jobs.update', {
      id: 'job-1',
      kind: 'ising.chain',
      title: 'Batch run 2 (8², 500 sweeps)',
      status: 'running',
      queuedAt: 1
    })
    project.renameRun('run2', 'Hot start')
    expect(jobs.list[0]!.title).toBe('Hot start (8², 500 sweeps)')
    project.renameRun('run1', 'Live') // no job: nothing else changes
    expect(jobs.list.map((j) => j.title)).toEqual(['Hot start (8², 500 sweeps)'])
  })

  it('a jobs.result for the batch job stores the result on the run', async () => {
    const { project, live } = await setupSmall()
    await project.addBatchRun('model1', 500)
    const spec = project.project.runs[1]!.spec
    const state = makeState(8, 500, {
      K: spec.K,
      h: spec.h,
      algorithm: spec.algorithm,
      sweepsPerFrame: spec.sweepsPerFrame
    })
    fake.emit('jobs.result', { jobId: 'job-99', result: makeState(8, 7), cancelled: false })
    expect(project.project.runs[1]!.status).toBe('pending')
    fake.emit('jobs.result', { jobId: 'job-1', result: state, cancelled: false })
    await nextTick()
    expect(project.project.runs[1]).toMatchObject({
      status: 'done',
      sweep: 500,
      arrays: { spins: 'run2.spins', energy: 'run2.energy', absM: 'run2.absM', rngState: 'run2.rng' }
    })
    expect(live.chains.run2!.sweep).toBe(500)
    const doc = await project.buildDoc()
    expect(doc.arrays['run2.energy']?.shape).toEqual([500])
    expect(doc.project.runs[1]).toMatchObject({ status: 'done', sweep: 500 })
  })

  it('opening another project cancels its batch jobs and ignores their late results', async () => {
    const { project } = await setupSmall()
    await project.addBatchRun('model1', 500)
    fake.replies.open = opened()
    const opening = project.openPath('/p/saved.blockspin')
    await flushPromises()
    useUiStore().answerConfirm(1)
    await opening
    expect(fake.raw['jobs.control']).toHaveBeenCalledWith({ jobId: 'job-1', action: 'cancel' })
    // The opened project has its own run2: the old job's result is not theirs.
    fake.emit('jobs.result', { jobId: 'job-1', result: makeState(8, 500), cancelled: true })
    await nextTick()
    expect(project.project.runs[1]).toMatchObject({ name: 'Draft chain', status: 'pending', sweep: 0 })
    expect(project.dirty).toBe(false)
  })
})

describe('buildDoc', () => {
  const SPEC8: ChainSpecV1 = { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 7, start: 'cold' }

  it('saves what the chain shows: edits of a chain that has not run', async () => {
    const { project, live } = await setup()
    live.setParams('run1', { K: 0.25, h: 0.5 })
    await live.setStructural('run1', { L: 16, seed: 1234, start: 'cold' })
    const doc = await project.buildDoc()
    expect(doc.project.runs[0]).toMatchObject({
      sweep: 0,
      status: 'live',
      arrays: {},
      spec: { L: 16, K: 0.25, h: 0.5, seed: 1234, start: 'cold' }
    })
  })

  it('saves what the chain shows: parameters changed after the saved state', async () => {
    const { project, live } = await setup()
    live.open('run1', SPEC8, makeState(8, 5))
    live.setParams('run1', { K: 0.6 })
    const doc = await project.buildDoc()
    expect(doc.project.runs[0]).toMatchObject({ sweep: 5, spec: { L: 8, K: 0.6, seed: 7, start: 'cold' } })
  })
})
