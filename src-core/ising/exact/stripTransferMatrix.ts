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
import { BOND_X, BOND_Y } from '../../lattice/types'
import { buildLattice } from '../../lattice/build'
import { binaryExponent, compensatedSum, JET, resultFromJet } from './jet'
import type { ExactResult } from './types'

export const STRIP_MAX_WIDTH = 14
/** Largest accepted 2^W·(traced ? 2^W : 1)·W·L (≈ 7 s at the ~8·10⁷ per second measured in Node 20). */
export const STRIP_WORK_LIMIT = 2 ** 29

export type StripAxis = 'x' | 'y'

export interface StripResult extends ExactResult {
  method: 'strip-transfer-matrix'
  /** Lattice axis the transfer matrix steps along ('y': rows of Lx sites). */
  along: StripAxis
  width: number
  length: number
  /** True when the lattice is periodic along the transfer direction (trace over the first row). */
  traced: boolean
}

/** A square lattice seen as L rows of W sites; arrays indexed r·W + c. Zero coupling = no bond. */
interface StripProblem {
  W: number
  L: number
  field: Float64Array
  /** Bond (c, r)–(c+1 mod W, r). */
  across: Float64Array
  /** Bond (c, r)–(c, r+1 mod L); row L−1 holds the periodic closing bonds. */
  along: Float64Array
  traced: boolean
}

/** Work estimate used to pick the transfer direction and to refuse hopeless sizes. */
export function stripWork(W: number, L: number, traced: boolean): number {
  return 2 ** W * (traced ? 2 ** W : 1) * W * L
}

function squareSpec(model: IsingModel) {
  const spec = model.lattice.spec
  if (spec.kind !== 'square' || spec.diagonals) {
    throw new RangeError(
      `the strip transfer matrix needs a square lattice without diagonal bonds, got ${spec.kind === 'square' ? 'diagonal bonds' : `a ${spec.kind} lattice`}`
    )
  }
  return spec
}

function stripProblem(model: IsingModel, along: StripAxis): StripProblem {
  const { Lx, Ly } = squareSpec(model)
  const { lattice, fields, couplings } = model
  const W = along === 'y' ? Lx : Ly
  const L = along === 'y' ? Ly : Lx
  const at = (x: number, y: number) => (along === 'y' ? y * W + x : x * W + y)
  const field = new Float64Array(W * L)
  const across = new Float64Array(W * L)
  const alongK = new Float64Array(W * L)
  for (let i = 0; i < lattice.N; i++) field[at(i % Lx, Math.floor(i / Lx))] = fields[i]
  for (let b = 0; b < couplings.length; b++) {
    const i = lattice.bondI[b]
    const x = i % Lx
    const y = Math.floor(i / Lx)
    const kind = lattice.bondKind[b]
    const j = kind === BOND_X ? y * Lx + ((x + 1) % Lx) : ((y + 1) % Ly) * Lx + x
    if ((kind !== BOND_X && kind !== BOND_Y) || lattice.bondJ[b] !== j) {
      throw new RangeError(
        `bond ${b} (${i}, ${lattice.bondJ[b]}) is not a nearest-neighbour bond of the ${Lx}×${Ly} grid`
      )
    }
    const acrossBond = (kind === BOND_X) === (along === 'y')
    ;(acrossBond ? across : alongK)[at(x, y)] += couplings[b]
  }
  let traced = false
  for (let c = 0; c < W; c++) if (alongK[(L - 1) * W + c] !== 0) traced = true
  return { W, L, field, across, along: alongK, traced }
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

/** Jet arrays (value, ∂λ, ∂²λ, ∂η, ∂²η) over batch × row states. */
type Jets = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]

/** Replaces spin c of every row state through the bond factor e^{K s s'} (measured from −|K|). */
function columnStep(J: Jets, bit: number, K: number): void {
  const [v, l, ll, e, ee] = J
  const dS = Math.abs(K) - K // ΔE for s = s'
  const dD = Math.abs(K) + K
  const Sv = Math.exp(-dS)
  const Sl = -dS * Sv
  const Sll = dS * dS * Sv
  const Dv = Math.exp(-dD)
  const Dl = -dD * Dv
  const Dll = dD * dD * Dv
  const n = v.length
  for (let base = 0; base < n; base += 2 * bit) {
    for (let i0 = base; i0 < base + bit; i0++) {
      const i1 = i0 + bit
      const a0v = v[i0],
        a0l = l[i0],
        a0ll = ll[i0],
        a0e = e[i0],
        a0ee = ee[i0]
      const a1v = v[i1],
        a1l = l[i1],
        a1ll = ll[i1],
        a1e = e[i1],
        a1ee = ee[i1]
      v[i0] = a0v * Sv + a1v * Dv
      l[i0] = a0l * Sv + a0v * Sl + a1l * Dv + a1v * Dl
      ll[i0] = a0ll * Sv + 2 * a0l * Sl + a0v * Sll + a1ll * Dv + 2 * a1l * Dl + a1v * Dll
      e[i0] = a0e * Sv + a1e * Dv
      ee[i0] = a0ee * Sv + a1ee * Dv
      v[i1] = a0v * Dv + a1v * Sv
      l[i1] = a0l * Dv + a0v * Dl + a1l * Sv + a1v * Sl
      ll[i1] = a0ll * Dv + 2 * a0l * Dl + a0v * Dll + a1ll * Sv + 2 * a1l * Sl + a1v * Sll
      e[i1] = a0e * Dv + a1e * Sv
      ee[i1] = a0ee * Dv + a1ee * Sv
    }
  }
}

