import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { presetModel, uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Lattice } from '@core/lattice/types'
import { applyEdit, type ArrayEdit, type EditorDocument } from '../../src-renderer/src/logic/editor/document'
import { fitView, toScreen, sitesInRect, type View } from '../../src-renderer/src/logic/editor/geometry'
import {
  applyPreset,
  applyUniform,
  bondsTouchingSites,
  bondsWithin,
  brushRadius,
  paintSpins,
  replaceModel,
  setCouplings,
  setFields
} from '../../src-renderer/src/logic/editor/tools'
import {
  brushTargets,
  rectTargets,
  strokeTargets,
  toolEdit,
  type ToolSettings
} from '../../src-renderer/src/logic/editor/interaction'

const grid = (L: number, periodic: boolean): Lattice =>
  buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: periodic, periodicY: periodic })
const docOf = (lattice: Lattice, K = 0.4): EditorDocument => ({
  model: uniformModel(lattice, { K }),
  spins: new Int8Array(lattice.N).fill(1)
})
const pairs = (lattice: Lattice, bonds: Int32Array) => Array.from(bonds, (b) => [lattice.bondI[b], lattice.bondJ[b]])

describe('spin tools', () => {
  it('paint up, down and flip exactly the given sites', () => {
    const doc = docOf(grid(4, true))
    doc.spins[2] = -1
    const down = paintSpins(doc, [1, 2, 3], 'down')!
    expect(down.label).toBe('Paint spins down')
    expect(Array.from(down.indices)).toEqual([1, 3])
    applyEdit(doc, down)
    const up = paintSpins(doc, [0, 1], 'up')!
    expect(Array.from(up.indices)).toEqual([1])
    const flip = paintSpins(doc, [0, 1, 2], 'flip')!
    expect(Array.from(flip.after)).toEqual([-1, 1, 1])
    expect(Array.from(flip.before)).toEqual([1, -1, -1])
  })

  it('randomise reproducibly, drawing one number per site even where nothing changes', () => {
    const doc = docOf(grid(4, true))
    const a = paintSpins(doc, [0, 1, 2, 3, 4, 5, 6, 7], 'random', xoshiro128ss(9))!
    const b = paintSpins(doc, [0, 1, 2, 3, 4, 5, 6, 7], 'random', xoshiro128ss(9))!
    expect(a).toEqual(b)
    const rng = xoshiro128ss(9)
    const expected = Array.from({ length: 8 }, () => (rng.nextFloat() < 0.5 ? 1 : -1))
    expect(Array.from(a.indices)).toEqual(expected.flatMap((v, i) => (v === -1 ? [i] : [])))
    expect(() => paintSpins(doc, [0], 'random')).toThrow(/generator/)
  })
})

describe('coupling and field tools', () => {
  it('set K_ij and K_i with a label, skipping entries already at the value', () => {
    const doc = docOf(grid(4, true))
    const e = setCouplings(doc, [0, 1, 2], -1.5)!
    expect(e.target).toBe('couplings')
    expect(e.label).toBe('Set K_ij = -1.5')
    expect(Array.from(e.before)).toEqual([0.4, 0.4, 0.4])
    expect(setCouplings(doc, [0], 0.4)).toBeNull()
    const f = setFields(doc, [5], 0.25)!
    expect([f.target, Array.from(f.indices), Array.from(f.after)]).toEqual(['fields', [5], [0.25]])
  })

  it('reject values that are not finite or exceed the coupling limit', () => {
    const doc = docOf(grid(4, true))
    for (const bad of [NaN, Infinity, 10.5, -11]) {
      expect(() => setCouplings(doc, [0], bad)).toThrow(/K_ij must be a finite number in \[−10, 10\]/)
      expect(() => setFields(doc, [0], bad)).toThrow(/K_i must be/)
    }
    expect(setCouplings(doc, [0], -10)).not.toBeNull()
  })
})

describe('bond selections', () => {
  it('bonds touching sites: each once, the wrap-around ones included on a torus', () => {
    const lattice = grid(4, true)
    expect(bondsTouchingSites(lattice, [0])).toHaveLength(4)
    expect(bondsTouchingSites(lattice, [0, 1])).toHaveLength(7)
    const open = grid(4, false)
    expect(bondsTouchingSites(open, [0])).toHaveLength(2)
  })

  it('a rectangle sets the bonds with both ends inside, on open and periodic grids', () => {
    for (const periodic of [false, true]) {
      const lattice = grid(4, periodic)
      const inner = bondsWithin(lattice, sitesInRect(lattice, { x0: 0.5, y0: 0.5, x1: 2.5, y1: 2.5 }))
      expect(pairs(lattice, inner).sort()).toEqual(
        [
          [5, 6],
          [5, 9],
          [6, 10],
          [9, 10]
        ].sort()
      )
      // A full-width strip of one row holds that row's ring of x bonds: 4 when periodic, 3 when open.
      const row = bondsWithin(lattice, sitesInRect(lattice, { x0: -1, y0: 0, x1: 9, y1: 0 }))
      expect(row).toHaveLength(periodic ? 4 : 3)
      const all = bondsWithin(lattice, sitesInRect(lattice, { x0: -1, y0: -1, x1: 9, y1: 9 }))
      expect(all).toHaveLength(lattice.bondI.length)
    }
  })
})

