import type { JobFrame } from '../jobs/types'

/** Sign convention (SCIENCE.md §1): H(v) = −K Σ_<ij> v_i v_j − h Σ_i v_i, K > 0 ferromagnetic. */
export type IsingAlgorithm = 'metropolis' | 'wolff'

/** Parameters a live chain accepts while it runs. */
export interface IsingParams {
  K: number
  h: number
  algorithm: IsingAlgorithm
  sweepsPerFrame: number
}

/** Everything needed to continue a chain bit for bit. */
export interface IsingChainState {
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
  /** Square L×L periodic lattice, 4 ≤ L ≤ 1024. */
  L: number
  seed: number
  start: 'hot' | 'cold'
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
  spins: Int8Array
  params: IsingParams
  sweepsPerSecond: number
  acceptance: number
  series: { energy: Float64Array; absM: Float64Array }
}

export interface IsingChainResult extends IsingChainState {
  params: IsingParams
}
