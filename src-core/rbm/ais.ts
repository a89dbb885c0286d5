import type { Rng } from '../random/rng'
import { assertValidRbm } from './rbm'
import { checkBatch } from './energy'
import { tsDenseKernels } from './kernelsTs'
import { logMeanExp, logUnitSum, probabilityFromMean, probabilityOn } from './math'
import { sampleUnits } from './sampling'
import type { Batch, DenseKernels, Rbm, UnitKind } from './types'

/**
 * Annealed importance sampling estimate of ln Z (Neal, Stat. Comput. 11, 125, 2001; Salakhutdinov & Murray 2008,
 * "On the quantitative analysis of deep belief networks", ICML; AIS for RBMs and the base-rate
 * model are in its sections on estimating partition functions).
 *
 * Base-rate model A: the same units, W = 0, hidden biases 0, visible biases a_A (from the data
 * marginals as in S&M, or zero), so ln Z_A = Σ_i ln Σ_{v_i} e^{a_A,i v_i} + nh ln 2 exactly.
 * Intermediate distributions for 0 = β_0 < β_1 < … < β_K = 1, with the hidden units summed out:
 *     ln p*_k(v) = (1−β_k) a_Aᵀv + β_k aᵀv + Σ_j φ_h(β_k (b_j + (vᵀW)_j))
 * (φ_h = softplus or ln 2cosh, math.ts), which is the v-marginal of
 * p_k(v,h) ∝ exp((1−β_k) a_Aᵀv + β_k (aᵀv + bᵀh + vᵀWh)); T_k is one block Gibbs sweep of
 * that joint (h | v with fields β_k (b + vᵀW), then v | h), leaving p_k invariant, as AIS requires (Neal 2001).
 *
 * Each of M independent chains: v_1 ~ p_A exactly; for k = 1 … K, ln w += ln p*_k(v_k) −
 * ln p*_{k−1}(v_k), then v_{k+1} ~ T_k(v_k). Then ln Ẑ_B = ln Z_A + ln((1/M) Σ_m w_m)
 * (computed as a log-mean-exp). Standard error (delta method): with r̂ the mean weight,
 * Var(ln r̂) ≈ Var(w)/(M r̂²), i.e. the sample standard deviation of the weights normalised by
 * their mean, over √M. It understates the error when the weights are heavy-tailed (few chains
 * dominate); effectiveSampleSize = (Σw)²/Σw² shows when that happens.
 *
 * Determinism: the draws are, in order, M·nv uniforms for v_1 (row-major), then per transition
 * M·nh uniforms for h and M·nv for v (sampling.ts conventions); same rng state ⇒ same result.
 */

export type AisSchedule =
  /** β_k = k/(K+1) for k = 0 … K+1, i.e. `intermediate` = K distributions strictly inside (0, 1). */
  | { kind: 'linear'; intermediate: number }
  /** Any strictly increasing β sequence from 0 to 1 inclusive. */
  | { kind: 'custom'; betas: ArrayLike<number> }

export interface AisOptions {
  rng: Rng
  /** Number of independent annealing runs M; default 100. */
  chains?: number
  /** Default { kind: 'linear', intermediate: 10000 }. */
  schedule?: AisSchedule
  /**
   * Visible biases of the base-rate model: 'zero' (default), a batch of training data (its
   * marginals, see baseRateVisibleBiases), or explicit biases a_A (length nv).
   */
  base?: 'zero' | { data: Batch } | { visibleBiases: ArrayLike<number> }
  /** Return the M log importance weights. */
  returnLogWeights?: boolean
  kernels?: DenseKernels
}

export interface AisResult {
  /** ln Ẑ = ln Z_A + ln mean(w). */
  logZ: number
  /** Standard error of ln Ẑ by the delta method (module comment). */
  stderr: number
  /** ln Z_A of the base-rate model (exact). */
  logZBase: number
  /** (Σw)²/Σw², between 1 and M. */
  effectiveSampleSize: number
  /** ln w_m per chain, when asked for. */
  logWeights?: Float64Array
}

