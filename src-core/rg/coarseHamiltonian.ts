/**
 * The exact coarse Hamiltonian of a small model under a variational RG kernel (SCIENCE.md §2, §7):
 *   e^{−H^RG(h)} = Σ_v e^{T(v,h) − H(v)}               (Eq. 6)
 *   F^v = −ln Σ_v e^{−H(v)},  F^h = −ln Σ_h e^{−H^RG(h)} (Eq. 7),  ΔF = F^h − F^v
 *   r(v) = ln Σ_h e^{T(v,h)}: exactness is r(v) = 0 for every v (Eq. 9), not ΔF = 0.
 * Visible configurations are enumerated in Gray-code order (N ≤ 24), H updated by one flip at
 * a time and recomputed from scratch every 4096 states to bound rounding drift. Weights are
 * taken relative to H_ref = −Σ|K_i| − Σ|K_ij| ≤ min H, so none exceeds 1.
 * A block kernel only sees each block's statistic, so the visible sum collapses onto the
 * distinct statistic vectors first (5^6 of them for 2×2 blocks of a 4×6 lattice): the cost is
 * 2^N + (#statistics)·2^M·M instead of 2^N·2^M.
 */
import type { IsingModel } from '../lattice/types'
import type { BlockKernel, DenseKernel, RgKernel } from './kernels'
import { hiddenCount } from './kernels'

export const COARSE_MAX_VISIBLE = 24
export const COARSE_MAX_HIDDEN = 16
/** 2^N·2^M evaluations: a dense kernel is refused above this. */
export const DENSE_MAX_WORK = 2 ** 28

/** The distribution of r(v) over visible configurations, for a histogram. */
export interface ResidualDistribution {
  /** Distinct values of r(v) (block kernels) or bin centres (dense kernels). */
  values: Float64Array
  /** How many configurations v have each value. */
  counts: Float64Array
  /** Σ P(v) over them. */
  probabilities: Float64Array
}

export interface CoarseHamiltonian {
  N: number
  M: number
  kernel: string
  /** H^RG(h) at index x (bit j set ⇔ h_j = +1); +Infinity where no v reaches h. */
  HRG: Float64Array
  Fv: number
  Fh: number
  deltaF: number
  /** max_v |r(v)|, r(v) = ln Σ_h e^{T(v,h)}. */
  traceResidual: number
  residuals: ResidualDistribution
}

function lowestBit(g: number): number {
  return 31 - Math.clz32(g & -g)
}

function modelEnergy(model: IsingModel, v: Int8Array): number {
  const { lattice, fields, couplings } = model
  let H = 0
  for (let i = 0; i < v.length; i++) H -= fields[i] * v[i]
  for (let b = 0; b < couplings.length; b++) H -= couplings[b] * v[lattice.bondI[b]] * v[lattice.bondJ[b]]
  return H
}

/**
 * Walks every visible configuration (Gray code, starting from all −1) and calls visit(v, H) with
 * H − H_ref. `flip(i, v)` runs before site i flips (v still holds the old spin).
 */
function walkVisible(
  model: IsingModel,
  visit: (v: Int8Array, energy: number) => void,
  flip?: (i: number, v: Int8Array) => void
): number {
  const N = model.lattice.N
  if (N > COARSE_MAX_VISIBLE)
    throw new RangeError(`exact coarse graining enumerates 2^N states: N = ${N} is above ${COARSE_MAX_VISIBLE}`)
  const { lattice, fields, couplings } = model
  let ref = 0
  for (let i = 0; i < N; i++) ref -= Math.abs(fields[i])
  for (let b = 0; b < couplings.length; b++) ref -= Math.abs(couplings[b])
  const v = new Int8Array(N).fill(-1)
  let H = modelEnergy(model, v)
  const total = 2 ** N
  for (let g = 0; g < total; g++) {
    if (g > 0) {
      const i = lowestBit(g)
      let local = fields[i]
      for (let k = lattice.adjStart[i]; k < lattice.adjStart[i + 1]; k++)
        local += couplings[lattice.adjBond[k]] * v[lattice.adjSite[k]]
      H += 2 * v[i] * local
      flip?.(i, v)
      v[i] = -v[i] as -1 | 1
      if ((g & 4095) === 0) H = modelEnergy(model, v)
    }
    visit(v, H - ref)
  }
  return ref
}

function histogram(r: Float64Array, counts: Float64Array, probs: Float64Array, bins = 40): ResidualDistribution {
  let lo = Infinity
  let hi = -Infinity
  for (let k = 0; k < r.length; k++) {
    if (counts[k] === 0) continue
    lo = Math.min(lo, r[k])
    hi = Math.max(hi, r[k])
  }
  if (!(hi - lo > 1e-12 * Math.max(1, Math.abs(hi)))) {
    return {
      values: Float64Array.of(Number.isFinite(lo) ? lo : 0),
      counts: Float64Array.of(counts.reduce((s, x) => s + x, 0)),
      probabilities: Float64Array.of(probs.reduce((s, x) => s + x, 0))
    }
  }
  const width = (hi - lo) / bins
  const out = { values: new Float64Array(bins), counts: new Float64Array(bins), probabilities: new Float64Array(bins) }
  for (let b = 0; b < bins; b++) out.values[b] = lo + (b + 0.5) * width
  for (let k = 0; k < r.length; k++) {
    if (counts[k] === 0) continue
    const b = Math.min(bins - 1, Math.floor((r[k] - lo) / width))
    out.counts[b] += counts[k]
    out.probabilities[b] += probs[k]
  }
  return out
}