describe('whole-model edits', () => {
  it('apply uniform couplings on the same lattice, keeping the spins', () => {
    const doc = docOf(grid(4, true))
    const e = applyUniform(doc, { K: -0.2, h: 0.1 })
    expect(e.label).toBe('Apply uniform couplings')
    expect(e.after.model.lattice).toBe(doc.model.lattice)
    expect(e.after.spins).toBe(doc.spins)
    expect(Array.from(new Set(e.after.model.couplings))).toEqual([-0.2])
    expect(doc.model.couplings[0]).toBe(0.4) // nothing applied yet
  })

  it('apply presets reproducibly from their seed; a new size resets spins to up', () => {
    const doc = docOf(grid(4, true))
    doc.spins[0] = -1
    const a = applyPreset(doc, { name: 'spin-glass', L: 8, seed: 5 })
    const b = applyPreset(doc, { name: 'spin-glass', L: 8, seed: 5 })
    expect(Array.from(a.after.model.couplings)).toEqual(Array.from(b.after.model.couplings))
    expect(Array.from(a.after.model.couplings)).toEqual(
      Array.from(presetModel('spin-glass', { L: 8, rng: xoshiro128ss(5) }).couplings)
    )
    expect(a.after.spins).toEqual(new Int8Array(64).fill(1))
    expect(a.label).toBe('Preset: Spin glass (±K)')
    const same = applyPreset(doc, { name: 'antiferromagnet', L: 4, seed: 0 })
    expect(same.after.spins).toBe(doc.spins)
    expect(applyPreset(doc, { name: 'paper-40x40', L: 4, seed: 0 }).after.model.lattice.N).toBe(1600)
    expect(() => replaceModel(doc, doc.model, 'x', new Int8Array(3))).toThrow(/expected 16 spins/)
  })
})

describe('brushes and strokes', () => {
  const lattice = grid(8, false)
  const view: View = { scale: 20, offsetX: 10, offsetY: 10 }
  const centre = (i: number) => toScreen(view, lattice.x[i], lattice.y[i])
  const settings = (over: Partial<ToolSettings>): ToolSettings => ({
    tool: 'spin-down',
    brushSize: 1,
    value: 0.5,
    rect: false,
    rng: xoshiro128ss(1),
    ...over
  })

  it('maps brush sizes to radii per tool', () => {
    expect([
      brushRadius('spin-up', 1),
      brushRadius('fields', 3),
      brushRadius('bonds', 1),
      brushRadius('bonds', 2)
    ]).toEqual([0, 2, -1, 0])
  })

  it('brush 1 hits the site under the pointer; bigger brushes add rings; bonds pick the nearest or the touching ones', () => {
    expect(Array.from(brushTargets(lattice, 'spin-up', 1, view, ...centre(27)))).toEqual([27])
    expect(Array.from(brushTargets(lattice, 'fields', 2, view, ...centre(27)))).toEqual([19, 26, 27, 28, 35])
    const [x, y] = toScreen(view, 3.5, 3.1) // between sites 27 and 28
    expect(pairs(lattice, brushTargets(lattice, 'bonds', 1, view, x, y))).toEqual([[27, 28]])
    expect(brushTargets(lattice, 'bonds', 2, view, ...centre(27))).toHaveLength(4)
    expect(brushTargets(lattice, 'spin-up', 1, view, -50, -50)).toHaveLength(0)
    expect(Array.from(brushTargets(lattice, 'spin-up', 2, view, ...toScreen(view, -0.8, 0)))).toEqual([0])
  })

  it('a stroke fills the gaps of a fast move and touches each site once', () => {
    const touched = new Set<number>()
    const first = strokeTargets(lattice, 'flip', 1, view, null, centre(0), touched)
    expect(Array.from(first)).toEqual([0])
    const sweep = strokeTargets(lattice, 'flip', 1, view, centre(0), centre(5), touched)
    expect(Array.from(sweep)).toEqual([1, 2, 3, 4, 5])
    const back = strokeTargets(lattice, 'flip', 1, view, centre(5), centre(0), touched)
    expect(back).toHaveLength(0)
  })

  it('tool edits follow the tool and its value; an invalid value makes no edit', () => {
    const doc = docOf(lattice)
    const idx = Int32Array.of(3, 4)
    expect((toolEdit(doc, settings({}), idx, 7) as ArrayEdit).stroke).toBe(7)
    expect(toolEdit(doc, settings({ tool: 'fields' }), idx)!.target).toBe('fields')
    expect(toolEdit(doc, settings({ tool: 'bonds' }), idx)!.target).toBe('couplings')
    expect(toolEdit(doc, settings({ tool: 'bonds', value: null }), idx)).toBeNull()
    expect(toolEdit(doc, settings({ tool: 'pan' }), idx)).toBeNull()
    expect(toolEdit(doc, settings({}), new Int32Array(0))).toBeNull()
  })

  it('rectangles select sites, or bonds with both ends inside, from screen corners in any order', () => {
    const fitted = fitView(lattice, 200, 200)
    const a = toScreen(fitted, 0.6, 0.6)
    const b = toScreen(fitted, 2.4, 1.4)
    expect(Array.from(rectTargets(lattice, 'fields', fitted, b, a))).toEqual([9, 10])
    expect(pairs(lattice, rectTargets(lattice, 'bonds', fitted, a, b))).toEqual([[9, 10]])
  })
})
