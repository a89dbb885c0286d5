import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { KnownJobKind, ResultOf, SpecOf } from '@shared/jobKinds'
import { nextId } from '@shared/project/model'
import { cascadeRecords, rgAnalysisRecord } from '@shared/project/rgRecords'
import type { BlockRule } from '@core/rg/blockSpin'
import type { CouplingName } from '@core/rg/pseudoLikelihood'
import type { MappingSpec } from '@core/jobs/mapping'
import type { RgFlowSpec } from '@core/jobs/rgFlow'
import type { RgMcrgSpec } from '@core/jobs/rgMcrg'
import { useJobEvents } from '../composables/useJobEvents'
import { useDataStore } from './data'
import { useProjectStore } from './project'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'

/** "MCRG, 64² at K = 0.440687". */
export const mcrgName = (spec: RgMcrgSpec): string => `MCRG, ${spec.L}² at K = ${spec.K.toPrecision(6)}`

/** "RG flow, 32², K 0.38…0.5". */
export const flowName = (spec: RgFlowSpec): string =>
  `RG flow, ${spec.L}², K ${spec.Ks[0]}…${spec.Ks[spec.Ks.length - 1]}`

/** An RG or mapping job started in this session, not yet in the project. */
export interface PendingRgJob {
  jobId: string
  kind: 'rg.cascade' | 'rg.flow' | 'rg.mcrg' | 'mapping.exact' | 'compare.rgDbn'
  /** The id its analysis will get. */
  id: string
  name: string
}

export interface CascadeOptions {
  datasetId: string
  rule: BlockRule
  b: number
  levels: number
  couplings: CouplingName[]
  seed: number
}

/**
 * Renormalization and the mapping: starts their jobs (block-spin cascades of datasets, RG
 * flows, MCRG, exact mappings) and turns each result into project records through the one
 * module that defines them (shared/project/rgRecords.ts); the data store hands them to the
 * project with their arrays, as it does for datasets.
 */
