/**
 * A lattice of ±1 spins as canvas pixels. The canvas holds at most as many pixels as it shows:
 * an L×L lattice larger than its on-screen square is sampled at the centre of each screen
 * pixel (what a nearest-neighbour downscale shows), so a 1024² chain drawn 480 px wide copies
 * a quarter of the pixels per frame and the compositor scales nothing down.
 */

/** Side in pixels of the canvas for an L×L lattice shown `shownCss` CSS pixels wide (0: not laid out yet). */
export function backingSide(L: number, shownCss: number, pixelRatio = 1): number {
  if (!(shownCss > 0)) return L
  return Math.max(1, Math.min(L, Math.ceil(shownCss * pixelRatio)))
}

let columnsFor: { L: number; side: number; index: Int32Array } | null = null

/** Lattice column (and row) of each of `side` pixels: the cell under the pixel's centre. */
export function sampleIndex(L: number, side: number): Int32Array {
  if (columnsFor?.L === L && columnsFor.side === side) return columnsFor.index
  const index = new Int32Array(side)
  for (let p = 0; p < side; p++) index[p] = Math.min(L - 1, Math.floor(((p + 0.5) * L) / side))
  columnsFor = { L, side, index }
  return index
}

/**
 * Writes the side×side image of an L×L configuration into `pixels` (a Uint32Array view of an
 * ImageData): `up` where the spin is +1, `down` where it is −1, without a branch per pixel.
 */
export function fillSpinImage(
  spins: Int8Array,
  L: number,
  pixels: Uint32Array,
  side: number,
  up: number,
  down: number
): void {
  const flip = (up ^ down) >>> 0
  if (side === L) {
    const n = Math.min(spins.length, pixels.length)
    // spins[i] >> 31 is 0 for +1 and all ones for −1.
    for (let i = 0; i < n; i++) pixels[i] = up ^ (flip & (spins[i]! >> 31))
    return
  }
  const index = sampleIndex(L, side)
  let o = 0
  for (let y = 0; y < side; y++) {
    const row = index[y]! * L
    for (let x = 0; x < side; x++) pixels[o++] = up ^ (flip & (spins[row + index[x]!]! >> 31))
  }
}
