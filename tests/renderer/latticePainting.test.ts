import { afterEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import LatticeCanvas from '../../src-renderer/src/components/LatticeCanvas.vue'

/**
 * Painting on the live lattice: the canvas element is wider than the square the lattice is drawn
 * in (object-fit: contain), so pointers must be mapped through that square, not the element.
 */
const WIDE = { left: 10, top: 20, width: 600, height: 300, right: 610, bottom: 320, x: 10, y: 20, toJSON: () => ({}) }
const L = 16
/** The drawn square: side 300, centred, so it starts 150 px in. One cell is 300/16 px. */
const cellPx = 300 / L
const at = (x: number, y: number) => ({ clientX: 10 + 150 + (x + 0.5) * cellPx, clientY: 20 + (y + 0.5) * cellPx })

function mountWide(brushRadius = 2) {
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
  vi.spyOn(HTMLCanvasElement.prototype, 'getBoundingClientRect').mockReturnValue(WIDE as DOMRect)
  return mount(LatticeCanvas, {
    props: { spins: new Int8Array(L * L).fill(1), L, sweep: 0, paintable: true, brushRadius }
  })
}

afterEach(() => vi.restoreAllMocks())

describe('painting on a lattice drawn inside a wider element', () => {
  it('paints the cell under the pointer, at the edges too', async () => {
    const wrapper = mountWide()
    const canvas = wrapper.get('canvas')
    await canvas.trigger('pointerdown', { button: 0, ...at(2, 9) })
    await canvas.trigger('pointerup')
    await canvas.trigger('pointerdown', { button: 0, ...at(15, 0) })
    const cells = wrapper.emitted('paint')!.map(([c]) => c)
    expect(cells).toEqual([
      { x: 2, y: 9, first: true },
      { x: 15, y: 0, first: true }
    ])
  })

  it('a click in the empty margin beside the square paints nothing', async () => {
    const wrapper = mountWide()
    await wrapper.get('canvas').trigger('pointerdown', { button: 0, clientX: 10 + 100, clientY: 100 })
    expect(wrapper.emitted('paint')).toBeUndefined()
  })

  it('a fast drag paints every cell between two pointer events', async () => {
    const wrapper = mountWide()
    const canvas = wrapper.get('canvas')
    await canvas.trigger('pointerdown', { button: 0, ...at(1, 1) })
    await canvas.trigger('pointermove', at(9, 5))
    const cells = wrapper.emitted('paint')!.map(([c]) => c as { x: number; y: number; first: boolean })
    expect(cells.map((c) => c.x)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(cells[0]!.first).toBe(true)
    expect(cells.slice(1).every((c) => !c.first)).toBe(true)
    // Consecutive cells touch (at most one step in x and in y): a continuous stroke.
    for (let k = 1; k < cells.length; k++) {
      expect(Math.abs(cells[k]!.x - cells[k - 1]!.x)).toBeLessThanOrEqual(1)
      expect(Math.abs(cells[k]!.y - cells[k - 1]!.y)).toBeLessThanOrEqual(1)
    }
    expect(cells.at(-1)).toEqual({ x: 9, y: 5, first: false })
  })

  it('outlines the brush under the pointer, sized by its radius, and hides it on leave', async () => {
    const wrapper = mountWide(2)
    const canvas = wrapper.get('canvas')
    await canvas.trigger('pointermove', at(4, 6))
    const outline = wrapper.get('[data-testid="brush-outline"]')
    const style = outline.attributes('style')!
    const px = (name: string) => Number(new RegExp(`${name}:\\s*([-\\d.]+)px`).exec(style)![1])
    expect(px('width')).toBeCloseTo(5 * cellPx, 0)
    // Centred on the cell's centre, in element coordinates (the square starts 150 px in).
    expect(px('left') + px('width') / 2).toBeCloseTo(150 + 4.5 * cellPx, 0)
    expect(px('top') + px('height') / 2).toBeCloseTo(6.5 * cellPx, 0)
    await canvas.trigger('pointerleave')
    expect(wrapper.find('[data-testid="brush-outline"]').exists()).toBe(false)
  })
})
