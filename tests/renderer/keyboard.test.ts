import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import ErrorDialog from '../../src-renderer/src/components/ErrorDialog.vue'
import KeyboardHelp from '../../src-renderer/src/components/KeyboardHelp.vue'
import { useUiStore } from '../../src-renderer/src/stores/ui'

beforeEach(() => {
  installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

const press = (key: string, target: EventTarget = window) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))

describe('keyboard', () => {
  it('the error dialog takes focus, closes with Escape and gives focus back', async () => {
    const before = document.createElement('button')
    document.body.appendChild(before)
    before.focus()
    const wrapper = mount(ErrorDialog, { attachTo: document.body })
    const ui = useUiStore()
    ui.errorMessage = { title: 'The file could not be opened', message: 'It is not a Blockspin project.' }
    await flushPromises()
    expect(document.activeElement).toBe(wrapper.get('[data-testid="error-ok"]').element)
    press('Escape')
    await flushPromises()
    expect(ui.errorMessage).toBeNull()
    expect(wrapper.find('[data-testid="error-dialog"]').exists()).toBe(false)
    expect(document.activeElement).toBe(before)
  })

  it('"?" shows the keyboard shortcuts, Escape hides them; "?" typed in a field is text', async () => {
    const wrapper = mount(KeyboardHelp, { attachTo: document.body })
    const input = document.createElement('input')
    document.body.appendChild(input)
    press('?', input)
    await flushPromises()
    expect(wrapper.find('[data-testid="keyboard-help"]').exists()).toBe(false)
    press('?')
    await flushPromises()
    const help = wrapper.get('[data-testid="keyboard-help"]')
    expect(help.text()).toContain('Play or pause the live chain')
    expect(help.text()).toContain('Save as')
    expect(document.activeElement).toBe(wrapper.get('[data-testid="keyboard-help-close"]').element)
    press('Escape')
    await flushPromises()
    expect(wrapper.find('[data-testid="keyboard-help"]').exists()).toBe(false)
  })
})
