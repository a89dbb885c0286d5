/**
 * The exact RG ↔ RBM mapping (Mehta & Schwab §III; SCIENCE.md §2, §7), computed by enumeration
 * for small models, with every identity reported as a residual rather than assumed:
 *   T(v, h) = H(v) − E(v, h)                                     (Eq. 18)
 *   H^RG(h) = −ln Σ_v e^{T(v,h) − H(v)}  ≡  H^RBM(h) = −ln Σ_v e^{−E(v,h)}   (Eq. 21)
 *   e^{T(v,h)} = p(h|v) e^{H(v) − H^RBM(v)}                       (Eq. 22)
 *   r(v) = ln Σ_h e^{T(v,h)} = H(v) − H^RBM(v),   KL(P‖p) = −⟨r⟩_P − ΔF
 * The machine is in the ML storage convention E = −aᵀv − bᵀh − vᵀWh; a visible unit of type
 * '01' sees the spin as (v + 1)/2, a hidden unit of type '01' the bit of h (explicit, SCIENCE §1).
 */
import type { IsingModel } from '../lattice/types'
import { energy, freeEnergyHidden, freeEnergyVisible, type RbmParameters } from '../rbm/energy'
import { logUnitSum } from '../rbm/math'
import type { UnitKind } from '../rbm/types'
import { exactCoarseHamiltonian, type CoarseHamiltonian } from '../rg/coarseHamiltonian'
import type { SpinGeometry } from '../rg/couplingTable'
import type { DenseKernel } from '../rg/kernels'

const unitValue = (units: UnitKind, spin: number): number => (units === 'pm1' ? spin : (spin + 1) / 2)

/** Unit values of hidden configuration x (bit j set ⇔ unit j on). */
export function hiddenValues(units: UnitKind, x: number, M: number, out = new Float64Array(M)): Float64Array {
  for (let j = 0; j < M; j++) out[j] = (x >>> j) & 1 ? 1 : units === 'pm1' ? -1 : 0
  return out
}

/** Visible unit values of a spin configuration. */
export function visibleValues(units: UnitKind, v: Int8Array, out = new Float64Array(v.length)): Float64Array {
  for (let i = 0; i < v.length; i++) out[i] = unitValue(units, v[i]!)
  return out
}

/** H(v) = −Σ K_i v_i − Σ K_ij v_i v_j. */
export function isingEnergy(model: IsingModel, v: Int8Array): number {
  const { lattice, fields, couplings } = model
  let H = 0
  for (let i = 0; i < v.length; i++) H -= fields[i] * v[i]
  for (let b = 0; b < couplings.length; b++) H -= couplings[b] * v[lattice.bondI[b]] * v[lattice.bondJ[b]]
  return H
}

function checkSizes(model: IsingModel, rbm: RbmParameters): void {
  if (rbm.nv !== model.lattice.N)
    throw new RangeError(`the machine has ${rbm.nv} visible units, the model ${model.lattice.N} spins`)
}

/** The variational kernel an RBM implies for a model, T = H − E (Eq. 18). */
export function rbmKernel(model: IsingModel, rbm: RbmParameters, geometry?: SpinGeometry): DenseKernel {
  checkSizes(model, rbm)
  const M = rbm.nh
  const u = new Float64Array(rbm.nv)
  const field = new Float64Array(M)
  return {
    kind: 'dense',
    name: 'RBM (T = H − E)',
    M,
    geometry: geometry ?? { Lx: M, Ly: 1, periodicX: false, periodicY: false },
    logWeights(v, out) {
      visibleValues(rbm.visibleUnits, v, u)
      let base = isingEnergy(model, v)
      for (let i = 0; i < rbm.nv; i++) base += rbm.a[i] * u[i]
      for (let j = 0; j < M; j++) {
        let x = rbm.b[j]
        for (let i = 0; i < rbm.nv; i++) x += u[i] * rbm.W[i * M + j]
        field[j] = x
      }
      const off = rbm.hiddenUnits === 'pm1' ? -1 : 0
      for (let x = 0; x < out.length; x++) {
        let t = base
        for (let j = 0; j < M; j++) t += field[j] * ((x >>> j) & 1 ? 1 : off)
        out[x] = t
      }
    }
  }
}

/** H^RBM(h) = −ln Σ_v e^{−E(v,h)} for every hidden configuration (Eq. 13). */
export function rbmHiddenHamiltonian(rbm: RbmParameters): Float64Array {
  const out = new Float64Array(2 ** rbm.nh)
  const h = new Float64Array(rbm.nh)
  for (let x = 0; x < out.length; x++) out[x] = freeEnergyHidden(rbm, hiddenValues(rbm.hiddenUnits, x, rbm.nh, h))
  return out
}

