import { assertValidRbm } from './rbm'
import { checkBatch, freeEnergyVisible } from './energy'
import { LogSumExpAccumulator, logSumExp, unitOff } from './math'
import type { Batch, Rbm, RbmAnyPrecision, UnitKind } from './types'

/**
 * Exact partition function, likelihood, model distribution and KL divergence of small RBMs
 * (SCIENCE.md §5: "exact by summing over the smaller layer (≤ ~24 units)").
 *
 * Z = Σ_v e^{−F(v)} = Σ_h e^{−F(h)} (paper Eqs. 12–13): one layer is enumerated and the other
 * traced out analytically. Enumeration follows the reflected binary Gray code, so consecutive
 * configurations differ in one unit and the other layer's fields x = bias + Σ s M are updated by
 * one row of W per step (double precision throughout). Terms are summed with a running
 * log-sum-exp, so nothing overflows however strong the weights.
 *
 * Configuration index: unit i is on (1, or +1) iff bit i of the index is set, i.e.
 * index = Σ_i [s_i on]·2^i. exactVisibleDistribution and allConfigurations use this order.
 */

/** Largest layer enumerated for ln Z (2^24 terms, a few seconds). */
export const EXACT_MAX_UNITS = 24
/** Largest visible layer whose full distribution p(v) is returned (2^20 doubles, 8 MB). */
export const EXACT_MAX_DISTRIBUTION_UNITS = 20

export type Layer = 'visible' | 'hidden'

const LOG_BLOCK_MASK = 511

/**
 * Calls visit(index, −F(s)) for every configuration s of `layer` (2^n of them, in Gray-code
 * order), F the free energy with the other layer traced out. Parameters may be float64: they
 * are read into double precision either way.
 */
export function forEachNegativeFreeEnergy(
  rbm: RbmAnyPrecision,
  layer: Layer,
  visit: (index: number, negFreeEnergy: number) => void
): void {
  assertValidRbm(rbm, 'forEachNegativeFreeEnergy', { float64: true })
  const { nv, nh, W } = rbm
  const visible = layer === 'visible'
  const n = visible ? nv : nh
  const m = visible ? nh : nv
  if (n > EXACT_MAX_UNITS)
    throw new RangeError(`exact enumeration of the ${layer} layer needs ≤ ${EXACT_MAX_UNITS} units, it has ${n}`)
  const selfUnits: UnitKind = visible ? rbm.visibleUnits : rbm.hiddenUnits
  const pm1Other = (visible ? rbm.hiddenUnits : rbm.visibleUnits) === 'pm1'
  const selfBias = visible ? rbm.a : rbm.b
  const otherBias = visible ? rbm.b : rbm.a
  // M[s·m + o]: coupling between unit s of the enumerated layer and unit o of the other one.
  const M = new Float64Array(n * m)
  for (let i = 0; i < nv; i++) {
    for (let j = 0; j < nh; j++) M[visible ? i * nh + j : j * nv + i] = W[i * nh + j]
  }
  const off = unitOff(selfUnits)
  const state = new Float64Array(n).fill(off)
  const fields = new Float64Array(m)
  let biasTerm = 0
  for (let s = 0; s < n; s++) biasTerm += selfBias[s] * off
  for (let o = 0; o < m; o++) {
    let x = otherBias[o]
    for (let s = 0; s < n; s++) x += off * M[s * m + o]
    fields[o] = x
  }
  const total = 2 ** n
  let gray = 0
  for (let k = 0; k < total; k++) {
    if (k > 0) {
      const s = 31 - Math.clz32(k & -k)
      gray ^= 1 << s
      const next = state[s] === 1 ? off : 1
      const delta = next - state[s]
      state[s] = next
      biasTerm += selfBias[s] * delta
      const row = s * m
      for (let o = 0; o < m; o++) fields[o] += delta * M[row + o]
    }
    // Σ_o φ(x_o) with φ(x) = max(x,0) + ln(1 + e^{−|x|}) ('01') or |x| + ln(1 + e^{−2|x|})
    // ('pm1') as in math.ts, but with one log per block of factors in (1, 2] instead of one per
    // term (the factors' product stays below 2^LOG_BLOCK, far from overflow).
    let logWeight = biasTerm
    let product = 1
    for (let o = 0; o < m; o++) {
      const x = fields[o]
      const ax = x < 0 ? -x : x
      logWeight += pm1Other ? ax : x > 0 ? x : 0
      product *= 1 + Math.exp(pm1Other ? -2 * ax : -ax)
      if ((o & LOG_BLOCK_MASK) === LOG_BLOCK_MASK) {
        logWeight += Math.log(product)
        product = 1
      }
    }
    visit(gray >>> 0, logWeight + Math.log(product))
  }
}

