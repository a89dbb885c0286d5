import type { Rng } from '../random/rng'
import { checkBatch, freeEnergiesVisible } from './energy'
import { tsDenseKernels } from './kernelsTs'
import { logUnitSum, meanFromProbability, softplus, unitOff } from './math'
import { assertValidRbm } from './rbm'
import { sampleUnits, hiddenProbabilities, visibleProbabilities } from './sampling'
import type { Batch, DenseKernels, Rbm } from './types'

/**
 * Training monitors that need no partition function (Hinton 2010, §5–6; Besag 1975).
 *
 * Pseudo-likelihood of a visible configuration: PL(v) = Σ_i ln p(v_i | v_−i). Flipping unit i
 * (ṽ = v with v_i → 1−v_i for {0,1}, −v_i for ±1) gives p(v_i | v_−i) = e^{−F(v)}/(e^{−F(v)} +
 * e^{−F(ṽ)}) = σ(F(ṽ) − F(v)), so ln p(v_i | v_−i) = −softplus(F(v) − F(ṽ)).
 *  - 'exact': the full sum over all nv units (nv + 1 free energies per example, via a rank-one
 *    update of the hidden fields);
 *  - 'stochastic': one unit i per example, drawn uniformly as floor(u·nv) from one
 *    rng.nextFloat() per row in row order, and the unbiased estimate nv·ln σ(F(ṽ) − F(v)) — what
 *    scikit-learn's BernoulliRBM.score_samples returns.
 * Rows must hold configurations (on/off values), not probabilities.
 */

export type PseudoLikelihoodMode = { mode: 'exact' } | { mode: 'stochastic'; rng: Rng }

/**
 * The mean over rows of PL(v) (nats per example); per-row values into out when given. The hidden
 * fields b + Wᵀv are accumulated in double by default (row i of W added for every unit that is
 * on); with `kernels` they come from one fp32 product over all rows instead, as the training
 * monitors do (agreeing to ~1e-7 relative), so a monitor over a thousand rows of a 1600×400
 * machine costs one small GEMM.
 */
export function pseudoLogLikelihood(
  rbm: Rbm,
  batch: Batch,
  mode: PseudoLikelihoodMode,
  out?: Float64Array,
  kernels?: DenseKernels
): number {
  assertValidRbm(rbm, 'pseudoLogLikelihood')
  checkBatch(batch, rbm.nv, 'pseudoLogLikelihood')
  if (batch.rows < 1) throw new RangeError('pseudoLogLikelihood: the batch is empty')
  if (out && out.length < batch.rows)
    throw new RangeError(`pseudoLogLikelihood: out has ${out.length} entries, needs ${batch.rows}`)
  const { nv, nh, W, a, b, visibleUnits, hiddenUnits } = rbm
  const off = unitOff(visibleUnits)
  for (let k = 0; k < batch.data.length; k++) {
    const x = batch.data[k]
    if (x !== 1 && x !== off) {
      const r = Math.floor(k / nv)
      throw new RangeError(`pseudoLogLikelihood: row ${r}, unit ${k - r * nv} is ${x}, not a ${visibleUnits} value`)
    }
  }
  const product = kernels ? new Float32Array(batch.rows * nh) : null
  if (kernels && product) kernels.gemm(batch.rows, nh, nv, batch.data, W, product)
  const fields = new Float64Array(nh)
  let total = 0
  for (let r = 0; r < batch.rows; r++) {
    const v = batch.data.subarray(r * nv, (r + 1) * nv)
    let biasTerm = 0
    for (let i = 0; i < nv; i++) biasTerm += a[i] * v[i]
    if (product) for (let j = 0; j < nh; j++) fields[j] = b[j] + product[r * nh + j]
    else {
      for (let j = 0; j < nh; j++) fields[j] = b[j]
      for (let i = 0; i < nv; i++) {
        const vi = v[i]
        if (vi === 0) continue
        const row = i * nh
        for (let j = 0; j < nh; j++) fields[j] += vi * W[row + j]
      }
    }
    let freeEnergy = -biasTerm
    for (let j = 0; j < nh; j++) freeEnergy -= logUnitSum(hiddenUnits, fields[j])
    // ln p(v_i | v_−i) for one unit i.
    const conditional = (i: number): number => {
      const delta = (v[i] === 1 ? off : 1) - v[i]
      let flipped = -biasTerm - a[i] * delta
      for (let j = 0; j < nh; j++) flipped -= logUnitSum(hiddenUnits, fields[j] + delta * W[i * nh + j])
      return -softplus(freeEnergy - flipped)
    }
    let value = 0
    if (mode.mode === 'exact') {
      for (let i = 0; i < nv; i++) value += conditional(i)
    } else {
      const i = Math.min(nv - 1, Math.floor(mode.rng.nextFloat() * nv))
      value = nv * conditional(i)
    }
    if (out) out[r] = value
    total += value
  }
  return total / batch.rows
}

