import { MAX_SITES } from '@core/lattice/build'
import {
  BOND_ANTIDIAGONAL,
  BOND_DIAGONAL,
  BOND_X,
  BOND_Y,
  type IsingModel,
  type LatticeSpec
} from '@core/lattice/types'
import type { UniformCouplings } from '@core/lattice/model'
import { parseCouplingValue, parseWholeNumber } from './values'

/**
 * The model form (lattice kind, sizes, boundary conditions; uniform couplings; preset) as text
 * fields, and its validation into a LatticeSpec / UniformCouplings. Errors are per field, each a
 * sentence, so the view can show them next to the field as typed.
 */
export type GridSpecKind = 'chain' | 'square' | 'triangular'

export interface LatticeForm {
  kind: GridSpecKind
  N: string
  Lx: string
  Ly: string
  periodicX: boolean
  periodicY: boolean
  diagonals: boolean
}

export interface CouplingForm {
  K: string
  /** Blank: same as K. */
  Kx: string
  Ky: string
  Kd: string
  /** Blank: 0. */
  h: string
}

export type FormResult<T, F> = { ok: true; value: T } | { ok: false; errors: Partial<Record<keyof F, string>> }

export const MAX_SIDE = 1024

const text = (v: number): string => String(v)

/** Most common value of the couplings of one bond kind, or undefined when the kind is absent. */
function couplingOfKind(model: IsingModel, kind: number): number | undefined {
  for (let b = 0; b < model.couplings.length; b++) if (model.lattice.bondKind[b] === kind) return model.couplings[b]
  return undefined
}

/** The form describing a model (its lattice spec; first coupling of each bond kind; first field). */
export function formFromModel(model: IsingModel): { lattice: LatticeForm; couplings: CouplingForm } {
  const spec = model.lattice.spec
  const lattice: LatticeForm = {
    kind: 'square',
    N: '16',
    Lx: '16',
    Ly: '16',
    periodicX: true,
    periodicY: true,
    diagonals: false
  }
  if (spec.kind === 'chain') Object.assign(lattice, { kind: 'chain', N: text(spec.N), periodicX: spec.periodic })
  else if (spec.kind === 'square') {
    Object.assign(lattice, {
      kind: 'square',
      Lx: text(spec.Lx),
      Ly: text(spec.Ly),
      periodicX: spec.periodicX,
      periodicY: spec.periodicY,
      diagonals: spec.diagonals === true
    })
  } else if (spec.kind === 'triangular')
    Object.assign(lattice, { kind: 'triangular', Lx: text(spec.Lx), Ly: text(spec.Ly) })
  const kx = couplingOfKind(model, BOND_X)
  const ky = couplingOfKind(model, BOND_Y)
  const kd = couplingOfKind(model, BOND_DIAGONAL) ?? couplingOfKind(model, BOND_ANTIDIAGONAL)
  const K = kx ?? ky ?? model.couplings[0] ?? 0
  const differs = (v: number | undefined): string => (v === undefined || v === K ? '' : text(v))
  return { lattice, couplings: { K: text(K), Kx: '', Ky: differs(ky), Kd: differs(kd), h: text(model.fields[0] ?? 0) } }
}

/** Validates the lattice part of the form into a spec buildLattice accepts. */
export function checkLatticeForm(form: LatticeForm): FormResult<LatticeSpec, LatticeForm> {
  const errors: Partial<Record<keyof LatticeForm, string>> = {}
  if (form.kind === 'chain') {
    const N = parseWholeNumber(form.N, 'N', form.periodicX ? 3 : 2, MAX_SITES)
    if (!N.ok) return { ok: false, errors: { N: N.error } }
    return { ok: true, value: { kind: 'chain', N: N.value, periodic: form.periodicX } }
  }
  const periodicX = form.kind === 'triangular' || form.periodicX
  const periodicY = form.kind === 'triangular' || form.periodicY
  const Lx = parseWholeNumber(form.Lx, 'Lx', periodicX ? 3 : 2, MAX_SIDE)
  const Ly = parseWholeNumber(form.Ly, 'Ly', periodicY ? 3 : 1, MAX_SIDE)
  if (!Lx.ok) errors.Lx = Lx.error
  if (!Ly.ok) errors.Ly = Ly.error
  if (!Lx.ok || !Ly.ok) return { ok: false, errors }
  if (form.kind === 'triangular') return { ok: true, value: { kind: 'triangular', Lx: Lx.value, Ly: Ly.value } }
  return {
    ok: true,
    value: { kind: 'square', Lx: Lx.value, Ly: Ly.value, periodicX, periodicY, diagonals: form.diagonals }
  }
}

/** Validates the couplings part: K required; Kx, Ky, Kd blank → K; h blank → 0. */
export function checkCouplingForm(form: CouplingForm): FormResult<UniformCouplings, CouplingForm> {
  const errors: Partial<Record<keyof CouplingForm, string>> = {}
  const value: UniformCouplings = { K: 0 }
  const K = parseCouplingValue(form.K)
  if (K.ok) value.K = K.value
  else errors.K = K.error
  for (const key of ['Kx', 'Ky', 'Kd', 'h'] as const) {
    if (form[key].trim() === '') continue
    const v = parseCouplingValue(form[key])
    if (v.ok) value[key] = v.value
    else errors[key] = v.error
  }
  return Object.keys(errors).length ? { ok: false, errors } : { ok: true, value }
}

export interface PresetForm {
  L: string
  seed: string
}

/** Preset side L (3…1024) and seed (0…2³²−1). */
export function checkPresetForm(form: PresetForm): FormResult<{ L: number; seed: number }, PresetForm> {
  const L = parseWholeNumber(form.L, 'L', 3, MAX_SIDE)
  const seed = parseWholeNumber(form.seed, 'Seed', 0, 0xffffffff)
  if (L.ok && seed.ok) return { ok: true, value: { L: L.value, seed: seed.value } }
  const errors: Partial<Record<keyof PresetForm, string>> = {}
  if (!L.ok) errors.L = L.error
  if (!seed.ok) errors.seed = seed.error
  return { ok: false, errors }
}
