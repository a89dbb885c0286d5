import type { IsingModel } from '../../lattice/types'
import type { Rng } from '../../random/rng'
import { xoshiro128ss } from '../../random/xoshiro128ss'
import { createClusterTables } from './cluster'
import { createMcState, initialSpins, type McState, uniformIndex } from './state'

/**
 * Wolff single-cluster updates (U. Wolff, Phys. Rev. Lett. 62, 361, 1989) for any model with
 * K_ij ≥ 0 and arbitrary site fields K_i, the fields through a ghost spin (cluster.ts;
 * Wang & Swendsen, Physica A 167, 565, 1990).
 *
 * Growth: from a uniformly random seed, every bond from a cluster site to an outside site of the
 * same sign is tried once with p = 1 − e^{−2K_ij}. The finished cluster C (one sign s) has its
 * ghost bonds tried: sites with K_i s > 0 each bond with p_i = 1 − e^{−2|K_i|}. C avoids the ghost
 * with probability Π (1 − p_i) = e^{−2 Σ_{i∈C, K_i s>0} |K_i|}; that single event is drawn with one
 * random number (same distribution as the |C| separate trials). Avoiding the ghost ⇒ flip C;
 * otherwise C belongs to the ghost's cluster and is left alone (the update is a null move).
 */
export interface WolffWorkspace {
  /** Cluster members in the order they were added; doubles as the growth queue. */
  readonly cluster: Int32Array
  /** 1 for sites of the current cluster; all 0 between updates. */
  readonly inCluster: Uint8Array
  /** Activation threshold (p·2^32) of each adjacency entry (lattice.adjBond order). */
  readonly adjThreshold: Float64Array
  /** Coupling K_ij of each adjacency entry, for the boundary sum without a second indirection. */
  readonly adjK: Float64Array
  /** False when every field is 0: the per-member field terms are then skipped. */
  readonly hasField: boolean
  /** Spins in all clusters grown so far (flipped or not). */
  grownSpins: number
}

export function createWolffWorkspace(model: IsingModel): WolffWorkspace {
  const tables = createClusterTables(model) // throws FrustratedModelError for K_ij < 0
  const { adjBond, N } = model.lattice
  const adjThreshold = new Float64Array(adjBond.length)
  const adjK = new Float64Array(adjBond.length)
  for (let k = 0; k < adjBond.length; k++) {
    adjThreshold[k] = tables.bondThreshold[adjBond[k]]
    adjK[k] = model.couplings[adjBond[k]]
  }
  const hasField = model.fields.some((f) => f !== 0)
  return { cluster: new Int32Array(N), inCluster: new Uint8Array(N), adjThreshold, adjK, hasField, grownSpins: 0 }
}

/**
 * One cluster update. Returns the cluster size, negative when the cluster joined the ghost and
 * was not flipped. Keeps state.energy and state.magnetisation current. No allocation.
 */
export function wolffUpdate(state: McState, ws: WolffWorkspace, rng: Rng): number {
  const { spins, model } = state
  const { adjStart, adjSite } = model.lattice
  const { cluster, inCluster, adjThreshold, adjK } = ws
  const seed = uniformIndex(rng, spins.length)
  const s = spins[seed]
  cluster[0] = seed
  inCluster[seed] = 1
  let size = 1
  for (let head = 0; head < size; head++) {
    const i = cluster[head]
    for (let k = adjStart[i], end = adjStart[i + 1]; k < end; k++) {
      const j = adjSite[k]
      if (inCluster[j] === 0 && spins[j] === s && rng.nextUint32() < adjThreshold[k]) {
        inCluster[j] = 1
        cluster[size++] = j
      }
    }
  }
  // Field terms in member order: Σ_{i∈C} K_i s and Σ_{i∈C, K_i s > 0} |K_i| (skipped at h ≡ 0).
  let fieldSum = 0
  let alignedField = 0
  if (ws.hasField) {
    const fields = model.fields
    for (let c = 0; c < size; c++) {
      const f = fields[cluster[c]] * s
      fieldSum += f
      if (f > 0) alignedField += f
    }
  }
  const joinsGhost = alignedField > 0 && rng.nextFloat() >= Math.exp(-2 * alignedField)
  // ΔH of flipping C: boundary bonds change sign (ΔH = 2 K_ij v_i v_j each), fields 2 K_i v_i.
  // One pass sums the boundary and flips: it reads spins only outside C, which stay as they are.
  let boundary = 0
  for (let c = 0; c < size; c++) {
    const i = cluster[c]
    for (let k = adjStart[i], end = adjStart[i + 1]; k < end; k++) {
      const j = adjSite[k]
      if (inCluster[j] === 0) boundary += adjK[k] * s * spins[j]
    }
    if (!joinsGhost) spins[i] = -s
  }
  for (let c = 0; c < size; c++) inCluster[cluster[c]] = 0
  ws.grownSpins += size
  state.attempts++
  if (joinsGhost) return -size
  state.accepted++
  state.energy += 2 * boundary + 2 * fieldSum
  state.magnetisation -= 2 * s * size
  return size
}

/**
 * A Wolff "sweep": a FIXED number of cluster updates (estimateWolffUpdatesPerSweep), so that a
 * sweep grows about N spins on average. Not "until N spins were flipped": that stopping rule
 * depends on the chain, ends sweeps preferentially after large clusters and biases averages
 * taken at sweep ends.
 */
export function wolffSweep(state: McState, ws: WolffWorkspace, rng: Rng, updatesPerSweep: number): void {
  for (let c = 0; c < updatesPerSweep; c++) wolffUpdate(state, ws, rng)
}

/** Fixed seed of the pilot run: it shares no randomness with any chain. */
const PILOT_SEED = 0x2545f491

/** Pilot updates stop after this many even if fewer spins were grown (small clusters, big N). */
const PILOT_MAX_UPDATES = 20_000

/**
 * Cluster updates per sweep, round(N/⟨|C|⟩) ≥ 1, with the mean grown cluster size measured by a
 * short pilot run on its own copy of the spins with its own fixed-seed generator: random start,
 * burn-in until 20N spins were grown (at least 100, at most PILOT_MAX_UPDATES updates), then
 * ⟨|C|⟩ over 50N grown spins (200 to PILOT_MAX_UPDATES updates). Near Kc cluster sizes are
 * broadly distributed and shorter pilots misjudge the mean by tens of per cent.
 * It is a deterministic function of the model only, so it neither biases the chain (it does not
 * depend on the chain's state) nor breaks bit-exact reruns. Cost ≲ 70N spin visits, once per
 * model. Granularity: when ⟨|C|⟩ ≈ N (deep in the ordered phase) a sweep is one update.
 */
export function estimateWolffUpdatesPerSweep(model: IsingModel): number {
  const N = model.lattice.N
  const rng = xoshiro128ss(PILOT_SEED)
  const ws = createWolffWorkspace(model)
  const state = createMcState(model, initialSpins(N, 'random', rng))
  let updates = 0
  while ((ws.grownSpins < 20 * N && updates < PILOT_MAX_UPDATES) || updates < 100) {
    wolffUpdate(state, ws, rng)
    updates++
  }
  ws.grownSpins = 0
  updates = 0
  while ((ws.grownSpins < 50 * N && updates < PILOT_MAX_UPDATES) || updates < 200) {
    wolffUpdate(state, ws, rng)
    updates++
  }
  return Math.max(1, Math.round((N * updates) / ws.grownSpins))
}
