/**
 * In-memory shape of a project as it crosses process boundaries: the parsed project.json plus
 * its arrays. The codec (codec.ts) turns this into a `.blockspin` ZIP and back.
 */
export type NpyDtype = '|i1' | '|u1' | '<i4' | '<u4' | '<f4' | '<f8'
export type NpyData = Int8Array | Uint8Array | Int32Array | Uint32Array | Float32Array | Float64Array

export interface NpyArray {
  dtype: NpyDtype
  /** C order. */
  shape: number[]
  data: NpyData
}

export type IsingAlgorithmName = 'metropolis' | 'wolff'

export interface ModelV1 {
  id: string
  name: string
  lattice: { kind: 'square'; L: number; periodic: true }
  /** Nearest-neighbour coupling, paper's sign: H = −K Σ v_i v_j − h Σ v_i. */
  K: number
  h: number
}

export interface ChainSpecV1 {
  L: number
  K: number
  h: number
  algorithm: IsingAlgorithmName
  sweepsPerFrame: number
  seed: number
  start: 'hot' | 'cold'
  /** Batch runs stop here; live runs have none. */
  targetSweeps?: number
}

export interface RunV1 {
  id: string
  name: string
  modelId: string
  kind: 'ising.chain'
  spec: ChainSpecV1
  /** pending: not run yet (or not finished) — `blockspin run` completes these. */
  status: 'pending' | 'live' | 'done'
  /** Sweeps done when saved. */
  sweep: number
  /** Array ids (keys of `arrays`) holding this run's state, present once it has run. */
  arrays: { spins?: string; energy?: string; absM?: string; rngState?: string }
  createdAt: string
}

export interface ArrayEntryV1 {
  dtype: NpyDtype
  shape: number[]
  /** Lower-case hex sha256 of the whole .npy file. */
  sha256: string
}

export interface ProjectJsonV1 {
  format: 'blockspin'
  formatVersion: 1
  appVersion: string
  name: string
  createdAt: string
  modifiedAt: string
  notes: string
  models: ModelV1[]
  runs: RunV1[]
  /** Every array in the file, stored as `arrays/<id>.npy`. */
  arrays: Record<string, ArrayEntryV1>
  [extra: string]: unknown
}

export interface ProjectDoc {
  project: ProjectJsonV1
  arrays: Record<string, NpyArray>
}
