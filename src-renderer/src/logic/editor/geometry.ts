import { BOND_ANTIDIAGONAL, BOND_DIAGONAL, BOND_X, BOND_Y, type Lattice } from '@core/lattice/types'

/**
 * Screen geometry of a lattice drawing. World coordinates are the sites' drawing positions
 * (lattice.x, lattice.y; one grid unit between nearest neighbours); screen = world · scale + offset,
 * in CSS pixels. Each site owns a cell of the plane: a unit square on chains and square grids, a
 * 1 × √3/2 brick on the triangular lattice (rows shifted by half a cell: the sheared grid), a disc
 * of radius ½ on graphs. Grids use index arithmetic (O(1) hit tests), graphs a linear scan.
 */
export interface View {
  /** CSS pixels per grid unit. */
  scale: number
  offsetX: number
  offsetY: number
}

/** Row spacing of the triangular lattice. */
export const ROW = Math.sqrt(3) / 2
export const MIN_SCALE = 0.05
export const MAX_SCALE = 400

export type GridKind = 'square' | 'triangular' | 'graph'

/** Chains are square grids of one row. */
export function gridKind(lattice: Lattice): GridKind {
  const kind = lattice.spec.kind
  return kind === 'triangular' ? 'triangular' : kind === 'graph' ? 'graph' : 'square'
}

export function toWorld(view: View, px: number, py: number): [number, number] {
  return [(px - view.offsetX) / view.scale, (py - view.offsetY) / view.scale]
}

export function toScreen(view: View, wx: number, wy: number): [number, number] {
  return [wx * view.scale + view.offsetX, wy * view.scale + view.offsetY]
}

/** Height of a site's cell in grid units. */
export const cellHeight = (lattice: Lattice): number => (gridKind(lattice) === 'triangular' ? ROW : 1)

/** The site whose cell contains world point (wx, wy), or null. */
export function siteAtWorld(lattice: Lattice, wx: number, wy: number): number | null {
  const kind = gridKind(lattice)
  if (kind === 'graph') {
    let best: number | null = null
    let bestD = 0.25 // radius ½, squared
    for (let i = 0; i < lattice.N; i++) {
      const d = (lattice.x[i] - wx) ** 2 + (lattice.y[i] - wy) ** 2
      if (d <= bestD) [best, bestD] = [i, d]
    }
    return best
  }
  const cy = kind === 'triangular' ? Math.round(wy / ROW) : Math.round(wy)
  const cx = Math.round(kind === 'triangular' ? wx + cy / 2 : wx)
  if (cx < 0 || cy < 0 || cx >= lattice.Lx || cy >= lattice.Ly) return null
  return cy * lattice.Lx + cx
}

/** Hit test in screen space: the site under the pointer, or null. */
export function siteAt(lattice: Lattice, px: number, py: number, view: View): number | null {
  const [wx, wy] = toWorld(view, px, py)
  return siteAtWorld(lattice, wx, wy)
}

/** Displacement from bondI to bondJ when the bond does not wrap around a periodic edge. */
function bondDelta(lattice: Lattice, b: number): [number, number] {
  const kind = gridKind(lattice)
  const k = lattice.bondKind[b]
  if (kind === 'graph') {
    const i = lattice.bondI[b]
    const j = lattice.bondJ[b]
    return [lattice.x[j] - lattice.x[i], lattice.y[j] - lattice.y[i]]
  }
  const tri = kind === 'triangular'
  if (k === BOND_X) return [1, 0]
  if (k === BOND_Y) return tri ? [-0.5, ROW] : [0, 1]
  if (k === BOND_DIAGONAL) return tri ? [0.5, ROW] : [1, 1]
  if (k === BOND_ANTIDIAGONAL) return [-1, 1]
  throw new RangeError(`bond ${b} has unknown kind ${k}`)
}

/**
 * The line segments that draw bond b, in world units: [x0, y0, x1, y1] site to site, or — for a
 * bond wrapping around a periodic edge — two half-length stubs pointing out of each end.
 */
