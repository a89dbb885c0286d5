import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount, type VueWrapper } from '@vue/test-utils'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import LatticeEditor from '../../src-renderer/src/components/LatticeEditor.vue'
import type { ArrayEdit, Edit } from '../../src-renderer/src/logic/editor/document'
import { EditorState } from '../../src-renderer/src/logic/editor/history'
import { toScreen, toWorld, type View } from '../../src-renderer/src/logic/editor/geometry'

beforeEach(() => {
  // happy-dom has no 2D canvas: the editor must work (and emit edits) without one.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
  vi.restoreAllMocks()
  document.body.innerHTML = ''
})

const TEST_IDS = [
  'editor-canvas',
  'tool-spin-up',
  'tool-spin-down',
  'tool-flip',
  'tool-random',
  'tool-bonds',
  'tool-fields',
  'tool-pan',
  'brush-size',
  'edit-value',
  'rect-mode',
  'undo',
  'redo',
  'fit'
]

function model(L = 6, periodic = false): IsingModel {
  return uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: periodic, periodicY: periodic }), {
    K: 0.4
  })
}

/** Runs the next animation frame on the fake clock (no real waiting), then lets Vue settle. */
async function nextFrame(): Promise<void> {
  vi.advanceTimersToNextFrame()
  await Promise.resolve()
}

function setup(props: Partial<InstanceType<typeof LatticeEditor>['$props']> = {}) {
  const m = model()
  const wrapper = mount(LatticeEditor, {
    props: { model: m, spins: new Int8Array(m.lattice.N).fill(1), seed: 1, ...props },
    attachTo: document.body
  })
  return { wrapper, model: (props.model as IsingModel | undefined) ?? m }
}

const viewOf = (w: VueWrapper): View => (w.vm as unknown as { view: View }).view
const edits = (w: VueWrapper): Edit[] => (w.emitted('edit') ?? []).map((e) => e[0] as Edit)
/** Screen point of a site centre (happy-dom puts the canvas at 0,0). */
const siteXY = (w: VueWrapper, m: IsingModel, i: number, dx = 0, dy = 0) =>
  toScreen(viewOf(w), m.lattice.x[i] + dx, m.lattice.y[i] + dy)

async function pointer(w: VueWrapper, type: string, [clientX, clientY]: number[], button = 0) {
  await w.get('[data-testid="editor-canvas"]').trigger(type, { clientX, clientY, button, pointerId: 1 })
}

