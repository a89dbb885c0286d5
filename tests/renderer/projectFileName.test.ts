import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { createFakeApi } from './fakeApi'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => setApi(null))

describe('a project named Untitled takes its first file name', () => {
  it('on the web host: Save As reading-group names the project, in the file too', async () => {
    const { project, ui } = await setupProject(fake)
    expect(project.project.name).toBe('Untitled')
    const saving = project.save(true)
    await flushPromises()
    ui.answerPick('projects/reading-group.blockspin')
    expect(await saving).toBe(true)
    expect(project.project.name).toBe('reading-group')
    expect(fake.raw['project.save'].mock.calls[0]![0].doc.project.name).toBe('reading-group')
    expect(project.dirty).toBe(false)
    // Named now: a later Save As elsewhere keeps the name.
    const again = project.save(true)
    await flushPromises()
    ui.answerPick('projects/copy.blockspin')
    await again
    expect(project.project.name).toBe('reading-group')
  })

  it('with a native dialog: the chosen file names the project, written with a second save', async () => {
    const { project } = await setupProject(fake, { host: 'electron', nativeDialogs: true })
    fake.replies.save = { status: 'saved', path: '/home/u/reading-group.blockspin', name: 'reading-group.blockspin' }
    expect(await project.save(true)).toBe(true)
    expect(project.project.name).toBe('reading-group')
    const calls = fake.raw['project.save'].mock.calls.map(([a]) => a)
    expect(calls.at(-1)!.doc.project.name).toBe('reading-group')
    expect(calls.at(-1)!.path).toBe('/home/u/reading-group.blockspin')
    expect(project.dirty).toBe(false)
  })

  it('a project the user named keeps its name', async () => {
    const { project, ui } = await setupProject(fake)
    project.rename('Kc study')
    const saving = project.save(true)
    await flushPromises()
    ui.answerPick('x.blockspin')
    await saving
    expect(project.project.name).toBe('Kc study')
  })
})