export const useRgStore = defineStore('rg', () => {
  const pending = ref<PendingRgJob[]>([])

  const takenIds = (): string[] => {
    const p = useProjectStore().project
    return [...p.models, ...p.runs, ...p.datasets, ...p.analyses, ...(p.trainings ?? [])]
      .map((x) => x.id)
      .concat(
        useDataStore().pending.map((j) => j.id),
        pending.value.map((j) => j.id)
      )
  }

  async function start<K extends PendingRgJob['kind'] & KnownJobKind>(
    kind: K,
    prefix: string,
    name: string,
    spec: SpecOf<K>,
    seed: number,
    done: (id: string, result: NonNullable<ResultOf<K>>) => void
  ): Promise<string> {
    const id = nextId(prefix, takenIds())
    await useJobEvents().start({ kind, title: name, interactive: false, spec, seed }, (jobId) => {
      pending.value = [...pending.value, { jobId, kind, id, name }]
      const stop = () => void (pending.value = pending.value.filter((j) => j.jobId !== jobId))
      return {
        result(result, cancelled) {
          stop()
          if (!cancelled && result) done(id, result as NonNullable<ResultOf<K>>)
        },
        update({ status }) {
          if (status === 'failed') stop()
        }
      }
    })
    return id
  }

  /** Blocks a stored dataset level after level; its levels become coarse datasets. */
  async function startCascade(opts: CascadeOptions): Promise<string | null> {
    const project = useProjectStore()
    const data = useDataStore()
    const source = project.project.datasets.find((d) => d.id === opts.datasetId)
    const samples = source?.arrays.samples ? data.arrays[source.arrays.samples] : undefined
    // A chain's samples are [count, N]: blocked b × 1 as a 1 × N grid.
    const model = source ? project.project.models.find((m) => m.id === source.modelId) : undefined
    const chainShape = !source?.coarse && model?.lattice.kind === 'chain' && samples?.shape.length === 2
    if (!source || !samples || !(samples.data instanceof Int8Array) || (samples.shape.length !== 3 && !chainShape)) {
      useUiStore().showError(
        'The cascade was not started',
        'Block spins need a dataset that kept its ±1 configurations of a square lattice or chain.'
      )
      return null
    }
    const [count, Ly, Lx] = (chainShape ? [samples.shape[0], 1, samples.shape[1]] : samples.shape) as [
      number,
      number,
      number
    ]
    const spec = {
      samples: samples.data,
      count,
      Lx,
      Ly,
      rule: opts.rule,
      b: opts.b,
      levels: opts.levels,
      couplings: opts.couplings
    }
    const name = `${source.name}: ${opts.rule} ${opts.b}×${Ly === 1 ? 1 : opts.b}, ${opts.levels} level${opts.levels === 1 ? '' : 's'}`
    return start('rg.cascade', 'rg', name, spec, opts.seed, (id, result) => {
      const { samples: _samples, ...shape } = spec
      const records = cascadeRecords({
        analysisId: id,
        name,
        source,
        spec: shape,
        seed: opts.seed,
        result,
        taken: takenIds()
      })
      data.deliver({ datasets: records.datasets, analysis: records.analysis }, records.arrays)
    })
  }

  async function startFlow(spec: RgFlowSpec, seed: number): Promise<string> {
    const name = flowName(spec)
    return start('rg.flow', 'flow', name, spec, seed, (id, result) =>
      useDataStore().deliver({
        analysis: rgAnalysisRecord({ id, name, kind: 'rg.flow', sourceId: null, spec, seed, result })
      })
    )
  }

  async function startMcrg(spec: RgMcrgSpec, seed: number): Promise<string> {
    const name = mcrgName(spec)
    return start('rg.mcrg', 'mcrg', name, spec, seed, (id, result) =>
      useDataStore().deliver({
        analysis: rgAnalysisRecord({ id, name, kind: 'rg.mcrg', sourceId: null, spec, seed, result })
      })
    )
  }

  /** An exact mapping analysis; `sourceId` names the model of a 'kernel' spec. */
  async function startMapping(
    spec: MappingSpec,
    seed: number,
    name: string,
    sourceId: string | null = null
  ): Promise<string> {
    return start('mapping.exact', 'map', name, spec, seed, (id, result) =>
      useDataStore().deliver({
        analysis: rgAnalysisRecord({ id, name, kind: 'mapping', sourceId, spec, seed, result })
      })
    )
  }

  /**
   * RG vs DBN: a finished training's network against block-spin RG of the dataset it was trained
   * on, level by level (rule, b, the couplings to fit, and the RBM flow's starting K).
   */
  async function startCompare(opts: {
    trainingId: string
    rule: 'majority' | 'decimation'
    b: number
    couplings: CouplingName[]
    flow?: { Ks: number[]; steps: number; count: number }
    seed: number
  }): Promise<string | null> {
    const project = useProjectStore()
    const training = project.project.trainings?.find((t) => t.id === opts.trainingId)
    const dataset = training && project.project.datasets.find((d) => d.id === training.datasetId)
    const samples = dataset?.arrays.samples ? useDataStore().arrays[dataset.arrays.samples] : undefined
    const dbn = training ? useTrainingsStore().networkOf(training.id) : null
    if (
      !training ||
      !dataset ||
      !dbn ||
      !samples ||
      !(samples.data instanceof Int8Array) ||
      samples.shape.length !== 3
    ) {
      useUiStore().showError(
        'The comparison was not started',
        'It needs a trained network and the ±1 configurations of the square lattice it was trained on.'
      )
      return null
    }
    const [count, Ly, Lx] = samples.shape as [number, number, number]
    const shape = {
      count,
      Lx,
      Ly,
      rule: opts.rule,
      b: opts.b,
      couplings: opts.couplings,
      ...(opts.flow ? { flow: opts.flow } : {})
    }
    const name = `RG vs ${training.name}`
    return start('compare.rgDbn', 'compare', name, { ...shape, samples: samples.data, dbn }, opts.seed, (id, result) =>
      useDataStore().deliver({
        analysis: rgAnalysisRecord({
          id,
          name,
          kind: 'compare',
          sourceId: training.id,
          spec: { ...shape, datasetId: dataset.id },
          seed: opts.seed,
          result
        })
      })
    )
  }

  return { pending, startCascade, startFlow, startMcrg, startMapping, startCompare }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useRgStore, import.meta.hot))
