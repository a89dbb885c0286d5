/**
 * A chain runs at its own K and h, edited live in its view; its model's K and h are what new
 * chains (and datasets) start from. Where they differ, both are named so neither is mistaken
 * for the other.
 */

export interface Couplings {
  K: number
  h: number
}

/** "K = 0.3, h = 0" with at most six significant digits (Kc shows as 0.440687). */
export function describeKh(values: Couplings, only: readonly ('K' | 'h')[] = ['K', 'h']): string {
  return only.map((key) => `${key} = ${Number(values[key].toPrecision(6))}`).join(', ')
}

/** The parameters in which a chain differs from its model ([] when it runs at the model's values or has no model). */
export function differingKh(chain: Couplings, model: Couplings | null | undefined): ('K' | 'h')[] {
  if (!model) return []
  return (['K', 'h'] as const).filter((key) => chain[key] !== model[key])
}

/** The model's values where they differ from the chain's, short (beside the chain's own controls), else null. */
export function modelValuesNote(chain: Couplings, model: Couplings | null | undefined): string | null {
  const keys = differingKh(chain, model)
  return keys.length === 0 || !model ? null : `Model: ${describeKh(model, keys)} (new chains start from it).`
}

/** One sentence for the chain's parameters when they differ from its model's, else null. */
export function chainModelNote(chain: Couplings, model: Couplings | null | undefined): string | null {
  const keys = differingKh(chain, model)
  if (keys.length === 0 || !model) return null
  return (
    `This chain runs at ${describeKh(chain, keys)}; its model has ${describeKh(model, keys)}, ` +
    `which new chains start from.`
  )
}

/** The lattice fields the size comparison needs (a project model's lattice). */
export type ModelLattice = { kind: string; Lx?: number; Ly?: number; N?: number }

/** "16×16" for a grid lattice, "N = 12" otherwise. */
const sizeOf = (l: ModelLattice): string => (l.Lx !== undefined ? `${l.Lx}×${l.Ly ?? l.Lx}` : `N = ${l.N ?? '?'}`)

/**
 * The chain's size where it differs from its square model's (L is set in the chain's view, the
 * model's size in its editor), else null: "1024²" in the tree beside the run, the model keeping its own.
 */
export function chainSizeBadge(chainL: number | undefined, lattice: ModelLattice | undefined): string | null {
  if (chainL === undefined || !lattice || lattice.kind !== 'square') return null
  return lattice.Lx === chainL && lattice.Ly === chainL ? null : `${chainL}²`
}

/** The chain's lattice for the inspector, with its model's when they differ: "1024×1024 (its model: 16×16)". */
export function describeChainSize(chainL: number, lattice: ModelLattice | undefined): string {
  const own = `${chainL}×${chainL}`
  return chainSizeBadge(chainL, lattice) && lattice ? `${own} (its model: ${sizeOf(lattice)})` : own
}
