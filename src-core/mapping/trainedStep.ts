/**
 * A trained RBM as an RG step: an RBM with one ±1 hidden unit per block is trained by the exact
 * log-likelihood gradient on the exact distribution of a small periodic model, and its implied
 * kernel T = H − E (Eq. 18) is compared with block-spin RG's for the same model: KL, ΔF, the trace
 * residual, and the couplings of H^RBM(h) beside those of H^RG(h) (Walsh–Hadamard expansions).
 * Hidden units carry no position, so each is placed on the block its weights favour most
 * (largest |Σ_{i∈B} W_ij|, assigned greedily) and its sign is chosen so that the block's spins
 * pull it up (h_j → −h_j is an exact symmetry of a ±1 unit: b_j, W_·j change sign).
 */
import { enumerateExact } from '../ising/exact/enumeration'
import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import type { IsingModel } from '../lattice/types'
import type { Rng } from '../random/rng'
import type { RbmParameters } from '../rbm/energy'
import { allConfigurations, exactKlDivergence } from '../rbm/exact'
import { createTrainer, trainRbm, type TrainingOptions } from '../rbm/train'
import type { Rbm } from '../rbm/types'
import { exactCoarseHamiltonian, type CoarseHamiltonian } from '../rg/coarseHamiltonian'
import { couplingTable, type CouplingRow } from '../rg/couplingTable'
import { blockPartition, kadanoffKernel, majorityKernel, type BlockPartition } from '../rg/kernels'
import { spinProductCoefficients } from '../rg/walsh'
import { checkMapping, type MappingCheck } from './rbmMapping'

/** Each hidden unit's block and sign, and the machine with its units in block order and signs fixed. */
export function alignHiddenUnits(
  rbm: Rbm | RbmParameters,
  partition: BlockPartition
): { rbm: RbmParameters; block: number[]; flipped: boolean[] } {
  const { nv, nh } = rbm
  const M = partition.blocks.length
  if (nh !== M) throw new RangeError(`the machine has ${nh} hidden units for ${M} blocks`)
  const mass = partition.blocks.map((sites) =>
    Array.from({ length: nh }, (_, j) => sites.reduce((s, i) => s + rbm.W[i * nh + j]!, 0))
  )
  const block = new Array<number>(nh).fill(-1)
  const taken = new Array<boolean>(M).fill(false)
  for (let round = 0; round < nh; round++) {
    let best: [number, number] = [-1, -1]
    let bestValue = -1
    for (let B = 0; B < M; B++) {
      if (taken[B]) continue
      for (let j = 0; j < nh; j++) {
        if (block[j] !== -1) continue
        if (Math.abs(mass[B]![j]!) > bestValue) {
          bestValue = Math.abs(mass[B]![j]!)
          best = [B, j]
        }
      }
    }
    block[best[1]] = best[0]
    taken[best[0]] = true
  }
  const flipped = block.map((B, j) => mass[B]![j]! < 0)
  const unitOf = new Array<number>(M)
  block.forEach((B, j) => (unitOf[B] = j))
  const W = new Float64Array(nv * nh)
  const b = new Float64Array(nh)
  for (let B = 0; B < M; B++) {
    const j = unitOf[B]!
    const sign = flipped[j] ? -1 : 1
    b[B] = sign * rbm.b[j]!
    for (let i = 0; i < nv; i++) W[i * nh + B] = sign * rbm.W[i * nh + j]!
  }
  return {
    rbm: { nv, nh, visibleUnits: rbm.visibleUnits, hiddenUnits: rbm.hiddenUnits, W, a: Float64Array.from(rbm.a), b },
    block,
    flipped
  }
}

export interface TrainedStepOptions {
  /** Side of the periodic L×L model (4: 16 spins, 2×2 blocks, 4 hidden units). */
  L?: number
  K: number
  b?: number
  epochs?: number
  learningRate?: number
}

export interface TrainedStep {
  model: IsingModel
  partition: BlockPartition
  /** The trained machine, units in block order and signs aligned (float64 copy of the fp32 weights). */
  rbm: RbmParameters
  block: number[]
  flipped: boolean[]
  /** Identities and residuals of the machine's implied kernel. */
  mapping: MappingCheck
  /** KL(P‖p) of the machine before training (its random initial weights). */
  klBefore: number
  /** Block-spin RG of the same model: majority rule and Kadanoff's kernel (λ = 1). */
  majority: CoarseHamiltonian
  kadanoff: CoarseHamiltonian
  /**
   * Coupling tables: H^RBM(h) shifted by ln Z_RBM − ln Z (so that Σ_h e^{−H} = Z, as for an exact
   * RG step; only the constant changes), H^RG majority, H^RG Kadanoff.
   */
  couplings: { rbm: CouplingRow[]; majority: CouplingRow[]; kadanoff: CouplingRow[] }
}

/** Trains (exact gradient, ±1 units) and compares; a few seconds for the 4×4 torus. */
export function trainedRbmStep(options: TrainedStepOptions, rng: Rng): TrainedStep {
  const L = options.L ?? 4
  const b = options.b ?? 2
  if (L * L > 16) throw new RangeError(`the exact-gradient step enumerates the model: L×L = ${L * L} spins is above 16`)
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K: options.K,
    h: 0
  })
  const partition = blockPartition(L, L, b, b)
  const M = partition.blocks.length
  const P = enumerateExact(model, { distribution: true }).distribution!
  const data = allConfigurations(L * L, 'pm1')
  const trainOptions: TrainingOptions = {
    method: 'exact',
    k: 0,
    epochs: options.epochs ?? 400,
    batchSize: data.rows,
    learningRate: options.learningRate ?? 0.1,
    momentum: { initial: 0.5, final: 0.9, switchEpoch: 5 },
    l1: 0,
    l2: 0,
    shuffle: false
  }
  const state = createTrainer({ nv: L * L, nh: M, visibleUnits: 'pm1', hiddenUnits: 'pm1' }, trainOptions, rng)
  const klBefore = exactKlDivergence(state.rbm, { configurations: data, probabilities: P }).kl
  trainRbm(state, { ...data, weights: P }, rng)
  const aligned = alignHiddenUnits(state.rbm, partition)
  const mapping = checkMapping(model, aligned.rbm, partition.geometry)
  const majority = exactCoarseHamiltonian(model, majorityKernel(partition))
  const kadanoff = exactCoarseHamiltonian(model, kadanoffKernel(partition, 1))
  const table = (H: Float64Array) => couplingTable(spinProductCoefficients(H), partition.geometry)
  const normalised = mapping.HRBM.map((x) => x + mapping.logZOffset)
  return {
    model,
    partition,
    rbm: aligned.rbm,
    block: aligned.block,
    flipped: aligned.flipped,
    mapping,
    klBefore,
    majority,
    kadanoff,
    couplings: { rbm: table(normalised), majority: table(majority.HRG), kadanoff: table(kadanoff.HRG) }
  }
}
