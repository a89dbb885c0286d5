/**
 * The mapping's worked examples, each computed (never tabulated):
 * - 1D decimation both ways (SCIENCE.md §3): as the δ-kernel e^T = Π_j δ(h_j, v_{2j}) on a ring
 *   of 2M spins, and as an exact RBM whose visible units are the decimated (odd) spins and whose
 *   hidden units are the kept (even) ones, E = −K Σ_j v_j (h_j + h_{j+1}) − h Σ_j v_j − h Σ_j h_j.
 *   Both must give the recursion's coarse Hamiltonian −M ln A − K′ Σ h_j h_{j+1} − h′ Σ h_j.
 * - The Lin–Tegmark–Rolnick counterexample (SCIENCE.md §7): T = T₀ + g(v) with T₀ an exact kernel
 *   and g(v) = a·m(v) − ln Σ_v P(v) e^{a·m(v)}: ΔF = 0 while Tr_h e^T = e^{g(v)} ≠ 1 pointwise.
 */
import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import type { IsingModel } from '../lattice/types'
import type { RbmParameters } from '../rbm/energy'
import { exactCoarseHamiltonian, type CoarseHamiltonian } from '../rg/coarseHamiltonian'
import { decimate1d, type Decimation1dStep } from '../rg/decimation1d'
import { blockPartition, decimationKernel, kadanoffKernel, type BlockKernel, type DenseKernel } from '../rg/kernels'
import { isingEnergy, rbmHiddenHamiltonian } from './rbmMapping'

export interface Decimation1dMapping {
  K: number
  h: number
  /** Kept spins (the ring has 2M). */
  M: number
  step: Decimation1dStep
  /** The coarse Hamiltonian the recursion gives, −M ln A − K′ Σ h_j h_{j+1} − h′ Σ h_j, per h. */
  recursion: Float64Array
  /** The δ-kernel's exact coarse graining of the ring. */
  kernel: CoarseHamiltonian
  /** max_h |H^RG_δ(h) − recursion(h)|. */
  kernelHDiff: number
  /** The decimation RBM (float64 weights, ±1 units). */
  rbm: RbmParameters
  /** H^RBM(h) of that machine. */
  HRBM: Float64Array
  /** max_h |H^RBM(h) − recursion(h)|. */
  maxHDiff: number
}

/** 1D decimation of a ring of 2M spins as a δ-kernel and as an RBM, both against the recursion. */
export function decimation1dMapping(K: number, h: number, M = 6): Decimation1dMapping {
  if (!Number.isInteger(M) || M < 3 || M > 12)
    throw new RangeError(`the decimated ring keeps M spins, 3 ≤ M ≤ 12; got ${M}`)
  const step = decimate1d(K, h)
  const recursion = new Float64Array(2 ** M)
  for (let x = 0; x < recursion.length; x++) {
    let H = -M * step.lnA
    for (let j = 0; j < M; j++) {
      const s = (x >>> j) & 1 ? 1 : -1
      const t = (x >>> ((j + 1) % M)) & 1 ? 1 : -1
      H -= step.K * s * t + step.h * s
    }
    recursion[x] = H
  }
  const ring = uniformModel(buildLattice({ kind: 'chain', N: 2 * M, periodic: true }), { K, h })
  const kernel = exactCoarseHamiltonian(ring, decimationKernel(blockPartition(2 * M, 1, 2, 1, { x: true, y: false })))
  // Visible unit j is ring site 2j + 1, between kept sites 2j (hidden j) and 2j + 2 (hidden j + 1).
  const W = new Float64Array(M * M)
  for (let j = 0; j < M; j++) {
    W[j * M + j] += K
    W[j * M + ((j + 1) % M)] += K
  }
  const rbm: RbmParameters = {
    nv: M,
    nh: M,
    visibleUnits: 'pm1',
    hiddenUnits: 'pm1',
    W,
    a: new Float64Array(M).fill(h),
    b: new Float64Array(M).fill(h)
  }
  const HRBM = rbmHiddenHamiltonian(rbm)
  let kernelHDiff = 0
  let maxHDiff = 0
  for (let x = 0; x < recursion.length; x++) {
    kernelHDiff = Math.max(kernelHDiff, Math.abs(kernel.HRG[x] - recursion[x]))
    maxHDiff = Math.max(maxHDiff, Math.abs(HRBM[x] - recursion[x]))
  }
  return { K, h, M, step, recursion, kernel, kernelHDiff, rbm, HRBM, maxHDiff }
}

/** An exact block kernel plus g(v) = a·m(v) − ln Σ_v P(v) e^{a·m(v)}, m = Σv/N. */
export function linTegmarkKernel(model: IsingModel, exact: BlockKernel, a: number): DenseKernel {
  const N = model.lattice.N
  if (N > 20) throw new RangeError(`the counterexample enumerates 2^N states; N = ${N} is above 20`)
  // ln Σ_v P(v) e^{a m(v)} = ln Σ_v e^{−H(v) + a m(v)} − ln Σ_v e^{−H(v)}, shifted for safety.
  const v = new Int8Array(N)
  const energies = new Float64Array(2 ** N)
  const mags = new Float64Array(2 ** N)
  for (let s = 0; s < energies.length; s++) {
    let m = 0
    for (let i = 0; i < N; i++) m += v[i] = (s >>> i) & 1 ? 1 : -1
    energies[s] = isingEnergy(model, v)
    mags[s] = m / N
  }
  const lo = energies.reduce((x, y) => Math.min(x, y), Infinity)
  let z = 0
  let zg = 0
  for (let s = 0; s < energies.length; s++) {
    const w = Math.exp(lo - energies[s])
    z += w
    zg += w * Math.exp(a * mags[s])
  }
  const shift = Math.log(zg / z)
  const M = exact.stat.length
  return {
    kind: 'dense',
    name: `Lin–Tegmark–Rolnick: ${exact.name} + g(v), a = ${a}`,
    M,
    geometry: exact.geometry,
    logWeights(config, out) {
      let m = 0
      for (let i = 0; i < N; i++) m += config[i]
      const g = (a * m) / N - shift
      const s = exact.stat.map((sites) => sites.reduce((t, i) => t + config[i], 0))
      for (let x = 0; x < out.length; x++) {
        let t = g
        for (let B = 0; B < M; B++) t += exact.logWeight(s[B]!, (x >>> B) & 1 ? 1 : -1)
        out[x] = t
      }
    }
  }
}

/** The counterexample on an L×L torus (L = 4: 2×2 blocks) with Kadanoff's kernel at strength λ. */
export function linTegmarkMapping(K = 0.3, a = 1, lambda = 1, L = 4): CoarseHamiltonian {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K,
    h: 0
  })
  return exactCoarseHamiltonian(model, linTegmarkKernel(model, kadanoffKernel(blockPartition(L, L, 2, 2), lambda), a))
}
