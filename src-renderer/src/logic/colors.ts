/** Colour parsing and packing for drawing spins straight into ImageData. */

export type Rgba = [number, number, number, number]

/**
 * Parses the colour forms a canvas context normalises to (`#rgb`, `#rrggbb`, `#rrggbbaa`,
 * `rgb()`/`rgba()` with commas or spaces); alpha in 0–255. Null for anything else.
 */
export function parseCssColor(text: string): Rgba | null {
  const s = text.trim().toLowerCase()
  const hex = /^#([0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/.exec(s)
  if (hex) {
    let h = hex[1]
    if (h.length <= 4) h = [...h].map((c) => c + c).join('')
    const n = (i: number): number => parseInt(h.slice(i, i + 2), 16)
    return [n(0), n(2), n(4), h.length === 8 ? n(6) : 255]
  }
  const fn = /^rgba?\(\s*([^)]*)\)$/.exec(s)
  if (!fn) return null
  const parts = fn[1].split(/[\s,/]+/).filter(Boolean)
  if (parts.length < 3 || parts.length > 4) return null
  const channel = (p: string): number => (p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p))
  const alpha = (p: string | undefined): number =>
    p === undefined ? 255 : p.endsWith('%') ? (parseFloat(p) * 255) / 100 : parseFloat(p) * 255
  const values = [channel(parts[0]), channel(parts[1]), channel(parts[2]), alpha(parts[3])]
  if (values.some((v) => !Number.isFinite(v))) return null
  return values.map((v) => Math.round(Math.min(255, Math.max(0, v)))) as Rgba
}

/** True on little-endian platforms (all the ones Electron ships for). */
export const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1

/** One RGBA pixel as a Uint32 to write through a Uint32Array view of ImageData.data. */
export function packRgba([r, g, b, a]: Rgba, littleEndian = LITTLE_ENDIAN): number {
  return littleEndian ? ((a << 24) | (b << 16) | (g << 8) | r) >>> 0 : ((r << 24) | (g << 16) | (b << 8) | a) >>> 0
}

/**
 * Writes one packed pixel per spin: `up` where s > 0, `down` otherwise. Row-major, like both
 * the lattice (index y·L + x) and ImageData.
 */
export function paintSpins(spins: Int8Array, pixels: Uint32Array, up: number, down: number): void {
  const n = Math.min(spins.length, pixels.length)
  for (let i = 0; i < n; i++) pixels[i] = spins[i] > 0 ? up : down
}

/** The spin colours of the page at `element` (CSS --spin-up, --spin-down), the defaults when unset. */
export function spinColours(element: Element): { up: Rgba; down: Rgba } {
  const style = getComputedStyle(element)
  return {
    up: parseCssColor(style.getPropertyValue('--spin-up')) ?? [244, 241, 232, 255],
    down: parseCssColor(style.getPropertyValue('--spin-down')) ?? [32, 42, 56, 255]
  }
}
