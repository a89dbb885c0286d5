import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { binningError } from '@core/stats/binning'
import { equilibrationCheck } from '@core/stats/equilibration'
import { jackknife } from '@core/stats/jackknife'
import { summarise } from '@core/stats/summary'

function gaussian(seed: number): () => number {
  const rng = xoshiro128ss(seed)
  return () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
}

function ar1(n: number, phi: number, seed: number): Float64Array {
  const g = gaussian(seed)
  const x = new Float64Array(n)
  x[0] = g() / Math.sqrt(1 - phi * phi)
  for (let t = 1; t < n; t++) x[t] = phi * x[t - 1] + g()
  return x
}

/** Exact Var(x̄) of a stationary AR(1) with unit innovations: σ²/n [(1+φ)/(1−φ) − 2φ(1−φⁿ)/(n(1−φ)²)]. */
function ar1MeanError(n: number, phi: number): number {
  const s2 = 1 / (1 - phi * phi)
  return Math.sqrt((s2 / n) * ((1 + phi) / (1 - phi) - (2 * phi * (1 - phi ** n)) / (n * (1 - phi) ** 2)))
}

describe('binning (Flyvbjerg–Petersen)', () => {
  it('AR(1) φ = 0.9: plateau error equals the exact √(2τσ²/n) within its own error', () => {
    const n = 1 << 18
    for (let seed = 0; seed < 4; seed++) {
      const b = binningError(ar1(n, 0.9, 30 + seed))
      const exact = ar1MeanError(n, 0.9)
      expect(b.plateau, b.message).toBe(true)
      expect(Math.abs(b.error - exact), `seed ${seed}: ${b.error} ± ${b.errorOfError} vs ${exact}`).toBeLessThan(
        3 * b.errorOfError
      )
      // The naive error (level 0) is too small by ≈ √(2τ) = √19, so the check is not trivial.
      expect(b.levels[0].error * 3).toBeLessThan(exact)
      expect(Math.abs(b.tauInt - 9.5)).toBeLessThan(2.5)
    }
  })

  it('uncorrelated data plateau at once; a short strongly correlated series reports no plateau', () => {
    const white = binningError(ar1(10_000, 0, 5))
    expect(white.plateau).toBe(true)
    expect(Math.abs(white.error - 0.01)).toBeLessThan(3 * white.errorOfError)
    const short = binningError(ar1(512, 0.995, 6))
    expect(short.plateau).toBe(false)
    expect(short.message).toMatch(/has not reached a plateau.*run longer/)
  })
})

describe('jackknife', () => {
  it('of a mean equals the batch-means error exactly', () => {
    const x = ar1(10_000, 0.5, 7)
    const r = jackknife([x], (m) => m[0], { blockLength: 50 })
    const B = 200
    const means = Array.from({ length: B }, (_, k) => x.subarray(50 * k, 50 * k + 50).reduce((a, v) => a + v, 0) / 50)
    const mu = means.reduce((a, v) => a + v, 0) / B
    const batch = Math.sqrt(means.reduce((a, v) => a + (v - mu) ** 2, 0) / (B * (B - 1)))
    expect(r.error).toBeCloseTo(batch, 12)
    expect(r.value).toBeCloseTo(mu, 12)
    expect(r.bias).toBeCloseTo(0, 12)
  })

  it('bias-corrects x̄² to x̄² − s²/n (blocks of one, an exact identity)', () => {
    const g = gaussian(8)
    const x = Float64Array.from({ length: 1000 }, () => 1 + g())
    const r = jackknife([x], (m) => m[0] * m[0], { blockLength: 1 })
    const n = x.length
    const mean = x.reduce((a, v) => a + v, 0) / n
    const s2 = x.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)
    expect(r.value).toBeCloseTo(mean * mean - s2 / n, 10) // (B − 1)·rounding from the bias correction
    expect(r.naive).toBeCloseTo(mean * mean, 12)
  })

  it('variance of N(0,1) data: 1 within 4σ, error ≈ √(2/n); the correlated default blocks AR(1) properly', () => {
    const g = gaussian(9)
    const n = 40_000
    const x = Float64Array.from({ length: n }, g)
    const x2 = Float64Array.from(x, (v) => v * v)
    const r = jackknife([x, x2], (m) => m[1] - m[0] * m[0])
    expect(Math.abs(r.value - 1) / r.error).toBeLessThan(4)
    expect(Math.abs(r.error / Math.sqrt(2 / n) - 1)).toBeLessThan(0.3)
    const y = ar1(100_000, 0.9, 10)
    const a = jackknife([y], (m) => m[0])
    expect(a.blockLength).toBeGreaterThanOrEqual(50) // ≈ 10 τ̂_int
    expect(Math.abs(a.error / ar1MeanError(100_000, 0.9) - 1)).toBeLessThan(0.35)
    expect(() => jackknife([x, x2.subarray(1)], (m) => m[0])).toThrow(/series 1 has/)
  })
})

describe('equilibration check', () => {
  it('passes stationary series and flags a deliberate drift with a sentence', () => {
    for (let seed = 0; seed < 4; seed++) {
      const check = equilibrationCheck(ar1(50_000, 0.9, 40 + seed))
      expect(check.ok, check.message).toBe(true)
      expect(check.verdict).toBe('equilibrated')
    }
    const drifting = ar1(50_000, 0.9, 44)
    for (let t = 0; t < drifting.length; t++) drifting[t] += 3 * Math.exp(-t / 2000)
    const check = equilibrationCheck(drifting)
    expect(check.ok).toBe(false)
    expect(check.verdict).toBe('drifting')
    expect(check.message).toMatch(
      /^The energy still drifts: the first 10% of samples differs from the rest by \d+\.\dσ; discard more burn-in\.$/
    )
    const short = equilibrationCheck(ar1(300, 0.99, 45), { name: '|M|' })
    expect(short.verdict).toBe('too-short')
    expect(short.message).toMatch(/The \|M\| series is too short/)
  })
})

describe('summarise', () => {
  it('exact cases: |M| fixed gives U4 = 2/3 and χ′ = 0 with zero error; means and variances are per site', () => {
    const rng = xoshiro128ss(11)
    const g = gaussian(12)
    const n = 4000
    const N = 16
    const M = Float64Array.from({ length: n }, () => (rng.nextFloat() < 0.5 ? -4 : 4))
    const H = Float64Array.from({ length: n }, () => -20 + 2 * g())
    const s = summarise({ H, M, absM: M.map(Math.abs), M2: M.map((v) => v * v) }, N)
    expect(s.u4.value).toBeCloseTo(2 / 3, 9)
    expect(s.u4.error).toBeLessThan(1e-9)
    expect(s.chiAbs.value).toBeCloseTo(0, 9)
    expect(s.absM.value).toBe(0.25)
    expect(s.m2.value).toBeCloseTo(1 / 16, 12)
    expect(Math.abs(s.e.value + 20 / 16) / s.e.error).toBeLessThan(4)
    expect(Math.abs(s.c.value - 4 / 16) / s.c.error).toBeLessThan(4)
    expect(Math.abs(s.chi.value - 1) / s.chi.error).toBeLessThan(4) // (16 − ⟨M⟩²)/16 with ⟨M⟩ = 0
    expect(Math.abs(s.tauInt.H.value - 0.5)).toBeLessThan(0.1)
    expect(s.ess.H).toBeGreaterThan(0.8 * n)
    expect(s.equilibration.ok, s.equilibration.message).toBe(true)
  })
})