describe('LatticeEditor', () => {
  it('has every control, labelled, the sign convention and the colour bar limits', () => {
    const { wrapper } = setup()
    for (const id of TEST_IDS) expect(wrapper.find(`[data-testid="${id}"]`).exists(), id).toBe(true)
    expect(wrapper.text()).toContain('H = −Σ Ki vi − Σ Kij vi vj; Kij > 0 ferromagnetic')
    expect(wrapper.get('[data-testid="limit-min"]').text()).toBe('−0.5')
    expect(wrapper.get('[data-testid="limit-max"]').text()).toBe('0.5')
    expect(wrapper.get('[data-testid="tool-spin-up"]').attributes('aria-checked')).toBe('true')
    expect(wrapper.get('[data-testid="undo"]').attributes('disabled')).toBeDefined()
  })

  it('paints spins down along a stroke: one stroke id, each site once', async () => {
    const { wrapper, model: m } = setup()
    await wrapper.get('[data-testid="tool-spin-down"]').trigger('click')
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 7))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 10))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 10, 0.2))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 10, 0.2))
    const list = edits(wrapper) as ArrayEdit[]
    expect(list.map((e) => Array.from(e.indices))).toEqual([[7], [8, 9, 10]])
    expect(
      list.every((e) => e.target === 'spins' && e.stroke === list[0].stroke && e.after.every((v) => v === -1))
    ).toBe(true)
    // A new stroke gets a new id.
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 0))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 0))
    const last = edits(wrapper).at(-1) as ArrayEdit
    expect(last.stroke).not.toBe(list[0].stroke)
  })

  it('sets the nearest bond to the typed value, and refuses an invalid value with a sentence', async () => {
    const { wrapper, model: m } = setup()
    await wrapper.get('[data-testid="tool-bonds"]').trigger('click')
    await wrapper.get('[data-testid="edit-value"]').setValue('−1.5')
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 14, 0.5, 0.1)) // between 14 and 15
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 14, 0.5, 0.1))
    const [edit] = edits(wrapper) as ArrayEdit[]
    expect(edit.target).toBe('couplings')
    const b = edit.indices[0]
    expect([m.lattice.bondI[b], m.lattice.bondJ[b], edit.after[0]]).toEqual([14, 15, -1.5])

    await wrapper.get('[data-testid="edit-value"]').setValue('12')
    expect(wrapper.text()).toContain('Enter a number between −10 and 10.')
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 20, 0.5, 0))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 20, 0.5, 0))
    expect(edits(wrapper)).toHaveLength(1)
  })

  it('sets fields in a dragged rectangle as one edit', async () => {
    const { wrapper, model: m } = setup()
    await wrapper.get('[data-testid="tool-fields"]').trigger('click')
    await wrapper.get('[data-testid="edit-value"]').setValue('0.25')
    await wrapper.get('[data-testid="rect-mode"]').setValue(true)
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 7, -0.3, -0.3))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 14, 0.3, 0.3))
    expect(wrapper.find('[data-testid="rect-overlay"]').exists()).toBe(true)
    expect(edits(wrapper)).toHaveLength(0)
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 14, 0.3, 0.3))
    expect(wrapper.find('[data-testid="rect-overlay"]').exists()).toBe(false)
    const list = edits(wrapper) as ArrayEdit[]
    expect(list).toHaveLength(1)
    expect([list[0].target, Array.from(list[0].indices), Array.from(list[0].after)]).toEqual([
      'fields',
      [7, 8, 13, 14],
      [0.25, 0.25, 0.25, 0.25]
    ])
  })

  it('larger brushes paint discs; the random brush is seeded', async () => {
    const { wrapper, model: m } = setup()
    await wrapper.get('[data-testid="tool-flip"]').trigger('click')
    await wrapper.get('[data-testid="brush-size"]').setValue('2')
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 14))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 14))
    expect(Array.from((edits(wrapper)[0] as ArrayEdit).indices)).toEqual([8, 13, 14, 15, 20])
    await wrapper.get('[data-testid="brush-size"]').setValue('0')
    expect(wrapper.text()).toContain('Brush size must be a whole number from 1 to 32.')

    const randomStroke = async (seed: number) => {
      const { wrapper: w, model: mm } = setup({ seed })
      await w.get('[data-testid="tool-random"]').trigger('click')
      await w.get('[data-testid="brush-size"]').setValue('3')
      await pointer(w, 'pointerdown', siteXY(w, mm, 14))
      await pointer(w, 'pointerup', siteXY(w, mm, 14))
      const e = edits(w)[0] as ArrayEdit
      w.unmount()
      return Array.from(e.indices)
    }
    const a = await randomStroke(5)
    expect(await randomStroke(5)).toEqual(a)
    expect(a.length).toBeGreaterThan(0)
    expect(a.length).toBeLessThan(13)
  })

  it('emits undo and redo from the buttons and from Ctrl/Cmd+Z, Ctrl+Shift+Z and Ctrl+Y', async () => {
    const { wrapper } = setup({ canUndo: true, canRedo: true, undoLabel: 'Flip spins' })
    await wrapper.get('[data-testid="undo"]').trigger('click')
    await wrapper.get('[data-testid="redo"]').trigger('click')
    expect(wrapper.get('[data-testid="undo"]').attributes('title')).toContain('Flip spins')
    const root = wrapper.get('.lattice-editor')
    await root.trigger('keydown', { key: 'z', ctrlKey: true })
    await root.trigger('keydown', { key: 'z', metaKey: true })
    await root.trigger('keydown', { key: 'Z', ctrlKey: true, shiftKey: true })
    await root.trigger('keydown', { key: 'y', ctrlKey: true })
    expect(wrapper.emitted('undo')).toHaveLength(3)
    expect(wrapper.emitted('redo')).toHaveLength(3)
    // Typing in the value field keeps the browser's own text undo.
    await wrapper.get('[data-testid="edit-value"]').trigger('keydown', { key: 'z', ctrlKey: true })
    expect(wrapper.emitted('undo')).toHaveLength(3)
    await wrapper.setProps({ canUndo: false })
    await root.trigger('keydown', { key: 'z', ctrlKey: true })
    expect(wrapper.emitted('undo')).toHaveLength(3)
  })

  it('zooms about the cursor with the wheel, pans with the Pan tool, middle button or space, and fits', async () => {
    const { wrapper } = setup()
    const fitted = viewOf(wrapper)
    const cursor: [number, number] = [100, 80]
    const before = toWorld(fitted, ...cursor)
    await wrapper.get('[data-testid="editor-canvas"]').trigger('wheel', { clientX: 100, clientY: 80, deltaY: -200 })
    const zoomed = viewOf(wrapper)
    expect(zoomed.scale).toBeGreaterThan(fitted.scale)
    toWorld(zoomed, ...cursor).forEach((v, k) => expect(v).toBeCloseTo(before[k], 9))

    await pointer(wrapper, 'pointerdown', [50, 50], 1)
    await pointer(wrapper, 'pointermove', [70, 45])
    await pointer(wrapper, 'pointerup', [70, 45])
    expect(viewOf(wrapper).offsetX - zoomed.offsetX).toBeCloseTo(20, 9)
    expect(viewOf(wrapper).offsetY - zoomed.offsetY).toBeCloseTo(-5, 9)

    await wrapper.get('.lattice-editor').trigger('keydown', { key: ' ' })
    await pointer(wrapper, 'pointerdown', [10, 10])
    await pointer(wrapper, 'pointermove', [20, 10])
    await pointer(wrapper, 'pointerup', [20, 10])
    await wrapper.get('.lattice-editor').trigger('keyup', { key: ' ' })
    await wrapper.get('[data-testid="tool-pan"]').trigger('click')
    await pointer(wrapper, 'pointerdown', [10, 10])
    await pointer(wrapper, 'pointermove', [10, 30])
    await pointer(wrapper, 'pointerup', [10, 30])
    expect(viewOf(wrapper).offsetX - zoomed.offsetX).toBeCloseTo(30, 9)
    expect(viewOf(wrapper).offsetY - zoomed.offsetY).toBeCloseTo(15, 9)
    expect(edits(wrapper)).toHaveLength(0)

    await wrapper.get('[data-testid="fit"]').trigger('click')
    expect(viewOf(wrapper)).toEqual(fitted)
  })

  it('shows the hovered site, its spin and field, and K_ij with the Bonds tool', async () => {
    const { wrapper, model: m } = setup()
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 9))
    expect(wrapper.get('[data-testid="editor-readout"]').text()).toBe('site 9 (x 3, y 1) · spin ↑ +1 · K_i = 0')
    await wrapper.get('[data-testid="tool-bonds"]').trigger('click')
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 9, 0.5, 0))
    const b = Array.from(m.lattice.bondI).findIndex((i, k) => i === 9 && m.lattice.bondJ[k] === 10)
    expect(wrapper.get('[data-testid="editor-readout"]').text()).toBe(`bond ${b}: 9–10 · K_ij = 0.4`)
  })

  it('draws through a 2D context when there is one, at the device pixel ratio', async () => {
    const calls: string[] = []
    const ctx = new Proxy(
      { fillStyle: '#000000', strokeStyle: '', lineWidth: 1, imageSmoothingEnabled: true } as Record<string, unknown>,
      {
        get: (t, k: string) =>
          k in t
            ? t[k]
            : (...args: unknown[]) => {
                calls.push(k)
                return k === 'createImageData'
                  ? {
                      width: args[0],
                      height: args[1],
                      data: new Uint8ClampedArray((args[0] as number) * (args[1] as number) * 4)
                    }
                  : undefined
              },
        set: (t, k: string, v) => ((t[k] = v), true)
      }
    )
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never)
    vi.stubGlobal('devicePixelRatio', 2)
    vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout'] })
    const { wrapper } = setup()
    await nextFrame()
    const canvas = wrapper.get('[data-testid="editor-canvas"]').element as HTMLCanvasElement
    expect([canvas.width, canvas.height]).toEqual([960, 720])
    expect(calls).toContain('fillRect')
    expect(ctx.imageSmoothingEnabled).toBe(false)
    // A large lattice is drawn from a one-pixel-per-site bitmap.
    calls.length = 0
    const big = model(200)
    mount(LatticeEditor, {
      props: { model: big, spins: new Int8Array(big.lattice.N).fill(1) },
      attachTo: document.body
    })
    await nextFrame()
    expect(calls).toEqual(expect.arrayContaining(['createImageData', 'putImageData', 'drawImage']))
    expect(calls).not.toContain('fillRect')
  })

  it('read-only: no edits, only panning', async () => {
    const { wrapper, model: m } = setup({ readonly: true })
    expect(wrapper.get('[data-testid="tool-spin-down"]').attributes('disabled')).toBeDefined()
    expect(wrapper.get('[data-testid="tool-pan"]').attributes('disabled')).toBeUndefined()
    const v0 = viewOf(wrapper)
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 3))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 4))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 4))
    expect(edits(wrapper)).toHaveLength(0)
    expect(viewOf(wrapper).offsetX).toBeGreaterThan(v0.offsetX)
  })

  it('with a state as owner: a flip stroke over the same sites flips each once, and undo restores it', async () => {
    const m = model()
    const state = new EditorState({ model: m, spins: new Int8Array(36).fill(1) })
    const wrapper = mount(LatticeEditor, {
      props: {
        model: m,
        spins: state.doc.spins,
        seed: 1,
        onEdit: (e: Edit) => state.apply(e),
        onUndo: () => state.undo()
      },
      attachTo: document.body
    })
    const sync = () =>
      wrapper.setProps({ revision: state.revision, canUndo: state.history.canUndo, canRedo: state.history.canRedo })
    await wrapper.get('[data-testid="tool-flip"]').trigger('click')
    await pointer(wrapper, 'pointerdown', siteXY(wrapper, m, 0))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 3))
    await pointer(wrapper, 'pointermove', siteXY(wrapper, m, 0))
    await pointer(wrapper, 'pointerup', siteXY(wrapper, m, 0))
    await sync()
    expect(Array.from(state.doc.spins.slice(0, 5))).toEqual([-1, -1, -1, -1, 1])
    expect(state.history.size).toBe(1)
    await wrapper.get('[data-testid="undo"]').trigger('click')
    expect(Array.from(state.doc.spins)).toEqual(new Array(36).fill(1))
  })
})
