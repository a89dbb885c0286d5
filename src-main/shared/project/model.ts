import type { ChainSpecV1, ModelV1, NpyArray, ProjectJsonV1, RunV1 } from './types'
import type { IsingChainResult } from '../../../src-core/ising/types'

import { CURRENT_FORMAT_VERSION } from './migrations'

/**
 * Pure helpers between the project file's shape and the live chains' state, shared by the
 * renderer's project store and the CLI.
 */
export const APP_FORMAT_VERSION = CURRENT_FORMAT_VERSION

export function emptyProject(appVersion: string, now = new Date()): ProjectJsonV1 {
  return {
    format: 'blockspin',
    formatVersion: APP_FORMAT_VERSION,
    appVersion,
    name: 'Untitled',
    createdAt: now.toISOString(),
    modifiedAt: now.toISOString(),
    notes: '',
    models: [],
    runs: [],
    arrays: {}
  }
}

export function nextId(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken)
  for (let i = 1; ; i++) {
    const id = `${prefix}${i}`
    if (!used.has(id)) return id
  }
}

export function defaultModel(id: string): ModelV1 {
  return { id, name: 'Square lattice', lattice: { kind: 'square', L: 128, periodic: true }, K: 0.4407, h: 0 }
}

export function specFromModel(model: ModelV1, seed: number, targetSweeps?: number): ChainSpecV1 {
  const spec: ChainSpecV1 = {
    L: model.lattice.L,
    K: model.K,
    h: model.h,
    algorithm: 'metropolis',
    sweepsPerFrame: 1,
    seed,
    start: 'hot'
  }
  if (targetSweeps !== undefined) spec.targetSweeps = targetSweeps
  return spec
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

/** A chain's state as the arrays stored in the project file. */
export function stateToArrays(runId: string, state: IsingChainResult): Record<string, NpyArray> {
  const ids = runArrayIds(runId)
  return {
    [ids.spins]: { dtype: '|i1', shape: [state.L, state.L], data: state.spins },
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
  if (!(spins.data instanceof Int8Array) || !(energy.data instanceof Float64Array) || !(absM.data instanceof Float64Array) || !(rng.data instanceof Uint32Array)) return null
  return {
    L: spins.shape[0] ?? run.spec.L,
    sweep: run.sweep,
    spins: spins.data,
    energy: energy.data,
    absM: absM.data,
    rngState: rng.data,
    params: { K: run.spec.K, h: run.spec.h, algorithm: run.spec.algorithm, sweepsPerFrame: run.spec.sweepsPerFrame }
  }
}

/** The run record after a snapshot: spec follows the chain's current parameters. */
export function runWithState(run: RunV1, state: IsingChainResult, structural: { seed: number; start: 'hot' | 'cold' }): RunV1 {
  const spec: ChainSpecV1 = {
    ...run.spec,
    L: state.L,
    K: state.params.K,
    h: state.params.h,
    algorithm: state.params.algorithm,
    sweepsPerFrame: state.params.sweepsPerFrame,
    seed: structural.seed,
    start: structural.start
  }
  const target = spec.targetSweeps
  const status: RunV1['status'] = target === undefined ? 'live' : state.sweep >= target ? 'done' : 'pending'
  return { ...run, spec, sweep: state.sweep, status, arrays: runArrayIds(run.id) }
}
