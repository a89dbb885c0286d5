import type { Rng } from '@core/random/rng'
import type { Lattice } from '@core/lattice/types'
import type { ArrayEdit, EditorDocument } from './document'
import {
  bondNear,
  rectFromCorners,
  screenRectToWorld,
  siteAt,
  sitesInBrush,
  sitesInRect,
  strokePoints,
  toScreen,
  toWorld,
  type View
} from './geometry'
import {
  bondsTouchingSites,
  bondsWithin,
  brushRadius,
  paintSpins,
  setCouplings,
  setFields,
  type SpinMode,
  type Tool
} from './tools'

/**
 * From pointer gestures to edits: what a brush stroke or a rectangle touches, and the edit the
 * current tool makes there. The component only forwards pointer positions (CSS pixels relative
 * to the canvas) and emits what comes back.
 */
export interface ToolSettings {
  tool: Tool
  brushSize: number
  /** Value for the Bonds and Fields tools; null while the typed value is invalid. */
  value: number | null
  /** Drag a rectangle instead of brushing. */
  rect: boolean
  rng: Rng
}

const SPIN_MODES: Partial<Record<Tool, SpinMode>> = {
  'spin-up': 'up',
  'spin-down': 'down',
  flip: 'flip',
  random: 'random'
}

/** True for tools that change the document (not Pan). */
export const isEditingTool = (tool: Tool): boolean => tool !== 'pan'

/** Whether the tool addresses bonds (couplings) rather than sites. */
export const addressesBonds = (tool: Tool): boolean => tool === 'bonds'

/**
 * Site or bond indices under the brush at one screen point. Spins/fields: sites within the
 * brush radius of the site under the pointer (of the pointer itself when it is off the lattice).
 * Bonds: the nearest bond at size 1, else every bond touching the brushed sites.
 */
export function brushTargets(
  lattice: Lattice,
  tool: Tool,
  brushSize: number,
  view: View,
  px: number,
  py: number
): Int32Array {
  const radius = brushRadius(tool, brushSize)
  if (addressesBonds(tool) && radius < 0) {
    const b = bondNear(lattice, px, py, view)
    return b === null ? new Int32Array(0) : Int32Array.of(b)
  }
  const site = siteAt(lattice, px, py, view)
  let [cx, cy] = toWorld(view, px, py)
  if (site !== null) [cx, cy] = [lattice.x[site], lattice.y[site]]
  else if (radius === 0) return new Int32Array(0)
  const sites = sitesInBrush(lattice, cx, cy, Math.max(0, radius))
  return addressesBonds(tool) ? bondsTouchingSites(lattice, sites) : sites
}

/**
 * Indices newly touched by a pointer move from `from` to `to` (screen points), sampled every
 * half grid unit; `touched` (this stroke's indices so far) is updated. A stroke flips or
 * randomises each site once, however often the pointer passes over it.
 */
export function strokeTargets(
  lattice: Lattice,
  tool: Tool,
  brushSize: number,
  view: View,
  from: [number, number] | null,
  to: [number, number],
  touched: Set<number>
): Int32Array {
  const [bx, by] = toWorld(view, to[0], to[1])
  const points = from ? strokePoints(...toWorld(view, from[0], from[1]), bx, by) : [[bx, by]]
  const fresh: number[] = []
  for (const [wx, wy] of points) {
    const [px, py] = toScreen(view, wx, wy)
    for (const i of brushTargets(lattice, tool, brushSize, view, px, py)) {
      if (touched.has(i)) continue
      touched.add(i)
      fresh.push(i)
    }
  }
  return Int32Array.from(fresh)
}

/** The edit the tool makes at these indices (sites, or bonds for the Bonds tool); null if none. */
export function toolEdit(
  doc: EditorDocument,
  settings: ToolSettings,
  indices: Int32Array,
  stroke?: number
): ArrayEdit | null {
  if (indices.length === 0) return null
  const mode = SPIN_MODES[settings.tool]
  if (mode) return paintSpins(doc, indices, mode, settings.rng, stroke)
  if (settings.value === null) return null
  if (settings.tool === 'bonds') return setCouplings(doc, indices, settings.value, stroke)
  if (settings.tool === 'fields') return setFields(doc, indices, settings.value, stroke)
  return null
}

/** Indices inside a dragged screen rectangle: its sites, or the bonds with both ends inside. */
export function rectTargets(
  lattice: Lattice,
  tool: Tool,
  view: View,
  a: [number, number],
  b: [number, number]
): Int32Array {
  const sites = sitesInRect(lattice, screenRectToWorld(view, rectFromCorners(a[0], a[1], b[0], b[1])))
  return addressesBonds(tool) ? bondsWithin(lattice, sites) : sites
}
