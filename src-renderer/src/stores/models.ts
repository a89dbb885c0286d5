import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref, shallowRef, toRaw } from 'vue'
import { dataFromModel, modelFromData, type ModelData } from '@core/lattice/data'
import { isUniform } from '@core/lattice/model'
import { BOND_ANTIDIAGONAL, BOND_DIAGONAL, BOND_GRAPH, BOND_X, BOND_Y, type IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { modelDataFromProject, projectModelFromData } from '@shared/project/model'
import type { NpyArray, ProjectModel } from '@shared/project/types'
import type { EditorDocument } from '../logic/editor'

/**
 * The models of the open project as editable documents (lattice, fields, couplings, painted
 * spins). A model is built from the file only when first opened; models never opened are
 * written back with the arrays they were loaded with.
 */
export const useModelsStore = defineStore('models', () => {
  /** Editor documents by model id (built lazily). Not deep-reactive: typed arrays inside. */
  const docs = shallowRef<Record<string, EditorDocument>>({})
  /** Bumped on every edit; the project watches it for the dirty marker. */
  const revision = ref(0)
  /** The arrays the project was loaded with (models not opened are saved from these). */
  let loaded: Record<string, NpyArray> = {}

  function load(arrays: Record<string, NpyArray>): void {
    loaded = arrays
    docs.value = {}
  }

  /** The editor document of a model record, built on first use. Throws with a sentence for a damaged model. */
  function docFor(record: ProjectModel): EditorDocument {
    const existing = docs.value[record.id]
    if (existing) return existing
    const data = modelDataFromProject(plain(record), loaded)
    if (!data.ok) throw new Error(data.error)
    const model = modelFromData(data.data)
    const spins =
      data.spins && data.spins.length === model.lattice.N
        ? Int8Array.from(data.spins)
        : randomSpins(model.lattice.N, record.id)
    const doc = { model, spins }
    docs.value = { ...docs.value, [record.id]: doc }
    return doc
  }

  /** The editor changed a model (any edit, undo or redo). */
  function update(id: string, doc: EditorDocument): void {
    docs.value = { ...docs.value, [id]: doc }
    revision.value++
  }

  /** The model as data for a job (edited state if opened, else as loaded). */
  function dataOf(record: ProjectModel): ModelData {
    const doc = docs.value[record.id]
    if (doc) return dataFromModel(doc.model, inferUniform(doc.model, record.uniform))
    const data = modelDataFromProject(plain(record), loaded)
    if (!data.ok) throw new Error(data.error)
    return data.data
  }

  /** Model records and their arrays for saving. */
  function collect(records: ProjectModel[]): { models: ProjectModel[]; arrays: Record<string, NpyArray> } {
    const arrays: Record<string, NpyArray> = {}
    const models = records.map((record) => {
      const doc = docs.value[record.id]
      if (!doc) {
        for (const id of [
          ...Object.values(record.arrays),
          record.lattice.kind === 'graph' ? record.lattice.bonds : undefined
        ]) {
          if (id && loaded[id]) arrays[id] = loaded[id]
        }
        return record
      }
      const { id, name, lattice: _l, uniform: _u, arrays: _a, ...extra } = record
      ;(void _l, _u, _a)
      const built = projectModelFromData(
        id,
        name,
        dataFromModel(doc.model, inferUniform(doc.model, record.uniform)),
        doc.spins,
        extra
      )
      Object.assign(arrays, built.arrays)
      return built.model
    })
    return { models, arrays }
  }

  function forget(id: string): void {
    const next = { ...docs.value }
    delete next[id]
    docs.value = next
  }

  return { docs, revision, load, docFor, update, dataOf, collect, forget }
})

/** The uniform values that describe a model, when it is uniform; otherwise the previous ones. */
export function inferUniform(model: IsingModel, fallback: ProjectModel['uniform']): ProjectModel['uniform'] {
  if (!isUniform(model)) return { ...fallback }
  const byKind = new Map<number, number>()
  model.lattice.bondKind.forEach((kind, b) => byKind.set(kind, model.couplings[b]!))
  const K = byKind.get(BOND_X) ?? byKind.get(BOND_GRAPH) ?? fallback.K
  const uniform: ProjectModel['uniform'] = { K, h: model.fields[0] ?? 0 }
  const Ky = byKind.get(BOND_Y)
  const Kd = byKind.get(BOND_DIAGONAL) ?? byKind.get(BOND_ANTIDIAGONAL)
  if (Ky !== undefined && Ky !== K) uniform.Ky = Ky
  if (Kd !== undefined && Kd !== K) uniform.Kd = Kd
  return uniform
}

/**
 * The record without Vue's reactive proxies: its lattice ends up in model data sent to jobs,
 * and a proxy cannot be structured-cloned across the IPC boundary.
 */
function plain(record: ProjectModel): ProjectModel {
  const raw = toRaw(record)
  return { ...raw, lattice: { ...toRaw(raw.lattice) } }
}

/** A reproducible random start for a model that has no painted spins yet. */
function randomSpins(N: number, id: string): Int8Array {
  let seed = 0
  for (const ch of id) seed = (seed * 31 + ch.charCodeAt(0)) >>> 0
  const rng = xoshiro128ss(seed)
  return Int8Array.from({ length: N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
}

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useModelsStore, import.meta.hot))
