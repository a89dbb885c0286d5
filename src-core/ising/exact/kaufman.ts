/**
 * Kaufman's exact partition function of the uniform zero-field Ising model on an m×n torus
 * (B. Kaufman, Phys. Rev. 76, 1232 (1949), Eqs. 39–41; SCIENCE.md §5):
 *   Z = ½ (2 sinh 2K)^{mn/2} (Z₁ + Z₂ + Z₃ + Z₄),
 *   Z₁ = Π_{r=0}^{n−1} 2 cosh(m γ_{2r+1}/2),  Z₂ = Π 2 sinh(m γ_{2r+1}/2),
 *   Z₃ = Π_{r=0}^{n−1} 2 cosh(m γ_{2r}/2),    Z₄ = Π 2 sinh(m γ_{2r}/2),
 *   cosh γ_k = cosh 2K coth 2K − cos(πk/n) (k ≥ 1),  γ₀ = 2K + ln tanh K (signed: < 0 below Kc).
 * Onsager (Phys. Rev. 65, 117, 1944) is the n, m → ∞ limit.
 *
 * Numerics. Everything is a second-order jet in K (value, d/dK, d²/dK²), so
 *   e = −K (d ln Z/dK)/N,   c = K² (d² ln Z/dK²)/N
 * are analytic, not finite differences. The Z_i are kept as logs (with the sign of Z₄) and
 * combined by log-sum-exp. With s = sinh 2K, cosh γ_k − 1 = (1 − s)²/s + 2 sin²(πk/2n) has no
 * cancellation near Kc. The factor 2 sinh(m γ₀/2) of Z₄ vanishes at Kc (γ₀(Kc) = 0); its log
 * would have derivatives ~1/γ₀ that cancel catastrophically, so for |m γ₀/2| < 1 it is kept as
 * a plain jet and multiplies exp(ln of the other factors).
 * K < 0 is accepted when m and n are even (v → (−1)^{x+y} v maps K to −K); |K| < 1e-8 uses
 * the high-temperature leading order (see `kaufmanTorus`).
 */
import type { IsingModel } from '../../lattice/types'
import type { ExactResult } from './types'

/** Below this |K| the high-temperature leading order is used (exact to rounding there). */
export const KAUFMAN_TINY_K = 1e-8
/**
 * |K| window where e and c from the formula agree with enumeration and the strip transfer
 * matrix to ~1e-10 relative (tests/core/exactKaufman.test.ts). Outside it the derivatives lose
 * relative (not absolute) accuracy — ~1e-16/K² at small K; c ~ e^{−8K} at large K is a
 * difference of O(e^{−4K}) terms — so `exactSolve` prefers the strip transfer matrix there.
 */
export const KAUFMAN_ACCURATE_K: readonly [number, number] = [1e-3, 2]

/** Second-order jet in K: [value, first derivative, second derivative]. */
type Jet = [number, number, number]

const add = (a: Jet, b: Jet): Jet => [a[0] + b[0], a[1] + b[1], a[2] + b[2]]
const scale = (a: Jet, k: number): Jet => [k * a[0], k * a[1], k * a[2]]
const mul = (a: Jet, b: Jet): Jet => [
  a[0] * b[0],
  a[1] * b[0] + a[0] * b[1],
  a[2] * b[0] + 2 * a[1] * b[1] + a[0] * b[2]
]
/** f∘a from f(a₀), f'(a₀), f''(a₀): (f∘a)'' = f''·a'² + f'·a''. */
const chain = (a: Jet, f0: number, f1: number, f2: number): Jet => [f0, f1 * a[1], f2 * a[1] * a[1] + f1 * a[2]]
const exp = (a: Jet): Jet => {
  const e = Math.exp(a[0])
  return chain(a, e, e, e)
}
const log = (a: Jet): Jet => chain(a, Math.log(a[0]), 1 / a[0], -1 / (a[0] * a[0]))

/** ln(2 cosh x) = |x| + ln(1 + e^{−2|x|}); derivatives tanh x and sech² x = 4t/(1+t)², t = e^{−2|x|}. */
function logTwoCosh(x: Jet): Jet {
  const a = Math.abs(x[0])
  const t = Math.exp(-2 * a)
  return chain(x, a + Math.log1p(t), (Math.sign(x[0]) * (1 - t)) / (1 + t), (4 * t) / ((1 + t) * (1 + t)))
}

