import type { Rng } from '../../random/rng'
import { type LocalWorkspace, type McState, uniformIndex } from './state'

/**
 * Single-spin samplers for ANY IsingModel (frustrated couplings and site-dependent fields
 * included). Each satisfies detailed balance with respect to P ∝ e^{−H} on its own; a sweep
 * is N single-site updates. None allocates.
 *
 * Local field (state.ts): h_i = K_i + Σ_{j~i} K_ij v_j, and flipping v_i costs ΔH = 2 v_i h_i.
 */
function localField(state: McState, ws: LocalWorkspace, i: number): number {
  const { adjStart, adjSite } = state.model.lattice
  const spins = state.spins
  const adjK = ws.adjK
  let h = state.model.fields[i]
  for (let k = adjStart[i], end = adjStart[i + 1]; k < end; k++) h += adjK[k] * spins[adjSite[k]]
  return h
}

/**
 * Metropolis step at site i (Metropolis et al., J. Chem. Phys. 21, 1087, 1953): accept the flip
 * with min(1, e^{−ΔH}). A random number is drawn only when ΔH > 0.
 */
function metropolisStep(state: McState, ws: LocalWorkspace, rng: Rng, i: number): void {
  const v = state.spins[i]
  const h = localField(state, ws, i)
  const deltaH = 2 * v * h
  state.attempts++
  if (deltaH <= 0 || rng.nextFloat() < Math.exp(-deltaH)) {
    state.spins[i] = -v
    state.energy += deltaH
    state.magnetisation -= 2 * v
    state.accepted++
  }
}

/** N Metropolis attempts at uniformly random sites (with replacement). */
export function metropolisRandomSiteSweep(state: McState, ws: LocalWorkspace, rng: Rng): void {
  const N = state.spins.length
  for (let n = 0; n < N; n++) metropolisStep(state, ws, rng, uniformIndex(rng, N))
}

/**
 * One Metropolis attempt per site, colour class by colour class (lattice.colourSites order).
 * Sites of one colour share no bond, so the order inside a class is irrelevant; on bipartite
 * lattices this is the checkerboard sweep. Sequential sweeps satisfy balance, not detailed
 * balance, which is enough for the stationary distribution to be P.
 */
export function metropolisColourSweep(state: McState, ws: LocalWorkspace, rng: Rng): void {
  const sites = state.model.lattice.colourSites
  for (let k = 0, n = sites.length; k < n; k++) metropolisStep(state, ws, rng, sites[k])
}

/**
 * Heat bath (Glauber 1963; Creutz, Phys. Rev. D 21, 2308, 1980) in colour order: draw v_i from
 * its conditional P(v_i = +1 | rest) = e^{h_i}/(e^{h_i} + e^{−h_i}) = 1/(1 + e^{−2 h_i}).
 * `accepted` counts updates that changed the spin.
 */
export function heatBathSweep(state: McState, ws: LocalWorkspace, rng: Rng): void {
  const sites = state.model.lattice.colourSites
  const spins = state.spins
  for (let k = 0, n = sites.length; k < n; k++) {
    const i = sites[k]
    const h = localField(state, ws, i)
    const v = spins[i]
    const next = rng.nextFloat() * (1 + Math.exp(-2 * h)) < 1 ? 1 : -1
    state.attempts++
    if (next !== v) {
      spins[i] = next
      state.energy += 2 * v * h
      state.magnetisation -= 2 * v
      state.accepted++
    }
  }
}
