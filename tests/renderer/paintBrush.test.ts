import { describe, expect, it } from 'vitest'
import { brushSites, cellAt, paintValues } from '../../src-renderer/src/logic/paintBrush'

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
})