export interface MappingCheck {
  coarse: CoarseHamiltonian
  /** H^RBM(h), indexed as coarse.HRG. */
  HRBM: Float64Array
  /** max_h |H^RG(h) − H^RBM(h)| (Eq. 21). */
  maxHDiff: number
  /** max_{v,h} |T(v,h) − [ln p(h|v) + H(v) − H^RBM(v)]| (Eq. 22). */
  maxEq22: number
  /** max_v |r(v) − (H(v) − H^RBM(v))|: the trace residual is the Hamiltonian mismatch. */
  maxTraceIdentity: number
  /** max_v |H(v) − H^RBM(v)|, computed from the machine alone. */
  traceResidual: number
  deltaF: number
  /** KL(P‖p) with p(v) = e^{−H^RBM(v)}/Z_RBM, by enumeration. */
  kl: number
  /**
   * ln Z_RBM − ln Z. E is defined up to a constant (Z cancels in p), and a machine that learned P
   * exactly still has r(v) = H − H^RBM(v) = ln Z_RBM − ln Z ≠ 0 unless its energy is shifted by this.
   */
  logZOffset: number
  /** max_v |ln P(v) − ln p(v)|: the trace residual once E is shifted by logZOffset (0 iff KL = 0). */
  traceResidualNormalised: number
}

/** Every mapping identity for a model (N ≤ 24) and a machine over its spins (nh ≤ 16). */
export function checkMapping(model: IsingModel, rbm: RbmParameters, geometry?: SpinGeometry): MappingCheck {
  const kernel = rbmKernel(model, rbm, geometry)
  const coarse = exactCoarseHamiltonian(model, kernel)
  const HRBM = rbmHiddenHamiltonian(rbm)
  let maxHDiff = 0
  for (let x = 0; x < HRBM.length; x++) maxHDiff = Math.max(maxHDiff, Math.abs(coarse.HRG[x] - HRBM[x]))

  const N = model.lattice.N
  const M = rbm.nh
  const v = new Int8Array(N)
  const u = new Float64Array(N)
  const h = new Float64Array(M)
  const T = new Float64Array(2 ** M)
  let maxEq22 = 0
  let maxTraceIdentity = 0
  let traceResidual = 0
  // KL(P‖p) = Σ_v P(v) [ln P(v) − ln p(v)], P = e^{−H}/Z, p = e^{−H^RBM(v)}/Z_RBM, with ln Z and
  // ln Z_RBM from the same enumeration (shifted by the largest exponent for safety).
  const H = new Float64Array(2 ** N)
  const HR = new Float64Array(2 ** N)
  for (let s = 0; s < 2 ** N; s++) {
    for (let i = 0; i < N; i++) v[i] = (s >>> i) & 1 ? 1 : -1
    visibleValues(rbm.visibleUnits, v, u)
    H[s] = isingEnergy(model, v)
    HR[s] = freeEnergyVisible(rbm, u)
    kernel.logWeights(v, T)
    let trace = 0
    for (let x = 0; x < T.length; x++) {
      hiddenValues(rbm.hiddenUnits, x, M, h)
      // ln p(h|v) from the factorised conditional: Σ_j [h_j φ_j − ln Σ_{h_j} e^{h_j φ_j}].
      let logConditional = 0
      for (let j = 0; j < M; j++) {
        let phi = rbm.b[j]
        for (let i = 0; i < N; i++) phi += u[i] * rbm.W[i * M + j]
        logConditional += h[j] * phi - logUnitSum(rbm.hiddenUnits, phi)
      }
      maxEq22 = Math.max(maxEq22, Math.abs(T[x] - (logConditional + H[s] - HR[s])))
      trace += Math.exp(T[x])
    }
    maxTraceIdentity = Math.max(maxTraceIdentity, Math.abs(Math.log(trace) - (H[s] - HR[s])))
    traceResidual = Math.max(traceResidual, Math.abs(H[s] - HR[s]))
  }
  const logZ = logSumExpNegated(H)
  const logZRbm = logSumExpNegated(HR)
  let kl = 0
  let traceResidualNormalised = 0
  for (let s = 0; s < H.length; s++) {
    const logP = -H[s] - logZ
    const logp = -HR[s] - logZRbm
    kl += Math.exp(logP) * (logP - logp)
    traceResidualNormalised = Math.max(traceResidualNormalised, Math.abs(logP - logp))
  }
  return {
    coarse,
    HRBM,
    maxHDiff,
    maxEq22,
    maxTraceIdentity,
    traceResidual,
    deltaF: coarse.deltaF,
    kl: Math.max(0, kl),
    logZOffset: logZRbm - logZ,
    traceResidualNormalised
  }
}

/** ln Σ e^{−x}. */
function logSumExpNegated(x: Float64Array): number {
  let lo = Infinity
  for (const value of x) lo = Math.min(lo, value)
  let sum = 0
  for (const value of x) sum += Math.exp(lo - value)
  return Math.log(sum) - lo
}

/** E(v, h) of a spin configuration and hidden index, for tests and tooltips. */
export function rbmEnergyOf(rbm: RbmParameters, v: Int8Array, x: number): number {
  return energy(rbm, visibleValues(rbm.visibleUnits, v), hiddenValues(rbm.hiddenUnits, x, rbm.nh))
}
