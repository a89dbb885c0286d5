/**
 * Kadanoff's kernel across its strength λ (SCIENCE.md §7): λ = 0 forgets the visible spins,
 * λ → ∞ is the majority rule. Normalised, every λ satisfies the trace condition (ΔF = 0, trace
 * residual 0); what changes is the coarse Hamiltonian's range: how much of H^RG(h) sits beyond the
 * nearest-neighbour pair (diagonal pairs, plaquettes, longer products).
 */
import type { IsingModel } from '../lattice/types'
import { exactCoarseHamiltonian } from './coarseHamiltonian'
import { couplingTable, type CouplingRow } from './couplingTable'
import { kadanoffKernel, type BlockPartition } from './kernels'
import { spinProductCoefficients } from './walsh'

export interface LambdaScanPoint {
  lambda: number
  deltaF: number
  traceResidual: number
  /** Mean coupling of each shape present (J_S, H = Σ J_S Π h: ferromagnetic pairs are negative). */
  nearest: number
  diagonal: number
  plaquette: number
  /** Σ |J_S| over every product of two or more spins other than nearest pairs, over Σ |J_S| of nearest pairs. */
  reach: number
  rows: CouplingRow[]
}

const meanOf = (rows: CouplingRow[], shape: string): number => {
  const matching = rows.filter((r) => r.shape === shape)
  const count = matching.reduce((s, r) => s + r.count, 0)
  return count === 0 ? 0 : matching.reduce((s, r) => s + r.value * r.count, 0) / count
}

export function lambdaScan(
  model: IsingModel,
  partition: BlockPartition,
  lambdas: readonly number[]
): LambdaScanPoint[] {
  return lambdas.map((lambda) => {
    const coarse = exactCoarseHamiltonian(model, kadanoffKernel(partition, lambda))
    const rows = couplingTable(spinProductCoefficients(coarse.HRG), partition.geometry)
    let near = 0
    let far = 0
    for (const r of rows) {
      if (r.order < 2) continue
      if (r.shape === 'nearest') near += r.count * Math.abs(r.value)
      else far += r.count * Math.abs(r.value)
    }
    return {
      lambda,
      deltaF: coarse.deltaF,
      traceResidual: coarse.traceResidual,
      nearest: meanOf(rows, 'nearest'),
      diagonal: meanOf(rows, 'diagonal'),
      plaquette: meanOf(rows, 'plaquette'),
      reach: near > 0 ? far / near : 0,
      rows
    }
  })
}
