import { checkModel } from '../../lattice/model'
import type { IsingModel } from '../../lattice/types'
import type { Rng } from '../../random/rng'
import { assertClusterModel } from './cluster'
import { heatBathSweep, metropolisColourSweep, metropolisRandomSiteSweep } from './local'
import {
  createLocalWorkspace,
  createMcState,
  initialSpins,
  type LocalWorkspace,
  type McState,
  resyncSums
} from './state'
import { createSwendsenWangWorkspace, type SwendsenWangWorkspace, swendsenWangSweep } from './swendsenWang'
import { createWolffWorkspace, estimateWolffUpdatesPerSweep, type WolffWorkspace, wolffSweep } from './wolff'

export type McAlgorithm = 'metropolis' | 'metropolis-random' | 'heatbath' | 'wolff' | 'sw'

export const MC_ALGORITHMS: readonly McAlgorithm[] = ['metropolis', 'metropolis-random', 'heatbath', 'wolff', 'sw']

export interface SamplerOptions {
  /** Initial spins: 'random' (default; draws N numbers from rng), 'up', 'down', or a copy of these. */
  start?: 'random' | 'up' | 'down' | Int8Array
  /** Wolff only: cluster updates per sweep (default: estimateWolffUpdatesPerSweep(model)). */
  wolffUpdatesPerSweep?: number
}

/**
 * One entry point for every algorithm. A sweep is: N Metropolis attempts (random sites or colour
 * order), N heat-bath updates (colour order), a fixed number of Wolff updates growing ≈ N spins on
 * average, or one Swendsen–Wang pass. acceptance() is accepted/attempted since the last
 * setModel: accepted flips (Metropolis), changed spins (heat bath), flipped clusters per cluster
 * update (Wolff: the rest joined the ghost), flipped per non-ghost cluster (SW: ≈ ½).
 */
export interface Sampler {
  readonly algorithm: McAlgorithm
  readonly spins: Int8Array
  readonly model: IsingModel
  /** Wolff cluster updates per sweep (1 for the other algorithms). */
  readonly updatesPerSweep: number
  sweep(): void
  /** H(v), kept incrementally. */
  energy(): number
  /** M = Σ_i v_i. */
  magnetisation(): number
  acceptance(): number
  /** New couplings on the same lattice; keeps the spins, recomputes H and the tables. */
  setModel(model: IsingModel): void
  /** Recomputes H and M from the spins (removes floating-point drift of H). */
  resync(): void
  /** H, M and the acceptance counters as they stand: with the spins and the generator, the whole chain state. */
  sums(): SamplerSums
  /** Puts back what sums() returned (a sampler started from the same spins then continues bit for bit). */
  restoreSums(sums: SamplerSums): void
}

/** The sums a sampler keeps incrementally (H's floating-point history included). */
export interface SamplerSums {
  energy: number
  magnetisation: number
  attempts: number
  accepted: number
}

export function createSampler(
  model: IsingModel,
  algorithm: McAlgorithm,
  rng: Rng,
  options: SamplerOptions = {}
): Sampler {
  if (!MC_ALGORITHMS.includes(algorithm)) throw new RangeError(`unknown Monte Carlo algorithm ${String(algorithm)}`)
  checkModel(model)
  if (algorithm === 'wolff' || algorithm === 'sw') assertClusterModel(model)
  const N = model.lattice.N
  const start = options.start ?? 'random'
  const spins = typeof start === 'string' ? initialSpins(N, start, rng) : Int8Array.from(start)
  const state: McState = createMcState(model, spins)
  let local: LocalWorkspace | null = null
  let wolff: WolffWorkspace | null = null
  let sw: SwendsenWangWorkspace | null = null
  let updatesPerSweep = 1

  const configure = (m: IsingModel): void => {
    if (algorithm === 'wolff') {
      wolff = createWolffWorkspace(m)
      updatesPerSweep = options.wolffUpdatesPerSweep ?? estimateWolffUpdatesPerSweep(m)
      if (!Number.isInteger(updatesPerSweep) || updatesPerSweep < 1) {
        throw new RangeError(`wolffUpdatesPerSweep must be an integer ≥ 1, got ${updatesPerSweep}`)
      }
    } else if (algorithm === 'sw') sw = createSwendsenWangWorkspace(m)
    else local = createLocalWorkspace(m)
  }
  configure(model)

  const sampler: Sampler = {
    algorithm,
    spins,
    get model() {
      return state.model
    },
    get updatesPerSweep() {
      return updatesPerSweep
    },
    sweep() {
      switch (algorithm) {
        case 'metropolis':
          return metropolisColourSweep(state, local!, rng)
        case 'metropolis-random':
          return metropolisRandomSiteSweep(state, local!, rng)
        case 'heatbath':
          return heatBathSweep(state, local!, rng)
        case 'wolff':
          return wolffSweep(state, wolff!, rng, updatesPerSweep)
        case 'sw':
          return swendsenWangSweep(state, sw!, rng)
      }
    },
    energy: () => state.energy,
    magnetisation: () => state.magnetisation,
    acceptance: () => (state.attempts === 0 ? 0 : state.accepted / state.attempts),
    setModel(next: IsingModel) {
      if (next.lattice !== state.model.lattice)
        throw new RangeError('setModel needs a model on the same lattice object')
      checkModel(next)
      configure(next)
      state.model = next
      state.attempts = 0
      state.accepted = 0
      resyncSums(state)
    },
    resync: () => resyncSums(state),
    sums: () => ({
      energy: state.energy,
      magnetisation: state.magnetisation,
      attempts: state.attempts,
      accepted: state.accepted
    }),
    restoreSums(sums: SamplerSums) {
      state.energy = sums.energy
      state.magnetisation = sums.magnetisation
      state.attempts = sums.attempts
      state.accepted = sums.accepted
    }
  }
  return sampler
}