/** ln|2 sinh x| = |x| + ln(1 − e^{−2|x|}) for x ≠ 0; derivatives coth x and −csch² x = −4t/(1−t)². */
function logTwoSinhAbs(x: Jet): Jet {
  const a = Math.abs(x[0])
  const t = Math.exp(-2 * a)
  return chain(x, a + Math.log1p(-t), (Math.sign(x[0]) * (1 + t)) / (1 - t), (-4 * t) / ((1 - t) * (1 - t)))
}

/**
 * γ_k (k ≥ 1) as a jet in K. With s = sinh 2K, S = s², A = cosh 2K coth 2K = s + 1/s and
 * t = cos(πk/n): cosh γ = A − t, so
 *   γ  = arccosh(1 + d),  d = (1 − s)²/s + 2 sin²(πk/2n)   (no cancellation near Kc),
 *   γ' = A'/sinh γ,       A' = 2 cosh 2K (S − 1)/S,
 *   γ'' = [A''(cosh²γ − 1) − cosh γ A'²]/sinh³γ = [P₀ + t P₁ + t² A'']/sinh³γ,
 * where expanding in t and simplifying with cosh² 2K = 1 + S (done by hand, checked against
 * the unsimplified form) removes a cancellation of order S between the two terms:
 *   P₀ = 4(2S³ + 6S² + 3S + 1)/s⁵,  P₁ = −4(1 + S)²(S + 3)/S²,  A'' = 8(1 + S)/s³ + 4(S − 1)/s.
 */
function gammaK(K: number, k: number, n: number): Jet {
  const s = Math.sinh(2 * K)
  const S = s * s
  const sinHalf = Math.sin((Math.PI * k) / (2 * n))
  const t = Math.cos((Math.PI * k) / n)
  const d = ((1 - s) * (1 - s)) / s + 2 * sinHalf * sinHalf
  const sinhGamma = Math.sqrt(d * (d + 2))
  const A1 = (2 * Math.cosh(2 * K) * (S - 1)) / S
  const A2 = (8 * (1 + S)) / (S * s) + (4 * (S - 1)) / s
  const P0 = (4 * (((2 * S + 6) * S + 3) * S + 1)) / (S * S * s)
  const P1 = (-4 * (1 + S) * (1 + S) * (S + 3)) / S
  const numerator = P0 + t * (P1 / S + t * A2)
  return [Math.log1p(d + sinhGamma), A1 / sinhGamma, numerator / (sinhGamma * sinhGamma * sinhGamma)]
}

/** γ₀ = 2K + ln tanh K; γ₀' = 2 + 2/sinh 2K; γ₀'' = −4 cosh 2K / sinh² 2K. */
function gammaZero(K: number): Jet {
  const s = Math.sinh(2 * K)
  // ln tanh K = ln(1 − 2/(e^{2K} + 1)), accurate when tanh K → 1.
  return [2 * K + Math.log1p(-2 / (Math.exp(2 * K) + 1)), 2 + 2 / s, (-4 * Math.cosh(2 * K)) / (s * s)]
}

/** ln Z of the m×n torus at coupling K > 0, as a jet in K. */
function logZJet(m: number, n: number, K: number): Jet {
  let L1: Jet = [0, 0, 0] // Σ ln 2cosh(mγ_odd/2)
  let L2: Jet = [0, 0, 0] // Σ ln 2sinh(mγ_odd/2)   (γ_k > 0 for k ≥ 1)
  let L3: Jet = [0, 0, 0] // Σ ln 2cosh(mγ_even/2)
  let L4: Jet = [0, 0, 0] // Σ ln 2sinh(mγ_even/2) over k ≥ 2
  for (let k = 1; k < 2 * n; k++) {
    const x = scale(gammaK(K, k, n), m / 2)
    if (k % 2 === 1) {
      L1 = add(L1, logTwoCosh(x))
      L2 = add(L2, logTwoSinhAbs(x))
    } else {
      L3 = add(L3, logTwoCosh(x))
      L4 = add(L4, logTwoSinhAbs(x))
    }
  }
  const x0 = scale(gammaZero(K), m / 2)
  L3 = add(L3, logTwoCosh(x0))
  // Factor out the larger of Z₁, Z₃ as a whole jet ℓ (Z₁ ≥ Z₂ and Z₃ ≥ |Z₄|, so every
  // remaining ratio is ≤ 1): ln ΣZ_i = ℓ + ln Σ e^{L_i − ℓ}. Combining e^{L_i} directly would
  // form (e^L)'' = e^L (L'' + L'²) with L'² ~ (2N)² and lose that much of the tiny ln Z'' at
  // large K.
  const ref = L1[0] >= L3[0] ? L1 : L3
  const rel = (a: Jet): Jet => exp([a[0] - ref[0], a[1] - ref[1], a[2] - ref[2]])
  let sum = add(add(rel(L1), rel(L2)), rel(L3))
  if (Math.abs(x0[0]) < 1) {
    const twoSinh = chain(x0, 2 * Math.sinh(x0[0]), 2 * Math.cosh(x0[0]), 2 * Math.sinh(x0[0]))
    sum = add(sum, mul(twoSinh, rel(L4)))
  } else {
    sum = add(sum, scale(rel(add(L4, logTwoSinhAbs(x0))), Math.sign(x0[0])))
  }
  const s = Math.sinh(2 * K)
  const logPrefactor: Jet = [Math.log(2 * s), (2 * Math.cosh(2 * K)) / s, -4 / (s * s)] // ln(2 sinh 2K)
  return add(add(scale(logPrefactor, (m * n) / 2), add(ref, [-Math.LN2, 0, 0])), log(sum))
}

