import type { Rng } from '../random/rng'
import { allConfigurations, exactHiddenDistribution, exactVisibleDistribution } from './exact'
import { meanFromProbability } from './math'
import { EXACT_GRADIENT_MAX_UNITS, type Gradient } from './optimizer'
import { gibbsSteps, hiddenProbabilities, sampleUnits, visibleProbabilities, type GibbsChains } from './sampling'
import type { DenseKernels, Rbm, UnitKind } from './types'

/**
 * Estimates of the log-likelihood gradient of an RBM (Hinton 2010 §§2–3):
 *     ∂ ln p(v)/∂W = ⟨v hᵀ⟩_data − ⟨v hᵀ⟩_model,  ∂/∂a = ⟨v⟩_data − ⟨v⟩_model,  ∂/∂b = ⟨h⟩_data − ⟨h⟩_model.
 * The positive (data) phase uses v from the data and h = E[h | v] (hidden probabilities, or
 * means 2p − 1 for ±1 units), as in the Hinton–Salakhutdinov code rbm.m (`poshidprobs`).
 *
 * Negative phase:
 *  - CD-k (Hinton 2002): from the data, h₀ ~ p(h|v₀); then k times v ← p(v|h), h ← p(h|v).
 *    Intermediate visible and hidden states are sampled; the last visible state enters the
 *    statistics as probabilities (rbm.m's `negdata`, the default) or as a sample, and the last
 *    hidden one as probabilities p(h | v_k) (rbm.m's `neghidprobs`).
 *  - PCD (Tieleman 2008): k block Gibbs steps on persistent chains; statistics from the chains'
 *    visible samples and p(h | v).
 *  - exact: ⟨·⟩_model by enumerating the smaller layer (≤ 16 units) with its exact marginal,
 *    tracing the other layer out analytically (E[h|v] or E[v|h]).
 * Statistics are weighted per row (weights summing to 1 over the rows they cover).
 *
 * Random draws, in order: CD: rows·nh (h₀), then per step rows·nv (unless the last visible state
 * is kept as probabilities) and rows·nh (except after the last step). PCD: as gibbsSteps.
 */

/** In probabilities-to-statistics form: p(on) → E[unit] in place. */
function toMeans(units: UnitKind, x: Float32Array, count: number): void {
  if (units === '01') return
  for (let k = 0; k < count; k++) x[k] = meanFromProbability(units, x[k])
}

/** Buffers for `rows` rows (reused across minibatches). */
export interface GradientScratch {
  rows: number
  ph: Float32Array
  h: Float32Array
  pv: Float32Array
  v: Float32Array
  weighted: Float32Array
}

export function createGradientScratch(rbm: Rbm, rows: number): GradientScratch {
  const { nv, nh } = rbm
  const big = Math.max(nv, nh)
  return {
    rows,
    ph: new Float32Array(rows * nh),
    h: new Float32Array(rows * nh),
    pv: new Float32Array(rows * nv),
    v: new Float32Array(rows * nv),
    weighted: new Float32Array(rows * big)
  }
}

export function zeroGradient(g: Gradient): void {
  g.W.fill(0)
  g.a.fill(0)
  g.b.fill(0)
}

/**
 * g += scale · Σ_r w_r (v_r h_rᵀ, v_r, h_r) for rows × nv visible and rows × nh hidden values;
 * weights null means 1/rows each. `weighted` needs rows·nh entries. The bias sums in fp32, the
 * gradient's own precision (scale·w_r, each product and each sum rounded to fp32, as the
 * WebAssembly biasStatistics does bit for bit).
 */
export function accumulateStatistics(
  g: Gradient,
  scale: number,
  v: Float32Array,
  h: Float32Array,
  rows: number,
  nv: number,
  nh: number,
  weights: ArrayLike<number> | null,
  weighted: Float32Array,
  kernels: DenseKernels
): void {
  const f = Math.fround
  for (let r = 0; r < rows; r++) {
    const w = f(scale * (weights ? weights[r]! : 1 / rows))
    for (let i = 0; i < nv; i++) g.a[i] = g.a[i]! + f(w * v[r * nv + i]!)
    for (let j = 0; j < nh; j++) {
      const x = f(w * h[r * nh + j]!)
      weighted[r * nh + j] = x
      g.b[j] = g.b[j]! + x
    }
  }
  kernels.gemmTN(nv, nh, rows, v.subarray(0, rows * nv), weighted.subarray(0, rows * nh), g.W, true)
}

/** Positive phase: g += ⟨v hᵀ⟩_data etc.; leaves p(h | v₀) in scratch.ph. */
export function positivePhase(
  rbm: Rbm,
  v0: Float32Array,
  rows: number,
  weights: ArrayLike<number> | null,
  g: Gradient,
  s: GradientScratch,
  kernels: DenseKernels
): void {
  const { nv, nh } = rbm
  const ph = s.ph.subarray(0, rows * nh)
  hiddenProbabilities(rbm, { rows, cols: nv, data: v0.subarray(0, rows * nv) }, ph, kernels)
  s.h.set(ph)
  toMeans(rbm.hiddenUnits, s.h, rows * nh)
  accumulateStatistics(g, 1, v0, s.h, rows, nv, nh, weights, s.weighted, kernels)
}

