import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount, type VueWrapper } from '@vue/test-utils'
import { defineComponent, h, ref, type Component } from 'vue'
import { installFakeApp } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import FormDialog from '../../src-renderer/src/components/FormDialog.vue'
import CascadeDialog from '../../src-renderer/src/components/CascadeDialog.vue'
import CompareLauncher from '../../src-renderer/src/components/CompareLauncher.vue'
import MappingDialog from '../../src-renderer/src/components/MappingDialog.vue'
import McrgDialog from '../../src-renderer/src/components/McrgDialog.vue'
import RgFlowDialog from '../../src-renderer/src/components/RgFlowDialog.vue'
import SweepDialog from '../../src-renderer/src/components/SweepDialog.vue'
import { useRgStore } from '../../src-renderer/src/stores/rg'

beforeEach(() => {
  installFakeApp()
})
afterEach(() => {
  setApi(null)
  document.body.innerHTML = ''
})

const press = (key: string, target: Element) =>
  target.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }))

/** A button that had focus before a dialog opened. */
function focusedButton(): HTMLButtonElement {
  const before = document.createElement('button')
  document.body.appendChild(before)
  before.focus()
  return before
}

/** A FormDialog that is open while `open` is true, with two fields. */
function host(error: string | null = null) {
  const open = ref(true)
  const events: string[] = []
  const Host = defineComponent(
    () => () =>
      open.value
        ? h(
            FormDialog,
            {
              title: 'Parameter sweep',
              label: 'New parameter sweep',
              name: 'sweep',
              start: 'Start sweep',
              error,
              onClose: () => (events.push('close'), (open.value = false)),
              onSubmit: () => events.push('submit')
            },
            () => [h('p', 'Explains the fields.'), h('input', { 'data-testid': 'first' }), h('select')]
          )
        : null
  )
  return { wrapper: mount(Host, { attachTo: document.body }), open, events }
}

describe('FormDialog', () => {
  it('is a labelled modal form with the title, the fields, and Cancel and start buttons in that order', () => {
    const { wrapper } = host()
    const dialog = wrapper.get('[data-testid="sweep-dialog"]')
    expect(dialog.element.tagName).toBe('FORM')
    expect(dialog.attributes()).toMatchObject({
      role: 'dialog',
      'aria-modal': 'true',
      'aria-label': 'New parameter sweep'
    })
    expect(dialog.get('h2').text()).toBe('Parameter sweep')
    expect(dialog.findAll('button').map((b) => [b.text(), b.attributes('type')])).toEqual([
      ['Cancel', 'button'],
      ['Start sweep', 'submit']
    ])
    expect(wrapper.get('[data-testid="sweep-start"]').classes()).toContain('primary')
    expect(wrapper.find('[data-testid="sweep-error"]').exists()).toBe(false)
  })

  it('shows the form’s sentence as an alert above the buttons', () => {
    const { wrapper } = host('L must be a whole number ≥ 4.')
    const error = wrapper.get('[data-testid="sweep-error"]')
    expect(error.attributes('role')).toBe('alert')
    expect(error.text()).toBe('L must be a whole number ≥ 4.')
  })

  it('puts focus on its first field when it opens, closes with Escape from a field and gives focus back', async () => {
    const before = focusedButton()
    const { wrapper, events } = host()
    const first = wrapper.get('[data-testid="first"]').element
    expect(document.activeElement).toBe(first)
    press('Escape', first)
    await flushPromises()
    expect(events).toEqual(['close'])
    expect(wrapper.find('[data-testid="sweep-dialog"]').exists()).toBe(false)
    expect(document.activeElement).toBe(before)
  })

  it('closes on Cancel or a click on the backdrop, not on a click inside; submitting asks to start', async () => {
    const { wrapper, events, open } = host()
    await wrapper.get('[data-testid="first"]').trigger('click')
    await wrapper.get('[data-testid="sweep-dialog"]').trigger('submit')
    expect(events).toEqual(['submit'])
    await wrapper.get('.modal-backdrop').trigger('click')
    expect(events).toEqual(['submit', 'close'])
    open.value = true
    await flushPromises()
    await wrapper.get('button[type="button"]').trigger('click')
    expect(events).toEqual(['submit', 'close', 'close'])
  })
})

