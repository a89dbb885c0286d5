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
  const pa = [(n00 + n01) / n, (n10 + n11) / n]
  const pb = [(n00 + n10) / n, (n01 + n11) / n]
  let mi = 0
  const term = (count: number, a: number, b: number) => {
    if (count === 0) return
    const p = count / n
    mi += p * Math.log(p / (pa[a]! * pb[b]!))
  }
  term(n00, 0, 0)
  term(n01, 0, 1)
  term(n10, 1, 0)
  term(n11, 1, 1)
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
 */
export function levelSimilarity(
  blocks: ArrayLike<number>,
  nBlocks: number,
  hidden: ArrayLike<number>,
  units: number,
  count: number,
  thresholds: { blocks: number; hidden: number } = { blocks: 0, hidden: 0.5 },
  jackknifeBlocks = 20
): LevelSimilarity {
  if (blocks.length !== count * nBlocks || hidden.length !== count * units)
    throw new RangeError('the block spins and hidden units must hold `count` rows each')
  const nb = Math.max(2, Math.min(jackknifeBlocks, count))
  // Joint counts per jackknife block: counts[(jb·units + j)·nBlocks + B][4].
  const counts = new Float64Array(nb * units * nBlocks * 4)
  for (let k = 0; k < count; k++) {
    const jb = Math.min(nb - 1, Math.floor((k * nb) / count))
    for (let j = 0; j < units; j++) {
      const h = hidden[k * units + j]! > thresholds.hidden ? 1 : 0
      const base = (jb * units + j) * nBlocks * 4
      for (let B = 0; B < nBlocks; B++) {
        const s = blocks[k * nBlocks + B]! > thresholds.blocks ? 1 : 0
        counts[base + B * 4 + s * 2 + h]++
      }
    }
  }
  const evaluate = (skip: number) => {
    const bestBlock = new Int32Array(units)
    const information = new Float64Array(units)
    for (let j = 0; j < units; j++) {
      let best = -1
      for (let B = 0; B < nBlocks; B++) {
        const c = [0, 0, 0, 0]
        for (let jb = 0; jb < nb; jb++) {
          if (jb === skip) continue
          const base = ((jb * units + j) * nBlocks + B) * 4
          for (let q = 0; q < 4; q++) c[q] += counts[base + q]!
        }
        const mi = binaryMutualInformation(c[0]!, c[1]!, c[2]!, c[3]!)
        if (mi > best) {
          best = mi
          bestBlock[j] = B
        }
      }
      information[j] = best
    }
    return { bestBlock, information, mean: information.reduce((s, x) => s + x, 0) / units }
  }
  const full = evaluate(-1)
  const jack = Array.from({ length: nb }, (_, s) => evaluate(s).mean)
  const m = jack.reduce((s, x) => s + x, 0) / nb
  const error = Math.sqrt(((nb - 1) / nb) * jack.reduce((s, x) => s + (x - m) ** 2, 0))
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
