/**
 * The exact RG ↔ RBM mapping as a job (issue: the mapping): a preset or any small model with a
 * kernel, computed by enumeration, residuals reported rather than asserted. Every number in the
 * result is computed here; the views and `blockspin mapping` only display it.
 *   decimation-1d  the ring of 2M spins decimated both ways (δ-kernel and exact RBM, SCIENCE §3)
 *   lin-tegmark    T = Kadanoff + g(v): ΔF = 0, trace residual > 0 (SCIENCE §7)
 *   block-2x2      an exact-gradient RBM with one hidden unit per 2×2 block of the 4×4 torus
 *                  against majority-rule and Kadanoff RG of the same model
 *   kernel         any chain or square model (N ≤ 24) under Kadanoff (with a λ scan), majority or
 *                  decimation blocks
 *   rbm            any RBM over a small model's spins: Eqs. 18, 21, 22, KL and the trace residual
 */
import { modelFromData, type ModelData } from '../lattice/data'
import { linTegmarkMapping, decimation1dMapping } from '../mapping/presets'
import { checkMapping } from '../mapping/rbmMapping'
import { trainedRbmStep } from '../mapping/trainedStep'
import { rbmProblems } from '../rbm/rbm'
import type { RbmAnyPrecision } from '../rbm/types'
import { decimationFlow1d, type Decimation1dStep } from '../rg/decimation1d'
import { exactCoarseHamiltonian, type ResidualDistribution } from '../rg/coarseHamiltonian'
import { couplingTable, type CouplingRow } from '../rg/couplingTable'
import { blockPartition, decimationKernel, kadanoffKernel, majorityKernel } from '../rg/kernels'
import { lambdaScan, type LambdaScanPoint } from '../rg/lambdaScan'
import { spinProductCoefficients } from '../rg/walsh'
import type { JobRunner } from './types'

export type MappingKernelName = 'kadanoff' | 'majority' | 'decimation'

export type MappingSpec =
  | { preset: 'decimation-1d'; K: number; h: number; M?: number; steps?: number }
  | { preset: 'lin-tegmark'; K: number; a: number; lambda: number }
  | { preset: 'block-2x2'; K: number; epochs?: number; learningRate?: number }
  | { preset: 'kernel'; model: ModelData; kernel: MappingKernelName; lambda?: number; b: number; lambdas?: number[] }
  /** Any RBM whose visible units are the model's spins (N ≤ 24, nh ≤ 16): its implied kernel T = H − E. */
  | { preset: 'rbm'; model: ModelData; rbm: RbmAnyPrecision }

export interface MappingSummary {
  /** F^h − F^v of the kernel (the δ-kernel for decimation-1d, the RBM's for block-2x2). */
  deltaF: number
  /** max_v |ln Tr_h e^{T(v,h)}|. */
  traceResidual: number
  /** max_h |H^RG − H^RBM| where an RBM is involved (decimation-1d: the RBM against the recursion). */
  maxHDiff?: number
  /** KL(P‖p) of the RBM. */
  kl?: number
  /** max_v |ln P − ln p| of the RBM with its energy shifted by ln Z_RBM − ln Z. */
  traceResidualNormalised?: number
  /** Eq. 22's residual. */
  maxEq22?: number
}

export interface MappingResult {
  preset: MappingSpec['preset']
  /** What was computed, in a line ("ring of 12 spins, K = 0.8, h = 0.3"). */
  title: string
  summary: MappingSummary
  /** H^RG(h) of the kernel, index bit j ⇔ h_j = +1. */
  HRG: Float64Array
  /** H^RBM(h), same indexing, as the machine defines it (Eq. 21: equal to HRG of its kernel). */
  HRBM?: Float64Array
  couplings: { rg: CouplingRow[]; rbm?: CouplingRow[]; majority?: CouplingRow[] }
  residuals: ResidualDistribution
  /** decimation-1d: the recursion's steps from (K, h). */
  flow?: Decimation1dStep[]
  /** kernel with Kadanoff: the λ scan (rows dropped). */
  scan?: Omit<LambdaScanPoint, 'rows'>[]
  /** block-2x2: which block each hidden unit was placed on, and the KL before training. */
  units?: { block: number[]; flipped: boolean[]; klBefore: number }
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x)

