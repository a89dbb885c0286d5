import type { Rng } from '@core/random/rng'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import {
  COUPLING_LIMIT,
  presetModel,
  PRESETS,
  uniformModel,
  type PresetName,
  type UniformCouplings
} from '@core/lattice/model'
import type { IsingModel, Lattice } from '@core/lattice/types'
import { arrayEdit, type ArrayEdit, type EditorDocument, type ModelEdit } from './document'

/**
 * The editing tools as pure functions: each reads the document and returns the Edit it would
 * make (only entries that change), or null when nothing would change. Nothing is applied here.
 */

export type SpinMode = 'up' | 'down' | 'flip' | 'random'
export type Tool = 'spin-up' | 'spin-down' | 'flip' | 'random' | 'bonds' | 'fields' | 'pan'

export const SPIN_LABELS: Record<SpinMode, string> = {
  up: 'Paint spins up',
  down: 'Paint spins down',
  flip: 'Flip spins',
  random: 'Randomise spins'
}

/** Throws a RangeError naming the value unless it is a finite coupling within ±COUPLING_LIMIT. */
export function checkCouplingValue(value: number, name = 'value'): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || Math.abs(value) > COUPLING_LIMIT) {
    throw new RangeError(
      `${name} must be a finite number in [−${COUPLING_LIMIT}, ${COUPLING_LIMIT}], got ${String(value)}`
    )
  }
}

/**
 * Spins at `sites` set up, down, flipped, or drawn at random (one `rng.nextFloat()` per site,
 * in the order given, whether or not the spin changes — so a seed reproduces the picture).
 */
export function paintSpins(
  doc: EditorDocument,
  sites: ArrayLike<number>,
  mode: SpinMode,
  rng?: Rng,
  stroke?: number
): ArrayEdit | null {
  if (mode === 'random' && !rng) throw new RangeError('random spins need a generator')
  const s = doc.spins
  const value = (k: number): number => {
    switch (mode) {
      case 'up':
        return 1
      case 'down':
        return -1
      case 'flip':
        return -s[sites[k]]
      case 'random':
        return rng!.nextFloat() < 0.5 ? 1 : -1
    }
  }
  return arrayEdit(doc, 'spins', sites, value, SPIN_LABELS[mode], stroke)
}

/** Couplings K_ij of `bonds` set to `value` (validated). */
export function setCouplings(
  doc: EditorDocument,
  bonds: ArrayLike<number>,
  value: number,
  stroke?: number
): ArrayEdit | null {
  checkCouplingValue(value, 'K_ij')
  return arrayEdit(doc, 'couplings', bonds, () => value, `Set K_ij = ${value}`, stroke)
}

/** Fields K_i at `sites` set to `value` (validated). */
export function setFields(
  doc: EditorDocument,
  sites: ArrayLike<number>,
  value: number,
  stroke?: number
): ArrayEdit | null {
  checkCouplingValue(value, 'K_i')
  return arrayEdit(doc, 'fields', sites, () => value, `Set K_i = ${value}`, stroke)
}

/** Every bond with at least one end among `sites`, each once, in increasing order. */
export function bondsTouchingSites(lattice: Lattice, sites: ArrayLike<number>): Int32Array {
  const bonds = new Set<number>()
  for (let k = 0; k < sites.length; k++) {
    const i = sites[k]
    for (let a = lattice.adjStart[i]; a < lattice.adjStart[i + 1]; a++) bonds.add(lattice.adjBond[a])
  }
  return Int32Array.from(bonds).sort()
}

/** Every bond with both ends among `sites` (a rectangle's bonds), each once, in increasing order. */
export function bondsWithin(lattice: Lattice, sites: ArrayLike<number>): Int32Array {
  const inside = new Set<number>()
  for (let k = 0; k < sites.length; k++) inside.add(sites[k])
  const bonds = new Set<number>()
  for (const i of inside) {
    for (let a = lattice.adjStart[i]; a < lattice.adjStart[i + 1]; a++) {
      if (inside.has(lattice.adjSite[a])) bonds.add(lattice.adjBond[a])
    }
  }
  return Int32Array.from(bonds).sort()
}

/**
 * Brush radius in grid units for a brush size (1, 2, …). Spins and fields: size 1 is the site
 * under the pointer, each step adds one ring. Bonds: size 1 is the nearest bond (radius −1 means
 * "use bondNear"), size 2 the bonds of the site under the pointer, and so on.
 */
export function brushRadius(tool: Tool, size: number): number {
  return tool === 'bonds' ? size - 2 : size - 1
}

/** Replaces the whole document; spins are kept when the new model has as many sites, else all up. */
export function replaceModel(doc: EditorDocument, model: IsingModel, label: string, spins?: Int8Array): ModelEdit {
  const keep = model.lattice.N === doc.spins.length
  const next = spins ?? (keep ? doc.spins : new Int8Array(model.lattice.N).fill(1))
  if (next.length !== model.lattice.N) throw new RangeError(`expected ${model.lattice.N} spins, got ${next.length}`)
  return { target: 'model', before: doc, after: { model, spins: next }, label }
}

/** Uniform couplings and field on the current lattice, as one undoable step. */
export function applyUniform(doc: EditorDocument, couplings: UniformCouplings): ModelEdit {
  return replaceModel(doc, uniformModel(doc.model.lattice, couplings), 'Apply uniform couplings')
}

export const RANDOM_PRESETS: readonly PresetName[] = ['spin-glass', 'random-field']

export interface PresetChoice {
  name: PresetName
  /** Side of the square lattice (ignored by the paper's 40×40 preset). */
  L: number
  /** Seed of the random draws (spin glass, random field). */
  seed: number
}

/** A preset as one undoable whole-model replacement; random presets are reproducible from the seed. */
export function applyPreset(doc: EditorDocument, choice: PresetChoice): ModelEdit {
  const rng = RANDOM_PRESETS.includes(choice.name) ? xoshiro128ss(choice.seed) : undefined
  const model = presetModel(choice.name, { L: choice.L, rng })
  const title = PRESETS.find((p) => p.name === choice.name)?.title ?? choice.name
  return replaceModel(doc, model, `Preset: ${title}`)
}
