import { uniqueName } from '../logic/exactTable'
import { dataFromModel } from '@core/lattice/data'
import { presetModel, PRESETS, type PresetName } from '@core/lattice/model'
import type { McAlgorithm } from '@core/ising/mc'
import type { DatasetSpec } from '@core/jobs/isingDataset'
import type { SweepSpec } from '@core/jobs/isingSweep'
import type { RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgSpec } from '@core/jobs/rgMcrg'
import { plannedAnalysis, plannedDataset, type PlannedKind } from '@shared/cluster/planned'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { nextId, projectModelFromData } from '@shared/project/model'
import { useDataStore } from './data'
import { flowName, mcrgName } from './rg'
import { inferUniform, useModelsStore } from './models'
import { useProjectStore } from './project'
import { useTrainingsStore, type TrainingSource } from './trainings'
import { defaultConfig } from '../logic/trainingForm'
import { physicalLattice, sampleShape } from '@shared/project/trainingData'
import { applyConfig, type TrainingRecord } from '../logic/trainingSpec'
import { useUiStore } from './ui'

export interface DatasetOptions {
  algorithm: McAlgorithm
  samples: number
  burnIn: number
  thin: number | 'auto'
  seed: number
  keepSamples: boolean
}

/** The paper's dataset (SCIENCE.md §4): 20,000 decorrelated samples of the 40×40 torus at K = 0.408. */
export const PAPER_DATASET: DatasetOptions = {
  algorithm: 'wolff',
  samples: 20_000,
  burnIn: 2000,
  thin: 'auto',
  seed: 1410,
  keepSamples: true
}

export const newSeed = (): number => (Date.now() ^ Math.floor(Math.random() * 0xffffffff)) >>> 0

/**
 * Adding models, datasets, analyses and trainings, and starting the jobs that make them (deleting
 * them is projectRemovals.ts). Kept apart from the project store, which owns the records: they
 * change through its actions (addRecord, renameRecord).
 */
/** "Sweep K 0.38…0.5, L = 8, 16". */
export const sweepName = (spec: SweepSpec): string =>
  `Sweep K ${spec.Ks[0]}…${spec.Ks[spec.Ks.length - 1]}, L = ${spec.Ls.join(', ')}`

