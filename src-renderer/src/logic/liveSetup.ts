import type { ChainSpecV1 } from '@shared/project/types'
import { chainSetupOf, chainSpecOf, jobSpecOfRun, type ChainSource } from '@shared/project/runs'
import type { ChainStart, IsingChainResult, IsingChainSpec, IsingChainState, IsingParams } from '@core/ising/types'
import type { ModelData } from '@core/lattice/data'

/**
 * What a live chain is and what its job is asked to run: the setup read from and written to
 * the project, the job spec (continuing a saved state bit for bit), and the checks of states
 * and sources.
 */

/** Frame pacing asked of live chains. */
export const LIVE_MAX_FPS = 60

/** What a chain is, apart from its running state. */
export interface ChainSetup {
  /** `beta` is present exactly when the chain is general. */
  params: IsingParams
  /** Side of the square lattice; on a general model, the model's side (shown only). */
  L: number
  seed: number
  start: ChainStart
  targetSweeps?: number
  /** The chain samples its run's model with the general samplers (not the fast square kernels). */
  general: boolean
}

export function setupFromSpec(spec: ChainSpecV1): ChainSetup {
  const { params, start, general } = chainSetupOf(spec)
  return {
    params,
    L: spec.L,
    seed: spec.seed,
    start,
    general,
    ...(spec.targetSweeps !== undefined ? { targetSweeps: spec.targetSweeps } : {})
  }
}

export function specFromSetup(setup: ChainSetup): ChainSpecV1 {
  return chainSpecOf(setup, setup)
}

/** What a chain's job needs besides its setup: the model (general chains) and the painted spins (painted start). */
export function sourceNeeds(setup: ChainSetup): { model: boolean; painted: boolean } {
  return { model: setup.general, painted: setup.start === 'painted' }
}

const sameArray = (a: ArrayLike<number> | undefined, b: ArrayLike<number> | undefined): boolean =>
  a === b ||
  (a !== undefined &&
    b !== undefined &&
    a.length === b.length &&
    Array.prototype.every.call(a, (v: number, i: number) => v === b[i]))

/** True when two models are the same data (lattice, uniform values, edited arrays). */
export function sameModelData(a: ModelData | undefined, b: ModelData | undefined): boolean {
  if (a === b) return true
  if (!a || !b) return false
  return (
    JSON.stringify([a.lattice, a.uniform]) === JSON.stringify([b.lattice, b.uniform]) &&
    sameArray(a.fields, b.fields) &&
    sameArray(a.couplings, b.couplings)
  )
}

/** True when two sources would give the same chain. */
export function sameSource(a: ChainSource, b: ChainSource): boolean {
  return sameModelData(a.model, b.model) && sameArray(a.startSpins, b.startSpins)
}

/** Only the continuation fields of a saved result (its params are superseded by the setup's). */
export function stateOf(result: IsingChainState): IsingChainState {
  const { L, sweep, spins, energy, absM, rngState } = result
  return { L, sweep, spins, energy, absM, rngState }
}

/** The job spec of a live chain; with `resume` it continues that state bit for bit. */
export function buildJobSpec(
  setup: ChainSetup,
  resume: IsingChainState | null,
  source: ChainSource = {}
): IsingChainSpec {
  return {
    ...jobSpecOfRun(specFromSetup(setup), source),
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
    // L×L on the square path; N on a general model (whose params carry β).
    (v.spins.length === v.L * v.L || (v.params?.beta !== undefined && v.spins.length > 0)) &&
    v.energy instanceof Float64Array &&
    v.absM instanceof Float64Array &&
    v.energy.length === v.absM.length &&
    v.rngState instanceof Uint32Array
  )
}
