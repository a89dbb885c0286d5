import type { TrainingOptions } from '@core/rbm/optimizer'
import type { TrainingCheckpointScalars, TrainingHistory, TrainingMonitorChoice } from './trainings'

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
  /**
   * Format-2 extra (the run spec is a loose object): present when the chain samples the run's
   * model — fetched by modelId, never stored here — with the general samplers of
   * src-core/ising/mc. `algorithm` then holds the nearest format-1 name (wolff for the cluster
   * algorithms, else metropolis) so older readers still load the run.
   */
  general?: GeneralChainFields
  /** Format-2 extra: the chain starts (and resets) from the spins painted in the model editor; `start` then reads 'hot'. */
  startPainted?: true
}

/** What a chain on a general model adds to its run spec. */
export interface GeneralChainFields {
  algorithm: IsingAlgorithmV2
  /** Multiplies every K_i and K_ij of the model. */
  beta: number
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

// ── Format 2: general models (any lattice, per-site fields and per-bond couplings), datasets
//    of samples, and analyses. Runs (live and batch chains) are unchanged from format 1.

/** The lattice of a model, as buildLattice (src-core/lattice/build.ts) takes it; a graph's bonds live in an array. */
export type LatticeSpecV2 =
  | { kind: 'chain'; N: number; periodic: boolean }
  | { kind: 'square'; Lx: number; Ly: number; periodicX: boolean; periodicY: boolean; diagonals?: boolean }
  | { kind: 'triangular'; Lx: number; Ly: number }
  /** `bonds`: id of an int32 array of shape [bonds, 2]. */
  | { kind: 'graph'; N: number; bonds: string }

export interface ModelV2 {
  id: string
  name: string
  lattice: LatticeSpecV2
  /**
   * The uniform values the model was made from (paper's sign: H = −Σ K_i v_i − Σ K_ij v_i v_j):
   * K on every bond unless Kx / Ky / Kd say otherwise for that direction, h on every site.
   */
  uniform: { K: number; h: number; Kx?: number; Ky?: number; Kd?: number }
  /** Edited values, overriding `uniform`: float64 [N] fields, float64 [bonds] couplings, int8 [N] spins. */
  arrays: { fields?: string; couplings?: string; spins?: string }
  /** The preset it came from, and the seed of a random preset. */
  preset?: string
  presetSeed?: number
}

export type IsingAlgorithmV2 = 'metropolis' | 'metropolis-random' | 'heatbath' | 'wolff' | 'sw'

/** N decorrelated samples drawn from a model. */
export interface DatasetV2 {
  id: string
  name: string
  modelId: string
  algorithm: IsingAlgorithmV2
  seed: number
  /** Samples requested and stored. */
  samples: number
  burnIn: number
  /** Sweeps between stored samples (chosen from the measured τ_int unless set). */
  thin: number
  tauInt: number | null
  acceptance: number | null
  createdAt: string
  /** int8 [samples, N] spins; float64 [samples] energy H and magnetisation Σv. */
  arrays: { samples?: string; energy?: string; magnetisation?: string }
  /** Observables with error bars, as the sampler summarised them. */
  summary?: Record<string, unknown>
  /** How the pilot chose `thin`; absent when thin was fixed (or in older datasets). */
  thinning?: DatasetThinningV2
}

/** The pilot run that chose a dataset's thinning (src-core/jobs/isingDataset.ts PilotThinning). */
export interface DatasetThinningV2 {
  /** Sweeps the pilot ran: its first length, doubled until τ_int was reliable or the cap was reached. */
  pilotSweeps: number
  pilotMaxSweeps: number
  /** Every τ_int reliable by Sokal's criterion (pilot ≥ 100 τ_int). */
  reliable: boolean
  /** τ_int in sweeps of e, m and |m| over the pilot. */
  tauSweeps: { e: number; m: number; absM: number }
  /** The observable with the largest τ_int, which set thin = ⌈2 τ_int⌉. */
  setBy: 'e' | 'm' | 'absM'
}

/** A computed result that is not a dataset: a parameter sweep, an exact solve, an RG analysis… */
export interface AnalysisV2 {
  id: string
  name: string
  kind: string
  /** What it was made from (a model or dataset id). */
  sourceId: string | null
  spec: Record<string, unknown>
  createdAt: string
  arrays: Record<string, string>
  result?: Record<string, unknown>
}

/** An RBM or deep belief network trained on a dataset, with its history and checkpoint. */
export interface TrainingV2 {
  id: string
  name: string
  datasetId: string
  visibleUnits: '01' | 'pm1'
  layers: { nh: number; hiddenUnits: '01' | 'pm1' }[]
  /** Training options (method, k, epochs, batch size, schedule, momentum, penalties). */
  options: TrainingOptions
  passUp: 'probabilities' | 'samples'
  seed: number
  /** 'paused': a checkpoint is stored and training can resume bit-identically. */
  status: 'draft' | 'paused' | 'done'
  createdAt: string
  /** Weights per layer (W1, a1, b1, W2, …) and the checkpoint's arrays, by role. */
  arrays: Record<string, string>
  /** Monitors per epoch (reconstruction error, likelihoods, physical observables…). */
  history?: TrainingHistory
  /** The checkpoint's scalars (epoch, layer, batch index; RNG states are arrays). */
  checkpoint?: TrainingCheckpointScalars
  /** The monitors chosen (absent in records written before they could be chosen). */
  monitors?: TrainingMonitorChoice
}

export interface ProjectJsonV2 {
  format: 'blockspin'
  formatVersion: 2
  appVersion: string
  name: string
  createdAt: string
  modifiedAt: string
  notes: string
  models: ModelV2[]
  runs: RunV1[]
  datasets: DatasetV2[]
  analyses: AnalysisV2[]
  /** Absent in files written before trainings existed (read as none). */
  trainings?: TrainingV2[]
  arrays: Record<string, ArrayEntryV1>
  [extra: string]: unknown
}

// ── Format 3: coarse datasets (levels of a block-spin cascade) and the RG analyses that make them.

/** Where a coarse dataset comes from: the dataset it was blocked from, by which analysis and rule. */
export interface CoarseOriginV3 {
  /** The dataset blocked (itself possibly coarse). */
  sourceId: string
  /** The rg.cascade analysis that made it. */
  analysisId: string
  rule: 'average' | 'majority' | 'decimation'
  b: number
  /** Blocking steps from the original samples' lattice (1 = one step). */
  level: number
}

/**
 * A dataset of format 3: as format 2, or a coarse level of another dataset (samples int8 ±1, or
 * float32 block averages for the average rule, of shape [samples, Ly′, Lx′]).
 */
export interface DatasetV3 extends DatasetV2 {
  coarse?: CoarseOriginV3
}

export interface ProjectJsonV3 {
  format: 'blockspin'
  formatVersion: 3
  appVersion: string
  name: string
  createdAt: string
  modifiedAt: string
  notes: string
  models: ModelV2[]
  runs: RunV1[]
  datasets: DatasetV3[]
  analyses: AnalysisV2[]
  /** Absent in files written before trainings existed (read as none). */
  trainings?: TrainingV2[]
  arrays: Record<string, ArrayEntryV1>
  [extra: string]: unknown
}

/** The current format's shapes. */
export type ProjectJson = ProjectJsonV3
export type ProjectModel = ModelV2
export type ProjectRun = RunV1
export type ProjectDataset = DatasetV3
export type ProjectAnalysis = AnalysisV2
export type ProjectTraining = TrainingV2

export interface ProjectDoc {
  project: ProjectJson
  arrays: Record<string, NpyArray>
}
