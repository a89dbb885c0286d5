/**
 * Swendsen's MCRG (mcrg.ts) from independent parts: each part (a chain with its own random
 * stream, a cluster bundle's unit) keeps, per level n, the means of S⁽ⁿ⁾ and S⁽ⁿ⁻¹⁾ and the
 * co-moments A = Σ (S⁽ⁿ⁾ − m⁽ⁿ⁾)(S⁽ⁿ⁾ − m⁽ⁿ⁾)ᵀ and B = Σ (S⁽ⁿ⁾ − m⁽ⁿ⁾)(S⁽ⁿ⁻¹⁾ − m⁽ⁿ⁻¹⁾)ᵀ over
 * its samples. Parts pool exactly (Chan, Golub & LeVeque's update, stable where raw sums of S²
 * at L = 512 would lose digits), so T = A⁻¹B of the pooled co-moments is that of all samples
 * together, and the error bars are a jackknife over parts, each left out in turn (the parts are
 * independent samples, as the app's blocks of one chain nearly are).
 */
import type { CascadeLevel } from './blockSpin'
import {
  evenOperators,
  leadingEigenvalue,
  MCRG_MIN_SIDE,
  solveMatrix,
  type EvenOperator,
  type McrgLevel,
  type McrgResult
} from './mcrg'

export interface McrgLevelSums {
  level: number
  /** Means of S⁽ⁿ⁾ and S⁽ⁿ⁻¹⁾ (operators long). */
  meanN: number[]
  meanP: number[]
  /** Co-moments, operators × operators, row-major. */
  A: number[]
  B: number[]
}

export interface McrgSums {
  operators: EvenOperator[]
  b: number
  samples: number
  levels: McrgLevelSums[]
}

/** The co-moments of `count` configurations' cascade (levels 1 … as in mcrg()). */
export function mcrgSums(cascade: CascadeLevel[], count: number, b: number, ops: readonly EvenOperator[]): McrgSums {
  if (cascade.length < 2) throw new RangeError('MCRG needs at least one blocking level')
  if (count < 1) throw new RangeError('MCRG sums need at least one configuration')
  const small = cascade.find((l) => Math.min(l.grid.Lx, l.grid.Ly) < MCRG_MIN_SIDE)
  if (small) throw new RangeError(`MCRG needs every level at least ${MCRG_MIN_SIDE}×${MCRG_MIN_SIDE}`)
  const d = ops.length
  const S = cascade.map((l) => evenOperators(l.data, count, l.grid, ops))
  const mean = (X: Float64Array) =>
    Array.from({ length: d }, (_, a) => {
      let s = 0
      for (let k = 0; k < count; k++) s += X[k * d + a]!
      return s / count
    })
  const comoment = (X: Float64Array, mx: number[], Y: Float64Array, my: number[]) => {
    const C = new Array<number>(d * d).fill(0)
    for (let k = 0; k < count; k++)
      for (let g = 0; g < d; g++) {
        const x = X[k * d + g]! - mx[g]!
        for (let a = 0; a < d; a++) C[g * d + a]! += x * (Y[k * d + a]! - my[a]!)
      }
    return C
  }
  const levels: McrgLevelSums[] = []
  for (let n = 1; n < cascade.length; n++) {
    const meanN = mean(S[n]!)
    const meanP = mean(S[n - 1]!)
    levels.push({
      level: n,
      meanN,
      meanP,
      A: comoment(S[n]!, meanN, S[n]!, meanN),
      B: comoment(S[n]!, meanN, S[n - 1]!, meanP)
    })
  }
  return { operators: [...ops], b, samples: count, levels }
}

/** The parts as one (they must share operators, b and levels). */
export function poolMcrgSums(parts: readonly McrgSums[]): McrgSums {
  const first = parts[0]
  if (!first) throw new RangeError('nothing to pool')
  const d = first.operators.length
  for (const p of parts)
    if (p.b !== first.b || p.operators.join() !== first.operators.join() || p.levels.length !== first.levels.length)
      throw new RangeError('MCRG parts with different operators, block size or levels cannot be pooled')
  let pooled: McrgSums = JSON.parse(JSON.stringify(first)) as McrgSums
  for (const p of parts.slice(1)) {
    const na = pooled.samples
    const nb = p.samples
    const n = na + nb
    pooled = {
      ...pooled,
      samples: n,
      levels: pooled.levels.map((a, i) => {
        const c = p.levels[i]!
        const dN = c.meanN.map((m, g) => m - a.meanN[g]!)
        const dP = c.meanP.map((m, g) => m - a.meanP[g]!)
        const f = (na * nb) / n
        const join = (X: number[], Y: number[], dy: number[]) =>
          X.map((x, k) => x + Y[k]! + f * dN[Math.floor(k / d)]! * dy[k % d]!)
        return {
          level: a.level,
          meanN: a.meanN.map((m, g) => m + (dN[g]! * nb) / n),
          meanP: a.meanP.map((m, g) => m + (dP[g]! * nb) / n),
          A: join(a.A, c.A, dN),
          B: join(a.B, c.B, dP)
        }
      })
    }
  }
  return pooled
}

function lambdaOf(l: McrgLevelSums, d: number): { T: Float64Array; lambda: number } | null {
  const T = solveMatrix(Float64Array.from(l.A), Float64Array.from(l.B), d)
  return T ? { T, lambda: leadingEigenvalue(T, d) } : null
}

/**
 * MCRG of the pooled parts, with jackknife errors over the parts (at least two). `blocks` in the
 * result is the number of parts.
 */
export function mcrgFromParts(parts: readonly McrgSums[]): McrgResult {
  if (parts.length < 2) throw new RangeError('MCRG error bars over parts need at least two parts')
  const all = poolMcrgSums(parts)
  const d = all.operators.length
  const np = parts.length
  const leaveOut = parts.map((_, j) => poolMcrgSums(parts.filter((_, k) => k !== j)))
  const b = all.b
  const levels: McrgLevel[] = all.levels.map((l, i) => {
    const full = lambdaOf(l, d)
    if (!full) throw new RangeError(`level ${l.level}: the operators are linearly dependent on this lattice`)
    const jack = leaveOut.map((p) => lambdaOf(p.levels[i]!, d)?.lambda ?? Number.NaN)
    const err = (f: (lambda: number) => number) => {
      const vals = jack.map(f)
      const mean = vals.reduce((s, x) => s + x, 0) / np
      return Math.sqrt(((np - 1) / np) * vals.reduce((s, x) => s + (x - mean) ** 2, 0))
    }
    const yt = (lambda: number) => Math.log(lambda) / Math.log(b)
    const nu = (lambda: number) => Math.log(b) / Math.log(lambda)
    return {
      level: l.level,
      T: Array.from(full.T),
      lambda: full.lambda,
      lambdaError: err((x) => x),
      yt: yt(full.lambda),
      ytError: err(yt),
      nu: nu(full.lambda),
      nuError: err(nu)
    }
  })
  return { operators: all.operators, b, samples: all.samples, blocks: np, levels }
}
