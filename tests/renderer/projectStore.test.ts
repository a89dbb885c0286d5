import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
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

/** Gives run1 a saved 8² state at sweep 5 (what a finished or paused chain holds). */
const SPEC8: ChainSpecV1 = { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 7, start: 'cold' }
const lastSetState = () => fake.raw['window.setState'].mock.calls.at(-1)?.[0]

describe('project store: a new project', () => {
  it('init makes one 128² model at Kc and one live chain on it, clean and untitled', async () => {
    fake.replies.recent = [{ path: '/p/a.blockspin', name: 'a', exists: true }]
    const { project, live } = await setup()
    expect(project.info?.version).toBe('9.9.9')
    expect(project.project.appVersion).toBe('9.9.9')
    expect(project.project.models).toHaveLength(1)
    expect(project.project.models[0]).toMatchObject({
      id: 'model1',
      lattice: { kind: 'square', Lx: 128, Ly: 128, periodicX: true, periodicY: true },
      uniform: { K: 0.4407, h: 0 }
    })
    expect(project.project.runs).toHaveLength(1)
    expect(project.project.runs[0]).toMatchObject({
      id: 'run1',
      name: 'Live chain 1',
      modelId: 'model1',
      status: 'live',
      sweep: 0
    })
    expect(Object.keys(live.chains)).toEqual(['run1'])
    expect(live.chains.run1!.L).toBe(128)
    expect(live.chains.run1!.params.K).toBe(0.4407)
    expect(project.tabs).toEqual(['run1'])
    expect(project.selectedId).toBe('run1')
    expect(project.dirty).toBe(false)
    expect(project.name).toBe('Untitled')
    expect(project.title).toBe('Untitled — Blockspin')
    expect(project.recent).toEqual([{ path: '/p/a.blockspin', name: 'a', exists: true }])
    expect(project.recovery).toEqual([])
  })

  it('a touch makes it dirty: the title gets a dot and the window is told', async () => {
    const { project } = await setup()
    project.touch()
    await nextTick()
    expect(project.dirty).toBe(true)
    expect(project.title).toBe('Untitled ● — Blockspin')
    expect(document.title).toBe('Untitled ● — Blockspin')
    expect(lastSetState()).toEqual({ title: 'Untitled ● — Blockspin', dirty: true })
  })

  it('an edit of a live chain (live revision) makes it dirty too', async () => {
    const { project, live } = await setup()
    expect(live.setParams('run1', { K: 0.3 }).ok).toBe(true)
    await nextTick()
    expect(project.dirty).toBe(true)
    expect(lastSetState()).toEqual({ title: 'Untitled ● — Blockspin', dirty: true })
  })

  it('adding a live run opens its chain and tab and selects it', async () => {
    const { project, live } = await setup()
    expect(project.addLiveRun('model1')).toBe('run2')
    expect(project.project.runs.map((r) => r.name)).toEqual(['Live chain 1', 'Live chain 2'])
    expect(live.chains.run2).toBeDefined()
    expect(project.tabs).toEqual(['run1', 'run2'])
    expect(project.selectedId).toBe('run2')
    expect(project.dirty).toBe(true)
  })
})