export function validateMappingSpec(spec: MappingSpec): void {
  const check = (name: string, v: unknown, lo: number, hi: number) => {
    if (!finite(v) || v < lo || v > hi)
      throw new RangeError(`${name} must be a number from ${lo} to ${hi}, got ${String(v)}`)
  }
  switch (spec.preset) {
    case 'decimation-1d':
      check('K', spec.K, -10, 10)
      check('h', spec.h, -10, 10)
      if (spec.M !== undefined) check('M', spec.M, 3, 12)
      if (spec.steps !== undefined) check('steps', spec.steps, 0, 64)
      return
    case 'lin-tegmark':
      check('K', spec.K, -2, 2)
      check('a', spec.a, -20, 20)
      check('λ', spec.lambda, 0, 100)
      return
    case 'block-2x2':
      check('K', spec.K, -2, 2)
      if (spec.epochs !== undefined) check('epochs', spec.epochs, 1, 100_000)
      if (spec.learningRate !== undefined) check('learning rate', spec.learningRate, 1e-6, 10)
      return
    case 'rbm': {
      const problems = rbmProblems(spec.rbm, { float64: true })
      if (problems.length) throw new RangeError(`the machine is not valid: ${problems[0]}`)
      return
    }
    case 'kernel':
      if (!['kadanoff', 'majority', 'decimation'].includes(spec.kernel))
        throw new RangeError(`unknown kernel ${String(spec.kernel)}`)
      check('b', spec.b, 2, 24)
      if (spec.lambda !== undefined) check('λ', spec.lambda, 0, 100)
      if (spec.lambdas) spec.lambdas.forEach((l) => check('λ', l, 0, 100))
      return
    default:
      throw new RangeError(`unknown mapping preset ${String((spec as { preset: unknown }).preset)}`)
  }
}

const table = (H: Float64Array, geometry: Parameters<typeof couplingTable>[1]) =>
  couplingTable(spinProductCoefficients(H), geometry)

function kernelMapping(spec: Extract<MappingSpec, { preset: 'kernel' }>): MappingResult {
  const model = modelFromData(spec.model)
  const lattice = spec.model.lattice
  let partition
  if (lattice.kind === 'chain') partition = blockPartition(lattice.N, 1, spec.b, 1, { x: lattice.periodic, y: false })
  else if (lattice.kind === 'square' && !lattice.diagonals) {
    partition = blockPartition(lattice.Lx, lattice.Ly, spec.b, spec.b, { x: lattice.periodicX, y: lattice.periodicY })
  } else throw new RangeError('block kernels need a chain or a square lattice without diagonal bonds')
  const lambda = spec.lambda ?? 1
  const kernel =
    spec.kernel === 'kadanoff'
      ? kadanoffKernel(partition, lambda)
      : spec.kernel === 'majority'
        ? majorityKernel(partition)
        : decimationKernel(partition)
  const coarse = exactCoarseHamiltonian(model, kernel)
  const scan =
    spec.kernel === 'kadanoff' && spec.lambdas?.length
      ? lambdaScan(model, partition, spec.lambdas).map(({ rows: _rows, ...rest }) => rest)
      : undefined
  return {
    preset: 'kernel',
    title: `${kernel.name} on ${model.lattice.N} spins, ${spec.b}-blocks → ${partition.blocks.length} hidden spins`,
    summary: { deltaF: coarse.deltaF, traceResidual: coarse.traceResidual },
    HRG: coarse.HRG,
    couplings: { rg: table(coarse.HRG, partition.geometry) },
    residuals: coarse.residuals,
    ...(scan ? { scan } : {})
  }
}

