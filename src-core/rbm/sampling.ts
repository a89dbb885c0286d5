import type { Rng } from '../random/rng'
import { checkBatch } from './energy'
import { tsDenseKernels } from './kernelsTs'
import { probabilityOn, unitOff } from './math'
import type { Batch, DenseKernels, Rbm, UnitKind } from './types'

/**
 * Conditionals and block Gibbs sampling (Hinton 2010, §2–3). Given the visible layer the hidden
 * units are independent, with p(h_j = on | v) = σ(x_j) for {0,1} units and σ(2x_j) for ±1 units,
 * x_j = b_j + (vᵀW)_j; symmetrically p(v_i = on | h) from x_i = a_i + (Wh)_i.
 *
 * Reproducibility: sampling a layer draws exactly one rng.nextFloat() per unit, in row-major
 * order (row 0 units 0…n−1, then row 1, …), and sets the unit on iff u < p(on). A Gibbs step
 * samples the whole hidden layer of the batch, then the whole visible layer.
 *
 * All outputs are caller-owned buffers; nothing here allocates except where noted.
 */

/** p(h = on | v) for a batch v (rows × nv) into out (rows × nh). */
export function hiddenProbabilities(
  rbm: Rbm,
  v: Batch,
  out: Float32Array,
  kernels: DenseKernels = tsDenseKernels
): void {
  const { nv, nh, W, b, hiddenUnits } = rbm
  checkBatch(v, nv, 'hiddenProbabilities')
  if (out.length < v.rows * nh)
    throw new RangeError(`hiddenProbabilities: out has ${out.length} entries, needs rows·nh = ${v.rows * nh}`)
  kernels.gemm(v.rows, nh, nv, v.data, W, out)
  for (let r = 0; r < v.rows; r++) {
    for (let j = 0; j < nh; j++) out[r * nh + j] = probabilityOn(hiddenUnits, out[r * nh + j] + b[j])
  }
}

/** p(v = on | h) for a batch h (rows × nh) into out (rows × nv). */
export function visibleProbabilities(
  rbm: Rbm,
  h: Batch,
  out: Float32Array,
  kernels: DenseKernels = tsDenseKernels
): void {
  const { nv, nh, W, a, visibleUnits } = rbm
  checkBatch(h, nh, 'visibleProbabilities')
  if (out.length < h.rows * nv)
    throw new RangeError(`visibleProbabilities: out has ${out.length} entries, needs rows·nv = ${h.rows * nv}`)
  kernels.gemmNT(h.rows, nv, nh, h.data, W, out)
  for (let r = 0; r < h.rows; r++) {
    for (let i = 0; i < nv; i++) out[r * nv + i] = probabilityOn(visibleUnits, out[r * nv + i] + a[i])
  }
}

/**
 * out[k] = on (1) if u_k < probabilities[k] else off (0 or −1), u_k the k-th rng.nextFloat()
 * for k = 0 … count−1. out may be the probabilities array itself.
 */
export function sampleUnits(
  probabilities: Float32Array,
  units: UnitKind,
  rng: Rng,
  out: Float32Array,
  count = probabilities.length
): void {
  if (out.length < count || probabilities.length < count) {
    throw new RangeError(
      `sampleUnits: need ${count} entries, probabilities has ${probabilities.length} and out ${out.length}`
    )
  }
  const off = unitOff(units)
  for (let k = 0; k < count; k++) out[k] = rng.nextFloat() < probabilities[k] ? 1 : off
}

/** h ~ p(h | v): fills probabilities (rows × nh) then samples into out (rows × nh). */
export function sampleHidden(
  rbm: Rbm,
  v: Batch,
  rng: Rng,
  probabilities: Float32Array,
  out: Float32Array,
  kernels: DenseKernels = tsDenseKernels
): void {
  hiddenProbabilities(rbm, v, probabilities, kernels)
  sampleUnits(probabilities, rbm.hiddenUnits, rng, out, v.rows * rbm.nh)
}

/** v ~ p(v | h): fills probabilities (rows × nv) then samples into out (rows × nv). */
export function sampleVisible(
  rbm: Rbm,
  h: Batch,
  rng: Rng,
  probabilities: Float32Array,
  out: Float32Array,
  kernels: DenseKernels = tsDenseKernels
): void {
  visibleProbabilities(rbm, h, probabilities, kernels)
  sampleUnits(probabilities, rbm.visibleUnits, rng, out, h.rows * rbm.nv)
}

/**
 * The state of `rows` parallel Gibbs chains, all buffers row-major and owned by the caller:
 * v (rows × nv) and h (rows × nh) the current samples, pv and ph the last conditionals.
 */
export interface GibbsChains {
  readonly rows: number
  readonly v: Float32Array
  readonly h: Float32Array
  readonly pv: Float32Array
  readonly ph: Float32Array
}

/**
 * Buffers for `rows` chains. The visible state starts as `initial` (copied; e.g. data for CD or
 * PCD) or, when omitted, every unit off; h, pv, ph start at zero.
 */
export function createGibbsChains(rbm: Rbm, rows: number, initial?: Batch): GibbsChains {
  if (!Number.isInteger(rows) || rows < 1)
    throw new RangeError(`createGibbsChains: rows must be a positive integer, got ${rows}`)
  const v = new Float32Array(rows * rbm.nv)
  if (initial) {
    checkBatch(initial, rbm.nv, 'createGibbsChains')
    if (initial.rows !== rows)
      throw new RangeError(`createGibbsChains: initial batch has ${initial.rows} rows, expected ${rows}`)
    v.set(initial.data)
  } else {
    v.fill(unitOff(rbm.visibleUnits))
  }
  return {
    rows,
    v,
    h: new Float32Array(rows * rbm.nh),
    pv: new Float32Array(rows * rbm.nv),
    ph: new Float32Array(rows * rbm.nh)
  }
}

/**
 * k steps of block Gibbs sampling, in place. Each step: ph = p(h|v), h ~ ph (rows·nh uniforms),
 * then pv = p(v|h), v ~ pv (rows·nv uniforms). After the call v is v_k, h the hidden sample that
 * produced it (drawn from v_{k−1}), ph = p(h | v_{k−1}) and pv = p(v | h). For CD-k statistics
 * of v_k compute p(h | v_k) with hiddenProbabilities.
 */
export function gibbsSteps(
  rbm: Rbm,
  chains: GibbsChains,
  k: number,
  rng: Rng,
  kernels: DenseKernels = tsDenseKernels
): void {
  if (!Number.isInteger(k) || k < 0) throw new RangeError(`gibbsSteps: k must be a non-negative integer, got ${k}`)
  const { rows, v, h, pv, ph } = chains
  if (v.length !== rows * rbm.nv || h.length !== rows * rbm.nh || pv.length !== v.length || ph.length !== h.length) {
    throw new RangeError(`gibbsSteps: chain buffers do not match rows=${rows}, nv=${rbm.nv}, nh=${rbm.nh}`)
  }
  const vBatch: Batch = { rows, cols: rbm.nv, data: v }
  const hBatch: Batch = { rows, cols: rbm.nh, data: h }
  for (let step = 0; step < k; step++) {
    sampleHidden(rbm, vBatch, rng, ph, h, kernels)
    sampleVisible(rbm, hBatch, rng, pv, v, kernels)
  }
}
