import type { JobFrame } from '../jobs/types'
import type { ModelData } from '../lattice/data'
import type { McAlgorithm } from './mc/sampler'

/**
 * Algorithms of the fast uniform L×L square kernels. Sign convention (SCIENCE.md §1):
 * H(v) = −K Σ_<ij> v_i v_j − h Σ_i v_i, K > 0 ferromagnetic.
 */
export type IsingAlgorithm = 'metropolis' | 'wolff'

/** Algorithms a live chain may run: the fast square path takes IsingAlgorithm, general models any of the five. */
export type ChainAlgorithm = IsingAlgorithm | McAlgorithm

/** How a chain starts (and resets): random spins, all up, or a given (painted) configuration. */
export type ChainStart = 'hot' | 'cold' | 'painted'

/** Parameters a live chain accepts while it runs. */
export interface IsingParams {
  /** Uniform coupling; on a general model it applies only when the model is uniform. */
  K: number
  /** Uniform field; on a general model it applies only when the model is uniform. */
  h: number
  algorithm: ChainAlgorithm
  sweepsPerFrame: number
  /** General models only: multiplies every K_i and K_ij (default 1). Absent on the square fast path. */
  beta?: number
}

/** Everything needed to continue a chain bit for bit. */
export interface IsingChainState {
  /** Side of the square lattice; for a general model, the side the run reports (spins has N entries). */
  L: number
  sweep: number
  spins: Int8Array
  /** e = H/N after every sweep since sweep 0. */
  energy: Float64Array
  /** |m| = |Σv|/N after every sweep since sweep 0. */
  absM: Float64Array
  rngState: Uint32Array
}

export interface IsingChainSpec extends IsingParams {
  /** Square L×L periodic lattice, 4 ≤ L ≤ 1024; with `model`, only echoed in frames and results (≥ 1). */
  L: number
  seed: number
  start: ChainStart
  /** start 'painted': the configuration the chain starts and resets from (L×L, or N with `model`). */
  startSpins?: Int8Array
  /**
   * A general model (any lattice, edited fields and couplings): the chain runs the samplers of
   * src-core/ising/mc on it. Absent: the fast kernels of the uniform periodic L×L square lattice.
   */
  model?: ModelData
  /** Continue from a saved state instead of `start`; its rngState seeds the generator. */
  resume?: IsingChainState
  /** Stop after this many sweeps in total (a batch run); absent for an open-ended live chain. */
  targetSweeps?: number
  /** Frame pacing of live chains in frames per second; 0 = as fast as possible. */
  maxFps?: number
}

export interface IsingFrame extends JobFrame {
  L: number
  sweep: number
  /** Number of spins: L×L, or N on a general model. */
  sites: number
  /** The spins at one bit each (ising/spinBits.ts: bit 1 for +1, spin 8b + k in bit k of byte b); unpackSpins(spinBits, sites) gives them back. */
  spinBits: Uint8Array
  params: IsingParams
  sweepsPerSecond: number
  acceptance: number
  series: { energy: Float64Array; absM: Float64Array }
  /**
   * The generator's state after this frame's sweeps: with the spins and the series received so
   * far it continues the chain bit for bit (what a viewer resumes from when the job dies).
   */
  rngState?: Uint32Array
}

export interface IsingChainResult extends IsingChainState {
  params: IsingParams
}
