import { describe, expect, it } from 'vitest'
import { backingSide, fillSpinImage, sampleIndex } from '../../src-renderer/src/logic/spinImage'
import { chartIntervalMs } from '../../src-renderer/src/charts/liveOptions'

const UP = 0xffe8f1f4
const DOWN = 0xff382a20

describe('spin images', () => {
  it('holds one pixel per spin unless the lattice is larger than its square on screen', () => {
    expect(backingSide(128, 372)).toBe(128)
    expect(backingSide(1024, 490)).toBe(490)
    expect(backingSide(1024, 489.2)).toBe(490)
    expect(backingSide(1024, 490, 2)).toBe(980)
    expect(backingSide(1024, 0)).toBe(1024)
  })

  it('colours +1 and −1 spins one pixel each, for any pair of colours', () => {
    const spins = Int8Array.from([1, -1, -1, 1, 1, 1, -1, -1, 1])
    const pixels = new Uint32Array(9)
    fillSpinImage(spins, 3, pixels, 3, UP, DOWN)
    expect(Array.from(pixels)).toEqual(Array.from(spins, (s) => (s > 0 ? UP : DOWN)))
    fillSpinImage(spins, 3, pixels, 3, 0x00000000, 0xffffffff)
    expect(Array.from(pixels)).toEqual(Array.from(spins, (s) => (s > 0 ? 0 : 0xffffffff)))
  })

  it('shows a larger lattice at screen resolution: each pixel the spin under its centre', () => {
    const L = 10
    // Spin (x, y) is +1 exactly where x + 2y is a multiple of 3.
    const spins = Int8Array.from({ length: L * L }, (_, i) => (((i % L) + 2 * Math.floor(i / L)) % 3 === 0 ? 1 : -1))
    const side = 4
    const pixels = new Uint32Array(side * side)
    fillSpinImage(spins, L, pixels, side, UP, DOWN)
    const cells = Array.from(sampleIndex(L, side))
    expect(cells).toEqual([1, 3, 6, 8])
    for (let py = 0; py < side; py++)
      for (let px = 0; px < side; px++)
        expect(pixels[py * side + px], `${px},${py}`).toBe(spins[cells[py]! * L + cells[px]!]! > 0 ? UP : DOWN)
  })

  it('redraws the charts of a large lattice less often', () => {
    expect(chartIntervalMs(128)).toBe(100)
    expect(chartIntervalMs(1024)).toBe(250)
  })
})