describe('project store: saving', () => {
  it('on the web host asks the picker, then sends the runs’ state as typed arrays', async () => {
    const { project, live, ui } = await setup()
    live.open('run1', SPEC8, makeState(8, 5))
    await nextTick()
    expect(project.dirty).toBe(true)

    const saving = project.save()
    await flushPromises()
    expect(ui.pickState).toMatchObject({ mode: 'save', suggestedName: 'Untitled.blockspin' })
    expect(fake.raw['project.save']).not.toHaveBeenCalled()
    ui.answerPick('x.blockspin')
    expect(await saving).toBe(true)

    expect(fake.raw['project.save']).toHaveBeenCalledTimes(1)
    const { doc, path, saveAs } = fake.raw['project.save'].mock.calls[0]![0]
    expect(path).toBe('x.blockspin')
    expect(saveAs).toBe(false)
    expect(Object.keys(doc.arrays).sort()).toEqual(['run1.absM', 'run1.energy', 'run1.rng', 'run1.spins'])
    const spins = doc.arrays['run1.spins']!
    expect(spins.dtype).toBe('|i1')
    expect(spins.shape).toEqual([8, 8])
    expect(spins.data).toBeInstanceOf(Int8Array)
    expect(Array.from(spins.data)).toEqual(new Array(64).fill(1))
    expect(doc.arrays['run1.energy']).toMatchObject({ dtype: '<f8', shape: [5] })
    expect(Array.from(doc.arrays['run1.energy']!.data)).toEqual([-0.001, -0.002, -0.003, -0.004, -0.005])
    expect(doc.arrays['run1.absM']).toMatchObject({ dtype: '<f8', shape: [5] })
    expect(doc.arrays['run1.rng']).toMatchObject({ dtype: '<u4', shape: [4] })
    expect(Array.from(doc.arrays['run1.rng']!.data)).toEqual([1, 2, 3, 4])

    const project0 = doc.project as unknown as ProjectJsonV1
    expect(project0.format).toBe('blockspin')
    expect(project0.appVersion).toBe('9.9.9')
    expect(project0.runs).toHaveLength(1)
    expect(project0.runs[0]).toMatchObject({
      id: 'run1',
      sweep: 5,
      status: 'live',
      arrays: { spins: 'run1.spins', energy: 'run1.energy', absM: 'run1.absM', rngState: 'run1.rng' },
      spec: { L: 8, K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2, seed: 7, start: 'cold' }
    })
  })

  it('after a successful save the dot clears and the name becomes the file stem', async () => {
    const { project, ui } = await setup()
    project.touch()
    const saving = project.save()
    await flushPromises()
    ui.answerPick('sub/x.blockspin')
    await saving
    await nextTick()
    expect(project.dirty).toBe(false)
    expect(project.path).toBe('sub/x.blockspin')
    expect(project.name).toBe('x')
    expect(project.title).toBe('x — Blockspin')
    expect(lastSetState()).toEqual({ title: 'x — Blockspin', dirty: false })
    expect(ui.notice).toBe('Saved x.blockspin')
    expect(fake.raw['recovery.discard']).toHaveBeenCalledTimes(1)

    // Saving again goes to the same file without asking; Save As asks again.
    project.touch()
    await project.save()
    expect(ui.pickState).toBeNull()
    expect(fake.raw['project.save'].mock.calls[1]![0].path).toBe('sub/x.blockspin')
    const saveAs = project.save(true)
    await flushPromises()
    expect(ui.pickState).toMatchObject({ mode: 'save', suggestedName: 'x.blockspin' })
    ui.answerPick(null)
    expect(await saveAs).toBe(false)
    expect(fake.raw['project.save']).toHaveBeenCalledTimes(2)
  })

  it('on the desktop leaves the choice to the native dialog (path null, saveAs passed on)', async () => {
    const { project, ui } = await setup({ host: 'electron', nativeDialogs: true })
    project.touch()
    expect(await project.save(true)).toBe(true)
    expect(ui.pickState).toBeNull()
    expect(fake.raw['project.save'].mock.calls[0]![0]).toMatchObject({ path: null, saveAs: true })
    expect(project.name).toBe('by-dialog')
  })

  it('a save error shows its sentence and keeps the project dirty and untitled', async () => {
    const { project, ui } = await setup({ host: 'electron', nativeDialogs: true })
    fake.replies.save = { status: 'error', path: '/p/x.blockspin', error: { tag: 'io', detail: 'disk full' } }
    project.touch()
    expect(await project.save()).toBe(false)
    expect(ui.errorMessage).toEqual({
      title: 'The project was not saved',
      message: 'The file could not be read or written: disk full.'
    })
    expect(project.dirty).toBe(true)
    expect(project.path).toBeNull()
    expect(project.title).toBe('Untitled ● — Blockspin')
    expect(fake.raw['recovery.discard']).not.toHaveBeenCalled()
  })

  it('changes made while the save is in flight keep the project dirty', async () => {
    const { project } = await setup({ host: 'electron', nativeDialogs: true })
    project.rename('Named') // an Untitled project would be saved again under its file's name
    fake.raw['project.save'].mockImplementationOnce(async () => {
      project.touch()
      return { status: 'saved', path: '/p/y.blockspin', name: 'y.blockspin' }
    })
    expect(await project.save()).toBe(true)
    expect(project.name).toBe('y')
    expect(project.dirty).toBe(true)
  })
})

