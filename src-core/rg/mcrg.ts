/**
 * Swendsen's Monte Carlo renormalization group (PRL 42, 859 (1979); SCIENCE.md §7). For even
 * operators S_α of each level n of a block cascade:
 *   A_γα = ⟨S⁽ⁿ⁾_γ S⁽ⁿ⁾_α⟩ − ⟨S⁽ⁿ⁾_γ⟩⟨S⁽ⁿ⁾_α⟩,   B_γβ = ⟨S⁽ⁿ⁾_γ S⁽ⁿ⁻¹⁾_β⟩ − ⟨S⁽ⁿ⁾_γ⟩⟨S⁽ⁿ⁻¹⁾_β⟩,
 *   T⁽ⁿ⁾ = A⁻¹B = ∂K⁽ⁿ⁾/∂K⁽ⁿ⁻¹⁾,
 * whose largest eigenvalue is b^{y_t}, ν = ln b / ln λ (exact 2D Ising: ν = 1). Truncation to a
 * few couplings and the finite lattice bias the first level; later levels converge. Error bars
 * by jackknife over contiguous blocks of samples.
 */
import type { CascadeLevel, Grid } from './blockSpin'

export type EvenOperator = 'nearest' | 'diagonal' | 'third' | 'plaquette'
export const EVEN_OPERATORS: readonly EvenOperator[] = ['nearest', 'diagonal', 'third', 'plaquette']

/** The smallest side of a level MCRG uses: below it the operators wrap onto each other. */
export const MCRG_MIN_SIDE = 4

/** S_α of each configuration (periodic grid), row k·ops.length + α. */
export function evenOperators(
  data: ArrayLike<number>,
  count: number,
  g: Grid,
  ops: readonly EvenOperator[]
): Float64Array {
  const { Lx, Ly } = g
  const n = Lx * Ly
  const chain = Ly === 1
  const at = (dx: number, dy: number) =>
    Int32Array.from({ length: n }, (_, i) => {
      const x = i % Lx
      const y = (i - x) / Lx
      return ((((y + dy) % Ly) + Ly) % Ly) * Lx + ((((x + dx) % Lx) + Lx) % Lx)
    })
  // Partner sites of each operator's terms s_i·s_j (pairs) or s_i·s_j·s_k·s_l (plaquette).
  const pairs: Record<Exclude<EvenOperator, 'plaquette'>, Int32Array[]> = {
    nearest: chain ? [at(1, 0)] : [at(1, 0), at(0, 1)],
    diagonal: chain ? [] : [at(1, 1), at(1, -1)],
    third: chain ? [at(2, 0)] : [at(2, 0), at(0, 2)]
  }
  const plaquette = chain ? null : [at(1, 0), at(0, 1), at(1, 1)]
  const out = new Float64Array(count * ops.length)
  for (let k = 0; k < count; k++) {
    const o = k * n
    ops.forEach((op, a) => {
      let sum = 0
      if (op === 'plaquette') {
        if (plaquette) {
          const [r, d, rd] = plaquette as [Int32Array, Int32Array, Int32Array]
          for (let i = 0; i < n; i++) sum += data[o + i]! * data[o + r[i]!]! * data[o + d[i]!]! * data[o + rd[i]!]!
        }
      } else {
        for (const partner of pairs[op]) for (let i = 0; i < n; i++) sum += data[o + i]! * data[o + partner[i]!]!
      }
      out[k * ops.length + a] = sum
    })
  }
  return out
}

/** Solves A X = B for X (d × d), both row-major; null when A is singular. */
export function solveMatrix(A: Float64Array, B: Float64Array, d: number): Float64Array | null {
  const M = Float64Array.from(A)
  const X = Float64Array.from(B)
  for (let c = 0; c < d; c++) {
    let p = c
    for (let r = c + 1; r < d; r++) if (Math.abs(M[r * d + c]) > Math.abs(M[p * d + c])) p = r
    if (!(Math.abs(M[p * d + c]) > 1e-300)) return null
    for (let k = 0; k < d; k++) {
      ;[M[c * d + k], M[p * d + k]] = [M[p * d + k]!, M[c * d + k]!]
      ;[X[c * d + k], X[p * d + k]] = [X[p * d + k]!, X[c * d + k]!]
    }
    for (let r = 0; r < d; r++) {
      if (r === c) continue
      const f = M[r * d + c] / M[c * d + c]
      for (let k = 0; k < d; k++) {
        M[r * d + k] -= f * M[c * d + k]
        X[r * d + k] -= f * X[c * d + k]
      }
    }
  }
  for (let r = 0; r < d; r++) for (let k = 0; k < d; k++) X[r * d + k] /= M[r * d + r]
  return X
}

