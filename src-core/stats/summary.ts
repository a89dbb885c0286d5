import { type AutocorrelationTime, effectiveSampleSize, integratedAutocorrelationTime } from './autocorrelation'
import { type EquilibrationCheck, equilibrationCheck } from './equilibration'
import { jackknife } from './jackknife'

/**
 * Per-site observables of a Monte Carlo run with honest error bars (SCIENCE.md §1 and §6):
 *   e = ⟨H⟩/N, m = ⟨M⟩/N, |m| = ⟨|M|⟩/N, m² = ⟨M²⟩/N², c = Var(H)/N,
 *   χ = N(⟨m²⟩ − ⟨m⟩²) = (⟨M²⟩ − ⟨M⟩²)/N,  χ' = N(⟨m²⟩ − ⟨|m|⟩²) = (⟨M²⟩ − ⟨|M|⟩²)/N,
 *   U4 = 1 − ⟨M⁴⟩/(3⟨M²⟩²)  (Binder, Z. Phys. B 43, 119, 1981).
 * Every error is a blocked jackknife (jackknife.ts) with blocks ≈ 10 τ_int of the series the
 * quantity is built from; nonlinear quantities are bias-corrected by the jackknife.
 * Samples are consecutive measurements of one chain (any spacing); H, M = Σv, |M| and M².
 */
export interface Estimate {
  value: number
  error: number
}

export interface McSamples {
  H: ArrayLike<number>
  M: ArrayLike<number>
  absM: ArrayLike<number>
  M2: ArrayLike<number>
}

export interface TauEstimate {
  value: number
  error: number
  window: number
  reliable: boolean
}

export type McObservableName = 'H' | 'M' | 'absM' | 'M2'

export interface McSummary {
  /** Samples used. */
  n: number
  /** Sites. */
  N: number
  e: Estimate
  m: Estimate
  absM: Estimate
  m2: Estimate
  c: Estimate
  chi: Estimate
  chiAbs: Estimate
  u4: Estimate
  /** τ_int in units of the sample spacing. */
  tauInt: Record<McObservableName, TauEstimate>
  ess: Record<McObservableName, number>
  equilibration: { ok: boolean; message: string; checks: { H: EquilibrationCheck; absM: EquilibrationCheck } }
}

function tauOf(a: AutocorrelationTime): TauEstimate {
  return { value: a.tauInt, error: a.error, window: a.window, reliable: a.reliable }
}

function estimate(r: { value: number; error: number }): Estimate {
  return { value: r.value, error: r.error }
}

export function summarise(samples: McSamples, N: number): McSummary {
  const n = samples.H.length
  if (!(Number.isInteger(N) && N >= 1)) throw new RangeError(`N must be a positive integer, got ${N}`)
  for (const key of ['M', 'absM', 'M2'] as const) {
    if (samples[key].length !== n) throw new RangeError(`series ${key} has ${samples[key].length} samples, H has ${n}`)
  }
  if (n < 40) throw new RangeError(`summarise needs at least 40 samples, got ${n}`)
  // Shift H by its mean before squaring: Var(H) is shift-invariant and the shift avoids
  // cancellation between ⟨H²⟩ and ⟨H⟩² on large lattices.
  let hMean = 0
  for (let i = 0; i < n; i++) hMean += samples.H[i]
  hMean /= n
  const dH = new Float64Array(n)
  const dH2 = new Float64Array(n)
  const M4 = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    dH[i] = samples.H[i] - hMean
    dH2[i] = dH[i] * dH[i]
    M4[i] = samples.M2[i] * samples.M2[i]
  }
  const a = {
    H: integratedAutocorrelationTime(samples.H),
    M: integratedAutocorrelationTime(samples.M),
    absM: integratedAutocorrelationTime(samples.absM),
    M2: integratedAutocorrelationTime(samples.M2)
  }
  const tauH2 = integratedAutocorrelationTime(dH2).tauInt
  const tauM4 = integratedAutocorrelationTime(M4).tauInt
  const jk = (series: ArrayLike<number>[], f: (x: Float64Array) => number, tauInt: number) =>
    estimate(jackknife(series, f, { tauInt }))
  const N2 = N * N
  const e = jk([dH], (x) => (x[0] + hMean) / N, a.H.tauInt)
  const m = jk([samples.M], (x) => x[0] / N, a.M.tauInt)
  const absM = jk([samples.absM], (x) => x[0] / N, a.absM.tauInt)
  const m2 = jk([samples.M2], (x) => x[0] / N2, a.M2.tauInt)
  const c = jk([dH, dH2], (x) => (x[1] - x[0] * x[0]) / N, Math.max(a.H.tauInt, tauH2))
  const chi = jk([samples.M, samples.M2], (x) => (x[1] - x[0] * x[0]) / N, Math.max(a.M.tauInt, a.M2.tauInt))
  const chiAbs = jk([samples.absM, samples.M2], (x) => (x[1] - x[0] * x[0]) / N, Math.max(a.absM.tauInt, a.M2.tauInt))
  const u4 = jk([samples.M2, M4], (x) => 1 - x[1] / (3 * x[0] * x[0]), Math.max(a.M2.tauInt, tauM4))
  const checks = {
    H: equilibrationCheck(samples.H, { name: 'energy' }),
    absM: equilibrationCheck(samples.absM, { name: '|M|' })
  }
  const failing = [checks.H, checks.absM].filter((check) => !check.ok)
  const equilibration = {
    ok: failing.length === 0,
    message: failing.length === 0 ? checks.H.message : failing.map((check) => check.message).join(' '),
    checks
  }
  return {
    n,
    N,
    e,
    m,
    absM,
    m2,
    c,
    chi,
    chiAbs,
    u4,
    tauInt: { H: tauOf(a.H), M: tauOf(a.M), absM: tauOf(a.absM), M2: tauOf(a.M2) },
    ess: {
      H: effectiveSampleSize(a.H),
      M: effectiveSampleSize(a.M),
      absM: effectiveSampleSize(a.absM),
      M2: effectiveSampleSize(a.M2)
    },
    equilibration
  }
}
