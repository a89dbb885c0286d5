import type { ChainSpecV1, LatticeSpecV2, ModelV2, NpyArray, ProjectJson, RunV1 } from './types'
import type { IsingChainResult } from '../../../src-core/ising/types'
import { CURRENT_FORMAT_VERSION } from './migrations'

/**
 * Pure helpers between the project file's shape and the live chains' state, shared by the
 * renderer's project store and the CLI.
 */
export const APP_FORMAT_VERSION = CURRENT_FORMAT_VERSION

export function emptyProject(appVersion: string, now = new Date()): ProjectJson {
  return {
    format: 'blockspin',
    formatVersion: 2,
    appVersion,
    name: 'Untitled',
    createdAt: now.toISOString(),
    modifiedAt: now.toISOString(),
    notes: '',
    models: [],
    runs: [],
    datasets: [],
    analyses: [],
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

export function defaultModel(id: string): ModelV2 {
  return {
    id,
    name: 'Square lattice',
    lattice: { kind: 'square', Lx: 128, Ly: 128, periodicX: true, periodicY: true },
    uniform: { K: 0.4407, h: 0 },
    arrays: {}
  }
}

/** Live chains run the fast kernels of the uniform periodic L×L square lattice. */
export function supportsLiveChain(model: ModelV2): boolean {
  const l = model.lattice
  return (
    l.kind === 'square' && l.Lx === l.Ly && l.periodicX && l.periodicY && !l.diagonals &&
    model.arrays.fields === undefined && model.arrays.couplings === undefined &&
    [model.uniform.Kx, model.uniform.Ky, model.uniform.Kd].every((k) => k === undefined || k === model.uniform.K)
  )
}

/** Side of the square lattice of a model (the longer side, or N for a chain or graph). */
export function modelSide(model: ModelV2): number {
  const l = model.lattice
  return l.kind === 'chain' || l.kind === 'graph' ? l.N : Math.max(l.Lx, l.Ly)
}

/** "square 40×40 periodic", "chain of 10, open", "triangular 12×12", "graph of 20 sites". */
export function describeLattice(l: LatticeSpecV2): string {
  switch (l.kind) {
    case 'chain':
      return `chain of ${l.N}, ${l.periodic ? 'periodic' : 'open'}`
    case 'square': {
      const bc = l.periodicX && l.periodicY ? 'periodic' : !l.periodicX && !l.periodicY ? 'open' : l.periodicX ? 'periodic in x, open in y' : 'open in x, periodic in y'
      return `square ${l.Lx}×${l.Ly} ${bc}${l.diagonals ? ', with diagonal bonds' : ''}`
    }
    case 'triangular':
      return `triangular ${l.Lx}×${l.Ly} periodic`
    case 'graph':
      return `graph of ${l.N} sites`
  }
}

/** "K = 0.408, h = 0" or "Kx = 0.4, Ky = 0.2, h = 0 (edited: couplings, fields)". */
export function describeCouplings(model: ModelV2): string {
  const u = model.uniform
  const parts = u.Kx !== undefined || u.Ky !== undefined ? [`Kx = ${u.Kx ?? u.K}`, `Ky = ${u.Ky ?? u.K}`] : [`K = ${u.K}`]
  if (u.Kd !== undefined) parts.push(`Kd = ${u.Kd}`)
  parts.push(`h = ${u.h}`)
  const edited = (['couplings', 'fields'] as const).filter((k) => model.arrays[k] !== undefined)
  return parts.join(', ') + (edited.length ? ` (edited: ${edited.join(', ')})` : '')
}

export function specFromModel(model: ModelV2, seed: number, targetSweeps?: number): ChainSpecV1 {
  const spec: ChainSpecV1 = {
    L: modelSide(model),
    K: model.uniform.K,
    h: model.uniform.h,
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