export interface ExactLogZOptions {
  /** Which layer to enumerate; default 'smaller' (the visible layer on a tie). */
  over?: Layer | 'smaller'
}

/** ln Z exactly (see the module comment), of float32 or float64 parameters as given. */
export function exactLogPartition(rbm: RbmAnyPrecision, options: ExactLogZOptions = {}): number {
  const over = options.over ?? 'smaller'
  const layer: Layer = over === 'smaller' ? (rbm.nh < rbm.nv ? 'hidden' : 'visible') : over
  const sum = new LogSumExpAccumulator()
  forEachNegativeFreeEnergy(rbm, layer, (_index, x) => sum.add(x))
  return sum.value()
}

function layerDistribution(rbm: Rbm, layer: Layer): Float64Array {
  const n = layer === 'visible' ? rbm.nv : rbm.nh
  if (n > EXACT_MAX_DISTRIBUTION_UNITS) {
    throw new RangeError(
      `the exact ${layer} distribution needs ≤ ${EXACT_MAX_DISTRIBUTION_UNITS} units, the layer has ${n}`
    )
  }
  const logWeights = new Float64Array(2 ** n)
  forEachNegativeFreeEnergy(rbm, layer, (index, x) => {
    logWeights[index] = x
  })
  const logZ = logSumExp(logWeights)
  for (let k = 0; k < logWeights.length; k++) logWeights[k] = Math.exp(logWeights[k] - logZ)
  return logWeights
}

/** p(v) = e^{−F(v)}/Z for all 2^nv configurations (index order above), nv ≤ 20. */
export function exactVisibleDistribution(rbm: Rbm): Float64Array {
  return layerDistribution(rbm, 'visible')
}

/** p(h) = e^{−F(h)}/Z for all 2^nh configurations, nh ≤ 20. */
export function exactHiddenDistribution(rbm: Rbm): Float64Array {
  return layerDistribution(rbm, 'hidden')
}

/** All 2^n configurations of n units as a batch, row k = configuration with index k. */
export function allConfigurations(n: number, units: UnitKind): Batch {
  if (!Number.isInteger(n) || n < 1 || n > EXACT_MAX_DISTRIBUTION_UNITS) {
    throw new RangeError(`allConfigurations: n must be an integer in [1, ${EXACT_MAX_DISTRIBUTION_UNITS}], got ${n}`)
  }
  const rows = 2 ** n
  const off = unitOff(units)
  const data = new Float32Array(rows * n)
  for (let k = 0; k < rows; k++) {
    for (let i = 0; i < n; i++) data[k * n + i] = (k >>> i) & 1 ? 1 : off
  }
  return { rows, cols: n, data }
}

/** The index of a configuration (≤ 52 units; any entry other than on or off throws). */
export function configurationIndex(s: ArrayLike<number>, units: UnitKind): number {
  if (s.length > 52) throw new RangeError(`configurationIndex: at most 52 units, got ${s.length}`)
  const off = unitOff(units)
  let index = 0
  for (let i = s.length - 1; i >= 0; i--) {
    if (s[i] !== 1 && s[i] !== off)
      throw new RangeError(`configurationIndex: unit ${i} is ${s[i]}, not a ${units} value`)
    index = index * 2 + (s[i] === 1 ? 1 : 0)
  }
  return index
}

