import type { IsingModel } from '@core/lattice/types'
import { cssRgb, cssRgba, divergingColor, type SpinColors } from './colorScale'
import { bondSegments, cellHeight, forEachSiteInRect, gridKind, toWorld, type View } from './geometry'

/**
 * Draws a lattice into a 2D context: spins as cells, fields as inner markers, bonds as short
 * lines coloured by K_ij. Reads the model, never changes it. Everything is placed in device
 * pixels and rounded, with smoothing off, so cells stay crisp at any zoom and devicePixelRatio.
 *
 * Level of detail by zoom (CSS px per grid unit): below FIELD_SCALE a grid is one bitmap of one
 * pixel per site scaled up without smoothing; from FIELD_SCALE each visible site is a cell with
 * its field marker; from BOND_SCALE cells shrink to leave gaps in which the bonds show.
 */
export const FIELD_SCALE = 8
export const BOND_SCALE = 14
/** Cell size relative to its slot when bonds are shown. */
export const CELL_INSET = 0.62
export const MARKER_SIZE = 0.34

export type Context2D = Pick<
  CanvasRenderingContext2D,
  | 'fillStyle'
  | 'strokeStyle'
  | 'lineWidth'
  | 'imageSmoothingEnabled'
  | 'setTransform'
  | 'clearRect'
  | 'fillRect'
  | 'strokeRect'
  | 'beginPath'
  | 'moveTo'
  | 'lineTo'
  | 'stroke'
  | 'drawImage'
>

export interface DrawInput {
  model: IsingModel
  spins: Int8Array
  view: View
  /** Canvas size in CSS pixels. */
  width: number
  height: number
  dpr: number
  colors: SpinColors
  /** Symmetric limit of the coupling/field colour scale. */
  limit: number
  /** One pixel per site, Lx × Ly, for the zoomed-out path on grids; null draws cells instead. */
  spinImage?: CanvasImageSource | null
  hoverSite?: number | null
  hoverBond?: number | null
  /** Outline colour for the hovered site or bond. */
  accent?: string
}

export interface Detail {
  bitmap: boolean
  fields: boolean
  bonds: boolean
}

export function detailAt(scale: number, graph: boolean): Detail {
  return { bitmap: !graph && scale < FIELD_SCALE, fields: scale >= FIELD_SCALE, bonds: scale >= BOND_SCALE }
}

/** Sites whose cell may be on screen (one cell of margin), in row order. */
export function visibleSites(input: Pick<DrawInput, 'model' | 'view' | 'width' | 'height'>): number[] {
  const [x0, y0] = toWorld(input.view, 0, 0)
  const [x1, y1] = toWorld(input.view, input.width, input.height)
  const out: number[] = []
  forEachSiteInRect(input.model.lattice, { x0: x0 - 1, y0: y0 - 1, x1: x1 + 1, y1: y1 + 1 }, (i) => out.push(i))
  return out
}

