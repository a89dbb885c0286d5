import type { McMeasurements } from '../mc/measure'

/**
 * recordSample (mc/measure.ts) specialised to the periodic square grid (both axes periodic,
 * Ly > 1, any couplings): the same quantities, written into the same McMeasurements, so
 * correlationFunction and secondMomentCorrelationLength read them unchanged.
 *
 * The results are bit-identical to recordSample's: H, M, |M|, M², the column, row and site sums
 * and every correlation pair sum are sums of integers below 2^53 (exact in any order), and the
 * structure factors are evaluated with the same operations in the same order. What differs is
 * how the pair sums are formed: each column and each row is packed into 32-bit words (bit set
 * for v = +1), and a whole line of pairs costs one XOR and a population count per word,
 *   Σ_y v(x, y) v(x + r, y) = Ly − 2·popcount(col_x XOR col_{x+r}),
 * and the same with rows for the y axis (the bit-parallel counting of e.g. Knuth, TAOCP 4A,
 * §7.1.3). Cost per sample: O(N) to pack, O(L·(L/2)·⌈L/32⌉) word operations for the pairs.
 */
export interface TorusRecorder {
  record(spins: Int8Array, H: number): void
}

/** A recorder for `meas`, or null when its lattice is not a periodic square grid with Ly > 1. */
export function createTorusRecorder(meas: McMeasurements): TorusRecorder | null {
  const { lattice, corrX, corrY } = meas
  const spec = lattice.spec
  if (spec.kind !== 'square' || !spec.periodicX || !spec.periodicY || lattice.Ly < 2) return null
  if ((corrX !== null && !corrX.periodic) || (corrY !== null && !corrY.periodic)) return null
  if ((corrX === null) !== (corrY === null) || (corrX !== null && meas.siteSum === null)) return null
  const { Lx, Ly, N } = lattice
  const wordsX = (Lx + 31) >>> 5 // words per row
  const wordsY = (Ly + 31) >>> 5 // words per column
  const rowBits = new Int32Array(Ly * wordsX)
  const colBits = new Int32Array(Lx * wordsY)
  const rMaxX = corrX?.rMax ?? -1
  const rMaxY = corrY?.rMax ?? -1

  const structureFactor = (sums: Float64Array, cos: Float64Array, sin: Float64Array): number => {
    let re = 0
    let im = 0
    for (let x = 0; x < sums.length; x++) {
      re += cos[x]! * sums[x]!
      im += sin[x]! * sums[x]!
    }
    return (re * re + im * im) / N
  }

  return {
    record(spins: Int8Array, H: number): void {
      const k = meas.count
      if (k >= meas.capacity) throw new RangeError(`measurement series is full (${meas.capacity} samples)`)
      const { colSum, rowSum, siteSum } = meas
      colSum.fill(0)
      rowBits.fill(0)
      colBits.fill(0)
      let M = 0
      for (let y = 0, i = 0; y < Ly; y++) {
        let r = 0
        const rowBase = y * wordsX
        const yWord = y >>> 5
        const yBit = 1 << (y & 31)
        for (let x = 0; x < Lx; x++, i++) {
          const v = spins[i]!
          r += v
          colSum[x] += v
          if (siteSum !== null) siteSum[i] += v
          if (v > 0) {
            rowBits[rowBase + (x >>> 5)] |= 1 << (x & 31)
            colBits[x * wordsY + yWord] |= yBit
          }
        }
        rowSum[y] = r
        M += r
      }
      meas.H[k] = H
      meas.M[k] = M
      meas.absM[k] = Math.abs(M)
      meas.M2[k] = M * M
      if (meas.SkX !== null) meas.SkX[k] = structureFactor(colSum, meas.cosX, meas.sinX)
      if (meas.SkY !== null) meas.SkY[k] = structureFactor(rowSum, meas.cosY, meas.sinY)
      if (corrX !== null) pairSums(corrX.pairSum, rMaxX, colBits, Lx, wordsY, Ly)
      if (corrY !== null) pairSums(corrY.pairSum, rMaxY, rowBits, Ly, wordsX, Lx)
      meas.count = k + 1
    }
  }
}

/** Population count of a 32-bit word (SWAR; Knuth, TAOCP 4A, §7.1.3). */
function popcount(w: number): number {
  w -= (w >>> 1) & 0x55555555
  w = (w & 0x33333333) + ((w >>> 2) & 0x33333333)
  w = (w + (w >>> 4)) & 0x0f0f0f0f
  return Math.imul(w, 0x01010101) >>> 24
}

/**
 * pairSum[r] += Σ_a Σ_bits v v′ for lines a and a + r (periodic), lines packed `words` words each,
 * `bits` spins per line: agreements minus disagreements = bits − 2·popcount(XOR).
 */
function pairSums(
  pairSum: Float64Array,
  rMax: number,
  lines: Int32Array,
  count: number,
  words: number,
  bits: number
): void {
  for (let r = 0; r <= rMax; r++) {
    let differ = 0
    for (let a = 0; a < count; a++) {
      const b = a + r < count ? a + r : a + r - count
      const pa = a * words
      const pb = b * words
      for (let w = 0; w < words; w++) differ += popcount(lines[pa + w]! ^ lines[pb + w]!)
    }
    pairSum[r] += count * bits - 2 * differ
  }
}
