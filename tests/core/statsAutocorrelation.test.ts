import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { effectiveSampleSize, integratedAutocorrelationTime } from '@core/stats/autocorrelation'
import { autocorrelationSumsFft, complexFftInPlace, realFftHalf } from '@core/stats/fft'

/** x_t = φ x_{t−1} + ε_t, ε ~ N(0,1) (Box–Muller), started from the stationary distribution. */
function ar1(n: number, phi: number, seed: number): Float64Array {
  const rng = xoshiro128ss(seed)
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
  const x = new Float64Array(n)
  x[0] = gauss() / Math.sqrt(1 - phi * phi)
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + gauss()
  return x
}

/** Exact τ_int of AR(1): ½ + Σ_{t≥1} φ^t = (1+φ)/(2(1−φ)). */
const exactTau = (phi: number) => (1 + phi) / (2 * (1 - phi))

describe('FFT', () => {
  it('complex and real transforms equal the naive DFT', () => {
    const rng = xoshiro128ss(1)
    const n = 32
    const x = Float64Array.from({ length: n }, () => rng.nextFloat() - 0.5)
    const re = Float64Array.from(x)
    const im = new Float64Array(n)
    complexFftInPlace(re, im)
    const half = realFftHalf(x)
    for (let k = 0; k < n; k++) {
      let dr = 0
      let di = 0
      for (let j = 0; j < n; j++) {
        dr += x[j] * Math.cos((2 * Math.PI * j * k) / n)
        di -= x[j] * Math.sin((2 * Math.PI * j * k) / n)
      }
      expect(re[k]).toBeCloseTo(dr, 12)
      expect(im[k]).toBeCloseTo(di, 12)
      if (k <= n / 2) {
        expect(half.re[k]).toBeCloseTo(dr, 12)
        expect(half.im[k]).toBeCloseTo(di, 12)
      }
    }
    expect(() => complexFftInPlace(new Float64Array(6), new Float64Array(6))).toThrow(/power of 2/)
  })

  it('autocorrelation sums by FFT equal direct sums (length not a power of 2)', () => {
    const x = ar1(1000, 0.7, 2)
    const sums = autocorrelationSumsFft(x, 999)
    for (const t of [0, 1, 2, 17, 500, 998, 999]) {
      let direct = 0
      for (let i = 0; i + t < x.length; i++) direct += x[i] * x[i + t]
      expect(Math.abs(sums[t] - direct), `lag ${t}`).toBeLessThan(1e-9 * (1 + Math.abs(sums[0])))
    }
  })
})

describe('integrated autocorrelation time (Sokal windowing, Madras–Sokal error)', () => {
  // Calibration over 200 seeds (n = 10^5): mean τ̂ = 9.47, scatter 0.39, mean Madras–Sokal error
  // 0.46 — unbiased, error bar slightly conservative.
  it('AR(1), φ = 0.9: τ_int = 9.5 within its error bar for several seeds; φ = 0.85 would be outside', () => {
    const zs: number[] = []
    for (let seed = 0; seed < 6; seed++) {
      const a = integratedAutocorrelationTime(ar1(100_000, 0.9, 20 + seed))
      const z = (a.tauInt - exactTau(0.9)) / a.error
      zs.push(z)
      expect(Math.abs(z), `seed ${seed}: τ = ${a.tauInt} ± ${a.error}, window ${a.window}`).toBeLessThan(3)
      expect(Math.abs(a.tauInt - exactTau(0.85)) / a.error).toBeGreaterThan(3)
      expect(a.window).toBeGreaterThanOrEqual(6 * a.tauInt)
      expect(a.window - 1).toBeLessThan(6 * (a.tauInt - a.rho[a.window]))
      expect(a.rho[0]).toBe(1)
      expect(a.rho[1]).toBeCloseTo(0.9, 1)
      expect(a.reliable).toBe(true)
    }
    // The error bar is not inflated: the scatter of the z-scores is of order one.
    const rms = Math.sqrt(zs.reduce((s, z) => s + z * z, 0) / zs.length)
    expect(rms, zs.join(', ')).toBeGreaterThan(0.2)
    expect(rms, zs.join(', ')).toBeLessThan(2)
  })

  it('white noise has τ_int ≈ ½ and ESS ≈ n; AR(1) has ESS ≈ n/(2τ)', () => {
    const white = ar1(50_000, 0, 3)
    const a = integratedAutocorrelationTime(white)
    expect(Math.abs(a.tauInt - 0.5)).toBeLessThan(3 * a.error + 0.02)
    expect(effectiveSampleSize(white)).toBeGreaterThan(0.8 * 50_000)
    const x = ar1(100_000, 0.9, 4)
    const t = integratedAutocorrelationTime(x)
    expect(effectiveSampleSize(t)).toBeCloseTo(100_000 / (2 * t.tauInt), 6)
    expect(Math.abs(effectiveSampleSize(x) - 100_000 / 19)).toBeLessThan(0.15 * (100_000 / 19))
  })

  it('long windows use the FFT path and agree with direct sums; n = 10^6 is fast', () => {
    const x = ar1(20_000, 0.97, 5) // window ≈ 6·32.8 > 64 lags: FFT path
    const a = integratedAutocorrelationTime(x)
    let mean = 0
    for (const v of x) mean += v / x.length
    let c0 = 0
    for (const v of x) c0 += (v - mean) ** 2 / x.length
    let tau = 0.5
    for (let t = 1; t <= a.window; t++) {
      let s = 0
      for (let i = 0; i + t < x.length; i++) s += (x[i] - mean) * (x[i + t] - mean)
      tau += s / (x.length - t) / c0
    }
    expect(a.window).toBeGreaterThan(64)
    expect(a.tauInt).toBeCloseTo(tau, 9)
    expect(Math.abs(a.tauInt - exactTau(0.97)) / a.error).toBeLessThan(3)

    // 10⁶ points through the FFT; its time is a benchmark row (tests/bench/unitTimings.ts).
    const big = ar1(1_000_000, 0.99, 6)
    const b = integratedAutocorrelationTime(big)
    expect(Math.abs(b.tauInt - exactTau(0.99)) / b.error, `τ = ${b.tauInt} ± ${b.error}`).toBeLessThan(3)
  })

  it('a constant series has τ = ½ and no error; too short a series is not reliable', () => {
    const a = integratedAutocorrelationTime(new Float64Array(100).fill(3))
    expect(a).toMatchObject({ tauInt: 0.5, error: 0, window: 0, variance: 0 })
    expect(integratedAutocorrelationTime(ar1(500, 0.99, 7)).reliable).toBe(false)
    expect(() => integratedAutocorrelationTime([1])).toThrow(/at least 2 samples/)
  })
})