/** Computes a mapping spec (synchronously; the runner wraps it). */
export function computeMapping(spec: MappingSpec, rng: Parameters<typeof trainedRbmStep>[1]): MappingResult {
  validateMappingSpec(spec)
  switch (spec.preset) {
    case 'decimation-1d': {
      const M = spec.M ?? 6
      const m = decimation1dMapping(spec.K, spec.h, M)
      const geometry = { Lx: M, Ly: 1, periodicX: true, periodicY: false }
      return {
        preset: spec.preset,
        title: `ring of ${2 * M} spins, K = ${spec.K}, h = ${spec.h}, decimated to ${M}`,
        summary: { deltaF: m.kernel.deltaF, traceResidual: m.kernel.traceResidual, maxHDiff: m.maxHDiff },
        HRG: m.kernel.HRG,
        HRBM: m.HRBM,
        couplings: { rg: table(m.kernel.HRG, geometry), rbm: table(m.HRBM, geometry) },
        residuals: m.kernel.residuals,
        flow: decimationFlow1d(spec.K, spec.h, spec.steps ?? 6)
      }
    }
    case 'lin-tegmark': {
      const r = linTegmarkMapping(spec.K, spec.a, spec.lambda)
      return {
        preset: spec.preset,
        title: `4×4 torus, K = ${spec.K}: ${r.kernel}`,
        summary: { deltaF: r.deltaF, traceResidual: r.traceResidual },
        HRG: r.HRG,
        couplings: { rg: table(r.HRG, { Lx: 2, Ly: 2, periodicX: true, periodicY: true }) },
        residuals: r.residuals
      }
    }
    case 'block-2x2': {
      const s = trainedRbmStep({ K: spec.K, epochs: spec.epochs ?? 200, learningRate: spec.learningRate ?? 0.5 }, rng)
      return {
        preset: spec.preset,
        title: `4×4 torus, K = ${spec.K}: an exact-gradient RBM with one hidden unit per 2×2 block`,
        summary: {
          deltaF: s.mapping.deltaF,
          traceResidual: s.mapping.traceResidual,
          maxHDiff: s.mapping.maxHDiff,
          kl: s.mapping.kl,
          traceResidualNormalised: s.mapping.traceResidualNormalised,
          maxEq22: s.mapping.maxEq22
        },
        HRG: s.mapping.coarse.HRG,
        // H^RBM as the machine defines it: equal to H^RG of its kernel (Eq. 21), so the scatter is on
        // the diagonal; the coupling table below shifts the constant by ln Z_RBM − ln Z.
        HRBM: s.mapping.HRBM,
        couplings: { rg: s.couplings.kadanoff, rbm: s.couplings.rbm, majority: s.couplings.majority },
        residuals: s.mapping.coarse.residuals,
        units: { block: s.block, flipped: s.flipped, klBefore: s.klBefore }
      }
    }
    case 'kernel':
      return kernelMapping(spec)
    case 'rbm': {
      const model = modelFromData(spec.model)
      const geometry = { Lx: spec.rbm.nh, Ly: 1, periodicX: false, periodicY: false }
      const m = checkMapping(model, spec.rbm, geometry)
      return {
        preset: spec.preset,
        title: `an RBM ${spec.rbm.nv} → ${spec.rbm.nh} over a model of ${model.lattice.N} spins`,
        summary: {
          deltaF: m.deltaF,
          traceResidual: m.traceResidual,
          maxHDiff: m.maxHDiff,
          kl: m.kl,
          traceResidualNormalised: m.traceResidualNormalised,
          maxEq22: m.maxEq22
        },
        HRG: m.coarse.HRG,
        HRBM: m.HRBM,
        couplings: { rg: table(m.coarse.HRG, geometry), rbm: table(m.HRBM, geometry) },
        residuals: m.coarse.residuals
      }
    }
  }
}

export const runMapping: JobRunner<MappingSpec, MappingResult> = async (spec, rng, sink) => {
  sink.progress({ done: 0, total: 1, unit: 'mapping', note: spec.preset })
  const result = computeMapping(spec, rng)
  sink.progress({ done: 1, total: 1, unit: 'mapping' })
  return result
}
