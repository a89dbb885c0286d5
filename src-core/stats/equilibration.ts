import { integratedAutocorrelationTime } from './autocorrelation'

/**
 * Was burn-in long enough? Compares the mean of the first part of the kept series with the mean
 * of the rest, each with its autocorrelation-corrected error √(2 τ_int σ²/n) (Sokal 1997, §3),
 * τ_int measured on the second half of the series (a drift at the start would inflate a τ taken
 * over the whole series and hide itself). A stationary series gives |z| ≲ 3; a chain still
 * relaxing from its start gives a large |z|. This is the first-versus-rest test that Geweke
 * (1992, Bayesian Statistics 4, 169) formalised, with Sokal's τ in place of spectral densities.
 *
 * 'too-short' means the first part holds fewer than MIN_TAUS autocorrelation times, so its error
 * bar (and hence the test) means little: not a verdict of equilibrium.
 */
export type EquilibrationVerdict = 'equilibrated' | 'drifting' | 'too-short'

export interface EquilibrationCheck {
  ok: boolean
  verdict: EquilibrationVerdict
  /** (mean of first part − mean of rest) in units of the combined error. */
  sigma: number
  message: string
}

export interface EquilibrationOptions {
  /** What the series is, for the message (default 'energy'). */
  name?: string
  /** Share of the series in the first part (default 0.1). */
  fraction?: number
  /** |z| above this flags a drift (default 4). */
  threshold?: number
}

const MIN_TAUS = 10

function meanVariance(x: ArrayLike<number>, from: number, to: number): { mean: number; variance: number } {
  let mean = 0
  for (let i = from; i < to; i++) mean += x[i]
  mean /= to - from
  let variance = 0
  for (let i = from; i < to; i++) variance += (x[i] - mean) ** 2
  return { mean, variance: variance / Math.max(1, to - from - 1) }
}

export function equilibrationCheck(series: ArrayLike<number>, options: EquilibrationOptions = {}): EquilibrationCheck {
  const name = options.name ?? 'energy'
  const fraction = options.fraction ?? 0.1
  const threshold = options.threshold ?? 4
  if (!(fraction > 0 && fraction < 0.5)) throw new RangeError(`fraction must be in (0, 0.5), got ${fraction}`)
  const n = series.length
  const nFirst = Math.floor(fraction * n)
  const percent = `${Math.round(fraction * 100)}%`
  if (nFirst < 2) {
    return {
      ok: false,
      verdict: 'too-short',
      sigma: NaN,
      message: `The ${name} series has only ${n} samples, too few to check equilibration.`
    }
  }
  const start = Math.floor(n / 2)
  const half = new Float64Array(n - start)
  for (let i = start; i < n; i++) half[i - start] = series[i]
  const tau = Math.max(0.5, integratedAutocorrelationTime(half).tauInt)
  if (nFirst < MIN_TAUS * tau) {
    return {
      ok: false,
      verdict: 'too-short',
      sigma: NaN,
      message:
        `The ${name} series is too short to check equilibration: its first ${percent} holds ${nFirst} samples, ` +
        `fewer than ${MIN_TAUS} autocorrelation times (τ_int ≈ ${tau.toFixed(1)}); run longer.`
    }
  }
  const a = meanVariance(series, 0, nFirst)
  const b = meanVariance(series, nFirst, n)
  const error = Math.sqrt((2 * tau * a.variance) / nFirst + (2 * tau * b.variance) / (n - nFirst))
  const diff = a.mean - b.mean
  const sigma = error > 0 ? diff / error : diff === 0 ? 0 : Infinity * Math.sign(diff)
  const z = Math.abs(sigma).toFixed(1)
  if (Math.abs(sigma) > threshold) {
    return {
      ok: false,
      verdict: 'drifting',
      sigma,
      message: `The ${name} still drifts: the first ${percent} of samples differs from the rest by ${z}σ; discard more burn-in.`
    }
  }
  return {
    ok: true,
    verdict: 'equilibrated',
    sigma,
    message: `The ${name} looks equilibrated: the first ${percent} of samples agrees with the rest within ${z}σ.`
  }
}
