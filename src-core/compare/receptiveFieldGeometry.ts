/**
 * Where a hidden unit of a deep belief network "sits" on the lattice, and which block kernel it
 * resembles (issue: RG vs DBN). Hidden units have no positions; a unit j of layer l is placed at
 * the centroid of its receptive field rˡ_·j (rˡ = rˡ⁻¹Wˡ, rbm/receptiveFields.ts) weighted by
 * |r_pj|. On a torus the centroid of each axis is the circular mean (the angle of
 * Σ_p |r_pj| e^{2πi x_p / L}), so a field straddling the boundary is not placed in the middle.
 * Its size is the weighted RMS distance of |r_pj| from the centroid (minimum image).
 * The overlap with block B of side b is the cosine between r_·j and B's indicator:
 *   overlap_j(B) = |Σ_{p∈B} r_pj| / (√|B| ‖r_·j‖₂),  1 when r_·j is uniform on B and zero elsewhere.
 */

export interface UnitPlacement {
  /** Centroid (grid units, in [0, Lx) × [0, Ly)). */
  x: Float64Array
  y: Float64Array
  /** Weighted RMS distance from the centroid (grid units). */
  size: Float64Array
}

export interface Torus {
  Lx: number
  Ly: number
}

function circularMean(sumCos: number, sumSin: number, L: number): number {
  if (sumCos === 0 && sumSin === 0) return 0
  const angle = Math.atan2(sumSin, sumCos)
  return ((((angle / (2 * Math.PI)) * L) % L) + L) % L
}

const minimumImage = (d: number, L: number): number => {
  const w = ((d % L) + L) % L
  return Math.min(w, L - w)
}

/** Centroids and sizes of `units` receptive fields, r row-major (sites × units). */
export function placeUnits(r: ArrayLike<number>, units: number, g: Torus): UnitPlacement {
  const N = g.Lx * g.Ly
  if (r.length !== N * units) throw new RangeError(`expected ${N} × ${units} receptive-field values, got ${r.length}`)
  const x = new Float64Array(units)
  const y = new Float64Array(units)
  const size = new Float64Array(units)
  const cx = Float64Array.from({ length: g.Lx }, (_, i) => Math.cos((2 * Math.PI * i) / g.Lx))
  const sx = Float64Array.from({ length: g.Lx }, (_, i) => Math.sin((2 * Math.PI * i) / g.Lx))
  const cy = Float64Array.from({ length: g.Ly }, (_, i) => Math.cos((2 * Math.PI * i) / g.Ly))
  const sy = Float64Array.from({ length: g.Ly }, (_, i) => Math.sin((2 * Math.PI * i) / g.Ly))
  for (let j = 0; j < units; j++) {
    let ax = 0
    let bx = 0
    let ay = 0
    let by = 0
    let total = 0
    for (let p = 0; p < N; p++) {
      const w = Math.abs(r[p * units + j]!)
      const px = p % g.Lx
      const py = (p - px) / g.Lx
      ax += w * cx[px]!
      bx += w * sx[px]!
      ay += w * cy[py]!
      by += w * sy[py]!
      total += w
    }
    x[j] = circularMean(ax, bx, g.Lx)
    y[j] = circularMean(ay, by, g.Ly)
    let spread = 0
    for (let p = 0; p < N; p++) {
      const px = p % g.Lx
      const py = (p - px) / g.Lx
      spread +=
        Math.abs(r[p * units + j]!) * (minimumImage(px - x[j]!, g.Lx) ** 2 + minimumImage(py - y[j]!, g.Ly) ** 2)
    }
    size[j] = total > 0 ? Math.sqrt(spread / total) : 0
  }
  return { x, y, size }
}

export interface BlockOverlap {
  /** The block (row-major over the b × b blocks) each unit overlaps most. */
  block: Int32Array
  /** That overlap, in [0, 1]. */
  overlap: Float64Array
}

/** Each unit's best block of side b (b divides Lx and Ly) and its overlap score. */
export function blockOverlaps(r: ArrayLike<number>, units: number, g: Torus, b: number): BlockOverlap {
  const N = g.Lx * g.Ly
  if (r.length !== N * units) throw new RangeError(`expected ${N} × ${units} receptive-field values, got ${r.length}`)
  if (!Number.isInteger(b) || b < 1 || g.Lx % b !== 0 || g.Ly % b !== 0)
    throw new RangeError(`the block side b = ${b} must divide ${g.Lx}×${g.Ly}`)
  const bx = g.Lx / b
  const blocks = bx * (g.Ly / b)
  const block = new Int32Array(units)
  const overlap = new Float64Array(units)
  const sums = new Float64Array(blocks)
  for (let j = 0; j < units; j++) {
    sums.fill(0)
    let norm = 0
    for (let p = 0; p < N; p++) {
      const v = r[p * units + j]!
      const px = p % g.Lx
      const py = (p - px) / g.Lx
      sums[Math.floor(py / b) * bx + Math.floor(px / b)] += v
      norm += v * v
    }
    let best = 0
    for (let B = 1; B < blocks; B++) if (Math.abs(sums[B]!) > Math.abs(sums[best]!)) best = B
    block[j] = best
    overlap[j] = norm > 0 ? Math.abs(sums[best]!) / (b * Math.sqrt(norm)) : 0
  }
  return { block, overlap }
}

/** Counts of sizes in `bins` equal bins over [0, maxSize]. */
export function sizeHistogram(size: ArrayLike<number>, bins: number, maxSize: number): Float64Array {
  const out = new Float64Array(bins)
  for (let j = 0; j < size.length; j++) out[Math.min(bins - 1, Math.max(0, Math.floor((size[j]! / maxSize) * bins)))]++
  return out
}
