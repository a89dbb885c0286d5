import { packRgba } from './colors'
import type { CsvTable } from './download'
import { divergingColor } from './trainingImages'

/**
 * A layer's receptive fields for export: one picture of all its units, tiled as on screen (each
 * unit's Lx × Ly field, `scale` pixels a site, on the layer's diverging scale), and a table of
 * their values.
 */

export interface Mosaic {
  width: number
  height: number
  /** Packed RGBA pixels, row by row (as ImageData wants them). */
  pixels: Uint32Array
  columns: number
}

const GAP_COLOUR = packRgba([190, 190, 190, 255])

/**
 * The fields tiled `columns` to a row (⌈√units⌉ unless given) with `gap` pixels between tiles;
 * `scale` defaults to the whole number that makes a tile about 64 pixels wide.
 */
export function fieldsMosaic(images: readonly ArrayLike<number>[], Lx: number, Ly: number, limit: number, options: { scale?: number; gap?: number; columns?: number } = {}): Mosaic {
  const n = images.length
  const scale = options.scale ?? Math.max(1, Math.round(64 / Math.max(Lx, Ly)))
  const gap = options.gap ?? 2
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))))
  const rows = Math.max(1, Math.ceil(n / columns))
  const tileW = Lx * scale, tileH = Ly * scale
  const width = columns * tileW + (columns + 1) * gap
  const height = rows * tileH + (rows + 1) * gap
  const pixels = new Uint32Array(width * height).fill(GAP_COLOUR)
  images.forEach((image, u) => {
    const x0 = gap + (u % columns) * (tileW + gap)
    const y0 = gap + Math.floor(u / columns) * (tileH + gap)
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        const colour = packRgba(divergingColor(image[y * Lx + x]!, limit))
        for (let dy = 0; dy < scale; dy++) {
          const row = (y0 + y * scale + dy) * width + x0 + x * scale
          pixels.fill(colour, row, row + scale)
        }
      }
    }
  })
  return { width, height, pixels, columns }
}

/** One row per unit (numbered from 1), one column per site “x,y” (site y·Lx + x): rˡ as shown. */
export function fieldsTable(images: readonly ArrayLike<number>[], Lx: number, Ly: number): CsvTable {
  const header = ['unit']
  for (let y = 0; y < Ly; y++) for (let x = 0; x < Lx; x++) header.push(`${x},${y}`)
  return { header, rows: images.map((image, u) => [u + 1, ...Array.from({ length: Lx * Ly }, (_, i) => image[i]!)]) }
}
