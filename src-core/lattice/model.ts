import type { Rng } from '../random/rng'
import { buildLattice } from './build'
import {
  BOND_ANTIDIAGONAL,
  BOND_DIAGONAL,
  BOND_X,
  BOND_Y,
  type IsingModel,
  type Lattice,
  type LatticeSpec
} from './types'

/** Largest |K_i| or |K_ij| accepted anywhere (couplings are dimensionless, K = βJ). */
export const COUPLING_LIMIT = 10

export interface UniformCouplings {
  /** Coupling of every nearest-neighbour bond, unless Kx / Ky override it. */
  K: number
  /** Field on every site. */
  h?: number
  /** Bonds along x (chains, grids). */
  Kx?: number
  /** Bonds along y. */
  Ky?: number
  /** Diagonal (next-nearest-neighbour) bonds; for the triangular lattice the third direction. */
  Kd?: number
}

function checkCoupling(value: number, name: string): void {
  if (!Number.isFinite(value) || Math.abs(value) > COUPLING_LIMIT) {
    throw new RangeError(
      `${name} must be a finite number in [−${COUPLING_LIMIT}, ${COUPLING_LIMIT}], got ${String(value)}`
    )
  }
}

/** A model with one coupling per bond direction and one field everywhere. */
export function uniformModel(lattice: Lattice, c: UniformCouplings): IsingModel {
  const h = c.h ?? 0
  checkCoupling(c.K, 'K')
  checkCoupling(h, 'h')
  const byKind = [c.Kx ?? c.K, c.Ky ?? c.K, c.Kd ?? c.K, c.Kd ?? c.K, c.K]
  byKind.forEach((v, k) => checkCoupling(v, ['Kx', 'Ky', 'Kd', 'Kd', 'K'][k]!))
  const couplings = new Float64Array(lattice.bondI.length)
  for (let b = 0; b < couplings.length; b++) couplings[b] = byKind[lattice.bondKind[b]!]!
  return { lattice, fields: new Float64Array(lattice.N).fill(h), couplings }
}

/** Validates array lengths and values; throws a RangeError naming the first bad entry. */
export function checkModel(model: IsingModel): void {
  const { lattice, fields, couplings } = model
  if (fields.length !== lattice.N) throw new RangeError(`expected ${lattice.N} fields, got ${fields.length}`)
  if (couplings.length !== lattice.bondI.length)
    throw new RangeError(`expected ${lattice.bondI.length} couplings, got ${couplings.length}`)
  fields.forEach((v, i) => checkCoupling(v, `K_${i} (field on site ${i})`))
  couplings.forEach((v, b) => checkCoupling(v, `K_${lattice.bondI[b]}${lattice.bondJ[b]} (bond ${b})`))
}

/** H(v) = − Σ_i K_i v_i − Σ_<ij> K_ij v_i v_j (paper's Eq. 3), for spins ±1. */
export function modelEnergy(model: IsingModel, spins: Int8Array): number {
  const { lattice, fields, couplings } = model
  let H = 0
  for (let i = 0; i < lattice.N; i++) H -= fields[i]! * spins[i]!
  for (let b = 0; b < couplings.length; b++) H -= couplings[b]! * spins[lattice.bondI[b]!]! * spins[lattice.bondJ[b]!]!
  return H
}

/** True when no coupling is negative: cluster algorithms (Wolff, Swendsen–Wang) apply. */
export function isFerromagnetic(model: IsingModel): boolean {
  return model.couplings.every((k) => k >= 0)
}

/** True when every field is the same and every coupling of one bond kind is the same. */
export function isUniform(model: IsingModel): boolean {
  const f0 = model.fields[0] ?? 0
  if (!model.fields.every((v) => v === f0)) return false
  const seen = new Map<number, number>()
  for (let b = 0; b < model.couplings.length; b++) {
    const kind = model.lattice.bondKind[b]!
    const prev = seen.get(kind)
    if (prev === undefined) seen.set(kind, model.couplings[b]!)
    else if (prev !== model.couplings[b]) return false
  }
  return true
}

