import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { mount, type VueWrapper } from '@vue/test-utils'
import { buildLattice } from '@core/lattice/build'
import { presetModel, uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { IsingModel } from '@core/lattice/types'
import ModelView from '../../src-renderer/src/views/ModelView.vue'
import LatticeEditor from '../../src-renderer/src/components/LatticeEditor.vue'
import type { EditorDocument } from '../../src-renderer/src/logic/editor/document'
import { toScreen, type View } from '../../src-renderer/src/logic/editor/geometry'

beforeEach(() => {
  // The views' explanations remember their state in the ui store.
  setActivePinia(createPinia())
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

function setup(L = 4) {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K: 0.4,
    h: 0
  })
  const spins = new Int8Array(L * L).fill(1)
  const wrapper = mount(ModelView, { props: { model, spins }, attachTo: document.body })
  return { wrapper, model, spins }
}

const updates = (w: VueWrapper): EditorDocument[] => (w.emitted('update') ?? []).map((e) => e[0] as EditorDocument)
const last = (w: VueWrapper): EditorDocument => updates(w).at(-1)!
const byId = (w: VueWrapper, id: string) => w.get(`[data-testid="${id}"]`)

async function clickSite(w: VueWrapper, m: IsingModel, i: number) {
  const editor = w.getComponent(LatticeEditor)
  const view = (editor.vm as unknown as { view: View }).view
  const [clientX, clientY] = toScreen(view, m.lattice.x[i], m.lattice.y[i])
  const canvas = byId(w, 'editor-canvas')
  await canvas.trigger('pointerdown', { clientX, clientY, button: 0, pointerId: 1 })
  await canvas.trigger('pointerup', { clientX, clientY, button: 0, pointerId: 1 })
}

describe('ModelView', () => {
  it('applies brush edits, emits the document, and undoes/redoes them with the buttons', async () => {
    const { wrapper, model } = setup()
    await byId(wrapper, 'tool-spin-down').trigger('click')
    await clickSite(wrapper, model, 5)
    expect(updates(wrapper)).toHaveLength(1)
    expect(last(wrapper).spins[5]).toBe(-1)
    expect(byId(wrapper, 'undo').attributes('disabled')).toBeUndefined()
    await byId(wrapper, 'undo').trigger('click')
    expect(Array.from(last(wrapper).spins)).toEqual(new Array(16).fill(1))
    expect(byId(wrapper, 'undo').attributes('disabled')).toBeDefined()
    await byId(wrapper, 'redo').trigger('click')
    expect(last(wrapper).spins[5]).toBe(-1)
    // Ctrl+Z in the editor does the same.
    await wrapper.get('.lattice-editor').trigger('keydown', { key: 'z', ctrlKey: true })
    expect(last(wrapper).spins[5]).toBe(1)
  })

  it('"Apply uniform" is one undoable edit that restores the exact arrays', async () => {
    const { wrapper, model } = setup()
    const original = Array.from(model.couplings)
    await byId(wrapper, 'coupling-k').setValue('−0.3')
    await byId(wrapper, 'coupling-ky').setValue('0.1')
    await byId(wrapper, 'coupling-h').setValue('0.05')
    await byId(wrapper, 'apply-uniform').trigger('click')
    const doc = last(wrapper)
    expect(doc.model.lattice).toBe(model.lattice)
    expect(new Set(doc.model.couplings)).toEqual(new Set([-0.3, 0.1]))
    expect(new Set(doc.model.fields)).toEqual(new Set([0.05]))
    await byId(wrapper, 'undo').trigger('click')
    expect(last(wrapper).model).toBe(model)
    expect(Array.from(last(wrapper).model.couplings)).toEqual(original)
  })

  it('validates the coupling form as typed and disables applying', async () => {
    const { wrapper } = setup()
    await byId(wrapper, 'coupling-k').setValue('11')
    expect(wrapper.text()).toContain('K: Enter a number between −10 and 10.')
    expect(byId(wrapper, 'apply-uniform').attributes('disabled')).toBeDefined()
    expect(updates(wrapper)).toHaveLength(0)
  })

  it('builds a new lattice from the form, and undo brings the old one back', async () => {
    const { wrapper, model } = setup()
    await byId(wrapper, 'lattice-kind').setValue('triangular')
    await byId(wrapper, 'lattice-lx').setValue('2')
    expect(wrapper.text()).toContain('Lx must be a whole number from 3 to 1024.')
    expect(byId(wrapper, 'build-lattice').attributes('disabled')).toBeDefined()
    await byId(wrapper, 'lattice-lx').setValue('6')
    await byId(wrapper, 'lattice-ly').setValue('3')
    await byId(wrapper, 'build-lattice').trigger('click')
    const doc = last(wrapper)
    expect(doc.model.lattice.spec).toEqual({ kind: 'triangular', Lx: 6, Ly: 3 })
    expect(doc.spins).toHaveLength(18)
    expect(wrapper.find('[data-testid="coupling-kd"]').exists()).toBe(true)
    await byId(wrapper, 'undo').trigger('click')
    expect(last(wrapper).model).toBe(model)
    expect((byId(wrapper, 'lattice-kind').element as HTMLSelectElement).value).toBe('square')
  })

  it('applies a seeded random preset reproducibly', async () => {
    const { wrapper } = setup()
    expect(wrapper.find('[data-testid="preset-seed"]').exists()).toBe(false)
    await byId(wrapper, 'preset-name').setValue('spin-glass')
    await byId(wrapper, 'preset-l').setValue('6')
    await byId(wrapper, 'preset-seed').setValue('3')
    await byId(wrapper, 'apply-preset').trigger('click')
    const doc = last(wrapper)
    expect(doc.model.lattice.N).toBe(36)
    expect(Array.from(doc.model.couplings)).toEqual(
      Array.from(presetModel('spin-glass', { L: 6, rng: xoshiro128ss(3) }).couplings)
    )
    expect(wrapper.text()).toContain('Each bond +K or −K at random')
    await byId(wrapper, 'preset-l').setValue('2000')
    expect(byId(wrapper, 'apply-preset').attributes('disabled')).toBeDefined()
  })

  it('starts a fresh history when the owner passes another model, but not for its own updates', async () => {
    const { wrapper, model } = setup()
    await byId(wrapper, 'tool-spin-down').trigger('click')
    await clickSite(wrapper, model, 2)
    const own = last(wrapper)
    await wrapper.setProps({ model: own.model, spins: own.spins })
    expect(byId(wrapper, 'undo').attributes('disabled')).toBeUndefined()
    const other = uniformModel(buildLattice({ kind: 'chain', N: 8, periodic: false }), { K: 1 })
    await wrapper.setProps({ model: other, spins: new Int8Array(8).fill(-1) })
    expect(byId(wrapper, 'undo').attributes('disabled')).toBeDefined()
    expect((byId(wrapper, 'lattice-kind').element as HTMLSelectElement).value).toBe('chain')
    expect((byId(wrapper, 'lattice-n').element as HTMLInputElement).value).toBe('8')
  })
})
