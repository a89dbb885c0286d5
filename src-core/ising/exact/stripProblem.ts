// The square lattice seen by the strip transfer matrix (stripTransferMatrix.ts): rows of W sites
// along the transfer direction, and the same model transposed.
import type { IsingModel } from '../../lattice/types'
import { BOND_X, BOND_Y } from '../../lattice/types'
import { buildLattice } from '../../lattice/build'

export type StripAxis = 'x' | 'y'

/** A square lattice seen as L rows of W sites; arrays indexed r·W + c. Zero coupling = no bond. */
export interface StripProblem {
  W: number
  L: number
  field: Float64Array
  /** Bond (c, r)–(c+1 mod W, r). */
  across: Float64Array
  /** Bond (c, r)–(c, r+1 mod L); row L−1 holds the periodic closing bonds. */
  along: Float64Array
  traced: boolean
}

/** The model's square-lattice spec; throws unless it is a square lattice without diagonals. */
export function squareSpec(model: IsingModel) {
  const spec = model.lattice.spec
  if (spec.kind !== 'square' || spec.diagonals) {
    throw new RangeError(
      `the strip transfer matrix needs a square lattice without diagonal bonds, got ${spec.kind === 'square' ? 'diagonal bonds' : `a ${spec.kind} lattice`}`
    )
  }
  return spec
}

/** The model as rows across the transfer direction `along`. */
export function stripProblem(model: IsingModel, along: StripAxis): StripProblem {
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