/** Jets of row r's diagonal factor e^{−(E_s − E_min)} (spin sum M_s − mRef) for every row state s. */
function rowWeights(p: StripProblem, r: number, w: Jets): { eMin: number; mRef: number } {
  const { W, field, across } = p
  const [wv, wl, wll, we, wee] = w
  let eMin = Infinity
  let mRef = 0
  for (let c = 0; c < W; c++) mRef += Math.sign(field[r * W + c])
  for (let s = 0; s < wv.length; s++) {
    let E = 0
    let M = 0
    for (let c = 0; c < W; c++) {
      const v = (s >> c) & 1 ? 1 : -1
      const next = c + 1 < W ? c + 1 : 0
      E -= field[r * W + c] * v + across[r * W + c] * v * ((s >> next) & 1 ? 1 : -1)
      M += v
    }
    wl[s] = E
    we[s] = M - mRef
    if (E < eMin) eMin = E
  }
  for (let s = 0; s < wv.length; s++) {
    const dE = wl[s] - eMin
    const dM = we[s]
    const x = Math.exp(-dE)
    wv[s] = x
    wl[s] = -dE * x
    wll[s] = dE * dE * x
    we[s] = dM * x
    wee[s] = dM * dM * x
  }
  return { eMin, mRef }
}

/** Multiplies entry (b, s) by the diagonal jet of row state s. */
function diagonalStep(J: Jets, w: Jets): void {
  const [v, l, ll, e, ee] = J
  const [wv, wl, wll, we, wee] = w
  const mask = wv.length - 1
  for (let k = 0; k < v.length; k++) {
    const s = k & mask
    const x = wv[s],
      xl = wl[s],
      xe = we[s]
    const av = v[k],
      al = l[k],
      ae = e[k]
    v[k] = av * x
    l[k] = al * x + av * xl
    ll[k] = ll[k] * x + 2 * al * xl + av * wll[s]
    e[k] = ae * x + av * xe
    ee[k] = ee[k] * x + 2 * ae * xe + av * wee[s]
  }
}

/** Divides every entry by a power of two near the largest value (exact); returns its exponent. */
function rescale(J: Jets): number {
  const v = J[0]
  let max = 0
  for (let k = 0; k < v.length; k++) if (v[k] > max) max = v[k]
  const exponent = binaryExponent(max)
  const inverse = 2 ** -exponent
  for (const a of J) for (let k = 0; k < a.length; k++) a[k] *= inverse
  return exponent
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

/**
 * The same model on the transposed lattice: site (x, y) ↦ (y, x), Lx ↔ Ly, periodicX ↔
 * periodicY, x-bonds ↔ y-bonds, couplings and fields carried along. Both sides must meet the
 * builder's minimums (2, or 3 when periodic).
 */
export function transposeSquareModel(model: IsingModel): IsingModel {
  const spec = squareSpec(model)
  const { Lx, Ly } = spec
  const lattice = buildLattice({ kind: 'square', Lx: Ly, Ly: Lx, periodicX: spec.periodicY, periodicY: spec.periodicX })
  const fields = new Float64Array(lattice.N)
  for (let i = 0; i < model.lattice.N; i++) fields[(i % Lx) * Ly + Math.floor(i / Lx)] = model.fields[i]
  const index = new Map<string, number>()
  for (let b = 0; b < lattice.bondI.length; b++)
    index.set(`${lattice.bondI[b]},${lattice.bondJ[b]},${lattice.bondKind[b]}`, b)
  const couplings = new Float64Array(lattice.bondI.length)
  const t = (i: number) => (i % Lx) * Ly + Math.floor(i / Lx)
  for (let b = 0; b < model.couplings.length; b++) {
    const kind = model.lattice.bondKind[b] === BOND_X ? BOND_Y : BOND_X
    const target = index.get(`${t(model.lattice.bondI[b])},${t(model.lattice.bondJ[b])},${kind}`)
    if (target === undefined) throw new RangeError(`bond ${b} has no image in the transposed lattice`)
    couplings[target] += model.couplings[b]
  }
  return { lattice, fields, couplings }
}
