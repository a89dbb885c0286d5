import { tsDenseKernels } from '../rbm/kernelsTs'
import type { DenseKernels } from '../rbm/types'
/**
 * How alike an RG level and a DBN layer are (issue: RG vs DBN), in numbers with error bars:
 * - the mutual information between a block spin s_B and a hidden unit h_j over the samples,
 *     I(s; h) = Σ_{s,h} P(s,h) ln[P(s,h) / (P(s) P(h))]   (nats; 0 independent, ln 2 identical or
 *     opposite), each unit's best block, and the mean over units;
 * - the KL divergence between the two levels' histograms of m (nats), with a pseudo-count so an
 *   empty bin does not make it infinite.
 * Binary variables: a value > threshold is "up" (±1 spins and {0,1} units alike; block averages
 * split at 0, unit probabilities at ½). Errors by the jackknife over contiguous blocks of samples.
 */

/** I(a; b) in nats from the four joint counts n[a][b] (a, b ∈ {0, 1}). */
export function binaryMutualInformation(n00: number, n01: number, n10: number, n11: number): number {
  const n = n00 + n01 + n10 + n11
  if (n === 0) return 0
  const a0 = (n00 + n01) / n
  const a1 = (n10 + n11) / n
  const b0 = (n00 + n10) / n
  const b1 = (n01 + n11) / n
  let mi = 0
  // No allocation: this runs for every unit and block of every jackknife replica.
  if (n00 !== 0) mi += (n00 / n) * Math.log(n00 / n / (a0 * b0))
  if (n01 !== 0) mi += (n01 / n) * Math.log(n01 / n / (a0 * b1))
  if (n10 !== 0) mi += (n10 / n) * Math.log(n10 / n / (a1 * b0))
  if (n11 !== 0) mi += (n11 / n) * Math.log(n11 / n / (a1 * b1))
  return Math.max(0, mi)
}

export interface LevelSimilarity {
  /** Per hidden unit: the block it shares most information with, and that information (nats). */
  bestBlock: Int32Array
  information: Float64Array
  /** Mean over units of the best information, with its jackknife error. */
  mean: number
  error: number
}

/**
 * Mutual information between every hidden unit (hidden: count × units) and every block spin
 * (blocks: count × nBlocks); each unit's best block; the mean best information ± jackknife error.
 * The joint counts come from one product per jackknife block of the 0/1 indicators, n11 = Hᵀ S
 * (exact in fp32: a block holds far fewer than 2²⁴ rows), and the marginals; a replica leaving
 * block b out subtracts b's counts from the totals.
 */
export function levelSimilarity(
  blocks: ArrayLike<number>,
  nBlocks: number,
  hidden: ArrayLike<number>,
  units: number,
  count: number,
  thresholds: { blocks: number; hidden: number } = { blocks: 0, hidden: 0.5 },
  jackknifeBlocks = 20,
  kernels: DenseKernels = tsDenseKernels
): LevelSimilarity {
  if (blocks.length !== count * nBlocks || hidden.length !== count * units)
    throw new RangeError('the block spins and hidden units must hold `count` rows each')
  const nb = Math.max(2, Math.min(jackknifeBlocks, count))
  const S = new Float32Array(count * nBlocks)
  const H = new Float32Array(count * units)
  for (let i = 0; i < S.length; i++) S[i] = blocks[i]! > thresholds.blocks ? 1 : 0
  for (let i = 0; i < H.length; i++) H[i] = hidden[i]! > thresholds.hidden ? 1 : 0
  // Rows of jackknife block jb: those with ⌊k·nb/count⌋ = jb (the last block takes any rest).
  const first = (jb: number) => (jb === 0 ? 0 : Math.ceil((jb * count) / nb))
  const pairs = units * nBlocks
  const n11 = new Float32Array(nb * pairs)
  const h1 = new Float64Array(nb * units)
  const s1 = new Float64Array(nb * nBlocks)
  const rows = new Float64Array(nb)
  for (let jb = 0; jb < nb; jb++) {
    const start = first(jb)
    const end = jb === nb - 1 ? count : first(jb + 1)
    rows[jb] = end - start
    if (end <= start) continue
    kernels.gemmTN(
      units,
      nBlocks,
      end - start,
      H.subarray(start * units, end * units),
      S.subarray(start * nBlocks, end * nBlocks),
      n11.subarray(jb * pairs, (jb + 1) * pairs)
    )
    for (let k = start; k < end; k++) {
      for (let j = 0; j < units; j++) h1[jb * units + j] += H[k * units + j]!
      for (let B = 0; B < nBlocks; B++) s1[jb * nBlocks + B] += S[k * nBlocks + B]!
    }
  }
  const total11 = new Float64Array(pairs)
  const totalH = new Float64Array(units)
  const totalS = new Float64Array(nBlocks)
  let total = 0
  for (let jb = 0; jb < nb; jb++) {
    for (let q = 0; q < pairs; q++) total11[q] += n11[jb * pairs + q]!
    for (let j = 0; j < units; j++) totalH[j] += h1[jb * units + j]!
    for (let B = 0; B < nBlocks; B++) totalS[B] += s1[jb * nBlocks + B]!
    total += rows[jb]!
  }
  const evaluate = (skip: number) => {
    const bestBlock = new Int32Array(units)
    const information = new Float64Array(units)
    const n = total - (skip >= 0 ? rows[skip]! : 0)
    for (let j = 0; j < units; j++) {
      const hOn = totalH[j]! - (skip >= 0 ? h1[skip * units + j]! : 0)
      let best = -1
      for (let B = 0; B < nBlocks; B++) {
        const both = total11[j * nBlocks + B]! - (skip >= 0 ? n11[skip * pairs + j * nBlocks + B]! : 0)
        const sOn = totalS[B]! - (skip >= 0 ? s1[skip * nBlocks + B]! : 0)
        // Counts n[s][h]: s the block spin, h the unit.
        const mi = binaryMutualInformation(n - hOn - sOn + both, hOn - both, sOn - both, both)
        if (mi > best) {
          best = mi
          bestBlock[j] = B
        }
      }
      information[j] = best
    }
    return { bestBlock, information, mean: information.reduce((acc, x) => acc + x, 0) / units }
  }
  const full = evaluate(-1)
  const jack = Array.from({ length: nb }, (_, skip) => evaluate(skip).mean)
  const m = jack.reduce((acc, x) => acc + x, 0) / nb
  const error = Math.sqrt(((nb - 1) / nb) * jack.reduce((acc, x) => acc + (x - m) ** 2, 0))
  return { ...full, error }
}

/** KL(P‖Q) in nats between two histograms (normalised here), with `pseudo` added to every bin of both. */
export function histogramKl(p: ArrayLike<number>, q: ArrayLike<number>, pseudo = 1e-3): number {
  if (p.length !== q.length) throw new RangeError(`the histograms have ${p.length} and ${q.length} bins`)
  let sp = 0
  let sq = 0
  for (let i = 0; i < p.length; i++) {
    sp += p[i]! + pseudo
    sq += q[i]! + pseudo
  }
  let kl = 0
  for (let i = 0; i < p.length; i++) {
    const a = (p[i]! + pseudo) / sp
    const b = (q[i]! + pseudo) / sq
    if (a > 0) kl += b > 0 ? a * Math.log(a / b) : Infinity
  }
  return kl
}
