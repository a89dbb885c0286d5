import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js'
import { validateRgFlowSpec, type RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgSpec } from '@core/jobs/rgMcrg'
import { validateRgMcrgSpec } from '@core/jobs/rgMcrg'
import { rgFlowSpecSchema, rgMcrgSpecSchema } from '../rgJobSpecSchemas'
import { nextId } from '../project/model'
import { physicalLattice } from '../project/trainingData'
import type { ProjectAnalysis, ProjectDoc, ProjectTraining } from '../project/types'
import { schemaProblem, type BundleManifest } from './bundle'
import { TRAINING_DATA_FILE, type BundleDataFile, type TrainingUnitSpec } from './bundleUnits'
import { toBundleJson } from './json'

/**
 * Splitting an MCRG analysis (independent chains, each with the analysis's burn-in and a share
 * of its samples; pooled on merge), an RG flow (one unit per starting K, the flow's spec with
 * that K alone; its points sorted by K on merge) and a training grid (one unit per learning rate × first
 * hidden layer size × replica, on the dataset packed once into the bundle) into units.
 */

export interface TrainingGrid {
  learningRates?: number[]
  /** Sizes of the first hidden layer (the other layers as the training has them). */
  hidden?: number[]
  /** Trainings of each configuration, each with its own random stream. */
  replicas?: number
}

export interface KindSplit<Spec> {
  name: string
  itemSeed: number
  units: { label: string; spec: Spec }[]
  extra: Partial<BundleManifest>
  /** Files the bundle carries besides its tasks: bundle-relative path and exact text. */
  files?: { path: string; text: string }[]
}

const jsonCopy = <T>(value: unknown): T => JSON.parse(JSON.stringify(value)) as T

/** Samples of each chain at least (the MCRG job's own minimum). */
export const MIN_MCRG_CHAIN_SAMPLES = 4
/** Units of a grid at most. */
export const MAX_GRID_UNITS = 1000

export function splitMcrg(analysis: ProjectAnalysis, chains?: number): KindSplit<RgMcrgSpec> | { error: string } {
  const { seed: itemSeed, ...rest } = analysis.spec
  const problem = schemaProblem(rgMcrgSpecSchema, rest)
  if (problem) return { error: `The MCRG's spec is not valid (${problem}).` }
  const spec = rgMcrgSpecSchema.parse(rest) as RgMcrgSpec
  try {
    validateRgMcrgSpec(spec)
  } catch (e) {
    return { error: `The MCRG's spec is not valid (${(e as Error).message}).` }
  }
  const most = Math.floor(spec.count / MIN_MCRG_CHAIN_SAMPLES)
  const n = chains ?? Math.max(2, Math.min(8, most))
  if (!Number.isInteger(n) || n < 2 || n > most)
    return {
      error: `${spec.count} samples make 2 to ${Math.max(2, most)} independent chains (each needs ${MIN_MCRG_CHAIN_SAMPLES} samples; error bars need two), not ${n}.`
    }
  const base = Math.floor(spec.count / n)
  const units = Array.from({ length: n }, (_, k) => {
    const count = base + (k < spec.count % n ? 1 : 0)
    return { label: `chain ${k + 1} of ${n} (${count} samples)`, spec: { ...spec, count } }
  })
  return {
    name: analysis.name,
    itemSeed: typeof itemSeed === 'number' ? itemSeed : 1,
    units,
    extra: { mcrg: { spec, sourceId: analysis.sourceId } }
  }
}