export function drawLattice(ctx: Context2D, input: DrawInput): Detail {
  const { model, spins, view, dpr } = input
  const lattice = model.lattice
  const kind = gridKind(lattice)
  const detail = detailAt(view.scale, kind === 'graph')
  ctx.setTransform(1, 0, 0, 1, 0, 0)
  ctx.imageSmoothingEnabled = false
  ctx.clearRect(0, 0, Math.round(input.width * dpr), Math.round(input.height * dpr))
  const S = view.scale * dpr
  const X = (wx: number): number => (wx * view.scale + view.offsetX) * dpr
  const Y = (wy: number): number => (wy * view.scale + view.offsetY) * dpr
  const rowH = cellHeight(lattice)

  if (detail.bitmap && input.spinImage) {
    drawBitmap(ctx, input, X, Y, rowH, kind === 'triangular')
    return detail
  }
  const sites = visibleSites(input)
  if (detail.bonds) {
    ctx.lineWidth = Math.max(1, Math.round(0.16 * S))
    const drawn = new Set<number>()
    for (const i of sites) {
      for (let a = lattice.adjStart[i]; a < lattice.adjStart[i + 1]; a++) {
        const b = lattice.adjBond[a]
        if (drawn.has(b)) continue
        drawn.add(b)
        ctx.strokeStyle = cssRgb(divergingColor(model.couplings[b], input.limit))
        strokeSegments(ctx, bondSegments(lattice, b), X, Y)
      }
    }
  }
  const graph = kind === 'graph'
  const fw = graph ? 0.7 : detail.bonds ? CELL_INSET : 1
  const fh = graph ? 0.7 : detail.bonds ? CELL_INSET * rowH : rowH
  const cell = (i: number, w: number, h: number): [number, number, number, number] => {
    const x0 = Math.round(X(lattice.x[i] - w / 2))
    const y0 = Math.round(Y(lattice.y[i] - h / 2))
    return [
      x0,
      y0,
      Math.max(1, Math.round(X(lattice.x[i] + w / 2)) - x0),
      Math.max(1, Math.round(Y(lattice.y[i] + h / 2)) - y0)
    ]
  }
  for (const up of [true, false]) {
    ctx.fillStyle = cssRgba(up ? input.colors.up : input.colors.down)
    for (const i of sites) if (spins[i] > 0 === up) ctx.fillRect(...cell(i, fw, fh))
  }
  if (detail.fields) {
    const m = Math.max(MARKER_SIZE, 3 / view.scale)
    for (const i of sites) {
      if (model.fields[i] === 0) continue
      ctx.fillStyle = cssRgb(divergingColor(model.fields[i], input.limit))
      ctx.fillRect(...cell(i, m, m))
    }
  }
  drawHover(ctx, input, cell, X, Y, fw, fh)
  return detail
}

function strokeSegments(
  ctx: Context2D,
  segments: number[][],
  X: (w: number) => number,
  Y: (w: number) => number
): void {
  ctx.beginPath()
  for (const [x0, y0, x1, y1] of segments) {
    ctx.moveTo(X(x0), Y(y0))
    ctx.lineTo(X(x1), Y(y1))
  }
  ctx.stroke()
}

/** Zoomed out: the Lx × Ly spin bitmap, whole (square) or one row at a time shifted by half a cell (triangular). */
function drawBitmap(
  ctx: Context2D,
  input: DrawInput,
  X: (w: number) => number,
  Y: (w: number) => number,
  rowH: number,
  triangular: boolean
): void {
  const { Lx, Ly } = input.model.lattice
  const image = input.spinImage!
  if (!triangular) {
    const x0 = Math.round(X(-0.5))
    const y0 = Math.round(Y(-0.5))
    ctx.drawImage(image, 0, 0, Lx, Ly, x0, y0, Math.round(X(Lx - 0.5)) - x0, Math.round(Y(Ly - 0.5)) - y0)
    return
  }
  const top = Math.max(0, Math.floor(-input.view.offsetY / input.view.scale / rowH - 1))
  const bottom = Math.min(Ly - 1, Math.ceil((input.height - input.view.offsetY) / input.view.scale / rowH + 1))
  for (let cy = top; cy <= bottom; cy++) {
    const shift = -cy / 2
    const x0 = Math.round(X(shift - 0.5))
    const y0 = Math.round(Y((cy - 0.5) * rowH))
    const y1 = Math.round(Y((cy + 0.5) * rowH))
    if (y1 > y0) ctx.drawImage(image, 0, cy, Lx, 1, x0, y0, Math.round(X(shift + Lx - 0.5)) - x0, y1 - y0)
  }
}

function drawHover(
  ctx: Context2D,
  input: DrawInput,
  cell: (i: number, w: number, h: number) => [number, number, number, number],
  X: (w: number) => number,
  Y: (w: number) => number,
  fw: number,
  fh: number
): void {
  if (input.hoverSite == null && input.hoverBond == null) return
  ctx.strokeStyle = input.accent ?? '#5aa9ff'
  ctx.lineWidth = Math.max(1, Math.round(input.dpr * 2))
  if (input.hoverBond != null) {
    ctx.lineWidth = Math.max(2, Math.round(0.3 * input.view.scale * input.dpr))
    strokeSegments(ctx, bondSegments(input.model.lattice, input.hoverBond), X, Y)
  } else if (input.hoverSite != null) {
    ctx.strokeRect(...cell(input.hoverSite, fw, fh))
  }
}
