import { autocorrelationSumsFft } from './fft'

/**
 * Integrated autocorrelation time with Sokal's automatic window.
 *
 * Definitions (A. D. Sokal, "Monte Carlo methods in statistical mechanics: foundations and new
 * algorithms", Cargèse lectures 1996, in Functional Integration, NATO ASI Series B 361, Plenum
 * 1997, §3; N. Madras & A. D. Sokal, J. Stat. Phys. 50, 109, 1988):
 *   ρ(t) = Ĉ(t)/Ĉ(0),  Ĉ(t) = 1/(n−t) Σ_{i=0}^{n−1−t} (x_i − x̄)(x_{i+t} − x̄),
 *   τ_int(M) = ½ + Σ_{t=1}^{M} ρ(t),
 * so Var(x̄) ≈ 2 τ_int σ²/n (for independent samples τ_int = ½). The window M is the smallest
 * M ≥ c·τ_int(M) (Sokal §3; c ≈ 4–6 for nearly exponential decay: the bias ~e^{−c} is
 * then below the noise). Variance of the estimate (Madras & Sokal; Sokal §3), valid for M ≪ n:
 *   Var(τ̂) ≈ 2(2M+1)/n · τ².
 * Autocovariances come from direct sums while the window is short (O(n·M)) and from an FFT
 * (O(n log n)) once the window passes DIRECT_LAGS on long series.
 */
export interface AutocorrelationTime {
  /** τ_int at the window (≥ about ½ for positively correlated series). */
  tauInt: number
  /** Madras–Sokal standard error of τ_int. */
  error: number
  /** The window M. */
  window: number
  /** ρ(0..M). */
  rho: Float64Array
  /** n ≥ 100·τ_int: shorter runs give badly biased τ estimates (Sokal asks for n ≳ 1000τ). */
  reliable: boolean
  n: number
  mean: number
  /** Sample variance Ĉ(0) (divided by n). */
  variance: number
}

export interface AutocorrelationOptions {
  /** Window constant c (default 6). */
  c?: number
}

const DIRECT_LAGS = 64
const DIRECT_MAX_N = 4096

export function integratedAutocorrelationTime(
  series: ArrayLike<number>,
  options: AutocorrelationOptions = {}
): AutocorrelationTime {
  const n = series.length
  const c = options.c ?? 6
  if (n < 2) throw new RangeError(`need at least 2 samples for an autocorrelation time, got ${n}`)
  if (!(c > 0)) throw new RangeError(`window constant c must be positive, got ${c}`)
  let mean = 0
  for (let i = 0; i < n; i++) mean += series[i]
  mean /= n
  const d = new Float64Array(n)
  let c0 = 0
  for (let i = 0; i < n; i++) {
    d[i] = series[i] - mean
    c0 += d[i] * d[i]
  }
  c0 /= n
  if (!Number.isFinite(c0)) throw new RangeError('the series contains a non-finite value')
  // A constant series: no fluctuations, nothing to correlate; its mean is exact.
  if (c0 <= 1e-300 || c0 <= 1e-28 * mean * mean) {
    return { tauInt: 0.5, error: 0, window: 0, rho: Float64Array.of(1), reliable: true, n, mean, variance: 0 }
  }
  const rhoAll: number[] = [1]
  let sums: Float64Array | null = null
  let tau = 0.5
  let window = n - 1
  for (let t = 1; t < n; t++) {
    if (sums === null && t > DIRECT_LAGS && n > DIRECT_MAX_N) sums = autocorrelationSumsFft(d, n - 1)
    let s: number
    if (sums !== null) s = sums[t]
    else {
      s = 0
      for (let i = 0, end = n - t; i < end; i++) s += d[i] * d[i + t]
    }
    const rho = s / (n - t) / c0
    rhoAll.push(rho)
    tau += rho
    if (t >= c * tau) {
      window = t
      break
    }
  }
  return {
    tauInt: tau,
    error: Math.abs(tau) * Math.sqrt((2 * (2 * window + 1)) / n),
    window,
    rho: Float64Array.from(rhoAll),
    reliable: n >= 100 * tau,
    n,
    mean,
    variance: c0
  }
}

/** n / (2 τ_int): the number of independent samples worth the same error on the mean. */
export function effectiveSampleSize(series: ArrayLike<number> | AutocorrelationTime): number {
  const a = 'tauInt' in series ? series : integratedAutocorrelationTime(series)
  return a.n / (2 * Math.max(a.tauInt, 0.5))
}
