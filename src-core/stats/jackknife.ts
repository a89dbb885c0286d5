import { integratedAutocorrelationTime } from './autocorrelation'

/**
 * Blocked (delete-one-block) jackknife for functions of means (Quenouille 1956; Efron & Stein,
 * Ann. Stat. 9, 586, 1981; for Monte Carlo, e.g. Berg, "Markov Chain Monte Carlo Simulations and
 * Their Statistical Analysis", World Scientific 2004). Series x^(1..s), all of length n,
 * are cut into B blocks of length b (a tail of n − Bb samples is dropped). With θ̂ = f(x̄) on the
 * kept data and θ_k = f(x̄ without block k):
 *   error = √((B−1)/B Σ_k (θ_k − θ̄)²),   bias-corrected value = B θ̂ − (B−1) θ̄.
 * Blocks must be longer than the autocorrelation time, or the error is underestimated (the
 * block means must be nearly independent): by default b = ⌈10·max τ_int⌉ over the input series,
 * reduced if needed so that there are at least MIN_BLOCKS blocks.
 * The estimator gets a scratch array of the means (one per series) that is reused between calls.
 */
export interface JackknifeResult {
  /** Bias-corrected estimate B θ̂ − (B−1) θ̄. */
  value: number
  /** θ̂ = f(means) without bias correction. */
  naive: number
  error: number
  bias: number
  blocks: number
  blockLength: number
}

export interface JackknifeOptions {
  /** Samples per block (default from τ_int, see above). */
  blockLength?: number
  /** Largest τ_int of the series, when already known (skips estimating it). */
  tauInt?: number
}

export const MIN_BLOCKS = 20
const BLOCK_LENGTH_PER_TAU = 10

/** Block length for a series of length n with integrated autocorrelation time τ. */
export function jackknifeBlockLength(n: number, tauInt: number): number {
  const wanted = Math.max(1, Math.ceil(BLOCK_LENGTH_PER_TAU * Math.max(tauInt, 0.5)))
  return Math.max(1, Math.min(wanted, Math.floor(n / MIN_BLOCKS)))
}

export function jackknife(
  series: readonly ArrayLike<number>[],
  estimator: (means: Float64Array) => number,
  options: JackknifeOptions = {}
): JackknifeResult {
  const s = series.length
  if (s === 0) throw new RangeError('jackknife needs at least one series')
  const n = series[0].length
  series.forEach((x, k) => {
    if (x.length !== n) throw new RangeError(`series ${k} has ${x.length} samples, series 0 has ${n}`)
  })
  if (n < 2) throw new RangeError(`jackknife needs at least 2 samples, got ${n}`)
  let b = options.blockLength
  if (b === undefined) {
    const tau = options.tauInt ?? Math.max(...series.map((x) => integratedAutocorrelationTime(x).tauInt))
    b = jackknifeBlockLength(n, tau)
  }
  if (!Number.isInteger(b) || b < 1 || b > n / 2)
    throw new RangeError(`blockLength must be an integer in [1, ${Math.floor(n / 2)}], got ${b}`)
  const B = Math.floor(n / b)
  const kept = B * b
  // blockSums[k·s + j] = Σ of series j over block k.
  const blockSums = new Float64Array(B * s)
  const totals = new Float64Array(s)
  for (let j = 0; j < s; j++) {
    const x = series[j]
    for (let k = 0; k < B; k++) {
      let sum = 0
      for (let i = k * b, end = i + b; i < end; i++) sum += x[i]
      blockSums[k * s + j] = sum
      totals[j] += sum
    }
  }
  const means = new Float64Array(s)
  for (let j = 0; j < s; j++) means[j] = totals[j] / kept
  const naive = estimator(means)
  const thetas = new Float64Array(B)
  let thetaBar = 0
  for (let k = 0; k < B; k++) {
    for (let j = 0; j < s; j++) means[j] = (totals[j] - blockSums[k * s + j]) / (kept - b)
    thetas[k] = estimator(means)
    thetaBar += thetas[k]
  }
  thetaBar /= B
  let ss = 0
  for (let k = 0; k < B; k++) ss += (thetas[k] - thetaBar) ** 2
  const bias = (B - 1) * (thetaBar - naive)
  return { value: naive - bias, naive, error: Math.sqrt(((B - 1) / B) * ss), bias, blocks: B, blockLength: b }
}