export function splitFlow(analysis: ProjectAnalysis): KindSplit<RgFlowSpec> | { error: string } {
  const { seed: itemSeed, ...rest } = analysis.spec
  const problem = schemaProblem(rgFlowSpecSchema, rest)
  if (problem) return { error: `The RG flow's spec is not valid (${problem}).` }
  const spec = rgFlowSpecSchema.parse(rest) as RgFlowSpec
  try {
    validateRgFlowSpec(spec)
  } catch (e) {
    return { error: `The RG flow's spec is not valid (${(e as Error).message}).` }
  }
  return {
    name: analysis.name,
    itemSeed: typeof itemSeed === 'number' ? itemSeed : 1,
    units: spec.Ks.map((K) => ({ label: `K = ${K}`, spec: { ...spec, Ks: [K] } })),
    extra: { flow: { spec } }
  }
}

export function splitTraining(
  doc: ProjectDoc,
  t: ProjectTraining,
  grid: TrainingGrid,
  targetId: string,
  taken: string[]
): KindSplit<TrainingUnitSpec> | { error: string } {
  const p = doc.project
  const dataset = p.datasets.find((d) => d.id === t.datasetId)
  const array = dataset?.arrays.samples ? doc.arrays[dataset.arrays.samples] : undefined
  if (!dataset || !array || !(array.data instanceof Int8Array))
    return { error: `The training's dataset "${t.datasetId}" kept no configurations to train on.` }
  const own = t.options.learningRate
  const rates = grid.learningRates ?? [typeof own === 'number' ? own : own.initial]
  const hidden = grid.hidden ?? [t.layers[0]!.nh]
  const replicas = grid.replicas ?? 1
  if (rates.some((r) => !Number.isFinite(r) || r <= 0)) return { error: 'Learning rates must be positive numbers.' }
  if (hidden.some((h) => !Number.isInteger(h) || h < 1 || h > 65536))
    return { error: 'Hidden sizes must be whole numbers from 1 to 65536.' }
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 1000)
    return { error: 'seeds must be a whole number from 1 to 1000.' }
  const total = rates.length * hidden.length * replicas
  if (total > MAX_GRID_UNITS) return { error: `The grid has ${total} trainings, more than ${MAX_GRID_UNITS}.` }
  const cols = array.shape.slice(1).reduce((a, b) => a * b, 1)
  const lattice = physicalLattice(
    p.models.find((m) => m.id === dataset.modelId),
    cols
  )
  const used = new Set(taken)
  const units: KindSplit<TrainingUnitSpec>['units'] = []
  for (const learningRate of rates)
    for (const nh of hidden)
      for (let replica = 0; replica < replicas; replica++) {
        const id = nextId(`${targetId}-`, used)
        used.add(id)
        const what = `learning rate ${learningRate}, ${nh} hidden${replicas > 1 ? `, replica ${replica + 1}` : ''}`
        units.push({
          label: what,
          spec: {
            id,
            name: `${t.name} (${what})`,
            visibleUnits: t.visibleUnits,
            layers: t.layers.map((l, k) => ({ nh: k === 0 ? nh : l.nh, hiddenUnits: l.hiddenUnits })),
            // The training's own rate (a schedule, maybe) unless the grid gives rates.
            options: jsonCopy<TrainingUnitSpec['options']>({
              ...t.options,
              learningRate: grid.learningRates ? learningRate : own
            }),
            passUp: t.passUp,
            monitors: jsonCopy<TrainingUnitSpec['monitors']>(t.monitors ?? { logLikelihood: 'auto', physical: false }),
            lattice,
            config: { learningRate, hidden: nh, replica }
          }
        })
      }
  const file: BundleDataFile = {
    format: 'blockspin-cluster-data',
    version: 1,
    datasetId: dataset.id,
    shape: [...array.shape],
    samples: array.data as Int8Array<ArrayBuffer>
  }
  const text = toBundleJson(file) + '\n'
  const data = { file: TRAINING_DATA_FILE, sha256: bytesToHex(sha256(utf8ToBytes(text))) }
  return {
    name: t.name,
    itemSeed: t.seed,
    units,
    extra: {
      training: { datasetId: dataset.id, data, learningRates: rates, hidden, replicas }
    },
    files: [{ path: TRAINING_DATA_FILE, text }]
  }
}
