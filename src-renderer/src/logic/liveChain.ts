import type { ChainSpecV1 } from '../../../src-main/shared/project/types'
import type { IsingChainResult, IsingChainSpec, IsingChainState, IsingParams } from '../../../src-core/ising/types'

/** Pure helpers of the live-chain store: job specs and state checks. */

/** Frame pacing asked of live chains. */
export const LIVE_MAX_FPS = 60

/** What a chain is, apart from its running state. */
export interface ChainSetup {
  params: IsingParams
  L: number
  seed: number
  start: 'hot' | 'cold'
  targetSweeps?: number
}

export function setupFromSpec(spec: ChainSpecV1): ChainSetup {
  return {
    params: { K: spec.K, h: spec.h, algorithm: spec.algorithm, sweepsPerFrame: spec.sweepsPerFrame },
    L: spec.L,
    seed: spec.seed,
    start: spec.start,
    ...(spec.targetSweeps !== undefined ? { targetSweeps: spec.targetSweeps } : {})
  }
}

export function specFromSetup(setup: ChainSetup): ChainSpecV1 {
  return {
    L: setup.L,
    ...setup.params,
    seed: setup.seed,
    start: setup.start,
    ...(setup.targetSweeps !== undefined ? { targetSweeps: setup.targetSweeps } : {})
  }
}

/** Only the continuation fields of a saved result (its params are superseded by the setup's). */
export function stateOf(result: IsingChainState): IsingChainState {
  const { L, sweep, spins, energy, absM, rngState } = result
  return { L, sweep, spins, energy, absM, rngState }
}

/** The job spec of a live chain; with `resume` it continues that state bit for bit. */
export function buildJobSpec(setup: ChainSetup, resume: IsingChainState | null): IsingChainSpec {
  return {
    ...specFromSetup(setup),
    ...(resume ? { resume: stateOf(resume) } : {}),
    maxFps: LIVE_MAX_FPS
  }
}

/** True when `value` has the shape of an IsingChainResult (what jobs return and snapshots give). */
export function isChainResult(value: unknown): value is IsingChainResult {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Partial<IsingChainResult>
  return (
    typeof v.L === 'number' &&
    typeof v.sweep === 'number' &&
    v.spins instanceof Int8Array &&
    v.spins.length === v.L * v.L &&
    v.energy instanceof Float64Array &&
    v.absM instanceof Float64Array &&
    v.energy.length === v.absM.length &&
    v.rngState instanceof Uint32Array
  )
}

/**
 * Sweep numbers of the last `count` points of a series that ends at `lastSweep`: frames and
 * saved states carry one value per sweep, the newest belonging to the current sweep.
 */
export function sweepsEndingAt(lastSweep: number, count: number): Float64Array {
  const out = new Float64Array(count)
  const first = lastSweep - count + 1
  for (let i = 0; i < count; i++) out[i] = first + i
  return out
}
