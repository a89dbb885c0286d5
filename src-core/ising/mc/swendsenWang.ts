import type { IsingModel } from '../../lattice/types'
import type { Rng } from '../../random/rng'
import { type ClusterTables, createClusterTables } from './cluster'
import type { McState } from './state'

/**
 * Swendsen–Wang sweep (R. H. Swendsen & J.-S. Wang, Phys. Rev. Lett. 58, 86, 1987) for any model
 * with K_ij ≥ 0, fields through the ghost spin (cluster.ts; Wang & Swendsen, Physica A 167, 565,
 * 1990). One sweep:
 *   1. activate each satisfied bond (v_i = v_j) with p = 1 − e^{−2K_ij};
 *   2. activate the ghost bond of each site with K_i v_i > 0 with p = 1 − e^{−2|K_i|};
 *   3. find the FK clusters (union–find; the ghost is node N);
 *   4. flip each cluster with probability ½, except the ghost's cluster, which stays (gauge
 *      v_g = +1; flipping it together with v_g and then every spin back is the same move).
 * Random numbers are drawn in bond order, then site order, then in order of first appearance of
 * each cluster root in site order, so seeded runs are bit-identical.
 */
export interface SwendsenWangWorkspace {
  readonly tables: ClusterTables
  /** Union–find parent of sites 0..N−1 and of the ghost N. */
  readonly parent: Int32Array
  /** Cluster sizes at roots (union by size). */
  readonly size: Int32Array
  /** Per root: 0 undecided, 1 flip, 2 keep. */
  readonly decision: Uint8Array
  /** Per site: 1 when its cluster is flipped this sweep. */
  readonly flipped: Uint8Array
  /** Clusters formed in the last sweep (the ghost's included). */
  clusters: number
}

export function createSwendsenWangWorkspace(model: IsingModel): SwendsenWangWorkspace {
  const tables = createClusterTables(model) // throws FrustratedModelError for K_ij < 0
  const N = model.lattice.N
  return {
    tables,
    parent: new Int32Array(N + 1),
    size: new Int32Array(N + 1),
    decision: new Uint8Array(N + 1),
    flipped: new Uint8Array(N),
    clusters: 0
  }
}

function find(parent: Int32Array, i: number): number {
  while (parent[i] !== i) {
    parent[i] = parent[parent[i]] // path halving
    i = parent[i]
  }
  return i
}

function union(parent: Int32Array, size: Int32Array, a: number, b: number): void {
  let ra = find(parent, a)
  let rb = find(parent, b)
  if (ra === rb) return
  if (size[ra] < size[rb]) {
    const t = ra
    ra = rb
    rb = t
  }
  parent[rb] = ra
  size[ra] += size[rb]
}

/** One SW sweep. `accepted`/`attempts` count flipped / flippable clusters. No allocation. */
export function swendsenWangSweep(state: McState, ws: SwendsenWangWorkspace, rng: Rng): void {
  const { spins, model } = state
  const { bondI, bondJ } = model.lattice
  const { parent, size, decision, flipped } = ws
  const { bondThreshold, ghostThreshold } = ws.tables
  const N = spins.length
  for (let i = 0; i <= N; i++) {
    parent[i] = i
    size[i] = 1
    decision[i] = 0
  }
  for (let b = 0; b < bondI.length; b++) {
    const i = bondI[b]
    const j = bondJ[b]
    if (spins[i] === spins[j] && bondThreshold[b] > 0 && rng.nextUint32() < bondThreshold[b]) union(parent, size, i, j)
  }
  const fields = model.fields
  for (let i = 0; i < N; i++) {
    if (fields[i] * spins[i] > 0 && rng.nextUint32() < ghostThreshold[i]) union(parent, size, i, N)
  }
  const ghostRoot = find(parent, N)
  decision[ghostRoot] = 2
  let clusters = 1
  let flips = 0
  for (let i = 0; i < N; i++) {
    const r = find(parent, i)
    if (decision[r] === 0) {
      decision[r] = rng.nextUint32() & 1 ? 1 : 2
      clusters++
      if (decision[r] === 1) flips++
    }
    flipped[i] = decision[r] === 1 ? 1 : 0
  }
  // ΔH before flipping: bonds cut by the flip change sign, flipped sites' field terms too.
  let deltaH = 0
  let deltaM = 0
  for (let b = 0; b < bondI.length; b++) {
    const i = bondI[b]
    const j = bondJ[b]
    if (flipped[i] !== flipped[j]) deltaH += 2 * model.couplings[b] * spins[i] * spins[j]
  }
  for (let i = 0; i < N; i++) {
    if (flipped[i] === 1) {
      const v = spins[i]
      deltaH += 2 * fields[i] * v
      deltaM -= 2 * v
      spins[i] = -v
    }
  }
  state.energy += deltaH
  state.magnetisation += deltaM
  state.attempts += clusters - 1
  state.accepted += flips
  ws.clusters = clusters
}
