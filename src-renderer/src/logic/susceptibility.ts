/**
 * The two susceptibility conventions in use (SCIENCE.md §1), one name and one label each,
 * for every table, axis, legend and toggle that shows one (README: chi and chiAbs):
 *   chi    = χ  = N(⟨m²⟩ − ⟨m⟩²), the connected susceptibility per spin;
 *   chiAbs = χ′ = N(⟨m²⟩ − ⟨|m|⟩²), the finite-lattice estimator used when ⟨m⟩ = 0 by symmetry.
 */
export const CHI_LABEL = 'χ = N(⟨m²⟩−⟨m⟩²)'
export const CHI_ABS_LABEL = 'χ′ = N(⟨m²⟩−⟨|m|⟩²)'