/** Every launch dialog: its test id prefix, how it is mounted, and how it is opened. */
const DIALOGS: Array<[name: string, testid: string, component: Component, props: Record<string, unknown>]> = [
  ['sweep', 'sweep-dialog', SweepDialog, {}],
  ['flow', 'rg-flow-dialog', RgFlowDialog, {}],
  ['mcrg', 'mcrg-dialog', McrgDialog, {}],
  ['cascade', 'cascade-dialog', CascadeDialog, { datasetId: 'd1', Lx: 8, Ly: 8 }],
  ['mapping', 'mapping-dialog', MappingDialog, {}]
]

describe('the launch dialogs use the shell', () => {
  it.each(DIALOGS)(
    '%s: focus inside on opening, Escape closes, Cancel closes',
    async (name, testid, component, props) => {
      const wrapper: VueWrapper = mount(component, { props, attachTo: document.body })
      const dialog = wrapper.get(`[data-testid="${testid}"]`)
      expect(dialog.element.contains(document.activeElement)).toBe(true)
      expect(wrapper.get(`[data-testid="${name}-start"]`).attributes('type')).toBe('submit')
      press('Escape', document.activeElement!)
      expect(wrapper.emitted('close')).toHaveLength(1)
      await wrapper.get('button[type="button"]').trigger('click')
      expect(wrapper.emitted('close')).toHaveLength(2)
    }
  )

  it('the comparison launcher opens its dialog with focus inside and Escape closes it back to the button', async () => {
    const wrapper = mount(CompareLauncher, {
      props: { trainingId: 't1', Lx: 8, Ly: 8 },
      attachTo: document.body
    })
    const opener = wrapper.get('[data-testid="compare-open"]')
    ;(opener.element as HTMLButtonElement).focus()
    await opener.trigger('click')
    const dialog = wrapper.get('[data-testid="compare-dialog"]')
    expect(dialog.element.contains(document.activeElement)).toBe(true)
    press('Escape', document.activeElement!)
    await flushPromises()
    expect(wrapper.find('[data-testid="compare-dialog"]').exists()).toBe(false)
    expect(document.activeElement).toBe(opener.element)
  })
})

describe('the RG flow and MCRG dialogs share their blocking and sampling fields', () => {
  it.each([
    ['flow', RgFlowDialog, 'startFlow'],
    ['mcrg', McrgDialog, 'startMcrg']
  ] as const)(
    '%s: rule, b, levels, samples, sweeps between and burn-in reach the spec',
    async (name, component, action) => {
      const start = vi.spyOn(useRgStore(), action).mockResolvedValue('job1')
      const wrapper = mount(component, { attachTo: document.body })
      await wrapper.get(`[data-testid="${name}-L"]`).setValue('54')
      await wrapper.get('select').setValue('decimation')
      await wrapper.get(`[data-testid="${name}-b"]`).setValue('3')
      await wrapper.get(`[data-testid="${name}-levels"]`).setValue('2')
      await wrapper.get(`[data-testid="${name}-count"]`).setValue('123')
      const [between, burnIn] = wrapper.findAll('label').filter((l) => /Sweeps between|Burn-in/.test(l.text()))
      await between!.get('input').setValue('4')
      await burnIn!.get('input').setValue('55')
      await wrapper.get('form').trigger('submit')
      await flushPromises()
      expect(wrapper.find('[role="alert"]').exists() ? wrapper.get('[role="alert"]').text() : null).toBeNull()
      expect(start).toHaveBeenCalledTimes(1)
      expect(start.mock.calls[0]![0]).toMatchObject({
        L: 54,
        rule: 'decimation',
        b: 3,
        levels: 2,
        count: 123,
        between: 4,
        burnIn: 55
      })
      expect(wrapper.emitted('close')).toHaveLength(1)
    }
  )
})
