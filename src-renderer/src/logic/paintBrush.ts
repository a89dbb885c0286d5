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
    out[k] = mode === 'up' ? 1 : mode === 'down' ? -1 : ((spins?.[sites[k]!] ?? 1) === 1 ? -1 : 1)
  }
  return out
}

/** Lattice cell under a pointer at (offsetX, offsetY) in an element of the given size. */
export function cellAt(L: number, offsetX: number, offsetY: number, width: number, height: number): { x: number; y: number } | null {
  if (!(width > 0 && height > 0)) return null
  const x = Math.floor((offsetX / width) * L)
  const y = Math.floor((offsetY / height) * L)
  return x >= 0 && y >= 0 && x < L && y < L ? { x, y } : null
}