export const AIS_DEFAULT_CHAINS = 100
export const AIS_DEFAULT_INTERMEDIATE = 10000

/** The β sequence of a schedule, validated (starts at 0, ends at 1, strictly increasing). */
export function aisBetas(schedule: AisSchedule): Float64Array {
  let betas: Float64Array
  if (schedule.kind === 'linear') {
    const K = schedule.intermediate
    if (!Number.isInteger(K) || K < 0)
      throw new RangeError(`AIS: the number of intermediate distributions must be an integer ≥ 0, got ${K}`)
    betas = new Float64Array(K + 2)
    for (let k = 0; k <= K + 1; k++) betas[k] = k / (K + 1)
  } else {
    betas = Float64Array.from(schedule.betas)
  }
  if (betas.length < 2 || betas[0] !== 0 || betas[betas.length - 1] !== 1) {
    throw new RangeError(
      `AIS: the β schedule must run from 0 to 1 inclusive (got ${betas.length} values, first ${betas[0]}, last ${betas[betas.length - 1]})`
    )
  }
  for (let k = 1; k < betas.length; k++) {
    if (!(betas[k] > betas[k - 1]))
      throw new RangeError(`AIS: β must increase strictly, but β_${k} = ${betas[k]} follows ${betas[k - 1]}`)
  }
  return betas
}

/**
 * Base-rate visible biases from a data batch (as in S&M): the maximum-likelihood independent
 * model with marginals p_i = p(v_i = on), smoothed as (N p̂_i + 1)/(N + 2) (Laplace) so no bias is
 * infinite. {0,1} units: a_i = ln(p_i/(1−p_i)); ±1 units: a_i = ½ ln(p_i/(1−p_i)).
 * Rows may hold configurations or means in the units' scale.
 */
export function baseRateVisibleBiases(data: Batch, units: UnitKind): Float32Array {
  const { rows, cols } = data
  checkBatch(data, cols, 'baseRateVisibleBiases')
  const out = new Float32Array(cols)
  for (let i = 0; i < cols; i++) {
    let on = 0
    for (let r = 0; r < rows; r++) on += probabilityFromMean(units, data.data[r * cols + i])
    const p = (on + 1) / (rows + 2)
    const logit = Math.log(p / (1 - p))
    out[i] = units === '01' ? logit : logit / 2
  }
  return out
}

function baseBiases(rbm: Rbm, base: AisOptions['base']): Float64Array {
  if (base === undefined || base === 'zero') return new Float64Array(rbm.nv)
  if ('data' in base) {
    checkBatch(base.data, rbm.nv, 'AIS base data')
    return Float64Array.from(baseRateVisibleBiases(base.data, rbm.visibleUnits))
  }
  if (base.visibleBiases.length !== rbm.nv)
    throw new RangeError(`AIS: ${base.visibleBiases.length} base biases for ${rbm.nv} visible units`)
  const out = Float64Array.from(base.visibleBiases)
  const bad = out.findIndex((x) => !Number.isFinite(x))
  if (bad >= 0) throw new RangeError(`AIS: base visible bias ${bad} is ${out[bad]}`)
  return out
}

