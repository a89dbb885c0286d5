import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { BOND_X, BOND_Y, type Lattice } from '@core/lattice/types'
import {
  bondNear,
  bondSegments,
  fitView,
  latticeBounds,
  panBy,
  ROW,
  siteAt,
  sitesInBrush,
  sitesInRect,
  strokePoints,
  toScreen,
  toWorld,
  zoomAt,
  MAX_SCALE,
  type View
} from '../../src-renderer/src/logic/editor/geometry'

const square = (Lx = 5, Ly = 4, periodic = true, diagonals = false): Lattice =>
  buildLattice({ kind: 'square', Lx, Ly, periodicX: periodic, periodicY: periodic, diagonals })
const triangular = (Lx = 6, Ly = 6): Lattice => buildLattice({ kind: 'triangular', Lx, Ly })
const views: View[] = [
  { scale: 20, offsetX: 30, offsetY: 40 },
  { scale: 3.5, offsetX: -12.25, offsetY: 7 },
  { scale: 57, offsetX: 0, offsetY: -100 }
]

/** Screen position of a site centre, nudged by (dx, dy) grid units. */
const at = (lattice: Lattice, view: View, i: number, dx = 0, dy = 0) =>
  toScreen(view, lattice.x[i] + dx, lattice.y[i] + dy)

describe('siteAt', () => {
  it('finds every site of a square grid at its centre and near its cell edges, under several views', () => {
    const lattice = square()
    for (const view of views) {
      for (let i = 0; i < lattice.N; i++) {
        for (const [dx, dy] of [
          [0, 0],
          [0.45, 0.45],
          [-0.45, 0.3],
          [0.2, -0.49]
        ]) {
          const [px, py] = at(lattice, view, i, dx, dy)
          expect(siteAt(lattice, px, py, view)).toBe(i)
        }
      }
    }
  })

  it('returns null outside the lattice', () => {
    const lattice = square()
    const view = views[0]
    expect(siteAt(lattice, ...at(lattice, view, 0, -0.6, 0), view)).toBeNull()
    expect(siteAt(lattice, ...at(lattice, view, lattice.N - 1, 0, 0.6), view)).toBeNull()
    expect(siteAt(lattice, ...toScreen(view, 4.6, 0), view)).toBeNull()
  })

  it('follows the sheared rows of the triangular lattice', () => {
    const lattice = triangular()
    for (const view of views) {
      for (let i = 0; i < lattice.N; i++) {
        for (const [dx, dy] of [
          [0, 0],
          [0.45, 0],
          [-0.45, 0.4 * ROW],
          [0.3, -0.4 * ROW]
        ]) {
          expect(siteAt(lattice, ...at(lattice, view, i, dx, dy), view)).toBe(i)
        }
      }
    }
    // Row 1 is shifted half a cell left: its first site is at x = −½.
    const view = views[0]
    expect(siteAt(lattice, ...toScreen(view, -0.5, ROW), view)).toBe(6)
    expect(siteAt(lattice, ...toScreen(view, -0.55, 0), view)).toBeNull()
  })

  it('handles chains and graphs (nearest site within half a unit)', () => {
    const chain = buildLattice({ kind: 'chain', N: 7, periodic: false })
    const view = views[1]
    expect(siteAt(chain, ...at(chain, view, 3, 0.4, 0.4), view)).toBe(3)
    expect(siteAt(chain, ...at(chain, view, 3, 0, 0.6), view)).toBeNull()
    const graph = buildLattice({
      kind: 'graph',
      N: 12,
      bonds: [
        [0, 1],
        [1, 2],
        [5, 9]
      ]
    })
    expect(siteAt(graph, ...at(graph, view, 9, 0.2, -0.2), view)).toBe(9)
    expect(siteAt(graph, ...at(graph, view, 9, 0.5, 0.5), view)).toBeNull()
  })

  it('tracks zoom about a point and panning', () => {
    const lattice = square(8, 8)
    let view = fitView(lattice, 400, 300)
    const target = at(lattice, view, 27)
    view = zoomAt(view, target[0], target[1], 3.7)
    expect(siteAt(lattice, target[0], target[1], view)).toBe(27)
    view = panBy(view, 2 * view.scale, -view.scale)
    expect(siteAt(lattice, target[0], target[1], view)).toBe(27 - 2 + 8)
  })
})

describe('bondNear', () => {
  it('picks the bond whose line passes nearest on a square grid', () => {
    const lattice = square(5, 4, false)
    for (const view of views) {
      for (let b = 0; b < lattice.bondI.length; b++) {
        const [x0, y0, x1, y1] = bondSegments(lattice, b)[0]
        const [px, py] = toScreen(view, x0 + 0.5 * (x1 - x0), y0 + 0.5 * (y1 - y0))
        expect(bondNear(lattice, px, py, view)).toBe(b)
      }
    }
  })

  it('reaches wrap-around bonds on a periodic grid through their stubs', () => {
    const lattice = square(5, 4, true)
    const view = views[0]
    const wrap = Array.from(lattice.bondI).findIndex((i, b) => i === 4 && lattice.bondJ[b] === 0)
    expect(lattice.bondKind[wrap]).toBe(BOND_X)
    expect(bondSegments(lattice, wrap)).toHaveLength(2)
    expect(bondNear(lattice, ...toScreen(view, 4.4, 0.05), view)).toBe(wrap)
    expect(bondNear(lattice, ...toScreen(view, -0.4, -0.05), view)).toBe(wrap)
  })

  it('works on the triangular lattice, diagonals included', () => {
    const lattice = triangular()
    for (const view of views) {
      for (let b = 0; b < lattice.bondI.length; b++) {
        for (const [x0, y0, x1, y1] of bondSegments(lattice, b)) {
          const t = bondSegments(lattice, b).length === 1 ? 0.5 : 0.7
          const [px, py] = toScreen(view, x0 + t * (x1 - x0), y0 + t * (y1 - y0))
          if (
            bondSegments(lattice, b).length === 1 ||
            (x0 === lattice.x[lattice.bondI[b]] && y0 === lattice.y[lattice.bondI[b]])
          ) {
            expect(bondNear(lattice, px, py, view)).toBe(b)
          }
        }
      }
    }
  })

  it('returns null far from every bond, and scans graphs', () => {
    const lattice = square(3, 3, false)
    expect(bondNear(lattice, ...toScreen(views[0], 10, 10), views[0])).toBeNull()
    const graph = buildLattice({
      kind: 'graph',
      N: 12,
      bonds: [
        [0, 6],
        [2, 3]
      ]
    })
    const [x0, y0, x1, y1] = bondSegments(graph, 0)[0]
    expect(bondNear(graph, ...toScreen(views[0], (x0 + x1) / 2, (y0 + y1) / 2), views[0])).toBe(0)
  })
})

