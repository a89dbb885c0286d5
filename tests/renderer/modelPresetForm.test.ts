import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { flushPromises, mount } from '@vue/test-utils'
import { installFakeApp } from '../helpers/renderer'
import { setApi } from '../../src-renderer/src/api'
import { presetModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import ModelView from '../../src-renderer/src/views/ModelView.vue'
import ModelTab from '../../src-renderer/src/views/ModelTab.vue'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useProjectItems } from '../../src-renderer/src/stores/projectItems'
import { generatedModelName } from '../../src-renderer/src/logic/modelNames'
import { parseCouplingValue } from '../../src-renderer/src/logic/editor/values'
import { parseNumberField, RULES } from '../../src-renderer/src/logic/liveParams'

beforeEach(() => {
  installFakeApp()
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  setApi(null)
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const byId = (w: ReturnType<typeof mount>, id: string) => w.get(`[data-testid="${id}"]`)

describe('the preset menu follows the model', () => {
  it('a spin-glass model shows its preset, side and seed, and Apply preset applies the spin glass', async () => {
    const model = presetModel('spin-glass', { L: 6, rng: xoshiro128ss(77) })
    const wrapper = mount(ModelView, {
      props: { model, spins: new Int8Array(36).fill(1), preset: 'spin-glass', presetSeed: 77 }
    })
    expect((byId(wrapper, 'preset-name').element as HTMLSelectElement).value).toBe('spin-glass')
    expect((byId(wrapper, 'preset-l').element as HTMLInputElement).value).toBe('6')
    expect((byId(wrapper, 'preset-seed').element as HTMLInputElement).value).toBe('77')
    await byId(wrapper, 'apply-preset').trigger('click')
    expect(wrapper.emitted('preset')![0]![0]).toEqual({ name: 'spin-glass', seed: 77 })
    // The same seed gives the same couplings: the spin glass, not a ferromagnet.
    const doc = (wrapper.emitted('update')!.at(-1)![0] as { model: typeof model }).model
    expect(Array.from(doc.couplings)).toEqual(Array.from(model.couplings))
  })

  it('the paper’s 40×40 model opens with its preset and L 40', () => {
    const model = presetModel('paper-40x40')
    const wrapper = mount(ModelView, { props: { model, spins: new Int8Array(1600).fill(1), preset: 'paper-40x40' } })
    expect((byId(wrapper, 'preset-name').element as HTMLSelectElement).value).toBe('paper-40x40')
    expect(wrapper.find('[data-testid="preset-l"]').exists()).toBe(false)
    const square = mount(ModelView, { props: { model, spins: new Int8Array(1600).fill(1), preset: 'ferromagnet' } })
    expect((byId(square, 'preset-l').element as HTMLInputElement).value).toBe('40')
  })
})

describe('generated model names', () => {
  it('follow the size and preset until the user renames the model', async () => {
    const project = useProjectStore()
    project.newProject()
    const items = useProjectItems()
    const id = items.addModel('ferromagnet', { L: 8 })
    const record = () => project.project.models.find((m) => m.id === id)!
    expect(record().name).toBe('Ferromagnet 8×8')
    const wrapper = mount(ModelTab, { props: { modelId: id } })
    await flushPromises()
    byId(wrapper, 'preset-l').setValue('12')
    await byId(wrapper, 'apply-preset').trigger('click')
    expect(record().name).toBe('Ferromagnet 12×12')
    await byId(wrapper, 'preset-name').setValue('antiferromagnet')
    await byId(wrapper, 'apply-preset').trigger('click')
    expect(record()).toMatchObject({ name: 'Antiferromagnet 12×12', preset: 'antiferromagnet' })
    record().name = 'Reading group model'
    await byId(wrapper, 'preset-l').setValue('10')
    await byId(wrapper, 'apply-preset').trigger('click')
    expect(record().name).toBe('Reading group model')
    expect(
      generatedModelName('paper-40x40', { kind: 'square', Lx: 40, Ly: 40, periodicX: true, periodicY: true })
    ).toBe('The paper’s 40×40')
  })
})

describe('one name for the field', () => {
  it('the editor calls it h, with K_i as the hint, in the form, the toolbar and the legend', () => {
    const model = presetModel('ferromagnet', { L: 4 })
    const wrapper = mount(ModelView, { props: { model, spins: new Int8Array(16).fill(1), preset: 'ferromagnet' } })
    expect(wrapper.text()).toContain('h (Ki)')
    expect(byId(wrapper, 'tool-fields').text()).toBe('Fields h')
    expect(wrapper.text()).toContain('fields h = Ki (markers)')
  })
})

describe('a decimal comma', () => {
  it('is refused with a sentence showing the form to use, in the editor and in the live chain', () => {
    expect(parseCouplingValue('0,45')).toEqual({ ok: false, error: 'Write decimals with a point: 0.45, not 0,45.' })
    expect(parseNumberField('0,45', RULES.K)).toEqual({
      ok: false,
      error: 'Write decimals with a point: 0.45, not 0,45.'
    })
    expect(parseNumberField('−0,5', RULES.h)).toEqual({
      ok: false,
      error: 'Write decimals with a point: -0.5, not -0,5.'
    })
  })
})
