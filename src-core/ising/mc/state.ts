import type { IsingModel } from '../../lattice/types'
import type { Rng } from '../../random/rng'

/**
 * The state every sampler in this folder advances: spins plus the two sums every observable is
 * built from, kept current incrementally. Convention (SCIENCE.md §1, paper's Eq. 3):
 *   H(v) = − Σ_i K_i v_i − Σ_<ij> K_ij v_i v_j,   P(v) ∝ e^{−H(v)}.
 * A flip of v_i changes H by ΔH_i = 2 v_i h_i with the local field
 *   h_i = K_i + Σ_{j ~ i} K_ij v_j    (one term per bond, so doubled bonds count twice).
 * Floating-point drift of `energy` is O(sweeps·ε·|H|); `resyncSums` recomputes it exactly.
 */
export interface McState {
  model: IsingModel
  readonly spins: Int8Array
  /** H(v), updated on every change of a spin. */
  energy: number
  /** M = Σ_i v_i. */
  magnetisation: number
  /** Moves attempted / accepted since the last reset (meaning depends on the algorithm). */
  attempts: number
  accepted: number
}

/** Per-model tables for the single-spin samplers: the coupling of every adjacency entry. */
export interface LocalWorkspace {
  /** adjK[k] = K of bond adjBond[k], so the local field needs one indirection, not two. */
  readonly adjK: Float64Array
}

export function createLocalWorkspace(model: IsingModel): LocalWorkspace {
  const { adjBond } = model.lattice
  const adjK = new Float64Array(adjBond.length)
  for (let k = 0; k < adjK.length; k++) adjK[k] = model.couplings[adjBond[k]]
  return { adjK }
}

/** Wraps spins (not copied) and computes H and M from scratch. */
export function createMcState(model: IsingModel, spins: Int8Array): McState {
  if (spins.length !== model.lattice.N) {
    throw new RangeError(`expected ${model.lattice.N} spins, got ${spins.length}`)
  }
  for (let i = 0; i < spins.length; i++) {
    if (spins[i] !== 1 && spins[i] !== -1) throw new RangeError(`spin ${i} must be ±1, got ${spins[i]}`)
  }
  const state: McState = { model, spins, energy: 0, magnetisation: 0, attempts: 0, accepted: 0 }
  resyncSums(state)
  return state
}

/** Recomputes H and M from the spins (O(N + bonds)). */
export function resyncSums(state: McState): void {
  const { spins, model } = state
  const { bondI, bondJ } = model.lattice
  let H = 0
  let M = 0
  for (let i = 0; i < spins.length; i++) {
    M += spins[i]
    H -= model.fields[i] * spins[i]
  }
  for (let b = 0; b < bondI.length; b++) H -= model.couplings[b] * spins[bondI[b]] * spins[bondJ[b]]
  state.energy = H
  state.magnetisation = M
}

/** Initial spins: all +1, all −1, or independent fair coins from `rng`. */
export function initialSpins(N: number, start: 'random' | 'up' | 'down', rng: Rng): Int8Array {
  const spins = new Int8Array(N)
  for (let i = 0; i < N; i++) spins[i] = start === 'up' ? 1 : start === 'down' ? -1 : rng.nextUint32() & 1 ? 1 : -1
  return spins
}

const TWO_POW_32 = 2 ** 32

/** Uniform integer in [0, n) without modulo bias (rejects the incomplete last block of 2^32). */
export function uniformIndex(rng: Rng, n: number): number {
  const limit = TWO_POW_32 - (TWO_POW_32 % n)
  let r = rng.nextUint32()
  while (r >= limit) r = rng.nextUint32()
  return r % n
}

/** p·2^32, so `rng.nextUint32() < threshold` happens with probability exactly p (to 2^−32). */
export function probabilityThreshold(p: number): number {
  return p * TWO_POW_32
}
