import { buildLattice } from '../../lattice/build'
import { uniformModel } from '../../lattice/model'
import type { IsingModel, Lattice } from '../../lattice/types'
import { xoshiro128ss } from '../../random/xoshiro128ss'
import { assertClusterModel } from '../mc/cluster'
import type { WolffWorkspace } from '../mc/wolff'
import { probabilityThreshold } from '../mc/state'
import { KC } from '../onsager'
import { createTorusWolff } from '../torus/wolff'

/**
 * What the live square chain (chain.ts) needs for Wolff sweeps at one (K, h): the uniform model
 * on the periodic L×L lattice of lattice/build.ts (site i = y·L + x, as lattice.ts), the cluster
 * updates per sweep, and the general update's workspace once it is needed (mc/wolff.ts, for a
 * generator the torus kernel cannot continue).
 */
export interface LiveWolff {
  readonly K: number
  readonly h: number
  readonly model: IsingModel
  readonly updatesPerSweep: number
  workspace: WolffWorkspace | null
}

/** The setup for (K, h) on an L×L torus; `lattice` reuses the one of an earlier setup. */
export function createLiveWolff(L: number, K: number, h: number, lattice?: Lattice): LiveWolff {
  const torus = lattice ?? buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  const model = uniformModel(torus, { K, h })
  assertClusterModel(model) // K < 0: one sentence naming the bond
  return { K, h, model, updatesPerSweep: liveWolffUpdatesPerSweep(model, K, h), workspace: null }
}

/** Fixed seed of the pilot run below: it shares no randomness with any chain. */
const PILOT_SEED = 0x3c6ef372

/**
 * Cluster updates per Wolff sweep of a live chain: round(N/⟨|C|⟩) ≥ 1, a sweep as
 * estimateWolffUpdatesPerSweep (mc/wolff.ts) defines it, with ⟨|C|⟩ from a shorter pilot: 3N
 * grown spins after 3N of burn-in, from an ordered start (along h) above Kc and a random one
 * below, on the torus kernel. A live chain estimates again on every edit of K or h, and the
 * general pilot (≥ 300 updates, ≈ 70N grown spins) takes seconds on a large ordered torus
 * (≈ 5 s at 256², K = 0.6); this one takes about 6N spin visits. Near Kc the shorter pilot
 * misjudges ⟨|C|⟩ by more, which changes how much work a sweep is, not what the chain samples.
 * A deterministic function of (L, K, h) with its own fixed-seed generator: it neither depends on
 * the chain's state nor breaks bit-exact resumption (it is recomputed, not stored).
 */
export function liveWolffUpdatesPerSweep(model: IsingModel, K: number, h: number): number {
  const N = model.lattice.N
  const rng = xoshiro128ss(PILOT_SEED)
  const ordered = K > KC
  const spins = new Int8Array(N)
  for (let i = 0; i < N; i++) spins[i] = ordered ? (h < 0 ? -1 : 1) : rng.nextUint32() & 1 ? 1 : -1
  const threshold = probabilityThreshold(-Math.expm1(-2 * K))
  const kernel = createTorusWolff(spins, model.lattice.adjSite, threshold, h, rng.getState())
  while (kernel.grownSpins < 3 * N) kernel.updates(1)
  const grown = kernel.grownSpins
  const updates = kernel.clusterUpdates
  while (kernel.grownSpins - grown < 3 * N) kernel.updates(1)
  return Math.max(1, Math.round((N * (kernel.clusterUpdates - updates)) / (kernel.grownSpins - grown)))
}