export interface ExactLogLikelihoodOptions {
  /** ln Z if already known (otherwise computed with exactLogPartition). */
  logZ?: number
  /** Receives ln p(v) per row when given (length ≥ rows). */
  out?: Float64Array
}

/** The mean exact log-likelihood (1/N) Σ_n ln p(v_n) = −F(v_n) − ln Z of a batch (N ≥ 1 rows). */
export function exactLogLikelihood(rbm: Rbm, batch: Batch, options: ExactLogLikelihoodOptions = {}): number {
  checkBatch(batch, rbm.nv, 'exactLogLikelihood')
  if (batch.rows < 1) throw new RangeError('exactLogLikelihood: the batch is empty')
  const logZ = options.logZ ?? exactLogPartition(rbm)
  let sum = 0
  for (let r = 0; r < batch.rows; r++) {
    const value = -freeEnergyVisible(rbm, batch.data.subarray(r * rbm.nv, (r + 1) * rbm.nv)) - logZ
    if (options.out) options.out[r] = value
    sum += value
  }
  return sum / batch.rows
}

/** A data distribution P over visible configurations: distinct or repeated rows (merged). */
export interface DataDistribution {
  configurations: Batch
  probabilities: ArrayLike<number>
}

export interface ExactKl {
  /** KL(P‖p_λ) = Σ_v P(v) ln(P(v)/p_λ(v)) (SCIENCE.md §2; nats). */
  kl: number
  /** −Σ_v P(v) ln p_λ(v). */
  crossEntropy: number
  /** −Σ_v P(v) ln P(v). */
  dataEntropy: number
  logZ: number
}

/** Probabilities must sum to 1 within this (relative to the count of terms). */
export const KL_NORMALISATION_TOLERANCE = 1e-6

/**
 * KL(P‖p_λ) exactly, for P given as (configurations, probabilities), e.g. a small Ising
 * model's exact distribution. Repeated configurations are merged; P(v) = 0 terms contribute 0.
 */
export function exactKlDivergence(rbm: Rbm, data: DataDistribution, options: { logZ?: number } = {}): ExactKl {
  const { configurations, probabilities } = data
  checkBatch(configurations, rbm.nv, 'exactKlDivergence')
  if (probabilities.length !== configurations.rows) {
    throw new RangeError(
      `exactKlDivergence: ${probabilities.length} probabilities for ${configurations.rows} configurations`
    )
  }
  let total = 0
  const merged = new Map<string | number, { row: number; p: number }>()
  for (let r = 0; r < configurations.rows; r++) {
    const p = probabilities[r]
    if (!(p >= 0) || !Number.isFinite(p)) throw new RangeError(`exactKlDivergence: probability ${r} is ${p}`)
    total += p
    const v = configurations.data.subarray(r * rbm.nv, (r + 1) * rbm.nv)
    const key = rbm.nv <= 52 ? configurationIndex(v, rbm.visibleUnits) : Array.from(v).join(',')
    const entry = merged.get(key)
    if (entry) entry.p += p
    else merged.set(key, { row: r, p })
  }
  if (Math.abs(total - 1) > KL_NORMALISATION_TOLERANCE * Math.max(1, Math.sqrt(configurations.rows))) {
    throw new RangeError(`exactKlDivergence: the probabilities sum to ${total}, not 1`)
  }
  const logZ = options.logZ ?? exactLogPartition(rbm)
  let kl = 0
  let crossEntropy = 0
  let dataEntropy = 0
  for (const { row, p } of merged.values()) {
    if (p === 0) continue
    const logModel = -freeEnergyVisible(rbm, configurations.data.subarray(row * rbm.nv, (row + 1) * rbm.nv)) - logZ
    const logData = Math.log(p)
    kl += p * (logData - logModel)
    crossEntropy -= p * logModel
    dataEntropy -= p * logData
  }
  return { kl, crossEntropy, dataEntropy, logZ }
}
