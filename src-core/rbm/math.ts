import type { UnitKind } from './types'

/**
 * Numerically stable scalar functions of a single binary unit u with "field" x, i.e. with
 * Boltzmann weight e^{x·u}. Everything in src-core/rbm that sums out a layer goes through
 * these, so the two unit types are handled in one place:
 *
 *   '01'  : u ∈ {0, 1}.   ln Σ_u e^{xu} = ln(1 + eˣ) = softplus(x),  p(u=1) = σ(x),   ⟨u⟩ = σ(x)
 *   'pm1' : u ∈ {−1, +1}. ln Σ_u e^{xu} = ln(2 cosh x),             p(u=+1) = σ(2x), ⟨u⟩ = tanh(x)
 */

/** Logistic σ(x) = 1/(1 + e^{−x}), evaluated without overflow for either sign of x. */
export function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x))
  const e = Math.exp(x)
  return e / (1 + e)
}

/** softplus(x) = ln(1 + eˣ) = max(x, 0) + ln(1 + e^{−|x|}); exact to rounding for all x. */
export function softplus(x: number): number {
  return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x)))
}

/** ln(2 cosh x) = |x| + ln(1 + e^{−2|x|}); no overflow for large |x|. */
export function logTwoCosh(x: number): number {
  const ax = Math.abs(x)
  return ax + Math.log1p(Math.exp(-2 * ax))
}

/** ln Σ_{u ∈ units} e^{x·u}: the log of one unit's contribution when it is traced out. */
export function logUnitSum(units: UnitKind, x: number): number {
  return units === '01' ? softplus(x) : logTwoCosh(x)
}

/** p(u = on | x): on is 1 for '01' units, +1 for 'pm1' units. */
export function probabilityOn(units: UnitKind, x: number): number {
  return units === '01' ? sigmoid(x) : sigmoid(2 * x)
}

/** The value a unit takes when on / off in its own scale. */
export function unitOn(_units: UnitKind): number {
  return 1
}

export function unitOff(units: UnitKind): number {
  return units === '01' ? 0 : -1
}

/** Expected value ⟨u⟩ from p(on): p for '01', 2p − 1 for 'pm1'. */
export function meanFromProbability(units: UnitKind, pOn: number): number {
  return units === '01' ? pOn : 2 * pOn - 1
}

/** p(on) from a value or mean in the unit's scale (inverse of meanFromProbability). */
export function probabilityFromMean(units: UnitKind, mean: number): number {
  return units === '01' ? mean : (mean + 1) / 2
}

/** ln Σ_k e^{x_k}, shifted by the maximum; −∞ for an empty or all −∞ input. */
export function logSumExp(values: ArrayLike<number>): number {
  let max = -Infinity
  for (let k = 0; k < values.length; k++) if (values[k] > max) max = values[k]
  if (max === -Infinity) return -Infinity
  if (max === Infinity) return Infinity
  let sum = 0
  for (let k = 0; k < values.length; k++) sum += Math.exp(values[k] - max)
  return max + Math.log(sum)
}

/** ln((1/n) Σ_k e^{x_k}). */
export function logMeanExp(values: ArrayLike<number>): number {
  return logSumExp(values) - Math.log(values.length)
}

/**
 * A running log-sum-exp: add(x) accumulates e^x without ever forming it, rescaling the partial
 * sum when a new maximum arrives. Used by the enumerations in exact.ts (2^24 terms).
 */
export class LogSumExpAccumulator {
  private max = -Infinity
  private sum = 0

  add(x: number): void {
    if (x <= this.max) {
      this.sum += Math.exp(x - this.max)
    } else if (x !== -Infinity) {
      this.sum = this.sum * Math.exp(this.max - x) + 1
      this.max = x
    }
  }

  value(): number {
    return this.max === -Infinity ? -Infinity : this.max + Math.log(this.sum)
  }
}
