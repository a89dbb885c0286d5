import type { ChainSpecV1, ModelV2, NpyArray, RunV1 } from './types'
import type { ChainStart, IsingChainResult, IsingChainSpec, IsingParams } from '@core/ising/types'
import type { ModelData } from '@core/lattice/data'

/**
 * Runs (live and batch chains) between the project file and the chain jobs: run specs, the
 * general-model fields a run spec may carry, and the arrays of a run's state. Shared by the
 * renderer's stores and the CLI.
 */

/** Which kernel a live chain on a model runs. */
export type LiveChainKernel = 'square' | 'general'

/**
 * 'square': the fast kernels (WASM checkerboard Metropolis, Wolff) of the uniform periodic L×L
 * square lattice with one K and h; 'general': the samplers of src-core/ising/mc on the model as
 * edited (any lattice, per-site fields, per-bond couplings, all five algorithms).
 */
export function liveChainKernel(model: ModelV2): LiveChainKernel {
  const l = model.lattice
  const fast =
    l.kind === 'square' &&
    l.Lx === l.Ly &&
    l.periodicX &&
    l.periodicY &&
    !l.diagonals &&
    model.arrays.fields === undefined &&
    model.arrays.couplings === undefined &&
    [model.uniform.Kx, model.uniform.Ky, model.uniform.Kd].every((k) => k === undefined || k === model.uniform.K)
  return fast ? 'square' : 'general'
}

/** Every model takes a live chain; liveChainKernel says which kernel runs it. */
export function supportsLiveChain(model: ModelV2): boolean {
  void model
  return true
}

/** Side of the square lattice of a model (the longer side, or N for a chain or graph). */
export function modelSide(model: ModelV2): number {
  const l = model.lattice
  return l.kind === 'chain' || l.kind === 'graph' ? l.N : Math.max(l.Lx, l.Ly)
}

/** A chain as the live views hold it: parameters (β and all five algorithms on general models) and start. */
export interface ChainSetupFields {
  params: IsingParams
  start: ChainStart
  /** The chain samples the run's model with the general samplers. */
  general: boolean
}

/** The parameters and start a run spec describes, general fields folded in. */
export function chainSetupOf(spec: ChainSpecV1): ChainSetupFields {
  const params: IsingParams = { K: spec.K, h: spec.h, algorithm: spec.algorithm, sweepsPerFrame: spec.sweepsPerFrame }
  if (spec.general) Object.assign(params, { algorithm: spec.general.algorithm, beta: spec.general.beta })
  return { params, start: spec.startPainted ? 'painted' : spec.start, general: spec.general !== undefined }
}

/** The run spec of a chain: general fields unfolded, `algorithm` and `start` kept to format-1 values. */
export function chainSpecOf(
  base: { L: number; seed: number; targetSweeps?: number },
  setup: ChainSetupFields
): ChainSpecV1 {
  const { params, start, general } = setup
  const spec: ChainSpecV1 = {
    L: base.L,
    K: params.K,
    h: params.h,
    algorithm: params.algorithm === 'wolff' || params.algorithm === 'sw' ? 'wolff' : 'metropolis',
    sweepsPerFrame: params.sweepsPerFrame,
    seed: base.seed,
    start: start === 'painted' ? 'hot' : start
  }
  if (base.targetSweeps !== undefined) spec.targetSweeps = base.targetSweeps
  if (general) spec.general = { algorithm: params.algorithm, beta: params.beta ?? 1 }
  if (start === 'painted') spec.startPainted = true
  return spec
}

/** What a chain job needs beyond the run spec: the model (general runs) and the painted spins (painted start). */
export interface ChainSource {
  model?: ModelData
  startSpins?: Int8Array
}

