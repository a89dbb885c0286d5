/**
 * Painting spins on a live L×L torus: which sites a round brush covers (wrapping across the
 * periodic boundary) and the values a stroke writes. Pure, so the view only forwards pointers.
 */
export type PaintMode = 'up' | 'down' | 'flip'

/** Sites within `radius` (0 → one site) of (cx, cy) on the L×L torus, each once. */
export function brushSites(L: number, cx: number, cy: number, radius: number): Int32Array {
  const r = Math.max(0, Math.floor(radius))
  const seen = new Set<number>()
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      if (dx * dx + dy * dy > r * r) continue
      const x = (((cx + dx) % L) + L) % L
      const y = (((cy + dy) % L) + L) % L
      seen.add(y * L + x)
    }
  }
  return Int32Array.from([...seen].sort((a, b) => a - b))
}

/** The values the brush writes: ±1, or the opposite of what is there now. */
export function paintValues(spins: Int8Array | null, sites: Int32Array, mode: PaintMode): Int8Array {
  const out = new Int8Array(sites.length)
  for (let k = 0; k < sites.length; k++) {
    out[k] = mode === 'up' ? 1 : mode === 'down' ? -1 : (spins?.[sites[k]!] ?? 1) === 1 ? -1 : 1
  }
  return out
}

/**
 * The square the lattice is drawn in inside an element of the given size: the canvas keeps
 * aspect 1 (`object-fit: contain`), so the drawn square has side min(width, height) and is
 * centred; the rest of the element is empty margin.
 */
export function drawnSquare(width: number, height: number): { left: number; top: number; side: number } {
  const side = Math.max(0, Math.min(width, height))
  return { left: (width - side) / 2, top: (height - side) / 2, side }
}

/** Lattice cell under a pointer at (offsetX, offsetY) in an element of the given size, mapped through the drawn square. */
export function cellAt(
  L: number,
  offsetX: number,
  offsetY: number,
  width: number,
  height: number
): { x: number; y: number } | null {
  if (!(width > 0 && height > 0)) return null
  const { left, top, side } = drawnSquare(width, height)
  const x = Math.floor(((offsetX - left) / side) * L)
  const y = Math.floor(((offsetY - top) / side) * L)
  return x >= 0 && y >= 0 && x < L && y < L ? { x, y } : null
}

/**
 * The cells a straight stroke from cell a to cell b passes through, b included and a excluded
 * (a was painted by the previous pointer event), each step moving to a 4-neighbour or diagonal
 * cell, so a fast drag between two sparse pointer events still paints a continuous line.
 */
export function cellsBetween(a: { x: number; y: number }, b: { x: number; y: number }): { x: number; y: number }[] {
  const steps = Math.max(Math.abs(b.x - a.x), Math.abs(b.y - a.y))
  const cells: { x: number; y: number }[] = []
  for (let k = 1; k <= steps; k++) {
    cells.push({ x: Math.round(a.x + ((b.x - a.x) * k) / steps), y: Math.round(a.y + ((b.y - a.y) * k) / steps) })
  }
  return cells
}
