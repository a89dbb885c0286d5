/**
 * Forward-mode second derivatives for the transfer-matrix solvers. Write
 *   Z(λ, η) = Σ_v exp(−λ H'(v) + η M'(v)),   H' = H − H_ref,  M' = M − M_ref,
 * for an overall scale λ of the Hamiltonian and a uniform extra field η. At λ = 1, η = 0:
 *   ∂_λ ln Z = −⟨H'⟩,  ∂²_λ Z/Z = ⟨H'²⟩,  ∂_η Z/Z = ⟨M'⟩,  ∂²_η Z/Z = ⟨M'²⟩.
 * A jet holds the Taylor data (Z, ∂_λ Z, ∂²_λ Z, ∂_η Z, ∂²_η Z): the truncated algebra
 * ℝ[λ, η]/(λ³, η³, λη), so products obey (ab)'' = a''b + 2a'b' + ab'' in each variable and
 * mixed terms are dropped (we never need ⟨H M⟩). Products of Boltzmann factors are then exact
 * to rounding, with no finite-difference step.
 *
 * Why the references: Var(H) = ⟨H'²⟩ − ⟨H'⟩² loses ⟨H'⟩²/Var(H) in relative precision. Each
 * local factor is measured from its own minimum (a bond −K s s' from −|K|), so at strong
 * coupling ⟨H'⟩ is small and at weak coupling ⟨H'⟩²/Var(H) is O(N): ~1e-13 lost, not 1e-3.
 * A quantity that is small only through cancellation between states (m in a field of 1e-12,
 * e at K = 1e-12) keeps absolute accuracy on its natural scale (1 for m, Σ|K|/N for e), not
 * relative accuracy: no reference choice can avoid summing ±M over near-symmetric states.
 */
import type { ExactMethod, ExactResult } from './types'

/** Components per jet: value, ∂_λ, ∂²_λ, ∂_η, ∂²_η. */
export const JET = 5

/** Jet of the factor exp(−λ ΔE + η ΔM) at λ = 1, η = 0, written into out[o..o+5). */
export function weightJet(out: Float64Array, o: number, dE: number, dM: number): void {
  const w = Math.exp(-dE)
  out[o] = w
  out[o + 1] = -dE * w
  out[o + 2] = dE * dE * w
  out[o + 3] = dM * w
  out[o + 4] = dM * dM * w
}

/**
 * Power-of-two rescaling: the exponent k with 2^k ≤ max < 2^{k+1}. Dividing by 2^k is exact in
 * binary floating point and Σk is an exact integer, so rescaling adds no rounding at all; a
 * running sum of ln(scale) over 10³ steps would lose ~1e-11 in ln Z.
 */
export function binaryExponent(max: number): number {
  if (!(max > 0) || !Number.isFinite(max)) throw new RangeError(`cannot rescale by ${max}`)
  return Math.floor(Math.log2(max))
}

/** Σ values with Neumaier's compensation (Z. Angew. Math. Mech. 54, 39 (1974)). */
export function compensatedSum(values: ArrayLike<number>): number {
  let sum = 0
  let carry = 0
  for (let k = 0; k < values.length; k++) {
    const x = values[k]
    const t = sum + x
    carry += Math.abs(sum) >= Math.abs(x) ? sum - t + x : x - t + sum
    sum = t
  }
  return sum + carry
}

/** out[o..] += a[ai..] · b[bi..] in the jet algebra. */
export function jetMulAdd(
  out: Float64Array,
  o: number,
  a: Float64Array,
  ai: number,
  b: Float64Array,
  bi: number
): void {
  const av = a[ai]
  const bv = b[bi]
  out[o] += av * bv
  out[o + 1] += a[ai + 1] * bv + av * b[bi + 1]
  out[o + 2] += a[ai + 2] * bv + 2 * a[ai + 1] * b[bi + 1] + av * b[bi + 2]
  out[o + 3] += a[ai + 3] * bv + av * b[bi + 3]
  out[o + 4] += a[ai + 4] * bv + 2 * a[ai + 3] * b[bi + 3] + av * b[bi + 4]
}

/**
 * Observables from Σ_v e^{−λH' + ηM'} = e^{logScale}·z (z a jet with z[0] > 0) and the references
 * H_ref, M_ref the jet was measured from (see the file comment).
 */
export function resultFromJet(
  method: ExactMethod,
  N: number,
  logScale: number,
  z: Float64Array,
  energyRef: number,
  magnetisationRef: number
): ExactResult {
  const z0 = z[0]
  if (!(z0 > 0) || !Number.isFinite(z0))
    throw new RangeError(`${method}: partition-function jet lost its value (${z0})`)
  // Z = e^{−H_ref} Σ_v e^{−H'(v)}.
  const lnZ = logScale + Math.log(z0) - energyRef
  const h1 = -z[1] / z0 // ⟨H'⟩
  const h2 = z[2] / z0 // ⟨H'²⟩
  const m1 = z[3] / z0 // ⟨M'⟩
  const m2 = z[4] / z0 // ⟨M'²⟩
  const meanM = magnetisationRef + m1
  const varM = Math.max(0, m2 - m1 * m1)
  return {
    method,
    N,
    lnZ,
    f: -lnZ / N,
    e: (energyRef + h1) / N,
    c: Math.max(0, h2 - h1 * h1) / N,
    m: meanM / N,
    m2: (varM + meanM * meanM) / (N * N),
    chi: varM / N
  }
}
