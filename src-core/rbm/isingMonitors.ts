import type { Rng } from '../random/rng'
import { checkBatch } from './energy'
import { tsDenseKernels } from './kernelsTs'
import { unitOff } from './math'
import { gibbsSteps, type GibbsChains } from './sampling'
import type { Batch, DenseKernels, Rbm, UnitKind } from './types'

/**
 * Physical monitors for RBMs trained on Ising configurations (SCIENCE.md §1 conventions): the
 * visible units sit on an Lx × Ly periodic square lattice, site (x, y) = unit y·Lx + x, with
 * H(s) = −K Σ_<ij> s_i s_j over the bonds (x,y)–(x+1,y) and (x,y)–(x,y+1) (mod L), zero field.
 * {0,1} units are converted explicitly, s = 2v − 1, before any observable is formed.
 *
 * Per-site observables, N = Lx·Ly: e = ⟨H⟩/N, |m| = ⟨|Σs|⟩/N, c = Var(H)/N, and
 * chiAbs = χ′ = N(⟨m²⟩ − ⟨|m|⟩²), the |m| convention, named as everywhere else (README;
 * chi is N(⟨m²⟩ − ⟨m⟩²)). Records saved before it had its own name call it chi
 * (src-main/shared/project/monitorKeys.ts renames it on reading).
 *
 * Error bars come from independent groups: the samples are split into G groups (independent
 * Gibbs chains for RBM samples, contiguous blocks for independent data); each observable is
 * estimated per group and the error is the standard deviation of the G estimates over √G.
 * e and |m| use all samples for the value; c and χ′ the mean of the per-group estimates.
 */

export interface IsingLattice {
  Lx: number
  Ly: number
  /** Dimensionless coupling K = βJ (> 0 ferromagnetic). */
  K: number
}

export interface Estimate {
  value: number
  error: number
}

export interface IsingObservables {
  e: Estimate
  absM: Estimate
  c: Estimate
  /** χ′ = N(⟨m²⟩ − ⟨|m|⟩²). */
  chiAbs: Estimate
  samples: number
  groups: number
}

export interface IsingComparison {
  model: IsingObservables
  data: IsingObservables
  /** (model − data)/√(σ_model² + σ_data²) for e and |m|. */
  zE: number
  zAbsM: number
}

/** H and Σs of every row (see module comment). */
export function latticeEnergyMagnetisation(
  configs: Batch,
  units: UnitKind,
  lattice: IsingLattice
): { H: Float64Array; M: Float64Array } {
  const { Lx, Ly, K } = lattice
  const N = Lx * Ly
  if (!Number.isInteger(Lx) || !Number.isInteger(Ly) || Lx < 1 || Ly < 1)
    throw new RangeError(`lattice: Lx and Ly must be positive integers, got ${Lx}×${Ly}`)
  checkBatch(configs, N, 'latticeEnergyMagnetisation')
  const H = new Float64Array(configs.rows)
  const M = new Float64Array(configs.rows)
  const s = new Float64Array(N)
  const off = unitOff(units)
  for (let r = 0; r < configs.rows; r++) {
    let m = 0
    for (let i = 0; i < N; i++) {
      const v = configs.data[r * N + i]
      if (v !== 1 && v !== off)
        throw new RangeError(`latticeEnergyMagnetisation: row ${r}, site ${i} is ${v}, not a ${units} value`)
      s[i] = units === '01' ? 2 * v - 1 : v
      m += s[i]
    }
    let bonds = 0
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        const i = y * Lx + x
        bonds += s[i] * (s[y * Lx + ((x + 1) % Lx)] + s[((y + 1) % Ly) * Lx + x])
      }
    }
    H[r] = -K * bonds
    M[r] = m
  }
  return { H, M }
}

function meanAndError(values: number[]): Estimate {
  const G = values.length
  const mean = values.reduce((s, x) => s + x, 0) / G
  if (G < 2) return { value: mean, error: NaN }
  const variance = values.reduce((s, x) => s + (x - mean) ** 2, 0) / (G - 1)
  return { value: mean, error: Math.sqrt(variance / G) }
}

