import { PRESETS } from '@core/lattice/model'
import type { LatticeSpecV2 } from '@shared/project/types'

/**
 * The name a model gets from its preset and size ("Ferromagnet 16×16", "The paper’s 40×40"),
 * or null when it has no preset. A model whose name is still the generated one is renamed when
 * its size or preset changes; a name the user typed is kept.
 */
export function generatedModelName(preset: string | undefined, lattice: LatticeSpecV2): string | null {
  const title = PRESETS.find((p) => p.name === preset)?.title
  if (!title) return null
  const size =
    lattice.kind === 'square' || lattice.kind === 'triangular' ? `${lattice.Lx}×${lattice.Ly}` : `N = ${lattice.N}`
  return title.includes(size) ? title : `${title} ${size}`
}

/** The preset menu's L for a lattice: its side when square, else null (keep what the menu shows). */
export function presetSide(lattice: { kind: string; Lx?: number; Ly?: number }): number | null {
  return lattice.kind === 'square' && lattice.Lx === lattice.Ly && lattice.Lx ? lattice.Lx : null
}