/** The eigenvalue of largest modulus of a small real matrix by power iteration (NaN if it does not settle). */
export function leadingEigenvalue(T: Float64Array, d: number): number {
  let v = new Float64Array(d).fill(1 / Math.sqrt(d))
  let lambda = 0
  for (let it = 0; it < 5000; it++) {
    const w = new Float64Array(d)
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) w[r] += T[r * d + c] * v[c]
    let norm = 0
    for (const x of w) norm += x * x
    norm = Math.sqrt(norm)
    if (norm === 0) return 0
    // Rayleigh-like estimate with sign: ⟨v, Tv⟩ / ⟨v, v⟩.
    let dot = 0
    for (let r = 0; r < d; r++) dot += v[r] * w[r]
    const next = dot
    for (let r = 0; r < d; r++) w[r] /= norm
    v = w
    if (it > 10 && Math.abs(next - lambda) < 1e-13 * Math.abs(next)) return next
    lambda = next
  }
  return Number.NaN
}

/** T = A⁻¹B and its leading eigenvalue from per-sample operators, with sample weights (0/1 for jackknife). */
function linearised(
  Sn: Float64Array,
  Sp: Float64Array,
  count: number,
  d: number,
  keep: (k: number) => boolean
): { T: Float64Array; lambda: number } | null {
  const mn = new Float64Array(d)
  const mp = new Float64Array(d)
  let w = 0
  for (let k = 0; k < count; k++) {
    if (!keep(k)) continue
    w++
    for (let a = 0; a < d; a++) {
      mn[a] += Sn[k * d + a]
      mp[a] += Sp[k * d + a]
    }
  }
  for (let a = 0; a < d; a++) {
    mn[a] /= w
    mp[a] /= w
  }
  const A = new Float64Array(d * d)
  const B = new Float64Array(d * d)
  for (let k = 0; k < count; k++) {
    if (!keep(k)) continue
    for (let g = 0; g < d; g++) {
      const x = Sn[k * d + g] - mn[g]
      for (let a = 0; a < d; a++) {
        A[g * d + a] += x * (Sn[k * d + a] - mn[a])
        B[g * d + a] += x * (Sp[k * d + a] - mp[a])
      }
    }
  }
  const T = solveMatrix(A, B, d)
  return T ? { T, lambda: leadingEigenvalue(T, d) } : null
}

export interface McrgLevel {
  /** Level n (≥ 1): the step from level n − 1 to n. */
  level: number
  /** T⁽ⁿ⁾, operators × operators, row-major. */
  T: number[]
  lambda: number
  lambdaError: number
  /** y_t = ln λ / ln b and ν = 1/y_t, with jackknife errors. */
  yt: number
  ytError: number
  nu: number
  nuError: number
}

export interface McrgResult {
  operators: EvenOperator[]
  b: number
  samples: number
  blocks: number
  levels: McrgLevel[]
}

/**
 * MCRG from a block cascade of `count` configurations (levels from blockCascade; ±1 rules).
 * `blocks` contiguous blocks of samples for the jackknife.
 */
export function mcrg(
  cascade: CascadeLevel[],
  count: number,
  b: number,
  ops: readonly EvenOperator[] = EVEN_OPERATORS,
  blocks = 20
): McrgResult {
  if (cascade.length < 2) throw new RangeError('MCRG needs at least one blocking level')
  if (count < 4) throw new RangeError(`MCRG needs several configurations, got ${count}`)
  const small = cascade.find((l) => Math.min(l.grid.Lx, l.grid.Ly) < MCRG_MIN_SIDE)
  if (small) {
    throw new RangeError(
      `MCRG needs every level at least ${MCRG_MIN_SIDE}×${MCRG_MIN_SIDE} (its operators reach two sites away); level ${small.level} is ${small.grid.Lx}×${small.grid.Ly}: use fewer levels`
    )
  }
  const d = ops.length
  const S = cascade.map((l) => evenOperators(l.data, count, l.grid, ops))
  const nb = Math.max(2, Math.min(blocks, count))
  const blockOf = (k: number) => Math.min(nb - 1, Math.floor((k * nb) / count))
  const levels: McrgLevel[] = []
  for (let n = 1; n < cascade.length; n++) {
    const full = linearised(S[n]!, S[n - 1]!, count, d, () => true)
    if (!full) throw new RangeError(`level ${n}: the operators are linearly dependent on this lattice (choose fewer)`)
    const jack = Array.from(
      { length: nb },
      (_, j) => linearised(S[n]!, S[n - 1]!, count, d, (k) => blockOf(k) !== j)?.lambda ?? Number.NaN
    )
    // Over the replicates with a finite λ: one left-out block whose T has no settled leading
    // eigenvalue would otherwise make every error bar of the level NaN.
    const err = (f: (lambda: number) => number) => {
      const vals = jack.map(f).filter(Number.isFinite)
      const n = vals.length
      if (n < 2) return Number.NaN
      const mean = vals.reduce((s, x) => s + x, 0) / n
      return Math.sqrt(((n - 1) / n) * vals.reduce((s, x) => s + (x - mean) ** 2, 0))
    }
    const yt = (lambda: number) => Math.log(lambda) / Math.log(b)
    const nu = (lambda: number) => Math.log(b) / Math.log(lambda)
    levels.push({
      level: n,
      T: Array.from(full.T),
      lambda: full.lambda,
      lambdaError: err((x) => x),
      yt: yt(full.lambda),
      ytError: err(yt),
      nu: nu(full.lambda),
      nuError: err(nu)
    })
  }
  return { operators: [...ops], b, samples: count, blocks: nb, levels }
}
