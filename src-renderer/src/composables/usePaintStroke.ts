import { computed, ref, type Ref } from 'vue'
import { cellAt, cellsBetween, drawnSquare } from '../logic/paintBrush'

export interface PaintCell {
  x: number
  y: number
  first: boolean
}

/**
 * Pointer strokes over a lattice canvas as painted cells: the pointer mapped through the drawn
 * square (the canvas element may be wider than the lattice drawn in it), every cell on the
 * segment between two sparse pointer events (a fast drag paints a continuous stroke), the first
 * cell of a stroke marked, and the round brush's outline under the pointer in element pixels.
 */
export function usePaintStroke(
  canvas: Ref<HTMLCanvasElement | null>,
  opts: { L: () => number; paintable: () => boolean; brushRadius: () => number },
  paint: (cell: PaintCell) => void
) {
  let lastCell: { x: number; y: number } | null = null
  /** The brush outline in element pixels, centred on the cell under the pointer (null: hidden). */
  const hover = ref<{ x: number; y: number; cellPx: number; left: number; top: number } | null>(null)
  const outlineStyle = computed(() => {
    const h = hover.value
    if (!h) return null
    const diameter = (2 * Math.max(0, Math.floor(opts.brushRadius())) + 1) * h.cellPx
    const cx = h.left + (h.x + 0.5) * h.cellPx
    const cy = h.top + (h.y + 0.5) * h.cellPx
    const px = (v: number): string => `${v.toFixed(1)}px`
    return { left: px(cx - diameter / 2), top: px(cy - diameter / 2), width: px(diameter), height: px(diameter) }
  })

  function onPointer(e: PointerEvent, first: boolean): void {
    if (!opts.paintable() || !canvas.value) return
    const L = opts.L()
    const rect = canvas.value.getBoundingClientRect()
    const cell = cellAt(L, e.clientX - rect.left, e.clientY - rect.top, rect.width, rect.height)
    const square = drawnSquare(rect.width, rect.height)
    hover.value = cell ? { ...cell, cellPx: square.side / L, left: square.left, top: square.top } : null
    if (first) {
      if (e.button > 0) return
      lastCell = null
      try {
        canvas.value.setPointerCapture?.(e.pointerId)
      } catch {
        // synthetic events have no active pointer
      }
      if (cell) paint({ ...cell, first: true })
      lastCell = cell ?? { x: -1, y: -1 }
      return
    }
    if (!lastCell || !cell) return
    // Pointer events arrive sparsely during a fast drag: paint every cell on the segment between them.
    const path = lastCell.x < 0 ? [cell] : cellsBetween(lastCell, cell)
    const firstOfStroke = lastCell.x < 0
    path.forEach((c, k) => paint({ ...c, first: firstOfStroke && k === 0 }))
    lastCell = cell
  }
  const endStroke = (): void => void (lastCell = null)
  const leave = (): void => void (hover.value = null)
  return { hover, outlineStyle, onPointer, endStroke, leave }
}
