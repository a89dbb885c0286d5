import { describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import NumberRow from '../../src-renderer/src/components/NumberRow.vue'
import { RULES } from '../../src-renderer/src/logic/liveParams'

function row(props: Record<string, unknown> = {}) {
  const apply = vi.fn((_v: number): string | null => null)
  const wrapper = mount(NumberRow, {
    props: { id: 'k-input-r1', label: 'Coupling K', testId: 'k-input', rule: RULES.K, value: 0.4, apply, ...props },
    slots: { before: '<input type="range" data-testid="slider" />', after: '<button type="button">Kc</button>' },
    attachTo: document.body
  })
  return { wrapper, apply, input: wrapper.get('[data-testid="k-input"]') }
}

describe('NumberRow', () => {
  it('labels its input, shows the value, the unit, the hint and the slots around the input', () => {
    const { wrapper, input } = row({ unit: 'sweeps', hint: 'Coupling between neighbours' })
    expect(wrapper.get('label').attributes('for')).toBe('k-input-r1')
    expect(wrapper.get('label').text()).toBe('Coupling K')
    expect(wrapper.get('label').attributes('title')).toBe('Coupling between neighbours')
    expect((input.element as HTMLInputElement).value).toBe('0.4')
    expect(wrapper.get('.unit').text()).toBe('sweeps')
    const order = Array.from((wrapper.element as HTMLElement).children, (el) => el.tagName.toLowerCase())
    expect(order).toEqual(['label', 'input', 'input', 'span', 'button'])
    wrapper.unmount()
  })

  it('applies valid text as typed and explains invalid text without applying it', async () => {
    const { wrapper, apply, input } = row()
    await input.setValue('0,45')
    expect(apply).not.toHaveBeenCalled()
    expect(input.attributes('aria-invalid')).toBe('true')
    expect(wrapper.get('[role="alert"]').attributes('id')).toBe('k-input-r1-error')
    expect(input.attributes('aria-describedby')).toBe('k-input-r1-error')
    await input.setValue('0.45')
    expect(apply).toHaveBeenLastCalledWith(0.45)
    expect(wrapper.find('[role="alert"]').exists()).toBe(false)
    wrapper.unmount()
  })

  it('applies a field that restarts the chain only on Enter, and shows the sentence of a refusal', async () => {
    const { wrapper, apply, input } = row({ rule: RULES.L, value: 8, asTyped: false, inputmode: 'numeric' })
    apply.mockReturnValue('The chain is busy.')
    await input.setValue('32')
    expect(apply).not.toHaveBeenCalled()
    await input.trigger('keydown', { key: 'Enter' })
    await flushPromises()
    expect(apply).toHaveBeenCalledWith(32)
    expect(wrapper.get('[role="alert"]').text()).toBe('The chain is busy.')
    wrapper.unmount()
  })

  it('follows the value when it changes elsewhere and shows a sentence given from outside', async () => {
    const { wrapper, input } = row()
    await wrapper.setProps({ value: 0.3, otherError: 'Wolff needs K ≥ 0.' })
    expect((input.element as HTMLInputElement).value).toBe('0.3')
    expect(wrapper.get('[role="alert"]').text()).toBe('Wolff needs K ≥ 0.')
    wrapper.unmount()
  })
})