/** Observables from H and M split into `groups` contiguous groups of equal size (module comment). */
export function isingObservables(H: Float64Array, M: Float64Array, N: number, groups: number): IsingObservables {
  const n = H.length
  if (!Number.isInteger(groups) || groups < 1 || groups > n)
    throw new RangeError(`isingObservables: groups must be in [1, ${n}], got ${groups}`)
  const size = Math.floor(n / groups)
  const per = { e: [] as number[], absM: [] as number[], c: [] as number[], chiAbs: [] as number[] }
  for (let g = 0; g < groups; g++) {
    let sH = 0
    let sH2 = 0
    let sA = 0
    let sA2 = 0
    for (let k = g * size; k < (g + 1) * size; k++) {
      sH += H[k]
      sH2 += H[k] * H[k]
      const a = Math.abs(M[k]) / N
      sA += a
      sA2 += a * a
    }
    const meanH = sH / size
    const meanA = sA / size
    const unbias = size > 1 ? size / (size - 1) : NaN
    per.e.push(meanH / N)
    per.absM.push(meanA)
    per.c.push(((sH2 / size - meanH * meanH) * unbias) / N)
    per.chiAbs.push(N * (sA2 / size - meanA * meanA) * unbias)
  }
  const used = size * groups
  let totalH = 0
  let totalA = 0
  for (let k = 0; k < used; k++) {
    totalH += H[k]
    totalA += Math.abs(M[k]) / N
  }
  const e = meanAndError(per.e)
  const absM = meanAndError(per.absM)
  return {
    e: { value: totalH / used / N, error: e.error },
    absM: { value: totalA / used, error: absM.error },
    c: meanAndError(per.c),
    chiAbs: meanAndError(per.chiAbs),
    samples: used,
    groups
  }
}

export interface RbmSamplingOptions {
  rng: Rng
  /** Independent chains (error-bar groups); default 20. */
  chains?: number
  /** Gibbs steps discarded per chain; default 200. */
  burnIn?: number
  /** Samples kept per chain; default 200. */
  samplesPerChain?: number
  /** Gibbs steps between kept samples; default 1. */
  thin?: number
  kernels?: DenseKernels
}

/**
 * Visible samples of an RBM from block Gibbs chains started at data rows ⌊c·rows/chains⌋
 * (c = 0 … chains−1): burn-in, then one sample every `thin` steps. Rows are chain-major
 * (all samples of chain 0, then chain 1, …), so groups = chains gives per-chain groups.
 */
export function rbmGibbsSamples(rbm: Rbm, start: Batch, options: RbmSamplingOptions): Batch {
  checkBatch(start, rbm.nv, 'rbmGibbsSamples')
  const chains = options.chains ?? 20
  const burnIn = options.burnIn ?? 200
  const perChain = options.samplesPerChain ?? 200
  const thin = options.thin ?? 1
  const kernels = options.kernels ?? tsDenseKernels
  const { nv, nh } = rbm
  const state: GibbsChains = {
    rows: chains,
    v: new Float32Array(chains * nv),
    h: new Float32Array(chains * nh),
    pv: new Float32Array(chains * nv),
    ph: new Float32Array(chains * nh)
  }
  for (let c = 0; c < chains; c++) {
    const r = Math.floor((c * start.rows) / chains)
    state.v.set(start.data.subarray(r * nv, (r + 1) * nv), c * nv)
  }
  gibbsSteps(rbm, state, burnIn, options.rng, kernels)
  const out = new Float32Array(chains * perChain * nv)
  for (let t = 0; t < perChain; t++) {
    gibbsSteps(rbm, state, thin, options.rng, kernels)
    for (let c = 0; c < chains; c++) out.set(state.v.subarray(c * nv, (c + 1) * nv), (c * perChain + t) * nv)
  }
  return { rows: chains * perChain, cols: nv, data: out }
}

/**
 * E, |M|, C, χ′ of RBM samples (Gibbs chains from the data, errors from independent chains)
 * against the data's own (errors from `dataGroups` blocks, default 10). Data rows must be
 * configurations in the RBM's visible units.
 */
export function compareIsingObservables(
  rbm: Rbm,
  data: Batch,
  lattice: IsingLattice,
  options: RbmSamplingOptions & { dataGroups?: number }
): IsingComparison {
  const N = lattice.Lx * lattice.Ly
  if (rbm.nv !== N)
    throw new RangeError(
      `compareIsingObservables: ${rbm.nv} visible units do not fill a ${lattice.Lx}×${lattice.Ly} lattice`
    )
  const samples = rbmGibbsSamples(rbm, data, options)
  const m = latticeEnergyMagnetisation(samples, rbm.visibleUnits, lattice)
  const model = isingObservables(m.H, m.M, N, options.chains ?? 20)
  const d = latticeEnergyMagnetisation(data, rbm.visibleUnits, lattice)
  const dataObs = isingObservables(d.H, d.M, N, Math.min(data.rows, options.dataGroups ?? 10))
  const z = (a: Estimate, b: Estimate) => (a.value - b.value) / Math.sqrt(a.error ** 2 + b.error ** 2)
  return { model, data: dataObs, zE: z(model.e, dataObs.e), zAbsM: z(model.absM, dataObs.absM) }
}