export function annealedImportanceLogZ(rbm: Rbm, options: AisOptions): AisResult {
  assertValidRbm(rbm, 'annealedImportanceLogZ')
  const { rng } = options
  const kernels = options.kernels ?? tsDenseKernels
  const M = options.chains ?? AIS_DEFAULT_CHAINS
  if (!Number.isInteger(M) || M < 2)
    throw new RangeError(`AIS: chains must be an integer ≥ 2 (for an error bar), got ${M}`)
  const betas = aisBetas(options.schedule ?? { kind: 'linear', intermediate: AIS_DEFAULT_INTERMEDIATE })
  const { nv, nh, W, a, b, visibleUnits, hiddenUnits } = rbm
  const aA = baseBiases(rbm, options.base)
  let logZBase = nh * Math.LN2
  for (let i = 0; i < nv; i++) logZBase += logUnitSum(visibleUnits, aA[i])

  const v = new Float32Array(M * nv)
  const h = new Float32Array(M * nh)
  const pv = new Float32Array(M * nv)
  const ph = new Float32Array(M * nh)
  const fields = new Float32Array(M * nh) // (vᵀW)_j per chain
  const visibleFields = new Float32Array(M * nv) // (Wh)_i per chain
  const logW = new Float64Array(M)
  // v_1 ~ p_A: independent units with fields a_A.
  for (let r = 0; r < M; r++) for (let i = 0; i < nv; i++) pv[r * nv + i] = probabilityOn(visibleUnits, aA[i])
  sampleUnits(pv, visibleUnits, rng, v)

  // ln p*_k(v) − ln p*_{k−1}(v) = Δβ (a − a_A)ᵀv + Σ_j [φ_h(β_k y_j) − φ_h(β_{k−1} y_j)], y = b + vᵀW.
  // φ_h and T_k's p(h_j = on | v) share one exponential t = e^{−c|z|}, z = β_k y_j (c = 1 for
  // '01', 2 for 'pm1'; math.ts): φ(z) = max(z, 0) or |z|, plus ln(1 + t); p(on) = σ(cz), which
  // is 1/(1 + t) for z ≥ 0 and t/(1 + t) otherwise.
  const c = hiddenUnits === 'pm1' ? 2 : 1
  const phi = (z: number, t: number): number => (c === 2 ? Math.abs(z) : Math.max(z, 0)) + Math.log1p(t)

  const K = betas.length - 1
  for (let k = 1; k <= K; k++) {
    const beta = betas[k]
    const previous = betas[k - 1]
    kernels.gemm(M, nh, nv, v, W, fields)
    for (let r = 0; r < M; r++) {
      let s = 0
      for (let i = 0; i < nv; i++) s += (beta - previous) * (a[i] - aA[i]) * v[r * nv + i]
      for (let j = 0; j < nh; j++) {
        const y = b[j] + fields[r * nh + j]
        const z = beta * y
        const t = Math.exp(-c * Math.abs(z))
        const zPrevious = previous * y
        s += phi(z, t) - phi(zPrevious, Math.exp(-c * Math.abs(zPrevious)))
        ph[r * nh + j] = z >= 0 ? 1 / (1 + t) : t / (1 + t)
      }
      logW[r] += s
    }
    if (k === K) break
    // T_k: h | v with fields β(b + vᵀW) (probabilities ph above), then v | h with fields
    // (1−β)a_A + β(a + Wh).
    sampleUnits(ph, hiddenUnits, rng, h)
    kernels.gemmNT(M, nv, nh, h, W, visibleFields)
    for (let r = 0; r < M; r++) {
      for (let i = 0; i < nv; i++) {
        const x = (1 - beta) * aA[i] + beta * (a[i] + visibleFields[r * nv + i])
        pv[r * nv + i] = probabilityOn(visibleUnits, x)
      }
    }
    sampleUnits(pv, visibleUnits, rng, v)
  }

  const logMeanWeight = logMeanExp(logW)
  let sumW = 0
  let sumW2 = 0
  for (let r = 0; r < M; r++) {
    const w = Math.exp(logW[r] - logMeanWeight) // weights normalised to mean 1
    sumW += w
    sumW2 += w * w
  }
  const variance = Math.max(0, (sumW2 - (sumW * sumW) / M) / (M - 1))
  const result: AisResult = {
    logZ: logZBase + logMeanWeight,
    stderr: Math.sqrt(variance / M),
    logZBase,
    effectiveSampleSize: (sumW * sumW) / sumW2
  }
  if (options.returnLogWeights) result.logWeights = logW
  return result
}