describe('rectangles and brushes', () => {
  it('selects the sites whose centres are inside a rectangle, open or periodic alike', () => {
    for (const periodic of [false, true]) {
      const lattice = square(5, 4, periodic)
      expect(Array.from(sitesInRect(lattice, { x0: 0.6, y0: 0.5, x1: 2.2, y1: 2 }))).toEqual([6, 7, 11, 12])
      expect(sitesInRect(lattice, { x0: -9, y0: -9, x1: 99, y1: 99 })).toHaveLength(20)
      expect(sitesInRect(lattice, { x0: 5.1, y0: 0, x1: 9, y1: 3 })).toHaveLength(0)
      expect(Array.from(sitesInRect(lattice, { x0: 1, y0: 1, x1: 1, y1: 1 }))).toEqual([6])
    }
  })

  it('selects sheared rows on the triangular lattice', () => {
    const lattice = triangular(4, 3)
    // Row 0 at x 0..3, row 1 at x −½..2½, row 2 at x −1..2.
    expect(Array.from(sitesInRect(lattice, { x0: -0.1, y0: -0.1, x1: 1.1, y1: 2 * ROW + 0.1 }))).toEqual([
      0, 1, 5, 9, 10
    ])
  })

  it('brushes a disc of sites around a point', () => {
    const lattice = square(7, 7, false)
    expect(Array.from(sitesInBrush(lattice, 3, 3, 0))).toEqual([24])
    expect(Array.from(sitesInBrush(lattice, 3, 3, 1))).toEqual([17, 23, 24, 25, 31])
    expect(sitesInBrush(lattice, 3, 3, 2)).toHaveLength(13)
    expect(Array.from(sitesInBrush(lattice, 0, 0, 1))).toEqual([0, 1, 7])
    const tri = triangular(6, 6)
    expect(sitesInBrush(tri, tri.x[14], tri.y[14], 1)).toHaveLength(7)
    expect(() => sitesInBrush(lattice, 0, 0, -1)).toThrow(/radius/)
  })

  it('samples a fast stroke every half unit', () => {
    const pts = strokePoints(0, 0, 2, 0)
    expect(pts).toEqual([
      [0.5, 0],
      [1, 0],
      [1.5, 0],
      [2, 0]
    ])
    expect(strokePoints(1, 1, 1, 1)).toEqual([[1, 1]])
  })
})

describe('view transform', () => {
  it('fits the whole drawing inside the box, centred', () => {
    for (const lattice of [square(5, 4), triangular(6, 6), buildLattice({ kind: 'chain', N: 40, periodic: true })]) {
      const view = fitView(lattice, 300, 200, 10)
      const b = latticeBounds(lattice)
      const [x0, y0] = toScreen(view, b.x0, b.y0)
      const [x1, y1] = toScreen(view, b.x1, b.y1)
      expect(x0).toBeGreaterThanOrEqual(10 - 1e-9)
      expect(y0).toBeGreaterThanOrEqual(10 - 1e-9)
      expect(x1).toBeLessThanOrEqual(290 + 1e-9)
      expect(y1).toBeLessThanOrEqual(190 + 1e-9)
      expect((x0 + x1) / 2).toBeCloseTo(150, 9)
      expect((y0 + y1) / 2).toBeCloseTo(100, 9)
      expect(Math.min(x0 - 10, 290 - x1, y0 - 10, 190 - y1)).toBeCloseTo(0, 9)
    }
  })

  it('zooms about the cursor and clamps the scale', () => {
    const view = { scale: 10, offsetX: 5, offsetY: -3 }
    const before = toWorld(view, 123, 45)
    const zoomed = zoomAt(view, 123, 45, 2.5)
    expect(zoomed.scale).toBe(25)
    const after = toWorld(zoomed, 123, 45)
    expect(after[0]).toBeCloseTo(before[0], 12)
    expect(after[1]).toBeCloseTo(before[1], 12)
    expect(zoomAt(view, 0, 0, 1e9).scale).toBe(MAX_SCALE)
    expect(toWorld(view, ...toScreen(view, 3.25, -1.5))).toEqual([3.25, -1.5])
  })

  it('draws wrap-around bonds as stubs and ordinary ones site to site', () => {
    const lattice = square(3, 3, true)
    const yWrap = Array.from(lattice.bondI).findIndex((i, b) => lattice.bondKind[b] === BOND_Y && i === 6)
    expect(bondSegments(lattice, yWrap)).toEqual([
      [0, 2, 0, 2.5],
      [0, -0.5, 0, 0]
    ])
    expect(bondSegments(lattice, 0)).toEqual([[0, 0, 1, 0]])
  })
})
