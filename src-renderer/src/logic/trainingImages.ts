import { reconstructThrough, type Dbn } from '@core/rbm/dbn'
import { receptiveFieldImages, receptiveFieldMatrices, type ReceptiveFieldImages } from '@core/rbm/receptiveFields'
import type { Batch, DenseKernels, UnitKind } from '@core/rbm/types'
import { packRgba, type Rgba } from './colors'
import { pageKernels } from './pageKernels'

/**
 * What a training's images show, computed in the page from the network's weights: receptive
 * fields r^l of every layer (ML convention W; the paper's w = −W flips odd depths) and
 * reconstructions through 1 … L layers, all as lattice-shaped images.
 */

export interface LayerFields {
  depth: number
  fields: ReceptiveFieldImages
  /** Hidden biases b of that layer (ML convention). */
  bias: Float32Array
  /** Symmetric colour limit shared by the layer's images: max |r|. */
  limit: number
}

/**
 * Receptive fields of every layer of the network over an Lx × Ly lattice, in one pass (each rˡ
 * is rˡ⁻¹Wˡ, so every depth costs one product), with the page's kernels unless told otherwise.
 */
export function networkFields(dbn: Dbn, Lx: number, Ly: number, kernels: DenseKernels = pageKernels()): LayerFields[] {
  if (dbn.layers.length === 0 || dbn.layers[0]!.nv !== Lx * Ly) return []
  const r = receptiveFieldMatrices(dbn.layers, { kernels })
  return dbn.layers.map((layer, l) => {
    const fields = receptiveFieldImages(r[l]!, layer.nh, Lx, Ly)
    return {
      depth: l + 1,
      fields,
      bias: layer.b as Float32Array,
      limit: Math.max(Math.abs(fields.globalMin), Math.abs(fields.globalMax)) || 1
    }
  })
}

/** True when two networks hold the same weight and bias arrays (e.g. one checkpoint read twice). */
export function sameNetwork(a: Dbn | null, b: Dbn | null): boolean {
  if (a === b) return true
  if (!a || !b || a.passUp !== b.passUp || a.layers.length !== b.layers.length) return false
  return a.layers.every((layer, l) => {
    const other = b.layers[l]!
    return layer.W === other.W && layer.a === other.a && layer.b === other.b
  })
}

/** `count` rows of ±1 spins, in the visible units (v01 = (v + 1)/2), as a batch. */
export function inputRows(spins: Int8Array, nv: number, start: number, count: number, units: UnitKind): Batch {
  const rows = Math.max(0, Math.min(count, Math.floor(spins.length / nv) - start))
  const data = new Float32Array(rows * nv)
  for (let k = 0; k < data.length; k++) {
    const v = spins[start * nv + k]!
    data[k] = units === '01' ? (v + 1) / 2 : v
  }
  return { rows, cols: nv, data }
}

/** Reconstructions through 1 … L layers of each input row: images[depth − 1][row]. */
export function reconstructions(dbn: Dbn, input: Batch, kernels: DenseKernels = pageKernels()): Float32Array[][] {
  if (input.rows === 0) return []
  return dbn.layers.map((_, l) => {
    const r = reconstructThrough(dbn, input, l + 1, kernels)
    return Array.from({ length: r.rows }, (_, i) => r.data.slice(i * r.cols, (i + 1) * r.cols))
  })
}

const BLUE: Rgba = [33, 102, 172, 255]
const WHITE: Rgba = [247, 247, 247, 255]
const RED: Rgba = [178, 24, 43, 255]

function mix(a: Rgba, b: Rgba, t: number): Rgba {
  return [0, 1, 2].map((k) => Math.round(a[k]! + (b[k]! - a[k]!) * t)).concat(255) as Rgba
}

/** Diverging scale, zero white: −limit blue, +limit red (values beyond are clipped). */
export function divergingColor(value: number, limit: number): Rgba {
  if (!Number.isFinite(value)) return [128, 128, 128, 255]
  const t = Math.max(-1, Math.min(1, value / (limit || 1)))
  return t >= 0 ? mix(WHITE, RED, t) : mix(WHITE, BLUE, -t)
}

/** Unit values on → light, off → dark (the spin colours), probabilities in between as greys. */
export function unitColor(value: number, units: UnitKind, up: Rgba, down: Rgba): Rgba {
  const off = units === '01' ? 0 : -1
  const t = Math.max(0, Math.min(1, (value - off) / (1 - off)))
  return mix(down, up, t)
}

/** Packed pixels of an image under a colour map. */
export function paintImage(values: ArrayLike<number>, color: (v: number) => Rgba): Uint32Array {
  const out = new Uint32Array(values.length)
  for (let i = 0; i < values.length; i++) out[i] = packRgba(color(values[i]!))
  return out
}