export type PresetName =
  | 'ferromagnet'
  | 'antiferromagnet'
  | 'anisotropic'
  | 'next-nearest-neighbour'
  | 'spin-glass'
  | 'random-field'
  | 'paper-40x40'

export interface PresetInfo {
  name: PresetName
  title: string
  description: string
}

export const PRESETS: readonly PresetInfo[] = [
  { name: 'ferromagnet', title: 'Ferromagnet', description: 'Square lattice, K > 0 on every bond, no field.' },
  {
    name: 'antiferromagnet',
    title: 'Antiferromagnet',
    description: 'Square lattice, K < 0 on every bond: Néel order on the checkerboard.'
  },
  { name: 'anisotropic', title: 'Anisotropic', description: 'Different couplings along x and y (Kx ≠ Ky).' },
  {
    name: 'next-nearest-neighbour',
    title: 'Next-nearest neighbours',
    description: 'Nearest-neighbour K plus diagonal couplings Kd.'
  },
  {
    name: 'spin-glass',
    title: 'Spin glass (±K)',
    description: 'Each bond +K or −K at random (Edwards–Anderson ±J): frustrated.'
  },
  {
    name: 'random-field',
    title: 'Random field',
    description: 'Ferromagnetic K with a field ±h drawn at random on each site.'
  },
  {
    name: 'paper-40x40',
    title: 'The paper’s 40×40',
    description: 'Mehta & Schwab Fig. 3: 40×40 periodic square lattice at K = 0.408.'
  }
]

export interface PresetOptions {
  /** Side of the square lattice (default 16; the paper preset is always 40). */
  L?: number
  K?: number
  h?: number
  /** Random presets draw from this generator (required for spin-glass and random-field). */
  rng?: Rng
}

/** A ready-made model. Random presets are reproducible from the generator passed in. */
export function presetModel(name: PresetName, opts: PresetOptions = {}): IsingModel {
  const L = name === 'paper-40x40' ? 40 : (opts.L ?? 16)
  const square = (extra: Partial<Extract<LatticeSpec, { kind: 'square' }>> = {}): Lattice =>
    buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true, ...extra })
  const K = opts.K ?? 0.4
  switch (name) {
    case 'ferromagnet':
      return uniformModel(square(), { K: Math.abs(K), h: opts.h ?? 0 })
    case 'antiferromagnet':
      return uniformModel(square(), { K: -Math.abs(K), h: opts.h ?? 0 })
    case 'anisotropic':
      return uniformModel(square(), { K, Kx: K, Ky: K / 2, h: opts.h ?? 0 })
    case 'next-nearest-neighbour':
      return uniformModel(square({ diagonals: true }), { K, Kd: K / 4, h: opts.h ?? 0 })
    case 'spin-glass': {
      const rng = requireRng(opts.rng, name)
      const model = uniformModel(square(), { K: Math.abs(K), h: opts.h ?? 0 })
      for (let b = 0; b < model.couplings.length; b++)
        if (rng.nextFloat() < 0.5) model.couplings[b] = -model.couplings[b]!
      return model
    }
    case 'random-field': {
      const rng = requireRng(opts.rng, name)
      const h = Math.abs(opts.h ?? 0.5)
      const model = uniformModel(square(), { K: Math.abs(K) })
      for (let i = 0; i < model.fields.length; i++) model.fields[i] = rng.nextFloat() < 0.5 ? h : -h
      return model
    }
    case 'paper-40x40':
      return uniformModel(square(), { K: 0.408, h: 0 })
  }
}

function requireRng(rng: Rng | undefined, name: string): Rng {
  if (!rng) throw new RangeError(`the ${name} preset draws random couplings: pass a seeded generator`)
  return rng
}

/** For tests and views: which bond kinds exist (e.g. to show Kx, Ky, Kd fields). */
export function bondKindsOf(lattice: Lattice): number[] {
  const kinds = new Set<number>()
  lattice.bondKind.forEach((k) => kinds.add(k))
  return [BOND_X, BOND_Y, BOND_DIAGONAL, BOND_ANTIDIAGONAL].filter((k) => kinds.has(k))
}
