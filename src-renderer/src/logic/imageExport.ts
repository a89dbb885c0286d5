import { packRgba, type Rgba } from './colors'
import type { CsvTable } from './download'
import { divergingColor } from './trainingImages'

/**
 * Lattice-shaped images for export: one picture of many images tiled as on screen (each Lx × Ly
 * image `scale` pixels a site, under a colour map), and a table of their values. Used for the
 * receptive fields of a layer, reconstructions next to their input, and network samples (saved as
 * captioned figures by composables/useFigureExport.ts).
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
 * The images tiled `columns` to a row (⌈√n⌉ unless given) with `gap` pixels between tiles, in
 * order (row by row of tiles); `scale` defaults to the whole number that makes a tile about 64
 * pixels wide.
 */
export function imageMosaic(
  images: readonly ArrayLike<number>[],
  Lx: number,
  Ly: number,
  colour: (value: number) => Rgba,
  options: { scale?: number; gap?: number; columns?: number } = {}
): Mosaic {
  const n = images.length
  const scale = options.scale ?? Math.max(1, Math.round(64 / Math.max(Lx, Ly)))
  const gap = options.gap ?? 2
  const columns = Math.max(1, Math.min(n, options.columns ?? Math.ceil(Math.sqrt(n))))
  const rows = Math.max(1, Math.ceil(n / columns))
  const tileW = Lx * scale,
    tileH = Ly * scale
  const width = columns * tileW + (columns + 1) * gap
  const height = rows * tileH + (rows + 1) * gap
  const pixels = new Uint32Array(width * height).fill(GAP_COLOUR)
  images.forEach((image, u) => {
    const x0 = gap + (u % columns) * (tileW + gap)
    const y0 = gap + Math.floor(u / columns) * (tileH + gap)
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        const packed = packRgba(colour(image[y * Lx + x]!))
        for (let dy = 0; dy < scale; dy++) {
          const row = (y0 + y * scale + dy) * width + x0 + x * scale
          pixels.fill(packed, row, row + scale)
        }
      }
    }
  })
  return { width, height, pixels, columns }
}

/** A layer's receptive fields on its diverging scale (±limit, zero white). */
export function fieldsMosaic(
  images: readonly ArrayLike<number>[],
  Lx: number,
  Ly: number,
  limit: number,
  options: { scale?: number; gap?: number; columns?: number } = {}
): Mosaic {
  return imageMosaic(images, Lx, Ly, (v) => divergingColor(v, limit), options)
}

/**
 * One row per image: the leading columns given (header `leading`, values `keys[i]`), then one
 * column per site “x,y” (site y·Lx + x).
 */
export function imagesTable(
  images: readonly ArrayLike<number>[],
  Lx: number,
  Ly: number,
  leading: string[],
  keys: (i: number) => number[]
): CsvTable {
  const header = [...leading]
  for (let y = 0; y < Ly; y++) for (let x = 0; x < Lx; x++) header.push(`${x},${y}`)
  return {
    header,
    rows: images.map((image, i) => [...keys(i), ...Array.from({ length: Lx * Ly }, (_, s) => image[s]!)])
  }
}

/** One row per unit (numbered from 1), one column per site “x,y”: rˡ as shown. */
export function fieldsTable(images: readonly ArrayLike<number>[], Lx: number, Ly: number): CsvTable {
  return imagesTable(images, Lx, Ly, ['unit'], (u) => [u + 1])
}

/** True when this page can draw on a 2D canvas (not in every headless host). */
export function canvas2dAvailable(): boolean {
  try {
    return !!document.createElement('canvas').getContext('2d')
  } catch {
    return false
  }
}
