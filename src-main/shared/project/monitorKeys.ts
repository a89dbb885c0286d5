/**
 * Key conversions for monitor records read from project files. Until the two susceptibility
 * conventions had one name each, the training monitors (src-core/rbm/isingMonitors.ts) saved
 * N(⟨m²⟩ − ⟨|m|⟩²) of RBM samples and of the data under `chi`; that quantity is `chiAbs` (χ′)
 * everywhere now, and `chi` means N(⟨m²⟩ − ⟨m⟩²) (README, SCIENCE.md §1).
 */

/**
 * The physical observables of one monitor record ({ e, absM, c, chi | chiAbs, … }) with an old
 * `chi` renamed to `chiAbs`. A record that already has `chiAbs` is left alone, so a `chi` next
 * to it keeps the connected meaning. Anything that is not an object is returned as it is.
 */
export function renameLegacyChi(observables: unknown): unknown {
  if (typeof observables !== 'object' || observables === null || Array.isArray(observables)) return observables
  const record = observables as Record<string, unknown>
  if (!('chi' in record) || 'chiAbs' in record) return observables
  const { chi, ...rest } = record
  return { ...rest, chiAbs: chi }
}