export function bondSegments(lattice: Lattice, b: number): number[][] {
  const i = lattice.bondI[b]
  const j = lattice.bondJ[b]
  const [dx, dy] = bondDelta(lattice, b)
  const xi = lattice.x[i]
  const yi = lattice.y[i]
  const xj = lattice.x[j]
  const yj = lattice.y[j]
  if (Math.abs(xj - xi - dx) < 1e-9 && Math.abs(yj - yi - dy) < 1e-9) return [[xi, yi, xj, yj]]
  return [
    [xi, yi, xi + dx / 2, yi + dy / 2],
    [xj - dx / 2, yj - dy / 2, xj, yj]
  ]
}

/** Squared distance from (px, py) to the segment [x0, y0, x1, y1]. */
export function segmentDistance2(px: number, py: number, [x0, y0, x1, y1]: number[]): number {
  const vx = x1 - x0
  const vy = y1 - y0
  const len2 = vx * vx + vy * vy
  const t = len2 === 0 ? 0 : Math.min(1, Math.max(0, ((px - x0) * vx + (py - y0) * vy) / len2))
  return (px - x0 - t * vx) ** 2 + (py - y0 - t * vy) ** 2
}

/** Sites whose bonds can be nearest to a world point: the 3×3 cells around it (grids), all (graphs). */
function candidateSites(lattice: Lattice, wx: number, wy: number): Iterable<number> {
  const kind = gridKind(lattice)
  if (kind === 'graph') return Array.from({ length: lattice.N }, (_, i) => i)
  const out: number[] = []
  const cy0 = kind === 'triangular' ? Math.round(wy / ROW) : Math.round(wy)
  for (let cy = cy0 - 1; cy <= cy0 + 1; cy++) {
    if (cy < 0 || cy >= lattice.Ly) continue
    const cx0 = Math.round(kind === 'triangular' ? wx + cy / 2 : wx)
    for (let cx = cx0 - 1; cx <= cx0 + 1; cx++) if (cx >= 0 && cx < lattice.Lx) out.push(cy * lattice.Lx + cx)
  }
  return out
}

/**
 * The bond drawn nearest to the pointer, or null when none is within `max(½ grid unit, minPx)`.
 * O(1) on grids (bonds of the 3×3 cells around the point), linear on graphs.
 */
export function bondNear(lattice: Lattice, px: number, py: number, view: View, minPx = 6): number | null {
  const [wx, wy] = toWorld(view, px, py)
  const limit = Math.max(0.5, minPx / view.scale)
  let best: number | null = null
  let bestD = limit * limit
  const seen = new Set<number>()
  for (const i of candidateSites(lattice, wx, wy)) {
    for (let k = lattice.adjStart[i]; k < lattice.adjStart[i + 1]; k++) {
      const b = lattice.adjBond[k]
      if (seen.has(b)) continue
      seen.add(b)
      for (const seg of bondSegments(lattice, b)) {
        const d = segmentDistance2(wx, wy, seg)
        if (d < bestD || (d === bestD && best !== null && b < best)) [best, bestD] = [b, d]
      }
    }
  }
  return best
}

export interface Rect {
  x0: number
  y0: number
  x1: number
  y1: number
}

/** Normalises a rectangle given by two corners. */
export function rectFromCorners(ax: number, ay: number, bx: number, by: number): Rect {
  return { x0: Math.min(ax, bx), y0: Math.min(ay, by), x1: Math.max(ax, bx), y1: Math.max(ay, by) }
}

/** A screen rectangle in world units. */
export function screenRectToWorld(view: View, r: Rect): Rect {
  const [x0, y0] = toWorld(view, r.x0, r.y0)
  const [x1, y1] = toWorld(view, r.x1, r.y1)
  return rectFromCorners(x0, y0, x1, y1)
}

/**
 * Visits the sites whose centre lies in the world rectangle (edges included), row by row.
 * Grids visit only the rows and columns inside; graphs scan every site.
 */