/** Exact lnZ, f, e, c of the uniform zero-field m×n torus (m, n ≥ 3); m = 0 and m2, chi from symmetry. */
export function kaufmanTorus(m: number, n: number, K: number): ExactResult {
  if (!Number.isInteger(m) || !Number.isInteger(n) || m < 3 || n < 3) {
    throw new RangeError(`Kaufman's formula needs integer sides ≥ 3 (a torus without double bonds), got ${m}×${n}`)
  }
  if (!Number.isFinite(K)) throw new RangeError(`K must be finite, got ${K}`)
  if (K < 0 && (m % 2 !== 0 || n % 2 !== 0)) {
    throw new RangeError(
      `an antiferromagnetic torus with an odd side (${m}×${n}, K = ${K}) is frustrated: Kaufman's formula does not apply`
    )
  }
  const N = m * n
  const a = Math.abs(K)
  if (a < KAUFMAN_TINY_K) {
    // High-temperature expansion: Z = 2^N cosh^{2N} K (1 + O(N tanh^ℓ K)), ℓ = min(4, m, n) ≥ 3
    // the shortest closed loop; below 1e-8 the relative correction to e and c is ≤ tanh² K < 1e-16.
    // (The full formula cannot reach this regime: its derivatives cancel like 1/K².)
    const t = Math.tanh(a)
    const lnZ = N * (Math.LN2 + 2 * Math.log(Math.cosh(a)))
    return { method: 'kaufman', N, lnZ, f: -lnZ / N, e: a === 0 ? 0 : -2 * a * t, c: 2 * a * a * (1 - t * t), m: 0 }
  }
  const lnZ = logZJet(m, n, a)
  return {
    method: 'kaufman',
    N,
    lnZ: lnZ[0],
    f: -lnZ[0] / N,
    e: (-a * lnZ[1]) / N,
    c: (a * a * lnZ[2]) / N,
    m: 0
  }
}

/**
 * The coupling K when the model is a uniform zero-field periodic square lattice without
 * diagonals that Kaufman's formula covers; otherwise the reason, a phrase that reads after
 * "Kaufman's formula".
 */
export function kaufmanCoupling(model: IsingModel): { K: number } | { reason: string } {
  const spec = model.lattice.spec
  if (spec.kind !== 'square' || spec.diagonals) return { reason: 'needs a square lattice without diagonal bonds' }
  if (!spec.periodicX || !spec.periodicY) return { reason: 'needs periodic boundaries in both directions' }
  if (model.fields.some((h) => h !== 0)) return { reason: 'holds only in zero field' }
  const K = model.couplings[0]
  if (!model.couplings.every((k) => k === K)) return { reason: 'needs the same coupling on every bond' }
  if (K < 0 && (spec.Lx % 2 !== 0 || spec.Ly % 2 !== 0))
    return { reason: 'does not cover an antiferromagnet with an odd side (frustrated)' }
  return { K }
}

/** Kaufman's exact result for a model that `kaufmanCoupling` accepts; throws a RangeError otherwise. */
export function kaufmanExact(model: IsingModel): ExactResult {
  const k = kaufmanCoupling(model)
  if ('reason' in k) throw new RangeError(`Kaufman's formula ${k.reason}`)
  return kaufmanTorus(model.lattice.Lx, model.lattice.Ly, k.K)
}