/** The chain job's spec for a run (model data and painted spins supplied by the caller, never stored in the run). */
export function jobSpecOfRun(spec: ChainSpecV1, source: ChainSource): IsingChainSpec {
  const { params, start, general } = chainSetupOf(spec)
  if (general && !source.model) throw new Error('this run samples its model: the model data is needed to start it')
  if (start === 'painted' && !source.startSpins)
    throw new Error('this run starts from painted spins: they are needed to start it')
  const job: IsingChainSpec = { ...params, L: spec.L, seed: spec.seed, start }
  if (!general) delete job.beta
  if (spec.targetSweeps !== undefined) job.targetSweeps = spec.targetSweeps
  if (general) job.model = source.model
  if (start === 'painted') job.startSpins = source.startSpins
  return job
}

/** A new run's spec on a model: the model's kernel, start hot unless `start` says otherwise. */
export function specFromModel(
  model: ModelV2,
  seed: number,
  targetSweeps?: number,
  start: ChainStart = 'hot'
): ChainSpecV1 {
  const general = liveChainKernel(model) === 'general'
  const params: IsingParams = { K: model.uniform.K, h: model.uniform.h, algorithm: 'metropolis', sweepsPerFrame: 1 }
  if (general) params.beta = 1
  return chainSpecOf({ L: modelSide(model), seed, targetSweeps }, { params, start, general })
}

/** Array ids of one run's state inside the project file. */
export function runArrayIds(runId: string) {
  return {
    spins: `${runId}.spins`,
    energy: `${runId}.energy`,
    absM: `${runId}.absM`,
    rngState: `${runId}.rng`
  }
}

/** A chain's state as the arrays stored in the project file (spins L×L on the square path, N on a model). */
export function stateToArrays(runId: string, state: IsingChainResult): Record<string, NpyArray> {
  const ids = runArrayIds(runId)
  // General chains (their params carry β) store N spins, even when N happens to be a square.
  const square = state.params.beta === undefined && state.spins.length === state.L * state.L
  return {
    [ids.spins]: { dtype: '|i1', shape: square ? [state.L, state.L] : [state.spins.length], data: state.spins },
    [ids.energy]: { dtype: '<f8', shape: [state.energy.length], data: state.energy },
    [ids.absM]: { dtype: '<f8', shape: [state.absM.length], data: state.absM },
    [ids.rngState]: { dtype: '<u4', shape: [state.rngState.length], data: state.rngState }
  }
}

/** The saved state of a run, or null when it has not run (or its arrays are absent). */
export function stateFromArrays(run: RunV1, arrays: Record<string, NpyArray>): IsingChainResult | null {
  const a = run.arrays
  if (!a.spins || !a.energy || !a.absM || !a.rngState) return null
  const spins = arrays[a.spins]
  const energy = arrays[a.energy]
  const absM = arrays[a.absM]
  const rng = arrays[a.rngState]
  if (!spins || !energy || !absM || !rng) return null
  if (
    !(spins.data instanceof Int8Array) ||
    !(energy.data instanceof Float64Array) ||
    !(absM.data instanceof Float64Array) ||
    !(rng.data instanceof Uint32Array)
  )
    return null
  return {
    L: spins.shape.length === 2 ? (spins.shape[0] ?? run.spec.L) : run.spec.L,
    sweep: run.sweep,
    spins: spins.data,
    energy: energy.data,
    absM: absM.data,
    rngState: rng.data,
    params: chainSetupOf(run.spec).params
  }
}

/** The run record after a snapshot: spec follows the chain's current parameters. */
export function runWithState(
  run: RunV1,
  state: IsingChainResult,
  structural: { seed: number; start: ChainStart }
): RunV1 {
  const general = run.spec.general !== undefined
  const spec: ChainSpecV1 = {
    ...run.spec,
    ...chainSpecOf(
      { L: state.L, seed: structural.seed, targetSweeps: run.spec.targetSweeps },
      { params: state.params, start: structural.start, general }
    )
  }
  if (structural.start !== 'painted') delete spec.startPainted
  const target = spec.targetSweeps
  const status: RunV1['status'] = target === undefined ? 'live' : state.sweep >= target ? 'done' : 'pending'
  return { ...run, spec, sweep: state.sweep, status, arrays: runArrayIds(run.id) }
}