describe('project store: opening', () => {
  it('an error outcome shows its sentence and leaves the open project as it was', async () => {
    const { project, live, ui } = await setup()
    project.addLiveRun('model1')
    fake.replies.open = {
      status: 'error',
      path: 'old.blockspin',
      error: { tag: 'too-new', formatVersion: 7, appVersion: '3.0.0' }
    }
    const opening = project.openPath('old.blockspin')
    await flushPromises()
    // Dirty: the confirm comes first.
    expect(ui.confirmState?.title).toBe('Unsaved changes')
    ui.answerConfirm(1)
    await opening
    expect(fake.raw['project.open']).toHaveBeenCalledWith({ path: 'old.blockspin' })
    expect(ui.errorMessage).toEqual({
      title: '“old.blockspin” could not be opened',
      message: 'This project was made by Blockspin 3.0.0 (format 7); update Blockspin to open it.'
    })
    expect(project.project.runs.map((r) => r.id)).toEqual(['run1', 'run2'])
    expect(Object.keys(live.chains)).toEqual(['run1', 'run2'])
    expect(project.path).toBeNull()
    expect(project.dirty).toBe(true)
  })

  it('success replaces the runs and opens each chain with its saved state', async () => {
    const { project, live, ui } = await setup()
    project.addLiveRun('model1')
    project.addLiveRun('model1')
    const openSpy = vi.spyOn(live, 'open')
    fake.replies.open = {
      status: 'opened',
      path: 'dir/saved.blockspin',
      name: 'saved.blockspin',
      doc: savedDoc(),
      migratedFrom: 1
    }
    const opening = project.open()
    await flushPromises()
    ui.answerConfirm(1)
    await flushPromises()
    expect(ui.pickState).toMatchObject({ mode: 'open' })
    ui.answerPick('dir/saved.blockspin')
    await opening
    await nextTick()

    expect(fake.raw['project.open']).toHaveBeenCalledWith({ path: 'dir/saved.blockspin' })
    expect(project.project.runs.map((r) => r.name)).toEqual(['Saved chain', 'Draft chain'])
    expect(Object.keys(live.chains).sort()).toEqual(['run1', 'run2'])
    const saved = openSpy.mock.calls.find(([id]) => id === 'run1')![2]!
    expect(saved).toMatchObject({ L: 8, sweep: 5, params: { K: 0.3, h: 0.1, algorithm: 'wolff', sweepsPerFrame: 3 } })
    expect(Array.from(saved.rngState)).toEqual([11, 12, 13, 14])
    expect(openSpy.mock.calls.find(([id]) => id === 'run2')![2]).toBeNull()

    const c = live.chains.run1!
    expect(c.sweep).toBe(5)
    expect(c.L).toBe(8)
    expect(c.seed).toBe(99)
    expect(c.start).toBe('cold')
    expect(Array.from(c.spins!)).toEqual(new Array(64).fill(-1))
    expect(c.saved?.sweep).toBe(5)
    expect(live.chains.run2!.sweep).toBe(0)

    expect(project.path).toBe('dir/saved.blockspin')
    expect(project.name).toBe('saved')
    expect(project.dirty).toBe(false)
    expect(project.title).toBe('saved — Blockspin')
    expect(project.tabs).toEqual(['run1'])
    expect(project.selectedId).toBe('run1')
    expect(ui.notice).toBe('Upgraded from format 1; saving writes the current format')
  })

  it('the opened state saves back unchanged', async () => {
    const { project } = await setup({ host: 'electron', nativeDialogs: true })
    fake.replies.open = { status: 'opened', path: '/p/saved.blockspin', name: 'saved.blockspin', doc: savedDoc() }
    await project.openPath('/p/saved.blockspin')
    const doc = await project.buildDoc()
    const original = savedDoc()
    expect(doc.project.runs.map(({ spec, sweep, status, arrays }) => ({ spec, sweep, status, arrays }))).toEqual(
      original.project.runs.map(({ spec, sweep, status, arrays }) => ({ spec, sweep, status, arrays }))
    )
    for (const [id, a] of Object.entries(original.arrays)) {
      expect(doc.arrays[id]?.dtype, id).toBe(a.dtype)
      expect(doc.arrays[id]?.shape, id).toEqual(a.shape)
      expect(Array.from(doc.arrays[id]!.data), id).toEqual(Array.from(a.data))
    }
  })

  it('a dropped file opens untitled and dirty (it must be saved as a new file)', async () => {
    const { project } = await setup()
    fake.replies.open = { status: 'opened', path: null, name: 'dropped.blockspin', doc: savedDoc() }
    const file = new File([new Uint8Array([80, 75, 3, 4])], 'dropped.blockspin')
    await project.openFile(file)
    const args = fake.raw['project.openBytes'].mock.calls[0]![0]
    expect(args.name).toBe('dropped.blockspin')
    expect(Array.from(args.bytes)).toEqual([80, 75, 3, 4])
    expect(project.path).toBeNull()
    expect(project.name).toBe('From disk')
    expect(project.dirty).toBe(true)
  })
})
