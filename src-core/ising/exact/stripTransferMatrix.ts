/**
 * Exact square-lattice Ising model on a strip of width W ≤ 14 (any length L), any per-site
 * fields and per-bond couplings, by the row-to-row transfer matrix applied as sparse factors
 * (the standard "add one site at a time" factorisation; see e.g. G. Bhanot, J. Stat. Phys. 60,
 * 55 (1990)). A row state is a W-bit pattern s (bit c ⇔ v_c = +1). Moving
 * from row r−1 to row r replaces the spins column by column, each replacement a 2×2 factor
 *   ψ'(…, s'_c, …) = Σ_{s_c} ψ(…, s_c, …) e^{K^along_{r−1,c} s_c s'_c},
 * then multiplies the diagonal e^{Σ_c K_c v_c + Σ_c K^across_c v_c v_{c+1}} of row r. Cost
 * O(W·2^W) per row instead of 4^W. Open along the strip: Z = Σ_s ψ_L(s) from ψ_1 = row 1's
 * diagonal. Periodic along it: Z = Tr(...) = Σ_{s₀} [ψ started at δ_{s₀} and closed by the
 * last row's along-bonds](s₀) — 2^W times the work, so tori are limited by `STRIP_WORK_LIMIT`.
 * Entries are jets (./jet.ts): ⟨H⟩, Var(H), ⟨M⟩, Var(M) exact. The vector is rescaled every
 * row by a power of two near its largest value (exact). With local energy references every
 * factor is ≤ 1 and the largest entry drops by at most e^{−2Σ_c|K^along_c|} ≥ e^{−280} per
 * row, so nothing underflows.
 */
import type { IsingModel } from '../../lattice/types'
import { compensatedSum, JET, resultFromJet } from './jet'
import { columnStep, diagonalStep, rescale, rowWeights, type Jets } from './stripFactors'
import { squareSpec, stripProblem, type StripAxis } from './stripProblem'
import type { ExactResult } from './types'

export const STRIP_MAX_WIDTH = 14
/** Largest accepted 2^W·(traced ? 2^W : 1)·W·L (≈ 7 s at the ~8·10⁷ per second measured in Node 20). */
export const STRIP_WORK_LIMIT = 2 ** 29

export interface StripResult extends ExactResult {
  method: 'strip-transfer-matrix'
  /** Lattice axis the transfer matrix steps along ('y': rows of Lx sites). */
  along: StripAxis
  width: number
  length: number
  /** True when the lattice is periodic along the transfer direction (trace over the first row). */
  traced: boolean
}

/** Work estimate used to pick the transfer direction and to refuse hopeless sizes. */
export function stripWork(W: number, L: number, traced: boolean): number {
  return 2 ** W * (traced ? 2 ** W : 1) * W * L
}

/** The feasible transfer direction of least work, or null when neither fits the limits. */
export function planStrip(
  model: IsingModel
): { along: StripAxis; width: number; length: number; traced: boolean; work: number } | null {
  squareSpec(model)
  let best: ReturnType<typeof planStrip> = null
  for (const along of ['y', 'x'] as const) {
    const p = stripProblem(model, along)
    const work = stripWork(p.W, p.L, p.traced)
    if (p.W > STRIP_MAX_WIDTH || work > STRIP_WORK_LIMIT) continue
    if (!best || work < best.work) best = { along, width: p.W, length: p.L, traced: p.traced, work }
  }
  return best
}

/** Exact lnZ, f, e, c, m, m2, chi of a square lattice (no diagonals) of strip width ≤ 14. */
export function stripTransferMatrix(model: IsingModel, opts: { along?: StripAxis } = {}): StripResult {
  squareSpec(model)
  const along = opts.along ?? planStrip(model)?.along ?? 'y'
  const p = stripProblem(model, along)
  const { W, L, traced } = p
  if (W > STRIP_MAX_WIDTH) throw new RangeError(`strip width ${W} exceeds ${STRIP_MAX_WIDTH} (transfer along ${along})`)
  const work = stripWork(W, L, traced)
  if (work > STRIP_WORK_LIMIT)
    throw new RangeError(
      `strip ${W}×${L}${traced ? ' (periodic along the strip)' : ''} needs ${work} updates, over the limit ${STRIP_WORK_LIMIT}`
    )
  const states = 1 << W
  const jets = (n: number) => [0, 1, 2, 3, 4].map(() => new Float64Array(n)) as Jets
  const weights = jets(states)
  const batch = traced ? Math.min(states, Math.max(1, Math.floor(2 ** 18 / states))) : 1
  const J = jets(batch * states)
  // H_ref = Σ_rows min E_row − Σ|K^along|, summed with compensation (it is subtracted from ln Z).
  const bondsAlong = traced ? L : L - 1
  const refTerms = new Float64Array(L + bondsAlong * W)
  for (let k = 0; k < bondsAlong * W; k++) refTerms[L + k] = -Math.abs(p.along[k])
  let magnetisationRef = 0
  let totalLog = -Infinity
  const total = new Float64Array(JET)
  for (let first = 0; first < (traced ? states : 1); first += batch) {
    for (const a of J) a.fill(0)
    if (traced) for (let b = 0; b < batch; b++) J[0][b * states + first + b] = 1
    else J[0].fill(1)
    let exponent = 0 // this batch's sum is 2^exponent · (what J holds)
    for (let r = 0; r < L; r++) {
      if (r > 0) for (let c = 0; c < W; c++) columnStep(J, 1 << c, p.along[(r - 1) * W + c])
      const { eMin, mRef } = rowWeights(p, r, weights)
      if (first === 0) {
        refTerms[r] = eMin
        magnetisationRef += mRef
      }
      diagonalStep(J, weights)
      exponent += rescale(J)
    }
    const z = new Float64Array(JET)
    if (traced) {
      for (let c = 0; c < W; c++) columnStep(J, 1 << c, p.along[(L - 1) * W + c])
      for (let b = 0; b < batch; b++) for (let k = 0; k < JET; k++) z[k] += J[k][b * states + first + b]
    } else {
      for (let k = 0; k < JET; k++) for (let s = 0; s < states; s++) z[k] += J[k][s]
    }
    // Combine batches in log space: total·e^{totalLog} += z·e^{logScale}.
    const logScale = exponent * Math.LN2
    if (logScale > totalLog) {
      const shrink = Number.isFinite(totalLog) ? Math.exp(totalLog - logScale) : 0
      for (let k = 0; k < JET; k++) total[k] *= shrink
      totalLog = logScale
    }
    const grow = Math.exp(logScale - totalLog)
    for (let k = 0; k < JET; k++) total[k] += z[k] * grow
  }
  const result = resultFromJet(
    'strip-transfer-matrix',
    W * L,
    totalLog,
    total,
    compensatedSum(refTerms),
    magnetisationRef
  )
  return { ...result, method: 'strip-transfer-matrix', along, width: W, length: L, traced }
}
