/**
 * Newton's method on the tabulated pseudo-likelihood of pseudoLikelihood.ts (SCIENCE.md §7):
 * ℓ(K) = Σ_rows w [s φ − ln 2cosh φ], φ = Σ_α K_α f_α, concave in K. A maximum at infinite K
 * (data separable in some direction) is reported as not converged, also when tanh φ has rounded
 * to ±1 and the steps stopped.
 */
/** Occurrences of each (f, s) per block of samples, over the (f, s) combinations that occur. */
export interface FeatureTable {
  features: Int32Array[]
  spins: Int8Array
  /** counts[block][k]. */
  counts: Float64Array[]
}

/** Solves A x = b (small, symmetric positive definite) by Gaussian elimination with pivoting. */
function solve(A: Float64Array, b: Float64Array, n: number): Float64Array {
  const M = Float64Array.from(A)
  const x = Float64Array.from(b)
  for (let c = 0; c < n; c++) {
    let p = c
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > Math.abs(M[p * n + c])) p = r
    if (Math.abs(M[p * n + c]) < 1e-300)
      throw new RangeError('the couplings cannot be told apart on these data (singular Hessian)')
    if (p !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[p * n + k]] = [M[p * n + k]!, M[c * n + k]!]
      ;[x[c], x[p]] = [x[p]!, x[c]!]
    }
    for (let r = c + 1; r < n; r++) {
      const factor = M[r * n + c] / M[c * n + c]
      for (let k = c; k < n; k++) M[r * n + k] -= factor * M[c * n + k]
      x[r] -= factor * x[c]
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c]
    for (let k = c + 1; k < n; k++) s -= M[c * n + k] * x[k]
    x[c] = s / M[c * n + c]
  }
  return x
}

/**
 * Local fields beyond this make tanh φ round to ±1 in doubles: the gradient and curvature of
 * those terms vanish, so Newton stops although the couplings are running off to infinity (the
 * data are separable in some direction: the maximum is at infinite K, not a fit).
 */
const SATURATED_FIELD = 18

/** Newton's method on the tabulated pseudo-likelihood with weights w (counts). */
export function fitTable(
  t: FeatureTable,
  w: Float64Array,
  dims: number
): { K: Float64Array; iterations: number; converged: boolean } {
  const K = new Float64Array(dims)
  const grad = new Float64Array(dims)
  const hess = new Float64Array(dims * dims)
  for (let iteration = 1; iteration <= 50; iteration++) {
    grad.fill(0)
    hess.fill(0)
    for (let k = 0; k < t.spins.length; k++) {
      if (w[k] === 0) continue
      const f = t.features[k]!
      let phi = 0
      for (let a = 0; a < dims; a++) phi += K[a] * f[a]
      const th = Math.tanh(phi)
      const r = (t.spins[k]! - th) * w[k]
      const curvature = (1 - th * th) * w[k]
      for (let a = 0; a < dims; a++) {
        grad[a] += r * f[a]
        for (let b = 0; b <= a; b++) hess[a * dims + b] += curvature * f[a] * f[b]
      }
    }
    for (let a = 0; a < dims; a++) for (let b = 0; b < a; b++) hess[b * dims + a] = hess[a * dims + b]
    const step = solve(hess, grad, dims)
    let size = 0
    for (let a = 0; a < dims; a++) {
      K[a] += step[a]
      size = Math.max(size, Math.abs(step[a]))
    }
    if (!K.every(Number.isFinite) || K.some((k) => Math.abs(k) > 50)) {
      return { K, iterations: iteration, converged: false }
    }
    if (size < 1e-12) return { K, iterations: iteration, converged: !saturated(t, w, K) }
  }
  return { K, iterations: 50, converged: false }
}

/** Whether some term with weight has |φ| past SATURATED_FIELD (a runaway, see there). */
function saturated(t: FeatureTable, w: Float64Array, K: Float64Array): boolean {
  for (let k = 0; k < t.spins.length; k++) {
    if (w[k] === 0) continue
    const f = t.features[k]!
    let phi = 0
    for (let a = 0; a < K.length; a++) phi += K[a] * f[a]
    if (Math.abs(phi) > SATURATED_FIELD) return true
  }
  return false
}

/** The fit of one jackknife replicate, or null when it has no finite maximum (singular or running away). */
export function replicate(t: FeatureTable, w: Float64Array, dims: number): Float64Array | null {
  try {
    const fit = fitTable(t, w, dims)
    return fit.converged ? fit.K : null
  } catch {
    return null
  }
}
