import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { mount } from '@vue/test-utils'
import LatticeCanvas from '../../src-renderer/src/components/LatticeCanvas.vue'
import { paintSpins } from '../../src-renderer/src/logic/colors'

/** Runs the next animation frame on the fake clock (no real waiting), then lets Vue settle. */
async function nextFrame(): Promise<void> {
  vi.advanceTimersToNextFrame()
  await Promise.resolve()
}

/** A stand-in 2D context: happy-dom has none. Normalises colours like a real one would. */
function fakeContext() {
  let fill = '#000000'
  return {
    createImageData: vi.fn((w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) })),
    putImageData: vi.fn(),
    get fillStyle() {
      return fill
    },
    set fillStyle(v: string) {
      fill = v
    }
  }
}

beforeEach(() =>
  vi.useFakeTimers({ toFake: ['requestAnimationFrame', 'cancelAnimationFrame', 'setTimeout', 'clearTimeout'] })
)
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('LatticeCanvas', () => {
  it('mounts without a 2D context (getContext → null) and still reports the sweep', async () => {
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null)
    const wrapper = mount(LatticeCanvas, { props: { spins: new Int8Array(16).fill(1), L: 4, sweep: 3 } })
    await nextFrame()
    const canvas = wrapper.get('[data-testid="lattice-canvas"]')
    expect(canvas.attributes('data-sweep')).toBe('3')
    expect(canvas.attributes('width')).toBe('4')
    expect(canvas.attributes('height')).toBe('4')
    wrapper.unmount()
  })

  it('draws one pixel per spin into a reused ImageData, once per animation frame', async () => {
    const ctx = fakeContext()
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never)
    const spins = new Int8Array([1, -1, -1, 1, 1, 1, -1, -1, 1, 1, 1, 1, -1, -1, -1, -1])
    const wrapper = mount(LatticeCanvas, { props: { spins, L: 4, sweep: 1 } })
    await nextFrame()
    expect(ctx.putImageData).toHaveBeenCalledTimes(1)
    const image = ctx.createImageData.mock.results[0].value as { data: Uint8ClampedArray }
    // Fallback colours: up light (244,241,232), down dark (32,42,56).
    expect(Array.from(image.data.slice(0, 4))).toEqual([244, 241, 232, 255])
    expect(Array.from(image.data.slice(4, 8))).toEqual([32, 42, 56, 255])

    // Two updates before the next frame: drawn once, with the latest data, in the same ImageData.
    await wrapper.setProps({ spins: new Int8Array(16).fill(-1), sweep: 2 })
    await wrapper.setProps({ spins: new Int8Array(16).fill(1), sweep: 3 })
    await nextFrame()
    expect(ctx.putImageData).toHaveBeenCalledTimes(2)
    expect(ctx.createImageData).toHaveBeenCalledTimes(1)
    expect(Array.from(image.data.slice(60, 64))).toEqual([244, 241, 232, 255])
    expect(wrapper.get('canvas').attributes('data-sweep')).toBe('3')

    // A new size gets a new ImageData of that size.
    await wrapper.setProps({ spins: new Int8Array(64).fill(1), L: 8, sweep: 0 })
    await nextFrame()
    expect(ctx.createImageData).toHaveBeenLastCalledWith(8, 8)
    wrapper.unmount()
  })

  it('draws a lattice larger than its square on screen at the screen’s resolution', async () => {
    const ctx = fakeContext()
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never)
    let report: ((entries: { contentRect: { width: number; height: number } }[]) => void) | null = null
    vi.stubGlobal(
      'ResizeObserver',
      class {
        constructor(callback: typeof report) {
          report = callback
        }
        observe(): void {}
        disconnect(): void {}
      }
    )
    const spins = new Int8Array(64).fill(1)
    const wrapper = mount(LatticeCanvas, { props: { spins, L: 8, sweep: 1 } })
    // Shown in a 6 × 4 px box: a 4 px square.
    report!([{ contentRect: { width: 6, height: 4 } }])
    await nextFrame()
    expect(ctx.createImageData).toHaveBeenLastCalledWith(4, 4)
    const canvas = wrapper.get('canvas').element as HTMLCanvasElement
    expect([canvas.width, canvas.height]).toEqual([4, 4])
    // Shown larger than the lattice: one pixel per spin again.
    report!([{ contentRect: { width: 300, height: 300 } }])
    await nextFrame()
    expect(ctx.createImageData).toHaveBeenLastCalledWith(8, 8)
    expect([canvas.width, canvas.height]).toEqual([8, 8])
    wrapper.unmount()
    vi.unstubAllGlobals()
  })

  it('explains what to do while there is nothing to draw', () => {
    const wrapper = mount(LatticeCanvas, { props: { spins: null, L: 16, sweep: 0, emptyText: 'Press Play.' } })
    expect(wrapper.text()).toContain('Press Play.')
    expect(wrapper.text()).toContain('spin up (+1)')
  })

  it('draws 1024² lattices, one pixel per spin (the paint time is a benchmark row)', async () => {
    const ctx = fakeContext()
    vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(ctx as never)
    const L = 1024
    const spins = new Int8Array(L * L).map((_, i) => (i % 3 ? 1 : -1))
    const wrapper = mount(LatticeCanvas, { props: { spins, L, sweep: 1 } })
    await nextFrame()
    expect(ctx.createImageData).toHaveBeenCalledWith(L, L)
    expect(ctx.putImageData).toHaveBeenCalledTimes(1)
    wrapper.unmount()

    // Its speed (goal: within a 30 fps frame) is measured by `npm run bench`, not timed here.
    const pixels = new Uint32Array(L * L)
    paintSpins(spins, pixels, 1, 2)
    expect(pixels.every((p, i) => p === (spins[i]! > 0 ? 1 : 2))).toBe(true)
  })
})
