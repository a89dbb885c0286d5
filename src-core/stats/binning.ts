/**
 * Error of the mean of a correlated series by blocking (H. Flyvbjerg & H. G. Petersen, J. Chem.
 * Phys. 91, 461, 1989). Level 0 is the series; level l+1 averages neighbouring pairs of level l
 * (an odd last element is dropped). At each level with n_l blocks
 *   σ_l² = ĉ_0 / (n_l − 1),   ĉ_0 = (1/n_l) Σ (x − x̄)²,
 * and σ_l has its own standard error σ_l / √(2(n_l − 1)) (Gaussian block means). σ_l grows with the block
 * size until blocks are much longer than the autocorrelation time and then stays flat: the
 * plateau value is the error of the mean, and (σ_plateau/σ_0)²/2 estimates τ_int.
 *
 * Plateau check (ours, explicit so it can fail): the first level l, among levels with at least
 * MIN_BLOCKS blocks, whose next two levels agree with it within their own error bars; the
 * reported error is the largest of those three. Without a plateau the largest σ_l is returned
 * with plateau = false: the series is too short for its correlation time.
 */
export interface BinningLevel {
  blockSize: number
  blocks: number
  error: number
  errorOfError: number
}

export interface BinningResult {
  mean: number
  error: number
  /** Standard error of `error`. */
  errorOfError: number
  plateau: boolean
  /** Index into levels of the plateau start (or of the largest error without a plateau). */
  plateauLevel: number
  /** (σ_plateau/σ_0)²/2, the implied τ_int. */
  tauInt: number
  levels: BinningLevel[]
  message: string
}

const MIN_BLOCKS = 32

export function binningError(series: ArrayLike<number>): BinningResult {
  const n = series.length
  if (n < 2 * MIN_BLOCKS) throw new RangeError(`binning needs at least ${2 * MIN_BLOCKS} samples, got ${n}`)
  let x = Float64Array.from(series)
  let mean = 0
  for (let i = 0; i < n; i++) mean += x[i]
  mean /= n
  const levels: BinningLevel[] = []
  for (let blockSize = 1; x.length >= MIN_BLOCKS; blockSize *= 2) {
    const m = x.length
    let mu = 0
    for (let i = 0; i < m; i++) mu += x[i]
    mu /= m
    let c0 = 0
    for (let i = 0; i < m; i++) c0 += (x[i] - mu) * (x[i] - mu)
    c0 /= m
    const error = Math.sqrt(c0 / (m - 1))
    levels.push({ blockSize, blocks: m, error, errorOfError: error / Math.sqrt(2 * (m - 1)) })
    const next = new Float64Array(m >> 1)
    for (let i = 0; i < next.length; i++) next[i] = 0.5 * (x[2 * i] + x[2 * i + 1])
    x = next
  }
  let plateauLevel = -1
  for (let l = 0; l + 2 < levels.length && plateauLevel < 0; l++) {
    const a = levels[l]
    const ok = [levels[l + 1], levels[l + 2]].every(
      (b) => Math.abs(b.error - a.error) <= Math.hypot(b.errorOfError, a.errorOfError)
    )
    if (ok) plateauLevel = l
  }
  const plateau = plateauLevel >= 0
  let best: BinningLevel
  if (plateau) {
    best = levels.slice(plateauLevel, plateauLevel + 3).reduce((p, q) => (q.error > p.error ? q : p))
  } else {
    best = levels.reduce((p, q) => (q.error > p.error ? q : p))
    plateauLevel = levels.indexOf(best)
  }
  const sigma0 = levels[0].error
  const tauInt = sigma0 > 0 ? 0.5 * (best.error / sigma0) ** 2 : 0.5
  const message = plateau
    ? `The binning error reached a plateau at blocks of ${levels[plateauLevel].blockSize} samples.`
    : `The binning error has not reached a plateau (largest blocks: ${levels[levels.length - 1].blockSize} samples); ` +
      'the series is too short for its autocorrelation time, so the error is underestimated: run longer.'
  return { mean, error: best.error, errorOfError: best.errorOfError, plateau, plateauLevel, tauInt, levels, message }
}
