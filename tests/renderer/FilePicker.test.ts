import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { installFakeApp, type FakeApi } from '../helpers/renderer'
import { flushPromises, mount } from '@vue/test-utils'
import { setApi } from '../../src-renderer/src/api'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import FilePicker from '../../src-renderer/src/components/FilePicker.vue'
import type { FileEntry } from '@shared/contract'

let fake: FakeApi
beforeEach(() => {
  fake = installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

const entry = (path: string, kind: FileEntry['kind'] = 'project'): FileEntry => ({
  path,
  name: path.split('/').pop()!,
  kind,
  size: 2048,
  modifiedAt: '2024-03-01T12:00:00.000Z'
})
const TREE: Record<string, FileEntry[]> = {
  '': [entry('runs', 'dir'), entry('old.blockspin'), entry('other.blockspin')],
  runs: [entry('runs/deep.blockspin')]
}

async function openPicker(mode: 'open' | 'save' | 'folder', suggestedName = 'Untitled.blockspin', title?: string) {
  fake.replies.files = (dir) => (dir in TREE ? { dir, entries: TREE[dir]! } : { error: `There is no folder “${dir}”.` })
  const ui = useUiStore()
  const wrapper = mount(FilePicker, { attachTo: document.body })
  let answer: string | null | undefined
  const picked = ui.pickFile({ mode, suggestedName, ...(title ? { title } : {}) }).then((p) => (answer = p))
  await flushPromises()
  return { ui, wrapper, picked, answer: () => answer }
}
const names = (w: ReturnType<typeof mount>) => w.findAll('.entry .fname').map((n) => n.text())
const nameInput = (w: ReturnType<typeof mount>) => w.get('[data-testid="picker-name"]')
const confirm = (w: ReturnType<typeof mount>) => w.get('[data-testid="picker-confirm"]').trigger('click')

describe('FilePicker', () => {
  it('chooses a folder: the one shown when Use this folder is pressed, the projects folder itself as ""', async () => {
    const first = await openPicker('folder', '', 'Bundle folder to merge')
    expect(first.wrapper.get('h2').text()).toBe('Bundle folder to merge')
    expect(first.wrapper.find('[data-testid="picker-name"]').exists()).toBe(false)
    expect(first.wrapper.get('[data-testid="picker-confirm"]').text()).toBe('Use this folder')
    await confirm(first.wrapper)
    await first.picked
    expect(first.answer()).toBe('')
    first.wrapper.unmount()
    const second = await openPicker('folder')
    expect(second.wrapper.get('h2').text()).toBe('Choose a folder')
    await second.wrapper.get('[data-testid="file-runs"]').trigger('click')
    await flushPromises()
    await confirm(second.wrapper)
    await second.picked
    expect(second.answer()).toBe('runs')
  })

  it('is hidden until a pick is asked for', () => {
    const wrapper = mount(FilePicker)
    expect(wrapper.find('[data-testid="file-picker"]').exists()).toBe(false)
  })

  it('lists the projects folder from files.list with the suggested name ready', async () => {
    const { wrapper } = await openPicker('save')
    expect(fake.raw['files.list']).toHaveBeenCalledWith({ dir: '' })
    expect(wrapper.get('h2').text()).toBe('Save project')
    expect(names(wrapper)).toEqual(['runs', 'old.blockspin', 'other.blockspin'])
    expect(wrapper.get('[data-testid="file-old.blockspin"]').text()).toContain('2.0 KB')
    expect((nameInput(wrapper).element as HTMLInputElement).value).toBe('Untitled.blockspin')
    expect(document.activeElement).toBe(nameInput(wrapper).element)
  })

  it.each(['a/b', 'a\\b', '.hidden', '   '])('refuses the name %j with a sentence and keeps asking', async (name) => {
    const { ui, wrapper, answer } = await openPicker('save')
    await nameInput(wrapper).setValue(name)
    await confirm(wrapper)
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('Type a file name without slashes, not starting with a dot.')
    expect(answer()).toBeUndefined()
    expect(ui.pickState).not.toBeNull()
  })

  it('saves a new name with the extension added', async () => {
    const { ui, wrapper, picked } = await openPicker('save')
    await nameInput(wrapper).setValue('fresh')
    await confirm(wrapper)
    expect(await picked).toBe('fresh.blockspin')
    expect(ui.pickState).toBeNull()
  })

  it('saves into the folder it is showing', async () => {
    const { wrapper, picked } = await openPicker('save')
    await wrapper.get('[data-testid="file-runs"]').trigger('click')
    await flushPromises()
    expect(fake.raw['files.list']).toHaveBeenLastCalledWith({ dir: 'runs' })
    expect(names(wrapper)).toEqual(['deep.blockspin'])
    expect(wrapper.findAll('.crumb').map((c) => c.text())).toEqual(['Projects', 'runs'])
    await nameInput(wrapper).setValue('x.BLOCKSPIN')
    await confirm(wrapper)
    expect(await picked).toBe('runs/x.BLOCKSPIN')
  })

  it('asks before replacing an existing file; Cancel returns to the picker, Replace answers', async () => {
    const { ui, wrapper, picked, answer } = await openPicker('save')
    await nameInput(wrapper).setValue('old')
    await confirm(wrapper)
    await flushPromises()
    expect(ui.pickState).toBeNull()
    expect(ui.confirmState).toMatchObject({
      title: 'Replace file?',
      message: '“old.blockspin” already exists in this folder. Replace it?',
      buttons: ['Replace', 'Cancel'],
      cancelIndex: 1
    })
    ui.answerConfirm(1)
    await flushPromises()
    expect(answer()).toBeUndefined()
    expect(ui.pickState?.mode).toBe('save')
    expect(wrapper.find('[data-testid="file-picker"]').exists()).toBe(true)
    // What was typed is still there.
    expect((nameInput(wrapper).element as HTMLInputElement).value).toBe('old')

    await confirm(wrapper)
    await flushPromises()
    expect(ui.confirmState?.title).toBe('Replace file?')
    ui.answerConfirm(0)
    expect(await picked).toBe('old.blockspin')
  })

  it('clicking a file in save mode takes its name', async () => {
    const { wrapper } = await openPicker('save')
    await wrapper.get('[data-testid="file-other.blockspin"]').trigger('click')
    expect((nameInput(wrapper).element as HTMLInputElement).value).toBe('other.blockspin')
    expect(wrapper.get('[data-testid="file-other.blockspin"]').attributes('aria-selected')).toBe('true')
  })

  it('opens only once a file is chosen', async () => {
    const { wrapper, picked } = await openPicker('open', '')
    expect(wrapper.get('h2').text()).toBe('Open project')
    expect(wrapper.find('[data-testid="picker-name"]').exists()).toBe(false)
    expect(wrapper.get('[data-testid="picker-confirm"]').attributes('disabled')).toBeDefined()
    await wrapper.get('[data-testid="file-old.blockspin"]').trigger('click')
    expect(wrapper.get('[data-testid="picker-confirm"]').attributes('disabled')).toBeUndefined()
    await confirm(wrapper)
    expect(await picked).toBe('old.blockspin')
  })

  it('Cancel answers null', async () => {
    const { wrapper, picked } = await openPicker('open', '')
    const cancel = wrapper.findAll('button').find((b) => b.text() === 'Cancel')!
    await cancel.trigger('click')
    expect(await picked).toBeNull()
    expect(wrapper.find('[data-testid="file-picker"]').exists()).toBe(false)
  })

  it('shows a listing error and falls back to the projects folder', async () => {
    const { wrapper } = await openPicker('save')
    fake.replies.files = (dir) => (dir === '' ? { dir: '', entries: TREE['']! } : { error: 'The folder is gone.' })
    await wrapper.get('[data-testid="file-runs"]').trigger('click')
    await flushPromises()
    expect(wrapper.get('[role="alert"]').text()).toBe('The folder is gone.')
    expect(names(wrapper)).toEqual(['runs', 'old.blockspin', 'other.blockspin'])
  })
})
