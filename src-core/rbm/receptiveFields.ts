import { tsDenseKernels } from './kernelsTs'
import type { DenseKernels, Rbm } from './types'

/**
 * Receptive fields of a stack of RBMs (a deep belief network), SCIENCE.md §4 and the paper's
 * Fig. 3: r¹ = W¹, rˡ = rˡ⁻¹ Wˡ, a (visible-of-layer-1 × hidden-of-layer-l) matrix; column j
 * reshaped to the Lx × Ly lattice is what unit j of layer l "sees". Each layer's hidden layer is
 * the next one's visible layer, so consecutive shapes must chain (nh of one = nv of the next).
 *
 * Sign: 'ml' (default) multiplies the stored weights W; 'paper' multiplies the paper's w = −W,
 * which flips the sign of rˡ when l is odd.
 *
 * Image layout: pixel (x, y) is visible unit y·Lx + x (the lattice site order, ising/square/lattice.ts), stored
 * row-major (Ly rows of Lx), so an image is column j of rˡ read top to bottom.
 */

export type WeightLayer = Pick<Rbm, 'nv' | 'nh' | 'W'>

export interface ReceptiveFieldOptions {
  convention?: 'ml' | 'paper'
  kernels?: DenseKernels
}

/** [r¹, …, r^L] for a stack of L layers, rˡ of shape nv¹ × nhˡ, row-major fp32. */
export function receptiveFieldMatrices(
  stack: readonly WeightLayer[],
  options: ReceptiveFieldOptions = {}
): Float32Array[] {
  if (stack.length === 0) throw new RangeError('receptiveFieldMatrices: the stack is empty')
  const kernels = options.kernels ?? tsDenseKernels
  const nv = stack[0].nv
  const out: Float32Array[] = []
  let previous: Float32Array | null = null
  for (let l = 0; l < stack.length; l++) {
    const layer = stack[l]
    if (layer.W.length !== layer.nv * layer.nh) {
      throw new RangeError(
        `receptiveFieldMatrices: layer ${l + 1} has ${layer.W.length} weights, nv·nh = ${layer.nv * layer.nh}`
      )
    }
    if (l > 0 && layer.nv !== stack[l - 1].nh) {
      throw new RangeError(
        `receptiveFieldMatrices: layer ${l + 1} has ${layer.nv} visible units but layer ${l} has ${stack[l - 1].nh} hidden units`
      )
    }
    let r: Float32Array
    if (previous === null) {
      r = layer.W.slice()
    } else {
      r = new Float32Array(nv * layer.nh)
      kernels.gemm(nv, layer.nh, layer.nv, previous, layer.W, r)
    }
    previous = r
    out.push(r)
  }
  if (options.convention === 'paper') {
    for (let l = 0; l < out.length; l += 2) for (let k = 0; k < out[l].length; k++) out[l][k] = -out[l][k]
  }
  return out
}

export interface ReceptiveFieldImages {
  readonly Lx: number
  readonly Ly: number
  /** One Lx·Ly image per unit (row-major, pixel (x, y) at y·Lx + x). */
  readonly images: Float32Array[]
  /** Per-unit minimum and maximum pixel value. */
  readonly min: Float32Array
  readonly max: Float32Array
  /** Over all units (for a shared colour scale). */
  readonly globalMin: number
  readonly globalMax: number
}

/** Splits an (Lx·Ly) × units matrix into per-unit images with their ranges. */
export function receptiveFieldImages(r: Float32Array, units: number, Lx: number, Ly: number): ReceptiveFieldImages {
  for (const [what, value] of [
    ['units', units],
    ['Lx', Lx],
    ['Ly', Ly]
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`receptiveFieldImages: ${what} must be a positive integer, got ${value}`)
  }
  const pixels = Lx * Ly
  if (r.length !== pixels * units) {
    throw new RangeError(
      `receptiveFieldImages: the matrix has ${r.length} entries, Lx·Ly·units = ${pixels}·${units} = ${pixels * units}`
    )
  }
  const images: Float32Array[] = []
  const min = new Float32Array(units)
  const max = new Float32Array(units)
  let globalMin = Infinity
  let globalMax = -Infinity
  for (let j = 0; j < units; j++) {
    const image = new Float32Array(pixels)
    let lo = Infinity
    let hi = -Infinity
    for (let p = 0; p < pixels; p++) {
      const x = r[p * units + j]
      image[p] = x
      if (x < lo) lo = x
      if (x > hi) hi = x
    }
    images.push(image)
    min[j] = lo
    max[j] = hi
    globalMin = Math.min(globalMin, lo)
    globalMax = Math.max(globalMax, hi)
  }
  return { Lx, Ly, images, min, max, globalMin, globalMax }
}

/** The images of layer `depth` (1 … L; r^depth) of a stack over an Lx × Ly lattice. */
export function receptiveFields(
  stack: readonly WeightLayer[],
  depth: number,
  Lx: number,
  Ly: number,
  options: ReceptiveFieldOptions = {}
): ReceptiveFieldImages {
  if (!Number.isInteger(depth) || depth < 1 || depth > stack.length) {
    throw new RangeError(`receptiveFields: depth must be an integer in [1, ${stack.length}], got ${depth}`)
  }
  if (stack[0].nv !== Lx * Ly)
    throw new RangeError(`receptiveFields: ${stack[0].nv} visible units do not fill a ${Lx}×${Ly} lattice`)
  const r = receptiveFieldMatrices(stack.slice(0, depth), options)[depth - 1]
  return receptiveFieldImages(r, stack[depth - 1].nh, Lx, Ly)
}
