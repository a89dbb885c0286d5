import type { IsingModel } from '../../lattice/types'
import { probabilityThreshold } from './state'

/**
 * Shared pieces of the Fortuin–Kasteleyn cluster samplers (Swendsen & Wang, Phys. Rev. Lett.
 * 58, 86, 1987; Wolff, Phys. Rev. Lett. 62, 361, 1989).
 *
 * Bonds: a satisfied bond (v_i = v_j, K_ij ≥ 0) is activated with p_ij = 1 − e^{−2 K_ij}.
 *
 * Fields through a ghost spin (Wang & Swendsen, Physica A 167, 565, 1990, §2): add a spin v_g
 * coupled to every site, H = − Σ_i K_i v_i v_g − Σ K_ij v_i v_j. This extended model is
 * invariant under flipping all spins, v_g included, so we fix the gauge v_g = +1 (then it is the
 * original model). A ghost "bond" to site i has coupling K_i of either sign; it is satisfied
 * when K_i v_i v_g > 0, i.e. K_i v_i > 0, and is then activated with p_i = 1 − e^{−2|K_i|}
 * (for K_i < 0 an activated bond forces v_i = −v_g, still a valid FK constraint). Any cluster
 * holding an activated ghost bond contains v_g, and in the fixed gauge it is never flipped.
 *
 * Check (detailed balance for flipping a cluster C of sign s): C avoids the ghost with
 * probability e^{−2 Σ_{i∈C, K_i s>0} |K_i|} going forward and e^{−2 Σ_{i∈C, K_i s<0} |K_i|} going
 * back; the ratio e^{−2 s Σ_{i∈C} K_i} is e^{−ΔH_field} of the flip, as required.
 *
 * Frustration: with any K_ij < 0 the FK representation has negative weights and these
 * algorithms are wrong, so they refuse such models.
 */
export class FrustratedModelError extends Error {
  readonly bond: number
  readonly coupling: number
  constructor(bond: number, coupling: number) {
    super(
      `Cluster algorithms need ferromagnetic couplings (all K_ij ≥ 0); bond ${bond} has K = ${formatSigned(coupling)}. ` +
        'Use Metropolis or heat bath.'
    )
    this.name = 'FrustratedModelError'
    this.bond = bond
    this.coupling = coupling
  }
}

function formatSigned(x: number): string {
  return x < 0 ? `−${String(-x)}` : String(x)
}

/** Throws FrustratedModelError naming the first bond with K_ij < 0. */
export function assertClusterModel(model: IsingModel): void {
  const c = model.couplings
  for (let b = 0; b < c.length; b++) {
    if (!(c[b] >= 0)) throw new FrustratedModelError(b, c[b])
  }
}

/** Per-model activation thresholds (probability·2^32) for bonds and for ghost bonds. */
export interface ClusterTables {
  /** bondThreshold[b] for p_b = 1 − e^{−2 K_b}. */
  readonly bondThreshold: Float64Array
  /** ghostThreshold[i] for p_i = 1 − e^{−2 |K_i|}. */
  readonly ghostThreshold: Float64Array
}

export function createClusterTables(model: IsingModel): ClusterTables {
  assertClusterModel(model)
  const bondThreshold = new Float64Array(model.couplings.length)
  for (let b = 0; b < bondThreshold.length; b++)
    bondThreshold[b] = probabilityThreshold(-Math.expm1(-2 * model.couplings[b]))
  const ghostThreshold = new Float64Array(model.fields.length)
  for (let i = 0; i < ghostThreshold.length; i++)
    ghostThreshold[i] = probabilityThreshold(-Math.expm1(-2 * Math.abs(model.fields[i])))
  return { bondThreshold, ghostThreshold }
}