export function useProjectItems() {
  const project = useProjectStore()
  const models = useModelsStore()
  const data = useDataStore()
  const ui = useUiStore()
  const trainings = useTrainingsStore()

  const ids = () => {
    const p = project.project
    return [...p.models, ...p.runs, ...p.datasets, ...p.analyses, ...(p.trainings ?? [])]
      .map((x) => x.id)
      .concat(data.pending.map((j) => j.id))
  }

  /** A new model from a preset; random presets are reproducible from their seed. */
  function addModel(preset: PresetName, opts: { L?: number; K?: number; h?: number; seed?: number } = {}): string {
    const id = nextId('model', ids())
    const seed = opts.seed ?? newSeed()
    const model = presetModel(preset, { L: opts.L, K: opts.K, h: opts.h, rng: xoshiro128ss(seed) })
    const title = PRESETS.find((p) => p.name === preset)?.title ?? preset
    const uniform = inferUniform(model, { K: opts.K ?? 0.4, h: opts.h ?? 0 })
    const random = preset === 'spin-glass' || preset === 'random-field'
    const size = `${model.lattice.Lx}×${model.lattice.Ly}`
    const built = projectModelFromData(
      id,
      title.includes(size) ? title : `${title} ${size}`,
      dataFromModel(model, uniform),
      null,
      {
        preset,
        ...(random ? { presetSeed: seed } : {})
      }
    )
    project.addRecord('models', built.model, false)
    models.update(id, models.docFor({ ...built.model, arrays: {} }))
    // The new model's own arrays (a random preset's couplings) are in its editor document.
    models.update(id, { model, spins: models.docs[id]!.spins })
    project.openTab(id)
    return id
  }

  async function generateDataset(modelId: string, opts: DatasetOptions, name?: string): Promise<void> {
    const model = project.project.models.find((m) => m.id === modelId)
    if (!model) return
    let spec: DatasetSpec
    try {
      spec = {
        model: models.dataOf(model),
        algorithm: opts.algorithm,
        samples: opts.samples,
        burnIn: opts.burnIn,
        thin: opts.thin,
        start: 'random',
        keepSamples: opts.keepSamples
      }
    } catch (e) {
      ui.showError('The dataset was not started', (e as Error).message)
      return
    }
    const id = nextId('data', ids())
    const named = name ?? `${opts.samples.toLocaleString('en')} samples of ${model.name}`
    await data.startDataset({ id, name: named, modelId, spec, seed: opts.seed })
  }

  /** The paper's experiment in one click: its model (added if missing) and its dataset. */
  async function paperDataset(): Promise<void> {
    const existing = project.project.models.find((m) => m.preset === 'paper-40x40')
    const modelId = existing?.id ?? addModel('paper-40x40')
    const model = project.project.models.find((m) => m.id === modelId)!
    const base = `${PAPER_DATASET.samples.toLocaleString('en')} samples of ${model.name}`
    const same = [
      ...project.project.datasets.filter((d) => d.modelId === modelId && d.seed === PAPER_DATASET.seed),
      ...data.pending.filter((p) => p.kind === 'dataset' && p.sourceId === modelId)
    ]
    if (same.length === 0) return generateDataset(modelId, PAPER_DATASET)
    // The same seed would give the same configurations again: ask, and make the second one distinct.
    const answer = await ui.confirm({
      title: 'The paper’s dataset is already there',
      message: `“${same[0]!.name}” was made with the paper’s seed ${PAPER_DATASET.seed}; the same seed gives the same samples. Generate another with a new seed?`,
      buttons: ['Generate with a new seed', 'Cancel'],
      cancelIndex: 1
    })
    if (answer !== 0) return
    const seed = newSeed()
    const taken = [...project.project.datasets.map((d) => d.name), ...data.pending.map((p) => p.name)]
    const name = uniqueName(`${base}, seed ${seed}`, taken)
    await generateDataset(modelId, { ...PAPER_DATASET, seed }, name)
    ui.showNotice(`Started “${name}”: the paper’s settings with seed ${seed} instead of ${PAPER_DATASET.seed}`)
  }

  async function runSweep(spec: SweepSpec, seed: number): Promise<void> {
    await data.startSweep({ id: nextId('sweep', ids()), name: sweepName(spec), spec, seed })
  }

  /**
   * A sweep, an MCRG or an RG flow planned for a cluster (a launch dialog's "Run on a cluster…"): added to
   * the tree with its spec and seed and no result, and its bundle's results merge into it.
   */
  function planForCluster(kind: PlannedKind, spec: SweepSpec | RgMcrgSpec | RgFlowSpec, seed: number): string {
    const id = nextId({ sweep: 'sweep', 'rg.mcrg': 'mcrg', 'rg.flow': 'flow' }[kind], ids())
    const base =
      kind === 'sweep'
        ? sweepName(spec as SweepSpec)
        : kind === 'rg.mcrg'
          ? mcrgName(spec as RgMcrgSpec)
          : flowName(spec as RgFlowSpec)
    const name = uniqueName(
      base,
      project.project.analyses.map((a) => a.name)
    )
    project.addRecord('analyses', plannedAnalysis({ id, name, kind, spec, seed }))
    return id
  }

  /**
   * A dataset planned for a cluster (the dataset form's "Run on a cluster…"): added to the tree
   * with its model, sampler, seed and sizes and no samples; its bundle's shards merge into it.
   */
  function planDatasetForCluster(modelId: string, opts: DatasetOptions): string | null {
    const model = project.project.models.find((m) => m.id === modelId)
    if (!model) return null
    const id = nextId('data', ids())
    const taken = [...project.project.datasets.map((d) => d.name), ...data.pending.map((p) => p.name)]
    const name = uniqueName(`${opts.samples.toLocaleString('en')} samples of ${model.name}`, taken)
    project.addRecord('datasets', plannedDataset({ id, name, modelId, ...opts }))
    return id
  }

  async function solveExactly(modelId: string): Promise<void> {
    const model = project.project.models.find((m) => m.id === modelId)
    if (!model) return
    let spec
    try {
      spec = { model: models.dataOf(model) }
    } catch (e) {
      ui.showError('The model could not be solved', (e as Error).message)
      return
    }
    const taken = [...project.project.analyses.map((a) => a.name), ...data.pending.map((p) => p.name)]
    await data.startExact({
      id: nextId('exact', ids()),
      name: uniqueName(`Exact solution of ${model.name}`, taken),
      modelId,
      spec
    })
  }

  /** The stored samples and the model of a dataset (null when it kept no configurations). */
  function trainingSource(datasetId: string): TrainingSource | null {
    const d = project.project.datasets.find((x) => x.id === datasetId)
    const samples = d?.arrays.samples ? data.arrays[d.arrays.samples] : undefined
    if (!d || !samples || !(samples.data instanceof Int8Array)) return null
    return { samples, model: project.project.models.find((m) => m.id === d.modelId) }
  }

  /** A draft training of an RBM on a dataset, opened in a tab for its configuration. */
  function addTraining(datasetId: string): string | null {
    const d = project.project.datasets.find((x) => x.id === datasetId)
    const source = trainingSource(datasetId)
    if (!d || !source) return null
    const id = nextId('train', ids())
    const { cols } = sampleShape(source.samples)
    const seed = newSeed()
    const config = defaultConfig(cols, seed, physicalLattice(source.model) !== null)
    const record: TrainingRecord = {
      id,
      name: `RBM on ${d.name}`,
      datasetId,
      visibleUnits: '01',
      layers: [],
      options: config.options,
      passUp: 'probabilities',
      seed,
      status: 'draft',
      createdAt: new Date().toISOString(),
      arrays: {}
    }
    applyConfig(record, config)
    project.addRecord('trainings', record)
    return id
  }

  /** Renames a training (trimmed, at most 200 characters); empty names are ignored. */
  function renameTraining(id: string, name: string): void {
    const t = project.renameRecord('trainings', id, name)
    if (t) trainings.renamed(t)
  }

  return {
    addModel,
    generateDataset,
    paperDataset,
    runSweep,
    planForCluster,
    planDatasetForCluster,
    solveExactly,
    trainingSource,
    addTraining,
    renameTraining
  }
}