function finish(
  N: number,
  M: number,
  kernel: string,
  ref: number,
  Zv: number,
  sumHidden: Float64Array,
  r: Float64Array,
  counts: Float64Array,
  weights: Float64Array
): CoarseHamiltonian {
  const HRG = new Float64Array(sumHidden.length)
  let Zh = 0
  for (let x = 0; x < HRG.length; x++) {
    HRG[x] = ref - Math.log(sumHidden[x])
    Zh += sumHidden[x]
  }
  const Fv = ref - Math.log(Zv)
  const Fh = ref - Math.log(Zh)
  let traceResidual = 0
  const probs = new Float64Array(r.length)
  for (let k = 0; k < r.length; k++) {
    if (counts[k] === 0) continue
    traceResidual = Math.max(traceResidual, Math.abs(r[k]))
    probs[k] = weights[k] / Zv
  }
  return { N, M, kernel, HRG, Fv, Fh, deltaF: Fh - Fv, traceResidual, residuals: histogram(r, counts, probs) }
}

function blockCoarse(model: IsingModel, kernel: BlockKernel): CoarseHamiltonian {
  const N = model.lattice.N
  const M = kernel.stat.length
  // Mixed-radix index of the statistic vector: block B's s ∈ {−n_B, −n_B + 2, …, n_B} has n_B + 1 values.
  const blockOf = new Int32Array(N).fill(-1)
  const radix = new Int32Array(M)
  const stride = new Float64Array(M)
  let states = 1
  kernel.stat.forEach((sites, B) => {
    for (const i of sites) {
      if (i < 0 || i >= N || blockOf[i] !== -1)
        throw new RangeError(`block statistics must be disjoint sets of sites < ${N}`)
      blockOf[i] = B
    }
    radix[B] = sites.length + 1
    stride[B] = states
    states *= sites.length + 1
  })
  if (states > 2 ** 24) throw new RangeError(`the blocks have ${states} distinct statistics: too many to tabulate`)
  const weight = new Float64Array(states)
  const count = new Float64Array(states)
  let index = 0 // all −1: every block at its lowest statistic (digit 0)
  const ref = walkVisible(
    model,
    (_v, energy) => {
      weight[index] += Math.exp(-energy)
      count[index]++
    },
    (i, v) => {
      const B = blockOf[i]
      if (B >= 0) index += v[i] < 0 ? stride[B] : -stride[B]
    }
  )
  // e^{t(s, h)} per block and digit, and r per statistic vector.
  const table = kernel.stat.map((sites) => {
    const n = sites.length
    const t = new Float64Array(2 * (n + 1))
    for (let d = 0; d <= n; d++) {
      t[2 * d] = Math.exp(kernel.logWeight(2 * d - n, -1))
      t[2 * d + 1] = Math.exp(kernel.logWeight(2 * d - n, 1))
    }
    return t
  })
  const digits = new Int32Array(M)
  const sumHidden = new Float64Array(2 ** M)
  const r = new Float64Array(states)
  let Zv = 0
  for (let s = 0; s < states; s++) {
    let rest = s
    for (let B = 0; B < M; B++) {
      digits[B] = rest % radix[B]
      rest = Math.floor(rest / radix[B])
    }
    if (count[s] === 0) continue
    Zv += weight[s]
    let logTrace = 0
    for (let B = 0; B < M; B++) logTrace += Math.log(table[B][2 * digits[B]] + table[B][2 * digits[B] + 1])
    r[s] = logTrace
    for (let x = 0; x < sumHidden.length; x++) {
      let w = weight[s]
      for (let B = 0; B < M && w !== 0; B++) w *= table[B][2 * digits[B] + ((x >>> B) & 1)]
      sumHidden[x] += w
    }
  }
  return finish(N, M, kernel.name, ref, Zv, sumHidden, r, count, weight)
}

function denseCoarse(model: IsingModel, kernel: DenseKernel): CoarseHamiltonian {
  const N = model.lattice.N
  const M = kernel.M
  if (2 ** (N + M) > DENSE_MAX_WORK)
    throw new RangeError(
      `a kernel that does not factorise over blocks needs 2^(N+M) evaluations: N + M = ${N + M} is above ${Math.log2(DENSE_MAX_WORK)}`
    )
  const T = new Float64Array(2 ** M)
  const sumHidden = new Float64Array(2 ** M)
  const r = new Float64Array(2 ** N)
  const weights = new Float64Array(2 ** N)
  let Zv = 0
  let k = 0
  const ref = walkVisible(model, (v, energy) => {
    kernel.logWeights(v, T)
    const w = Math.exp(-energy)
    let trace = 0
    for (let x = 0; x < T.length; x++) {
      const e = Math.exp(T[x])
      trace += e
      sumHidden[x] += e * w
    }
    r[k] = Math.log(trace)
    weights[k++] = w
    Zv += w
  })
  return finish(N, M, kernel.name, ref, Zv, sumHidden, r, new Float64Array(r.length).fill(1), weights)
}

/** H^RG, F^v, F^h, ΔF and the trace residual of a model (N ≤ 24) under a kernel. */
export function exactCoarseHamiltonian(model: IsingModel, kernel: RgKernel): CoarseHamiltonian {
  const M = hiddenCount(kernel)
  if (M < 1 || M > COARSE_MAX_HIDDEN)
    throw new RangeError(`the kernel has ${M} hidden spins; 1 to ${COARSE_MAX_HIDDEN} are supported`)
  return kernel.kind === 'block' ? blockCoarse(model, kernel) : denseCoarse(model, kernel)
}