export function forEachSiteInRect(lattice: Lattice, r: Rect, visit: (site: number) => void): void {
  const kind = gridKind(lattice)
  if (kind === 'graph') {
    for (let i = 0; i < lattice.N; i++) {
      const x = lattice.x[i]
      const y = lattice.y[i]
      if (x >= r.x0 && x <= r.x1 && y >= r.y0 && y <= r.y1) visit(i)
    }
    return
  }
  const eps = 1e-9
  const rowH = kind === 'triangular' ? ROW : 1
  const cyMin = Math.max(0, Math.ceil(r.y0 / rowH - eps))
  const cyMax = Math.min(lattice.Ly - 1, Math.floor(r.y1 / rowH + eps))
  for (let cy = cyMin; cy <= cyMax; cy++) {
    const shift = kind === 'triangular' ? cy / 2 : 0
    const cxMin = Math.max(0, Math.ceil(r.x0 + shift - eps))
    const cxMax = Math.min(lattice.Lx - 1, Math.floor(r.x1 + shift + eps))
    for (let cx = cxMin; cx <= cxMax; cx++) visit(cy * lattice.Lx + cx)
  }
}

/** Sites with centres inside a world rectangle, in increasing index order. */
export function sitesInRect(lattice: Lattice, r: Rect): Int32Array {
  const out: number[] = []
  forEachSiteInRect(lattice, r, (i) => out.push(i))
  return Int32Array.from(out).sort()
}

/** Sites within `radius` grid units of a world point (radius 0: the site at that point only). */
export function sitesInBrush(lattice: Lattice, cx: number, cy: number, radius: number): Int32Array {
  if (!(radius >= 0)) throw new RangeError(`brush radius must be ≥ 0, got ${radius}`)
  const r2 = radius * radius + 1e-9
  const out: number[] = []
  forEachSiteInRect(lattice, { x0: cx - radius, y0: cy - radius, x1: cx + radius, y1: cy + radius }, (i) => {
    if ((lattice.x[i] - cx) ** 2 + (lattice.y[i] - cy) ** 2 <= r2) out.push(i)
  })
  return Int32Array.from(out).sort()
}

/** World extent of the drawing, cells included. */
export function latticeBounds(lattice: Lattice): Rect {
  let x0 = Infinity
  let y0 = Infinity
  let x1 = -Infinity
  let y1 = -Infinity
  for (let i = 0; i < lattice.N; i++) {
    x0 = Math.min(x0, lattice.x[i])
    x1 = Math.max(x1, lattice.x[i])
    y0 = Math.min(y0, lattice.y[i])
    y1 = Math.max(y1, lattice.y[i])
  }
  const h = cellHeight(lattice) / 2
  return { x0: x0 - 0.5, y0: y0 - h, x1: x1 + 0.5, y1: y1 + h }
}

/** The view that shows the whole lattice centred in a width × height box with a margin. */
export function fitView(lattice: Lattice, width: number, height: number, margin = 12): View {
  const b = latticeBounds(lattice)
  const w = Math.max(1, width - 2 * margin)
  const h = Math.max(1, height - 2 * margin)
  const scale = clampScale(Math.min(w / (b.x1 - b.x0), h / (b.y1 - b.y0)))
  return { scale, offsetX: width / 2 - (scale * (b.x0 + b.x1)) / 2, offsetY: height / 2 - (scale * (b.y0 + b.y1)) / 2 }
}

export const clampScale = (s: number): number => Math.min(MAX_SCALE, Math.max(MIN_SCALE, s))

/** Zooms by `factor` keeping the world point under screen point (px, py) fixed. */
export function zoomAt(view: View, px: number, py: number, factor: number): View {
  const scale = clampScale(view.scale * factor)
  const k = scale / view.scale
  return { scale, offsetX: px - (px - view.offsetX) * k, offsetY: py - (py - view.offsetY) * k }
}

/** Moves the drawing by (dx, dy) screen pixels. */
export function panBy(view: View, dx: number, dy: number): View {
  return { scale: view.scale, offsetX: view.offsetX + dx, offsetY: view.offsetY + dy }
}

/**
 * Brush positions along a pointer move from a to b (world units), spaced at most half a grid
 * unit apart, so a fast stroke leaves no gaps. Includes b, excludes a.
 */
export function strokePoints(ax: number, ay: number, bx: number, by: number): [number, number][] {
  const steps = Math.max(1, Math.ceil(Math.hypot(bx - ax, by - ay) / 0.5))
  const out: [number, number][] = []
  for (let s = 1; s <= steps; s++) out.push([ax + ((bx - ax) * s) / steps, ay + ((by - ay) * s) / steps])
  return out
}
