/**
 * Exact 1D Ising chain with site-dependent fields K_i and bond couplings K_{i,i+1}, open or
 * periodic, by 2×2 transfer matrices (Kramers & Wannier, Phys. Rev. 60, 252, 1941; closed form
 * for the uniform ring: SCIENCE.md §3, Z = λ+^N + λ−^N). We carry
 *   P(s₀, s) = Σ_{v₀=s₀, v_i=s} e^{−H(v₀..v_i)}
 * through the chain, one bond at a time; the ring closes with the bond (N−1, 0) and keeps the
 * diagonal s = s₀ (the trace). Every entry is a jet (see ./jet.ts), so ⟨H⟩, Var(H), ⟨M⟩ and
 * Var(M) come out exactly, and the matrix is rescaled at every step by a power of two near its
 * largest value (exact, see ./jet.ts), with the exponent accumulated: no overflow for any N.
 */
import type { IsingModel } from '../../lattice/types'
import { binaryExponent, compensatedSum, JET, jetMulAdd, resultFromJet, weightJet } from './jet'
import type { ExactResult } from './types'

/** Couplings of a chain model in order: bond i joins sites i and i+1 (bond N−1 the ring's (N−1, 0)). */
export function chainCouplings(model: IsingModel): { periodic: boolean; bond: Float64Array } {
  const { lattice, couplings } = model
  const spec = lattice.spec
  if (spec.kind !== 'chain') throw new RangeError(`the 1D transfer matrix needs a chain, got a ${spec.kind} lattice`)
  const N = lattice.N
  const bond = new Float64Array(N)
  for (let b = 0; b < couplings.length; b++) {
    const i = lattice.bondI[b]
    const j = lattice.bondJ[b]
    const lo = Math.min(i, j)
    const hi = Math.max(i, j)
    if (hi === lo + 1) bond[lo] += couplings[b]
    else if (spec.periodic && lo === 0 && hi === N - 1) bond[N - 1] += couplings[b]
    else throw new RangeError(`bond ${b} (${i}, ${j}) is not a chain bond`)
  }
  return { periodic: spec.periodic, bond }
}

/** Jet of a site factor e^{K_i s} measured from its minimum energy −|K_i| (spin index 0 ⇔ −1). */
function siteJets(h: number): Float64Array {
  const out = new Float64Array(2 * JET)
  const ref = Math.sign(h)
  for (let s = 0; s < 2; s++) {
    const v = 2 * s - 1
    weightJet(out, s * JET, -h * v + Math.abs(h), v - ref)
  }
  return out
}

/** Jets of a bond factor e^{K s s'}, index (2s + s')·JET, measured from −|K|. */
function bondJets(K: number): Float64Array {
  const out = new Float64Array(4 * JET)
  for (let s = 0; s < 2; s++) {
    for (let t = 0; t < 2; t++) weightJet(out, (2 * s + t) * JET, -K * (2 * s - 1) * (2 * t - 1) + Math.abs(K), 0)
  }
  return out
}

/** Exact lnZ, f, e, c, m, m2, chi of a chain model (lattice kind 'chain'). */
export function transferMatrix1d(model: IsingModel): ExactResult {
  const { periodic, bond } = chainCouplings(model)
  const N = model.lattice.N
  const fields = model.fields
  if (fields.length !== N) throw new RangeError(`expected ${N} fields, got ${fields.length}`)
  // H_ref = −Σ|K_i| − Σ|K_{i,i+1}|, summed with compensation (it is subtracted from ln Z).
  const bondsUsed = periodic ? N : N - 1
  const refTerms = new Float64Array(N + bondsUsed)
  let magnetisationRef = 0
  for (let i = 0; i < N; i++) {
    refTerms[i] = -Math.abs(fields[i])
    magnetisationRef += Math.sign(fields[i])
  }
  for (let i = 0; i < bondsUsed; i++) refTerms[N + i] = -Math.abs(bond[i])
  const energyRef = compensatedSum(refTerms)

  // P is 2×2 jets, entry (s₀, s) at (2s₀ + s)·JET.
  let P = new Float64Array(4 * JET)
  let next = new Float64Array(4 * JET)
  const tmp = new Float64Array(JET)
  const site0 = siteJets(fields[0])
  for (let s = 0; s < 2; s++) P.set(site0.subarray(s * JET, (s + 1) * JET), (2 * s + s) * JET)
  let exponent = 0 // Z = 2^exponent · (what P holds)
  for (let i = 0; i + 1 < N; i++) {
    const B = bondJets(bond[i])
    const S = siteJets(fields[i + 1])
    next.fill(0)
    for (let s0 = 0; s0 < 2; s0++) {
      for (let t = 0; t < 2; t++) {
        tmp.fill(0)
        for (let s = 0; s < 2; s++) jetMulAdd(tmp, 0, P, (2 * s0 + s) * JET, B, (2 * s + t) * JET)
        jetMulAdd(next, (2 * s0 + t) * JET, tmp, 0, S, t * JET)
      }
    }
    ;[P, next] = [next, P]
    // Rescale by a power of two near the largest value (exact; see binaryExponent).
    const k2 = binaryExponent(Math.max(P[0], P[JET], P[2 * JET], P[3 * JET]))
    const inverse = 2 ** -k2
    for (let k = 0; k < P.length; k++) P[k] *= inverse
    exponent += k2
  }
  const z = new Float64Array(JET)
  if (periodic) {
    const B = bondJets(bond[N - 1])
    for (let s0 = 0; s0 < 2; s0++)
      for (let s = 0; s < 2; s++) jetMulAdd(z, 0, P, (2 * s0 + s) * JET, B, (2 * s + s0) * JET)
  } else {
    for (let k = 0; k < 4; k++) for (let c = 0; c < JET; c++) z[c] += P[k * JET + c]
  }
  return resultFromJet('transfer-matrix-1d', N, exponent * Math.LN2, z, energyRef, magnetisationRef)
}