export interface ReconstructionOptions {
  /** 'sampled' (default): h ~ p(h|v), needs rng; 'mean': h = E[h|v] (deterministic). */
  hidden?: 'sampled' | 'mean'
  rng?: Rng
  kernels?: DenseKernels
}

/**
 * Reconstruction error (Hinton 2010 §5): h from v, then v̂ = E[v | h] (σ for {0,1}, tanh for ±1
 * units, in the units' own scale); returns the mean over all entries of (v − v̂)². With
 * 'sampled' hidden states the draws are rows·nh uniforms in row-major order.
 */
export function reconstructionError(rbm: Rbm, batch: Batch, options: ReconstructionOptions = {}): number {
  checkBatch(batch, rbm.nv, 'reconstructionError')
  if (batch.rows < 1) throw new RangeError('reconstructionError: the batch is empty')
  const kernels = options.kernels ?? tsDenseKernels
  const { nv, nh, hiddenUnits, visibleUnits } = rbm
  const h = new Float32Array(batch.rows * nh)
  hiddenProbabilities(rbm, batch, h, kernels)
  if ((options.hidden ?? 'sampled') === 'sampled') {
    if (!options.rng) throw new RangeError(`reconstructionError: sampled hidden states need an rng (or hidden: 'mean')`)
    sampleUnits(h, hiddenUnits, options.rng, h)
  } else {
    for (let k = 0; k < h.length; k++) h[k] = meanFromProbability(hiddenUnits, h[k])
  }
  const pv = new Float32Array(batch.rows * nv)
  visibleProbabilities(rbm, { rows: batch.rows, cols: nh, data: h }, pv, kernels)
  let sum = 0
  for (let k = 0; k < pv.length; k++) {
    const d = batch.data[k] - meanFromProbability(visibleUnits, pv[k])
    sum += d * d
  }
  return sum / pv.length
}

/** (1/N) Σ_n F(v_n) over a batch (Hinton 2010 §6). */
export function meanFreeEnergy(rbm: Rbm, batch: Batch, kernels: DenseKernels = tsDenseKernels): number {
  checkBatch(batch, rbm.nv, 'meanFreeEnergy')
  if (batch.rows < 1) throw new RangeError('meanFreeEnergy: the batch is empty')
  const out = new Float64Array(batch.rows)
  freeEnergiesVisible(rbm, batch, out, kernels)
  let sum = 0
  for (let r = 0; r < batch.rows; r++) sum += out[r]
  return sum / batch.rows
}

export interface FreeEnergyGap {
  /** Mean F(v) over the training subset. */
  train: number
  /** Mean F(v) over the held-out set. */
  heldOut: number
  /** heldOut − train = mean ln p(train) − mean ln p(heldOut) (ln Z cancels). */
  gap: number
}

/**
 * The overfitting monitor of Hinton 2010 §6: compare the mean free energy of a training subset
 * with that of held-out data of similar size. A gap that keeps growing during training means the
 * model assigns the training data more probability than unseen data, i.e. it is overfitting.
 */
export function freeEnergyGap(
  rbm: Rbm,
  train: Batch,
  heldOut: Batch,
  kernels: DenseKernels = tsDenseKernels
): FreeEnergyGap {
  const t = meanFreeEnergy(rbm, train, kernels)
  const h = meanFreeEnergy(rbm, heldOut, kernels)
  return { train: t, heldOut: h, gap: h - t }
}