/** CD-k negative phase after positivePhase (which left p(h | v₀) in s.ph): g −= ⟨v hᵀ⟩_recon. */
export function contrastiveDivergencePhase(
  rbm: Rbm,
  rows: number,
  k: number,
  negativeVisible: 'probabilities' | 'samples',
  weights: ArrayLike<number> | null,
  g: Gradient,
  s: GradientScratch,
  rng: Rng,
  kernels: DenseKernels
): void {
  const { nv, nh } = rbm
  const h = s.h.subarray(0, rows * nh)
  const v = s.v.subarray(0, rows * nv)
  const ph = s.ph.subarray(0, rows * nh)
  const pv = s.pv.subarray(0, rows * nv)
  sampleUnits(ph, rbm.hiddenUnits, rng, h, rows * nh)
  for (let step = 1; step <= k; step++) {
    visibleProbabilities(rbm, { rows, cols: nh, data: h }, pv, kernels)
    if (step < k || negativeVisible === 'samples') {
      sampleUnits(pv, rbm.visibleUnits, rng, v, rows * nv)
    } else {
      v.set(pv)
      toMeans(rbm.visibleUnits, v, rows * nv)
    }
    hiddenProbabilities(rbm, { rows, cols: nv, data: v }, ph, kernels)
    if (step < k) sampleUnits(ph, rbm.hiddenUnits, rng, h, rows * nh)
  }
  h.set(ph)
  toMeans(rbm.hiddenUnits, h, rows * nh)
  accumulateStatistics(g, -1, v, h, rows, nv, nh, weights, s.weighted, kernels)
}

/** PCD negative phase: k Gibbs steps on the chains (in place), then g −= ⟨v hᵀ⟩_chains. */
export function persistentPhase(
  rbm: Rbm,
  chains: GibbsChains,
  k: number,
  g: Gradient,
  weighted: Float32Array,
  rng: Rng,
  kernels: DenseKernels
): void {
  const { nv, nh } = rbm
  gibbsSteps(rbm, chains, k, rng, kernels)
  const rows = chains.rows
  hiddenProbabilities(rbm, { rows, cols: nv, data: chains.v }, chains.ph, kernels)
  const h = chains.h
  h.set(chains.ph)
  toMeans(rbm.hiddenUnits, h, rows * nh)
  accumulateStatistics(g, -1, chains.v, h, rows, nv, nh, null, weighted, kernels)
}

/** Configurations of the enumerated layer (cached per RBM shape and units). */
export interface ExactScratch {
  layer: 'visible' | 'hidden'
  configurations: Float32Array
  other: Float32Array
  weighted: Float32Array
}

export function createExactScratch(rbm: Rbm): ExactScratch {
  const layer = rbm.nv <= rbm.nh ? 'visible' : 'hidden'
  const n = layer === 'visible' ? rbm.nv : rbm.nh
  if (n > EXACT_GRADIENT_MAX_UNITS) {
    throw new RangeError(
      `the exact gradient enumerates the smaller layer, which must have ≤ ${EXACT_GRADIENT_MAX_UNITS} units (nv=${rbm.nv}, nh=${rbm.nh})`
    )
  }
  const rows = 2 ** n
  const configurations = allConfigurations(n, layer === 'visible' ? rbm.visibleUnits : rbm.hiddenUnits).data
  const m = layer === 'visible' ? rbm.nh : rbm.nv
  return {
    layer,
    configurations,
    other: new Float32Array(rows * m),
    weighted: new Float32Array(rows * Math.max(rbm.nv, rbm.nh))
  }
}

/** Exact negative phase: g −= ⟨v hᵀ⟩_model (module comment). */
export function exactModelPhase(rbm: Rbm, g: Gradient, s: ExactScratch, kernels: DenseKernels): void {
  const { nv, nh } = rbm
  if (s.layer === 'visible') {
    const rows = 2 ** nv
    const p = exactVisibleDistribution(rbm)
    hiddenProbabilities(rbm, { rows, cols: nv, data: s.configurations }, s.other, kernels)
    toMeans(rbm.hiddenUnits, s.other, rows * nh)
    accumulateStatistics(g, -1, s.configurations, s.other, rows, nv, nh, p, s.weighted, kernels)
  } else {
    const rows = 2 ** nh
    const p = exactHiddenDistribution(rbm)
    visibleProbabilities(rbm, { rows, cols: nh, data: s.configurations }, s.other, kernels)
    toMeans(rbm.visibleUnits, s.other, rows * nv)
    accumulateStatistics(g, -1, s.other, s.configurations, rows, nv, nh, p, s.weighted, kernels)
  }
}
