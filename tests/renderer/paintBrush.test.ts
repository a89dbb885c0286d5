import { describe, expect, it } from 'vitest'
import { brushSites, cellAt, cellsBetween, paintValues } from '../../src-renderer/src/logic/paintBrush'

describe('painting spins', () => {
  it('a radius-0 brush is one site; radius 1 is the site and its four neighbours', () => {
    expect(Array.from(brushSites(8, 3, 2, 0))).toEqual([19])
    expect(Array.from(brushSites(8, 3, 2, 1))).toEqual([11, 18, 19, 20, 27])
  })

  it('wraps across the periodic boundary without duplicates', () => {
    // Corner (0,0) on a 4×4 torus with radius 1: itself, right, left (x=3), down, up (y=3).
    expect(Array.from(brushSites(4, 0, 0, 1))).toEqual([0, 1, 3, 4, 12])
    // A brush larger than the lattice covers it exactly once.
    expect(Array.from(brushSites(4, 1, 1, 10))).toEqual(Array.from({ length: 16 }, (_, i) => i))
  })

  it('writes +1, −1, or the flipped current value', () => {
    const spins = Int8Array.of(1, -1, 1, -1)
    const sites = Int32Array.of(0, 1, 3)
    expect(Array.from(paintValues(spins, sites, 'up'))).toEqual([1, 1, 1])
    expect(Array.from(paintValues(spins, sites, 'down'))).toEqual([-1, -1, -1])
    expect(Array.from(paintValues(spins, sites, 'flip'))).toEqual([-1, 1, 1])
  })

  it('maps a pointer to its cell, and nothing outside the lattice', () => {
    expect(cellAt(16, 0, 0, 320, 320)).toEqual({ x: 0, y: 0 })
    expect(cellAt(16, 319.9, 21, 320, 320)).toEqual({ x: 15, y: 1 })
    expect(cellAt(16, 320, 10, 320, 320)).toBeNull()
    expect(cellAt(16, -1, 10, 320, 320)).toBeNull()
    expect(cellAt(16, 5, 5, 0, 0)).toBeNull()
  })

  it('maps through the drawn square when the element is wider or taller than the lattice', () => {
    // 600×300 element: the square is 300 px wide and starts 150 px in.
    expect(cellAt(16, 150 + 2.5 * 18.75, 64 * 0 + 9.5 * 18.75, 600, 300)).toEqual({ x: 2, y: 9 })
    expect(cellAt(16, 100, 100, 600, 300)).toBeNull()
    expect(cellAt(16, 500, 100, 600, 300)).toBeNull()
    // 300×500 element: the square starts 100 px down.
    expect(cellAt(16, 10, 100 + 15.5 * 18.75, 300, 500)).toEqual({ x: 0, y: 15 })
  })

  it('fills the cells between two pointer events, end included, start excluded', () => {
    expect(cellsBetween({ x: 0, y: 0 }, { x: 3, y: 1 })).toEqual([
      { x: 1, y: 0 },
      { x: 2, y: 1 },
      { x: 3, y: 1 }
    ])
    expect(cellsBetween({ x: 2, y: 2 }, { x: 2, y: 2 })).toEqual([])
    expect(cellsBetween({ x: 5, y: 5 }, { x: 5, y: 2 }).map((c) => c.y)).toEqual([4, 3, 2])
  })
})
