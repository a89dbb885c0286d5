import type { LatticeSpecV2, ModelV2, NpyArray, ProjectJson } from './types'
import { CURRENT_FORMAT_VERSION } from './migrations'
import type { ModelData } from '@core/lattice/data'
import type { LatticeSpec } from '@core/lattice/types'
import { MAX_GRAPH_BONDS, maxGraphBonds } from '@core/lattice/build'

/**
 * Pure helpers between the project file's shape and the live chains' state, shared by the
 * renderer's project store and the CLI.
 */
export const APP_FORMAT_VERSION = CURRENT_FORMAT_VERSION

export {
  chainSetupOf,
  chainSpecOf,
  jobSpecOfRun,
  liveChainKernel,
  modelSide,
  runArrayIds,
  runWithState,
  specFromModel,
  stateFromArrays,
  stateToArrays,
  supportsLiveChain,
  type ChainSetupFields,
  type ChainSource,
  type LiveChainKernel
} from './runs'

export function emptyProject(appVersion: string, now = new Date()): ProjectJson {
  return {
    format: 'blockspin',
    formatVersion: CURRENT_FORMAT_VERSION,
    appVersion,
    name: 'Untitled',
    createdAt: now.toISOString(),
    modifiedAt: now.toISOString(),
    notes: '',
    models: [],
    runs: [],
    datasets: [],
    analyses: [],
    trainings: [],
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

/** "square 40×40 periodic", "chain of 10, open", "triangular 12×12", "graph of 20 sites". */
export function describeLattice(l: LatticeSpecV2): string {
  switch (l.kind) {
    case 'chain':
      return `chain of ${l.N}, ${l.periodic ? 'periodic' : 'open'}`
    case 'square': {
      const bc =
        l.periodicX && l.periodicY
          ? 'periodic'
          : !l.periodicX && !l.periodicY
            ? 'open'
            : l.periodicX
              ? 'periodic in x, open in y'
              : 'open in x, periodic in y'
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
  const parts =
    u.Kx !== undefined || u.Ky !== undefined ? [`Kx = ${u.Kx ?? u.K}`, `Ky = ${u.Ky ?? u.K}`] : [`K = ${u.K}`]
  if (u.Kd !== undefined) parts.push(`Kd = ${u.Kd}`)
  parts.push(`h = ${u.h}`)
  const edited = (['couplings', 'fields'] as const).filter((k) => model.arrays[k] !== undefined)
  return parts.join(', ') + (edited.length ? ` (edited: ${edited.join(', ')})` : '')
}

// ── General models ↔ the project file ───────────────────────────────────────────────────────

/** Array ids of one model's edited state. */
export function modelArrayIds(modelId: string) {
  return {
    fields: `${modelId}.fields`,
    couplings: `${modelId}.couplings`,
    spins: `${modelId}.spins`,
    bonds: `${modelId}.bonds`
  }
}

/** Most bonds a graph model may list (src-core/lattice/build.ts); project files are checked against it before their arrays are read. */
export { MAX_GRAPH_BONDS, maxGraphBonds }

/** The model as data for solvers and samplers, or a sentence saying what is wrong with the file. */
export function modelDataFromProject(
  m: ModelV2,
  arrays: Record<string, NpyArray>
): { ok: true; data: ModelData; spins: Int8Array | null } | { ok: false; error: string } {
  const float = (id: string | undefined, what: string): Float64Array | undefined | string => {
    if (id === undefined) return undefined
    const a = arrays[id]
    if (!a || !(a.data instanceof Float64Array)) return `the ${what} of model “${m.name}” are missing or not float64`
    return a.data
  }
  let lattice: LatticeSpec
  if (m.lattice.kind === 'graph') {
    const b = arrays[m.lattice.bonds]
    if (!b || !(b.data instanceof Int32Array) || b.shape.length !== 2 || b.shape[1] !== 2) {
      return { ok: false, error: `the bonds of graph model “${m.name}” are missing or not an int32 [bonds, 2] array` }
    }
    const most = maxGraphBonds(m.lattice.N)
    if (b.shape[0]! > most) {
      return {
        ok: false,
        error: `graph model “${m.name}” lists ${b.shape[0]} bonds, more than the ${most} a graph of ${m.lattice.N} sites may have`
      }
    }
    // The file's int32 [bonds, 2] array as it is: endpoints i0, j0, i1, j1, … (no pairs, no copy).
    lattice = { kind: 'graph', N: m.lattice.N, bonds: b.data }
  } else {
    lattice = m.lattice
  }
  const fields = float(m.arrays.fields, 'fields')
  const couplings = float(m.arrays.couplings, 'couplings')
  if (typeof fields === 'string') return { ok: false, error: fields }
  if (typeof couplings === 'string') return { ok: false, error: couplings }
  const data: ModelData = { lattice, uniform: { ...m.uniform } }
  if (fields) data.fields = fields
  if (couplings) data.couplings = couplings
  const s = m.arrays.spins ? arrays[m.arrays.spins] : undefined
  const spins = s && s.data instanceof Int8Array ? s.data : null
  return { ok: true, data, spins }
}

/** A model record and the arrays it needs, from model data (and optionally its painted spins). */
export function projectModelFromData(
  id: string,
  name: string,
  data: ModelData,
  spins: Int8Array | null,
  extra: Partial<ModelV2> = {}
): { model: ModelV2; arrays: Record<string, NpyArray> } {
  const ids = modelArrayIds(id)
  const arrays: Record<string, NpyArray> = {}
  const model: ModelV2 = {
    ...extra,
    id,
    name,
    lattice: { kind: 'chain', N: 2, periodic: false },
    uniform: { ...data.uniform },
    arrays: {}
  }
  if (data.lattice.kind === 'graph') {
    const bonds = data.lattice.bonds
    let flat: Int32Array
    if (bonds instanceof Int32Array) {
      flat = bonds
    } else {
      flat = new Int32Array(bonds.length * 2)
      bonds.forEach(([i, j], k) => ((flat[2 * k] = i), (flat[2 * k + 1] = j)))
    }
    arrays[ids.bonds] = { dtype: '<i4', shape: [flat.length / 2, 2], data: flat }
    model.lattice = { kind: 'graph', N: data.lattice.N, bonds: ids.bonds }
  } else {
    model.lattice = { ...data.lattice }
  }
  if (data.fields) {
    arrays[ids.fields] = { dtype: '<f8', shape: [data.fields.length], data: data.fields }
    model.arrays.fields = ids.fields
  }
  if (data.couplings) {
    arrays[ids.couplings] = { dtype: '<f8', shape: [data.couplings.length], data: data.couplings }
    model.arrays.couplings = ids.couplings
  }
  if (spins) {
    arrays[ids.spins] = { dtype: '|i1', shape: [spins.length], data: spins }
    model.arrays.spins = ids.spins
  }
  return { model, arrays }
}
