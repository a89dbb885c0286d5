import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { createPinia, setActivePinia } from 'pinia'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import ConfirmDialog from '../../src-renderer/src/components/ConfirmDialog.vue'
import ErrorDialog from '../../src-renderer/src/components/ErrorDialog.vue'

beforeEach(() => setActivePinia(createPinia()))
afterEach(() => {
  document.body.innerHTML = ''
})

describe('ErrorDialog', () => {
  it('shows nothing until an error is set', () => {
    const wrapper = mount(ErrorDialog)
    expect(wrapper.find('[data-testid="error-dialog"]').exists()).toBe(false)
  })

  it('shows the title and sentence, and says the project is unchanged', async () => {
    const ui = useUiStore()
    const wrapper = mount(ErrorDialog)
    ui.showError('“a.blockspin” could not be opened', 'The project is incomplete: array "run1.spins" is missing.')
    await flushPromises()
    const dialog = wrapper.get('[data-testid="error-dialog"]')
    expect(dialog.attributes('role')).toBe('alertdialog')
    expect(dialog.attributes('aria-label')).toBe('“a.blockspin” could not be opened')
    expect(dialog.get('h2').text()).toBe('“a.blockspin” could not be opened')
    expect(wrapper.get('[data-testid="error-message"]').text()).toBe(
      'The project is incomplete: array "run1.spins" is missing.'
    )
    expect(dialog.text()).toContain('Nothing was changed: your open project is as it was.')
  })

  it('OK, Escape and a click on the backdrop dismiss it; a click inside does not', async () => {
    const ui = useUiStore()
    const wrapper = mount(ErrorDialog)
    const show = async () => {
      ui.showError('T', 'M')
      await flushPromises()
    }
    await show()
    await wrapper.get('button').trigger('click')
    expect(ui.errorMessage).toBeNull()
    expect(wrapper.find('[data-testid="error-dialog"]').exists()).toBe(false)

    await show()
    await wrapper.get('[data-testid="error-message"]').trigger('click')
    expect(ui.errorMessage).toEqual({ title: 'T', message: 'M' })
    await wrapper.get('.backdrop').trigger('click')
    expect(ui.errorMessage).toBeNull()

    await show()
    await wrapper.get('.backdrop').trigger('keydown', { key: 'Escape' })
    expect(ui.errorMessage).toBeNull()
  })
})

describe('ConfirmDialog', () => {
  const REQUEST = {
    title: 'Unsaved changes',
    message: 'Save the changes to “x” before closing it?',
    buttons: ['Save', "Don't Save", 'Cancel'],
    cancelIndex: 2
  }

  async function ask() {
    const ui = useUiStore()
    const wrapper = mount(ConfirmDialog, { attachTo: document.body })
    const answer = ui.confirm(REQUEST)
    await flushPromises()
    return { ui, wrapper, answer }
  }

  it('shows nothing until asked', () => {
    const wrapper = mount(ConfirmDialog)
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false)
  })

  it('shows the question with its buttons in order, the first one primary and focused', async () => {
    const { wrapper } = await ask()
    const dialog = wrapper.get('[data-testid="confirm-dialog"]')
    expect(dialog.attributes('aria-label')).toBe('Unsaved changes')
    expect(dialog.get('h2').text()).toBe('Unsaved changes')
    expect(dialog.get('p').text()).toBe('Save the changes to “x” before closing it?')
    const buttons = dialog.findAll('button')
    expect(buttons.map((b) => b.text())).toEqual(['Save', "Don't Save", 'Cancel'])
    expect(buttons.map((b) => b.classes().includes('primary'))).toEqual([true, false, false])
    expect(document.activeElement).toBe(buttons[0]!.element)
  })

  it.each([0, 1, 2])('clicking button %i answers its index and closes', async (i) => {
    const { ui, wrapper, answer } = await ask()
    await wrapper.findAll('button')[i]!.trigger('click')
    expect(await answer).toBe(i)
    expect(ui.confirmState).toBeNull()
    expect(wrapper.find('[data-testid="confirm-dialog"]').exists()).toBe(false)
  })

  it('Escape answers the cancel index', async () => {
    const { wrapper, answer } = await ask()
    await wrapper.get('.backdrop').trigger('keydown', { key: 'Escape' })
    expect(await answer).toBe(2)
  })

  it('a click on the backdrop answers the cancel index; a click inside does not answer', async () => {
    const { ui, wrapper, answer } = await ask()
    await wrapper.get('[data-testid="confirm-dialog"] p').trigger('click')
    expect(ui.confirmState).not.toBeNull()
    await wrapper.get('.backdrop').trigger('click')
    expect(await answer).toBe(2)
  })
  it('a question asked while another is shown waits its turn; each gets its own answer', async () => {
    const { ui, wrapper, answer } = await ask()
    const second = ui.confirm({
      title: 'Delete training',
      message: 'Delete “RBM”?',
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    await flushPromises()
    expect(wrapper.get('[data-testid="confirm-dialog"] h2').text()).toBe('Unsaved changes')
    await wrapper.findAll('button')[1]!.trigger('click')
    expect(await answer).toBe(1)
    await flushPromises()
    expect(wrapper.get('[data-testid="confirm-dialog"] h2').text()).toBe('Delete training')
    await wrapper.findAll('button')[0]!.trigger('click')
    expect(await second).toBe(0)
    expect(ui.confirmState).toBeNull()
  })
})
