import type { DatasetSpec } from '@core/jobs/isingDataset'
import type { MappingSpec } from '@core/jobs/mapping'
import type { CouplingName } from '@core/rg/pseudoLikelihood'
import { dataFromModel } from '@core/lattice/data'
import { presetModel } from '@core/lattice/model'
import { HINTON_SALAKHUTDINOV, type TrainingOptions } from '@core/rbm/optimizer'
import { emptyProject, nextId, projectModelFromData } from './model'
import { PAPER_TEMPLATE, PIPELINE_KIND, freshStages, type PaperParameters, type PaperVariant } from './paperPipeline'
import type { ProjectAnalysis, ProjectDoc, ProjectJson, ProjectTraining } from './types'

/**
 * The "Mehta & Schwab 2014" template: the paper's experiment as a project that runs itself, stage
 * by stage, in the app (one button) and headless (`blockspin run`). The reproduction is an
 * analysis of kind 'pipeline' whose spec holds the parameters and whose result holds each
 * stage's state (paperPipeline.ts), so a project saved half-way continues where it stopped (the
 * training from its checkpoint). Stages, in order:
 *  - mapping: Fig. 2, the 1D decimation as a deep network (the exact mapping, preset decimation-1d);
 *  - dataset: decorrelated samples of the periodic L×L Ising model at K (Wolff);
 *  - training: the DBN with the Hinton–Salakhutdinov defaults the paper used (CD-1, L1 2·10⁻⁴),
 *    its receptive fields and reconstructions (Fig. 3);
 *  - compare: Blockspin's level-by-level comparison of the network with block-spin RG.
 * The full variant is the paper's (40×40 at K = 0.408, 20,000 samples, 1600→400→100→25, 200
 * epochs); the small one (16×16, 2,000 samples, 256→64→16→4, 20 epochs) runs in well under a
 * minute and ships as the example project.
 */

export const PAPER_PARAMETERS: Record<PaperVariant, PaperParameters> = {
  full: {
    variant: 'full',
    L: 40,
    K: 0.408,
    samples: 20_000,
    datasetSeed: 1410,
    layers: [400, 100, 25],
    epochs: 200,
    l1: 2e-4,
    trainingSeed: 3831,
    compare: {
      rule: 'majority',
      b: 2,
      couplings: ['nearest', 'diagonal', 'plaquette'],
      flow: { Ks: [0.3, 0.41, 0.44, 0.47, 0.55], steps: 4, count: 200 },
      seed: 2014
    },
    mapping: { K: 0.8, M: 6, steps: 4 }
  },
  small: {
    variant: 'small',
    L: 16,
    K: 0.408,
    samples: 2_000,
    datasetSeed: 1410,
    layers: [64, 16, 4],
    epochs: 20,
    l1: 2e-4,
    trainingSeed: 3831,
    compare: {
      rule: 'majority',
      b: 2,
      couplings: ['nearest', 'diagonal', 'plaquette'],
      flow: { Ks: [0.3, 0.44, 0.55], steps: 3, count: 50 },
      seed: 2014
    },
    mapping: { K: 0.8, M: 6, steps: 4 }
  }
}

export const PAPER_TITLE: Record<PaperVariant, string> = {
  full: 'Mehta & Schwab 2014',
  small: 'Mehta & Schwab 2014 (small)'
}

/** The paper's network and training options (SCIENCE.md §4) with the template's epochs and L1. */
export function paperTrainingOptions(p: PaperParameters): TrainingOptions {
  const o = HINTON_SALAKHUTDINOV
  return {
    ...o,
    momentum: { ...o.momentum },
    ...(o.init ? { init: { ...o.init } } : {}),
    epochs: p.epochs,
    l1: p.l1
  } as TrainingOptions
}

/**
 * Adds the template's model and pipeline to a project (ids chosen to be free) and returns the
 * pipeline's id. The model is the periodic L×L ferromagnet at K (the paper's preset for 40×40).
 */
export function addPaperPipeline(doc: ProjectDoc, variant: PaperVariant, now = new Date()): string {
  const p = doc.project
  const params = PAPER_PARAMETERS[variant]
  const taken = () => [
    ...p.models.map((m) => m.id),
    ...p.runs.map((r) => r.id),
    ...p.datasets.map((d) => d.id),
    ...p.analyses.map((a) => a.id),
    ...(p.trainings ?? []).map((t) => t.id)
  ]
  const modelId = nextId('model', taken())
  const paper = params.L === 40
  const model = paper ? presetModel('paper-40x40') : presetModel('ferromagnet', { L: params.L, K: params.K })
  const built = projectModelFromData(
    modelId,
    `${paper ? 'The paper’s 40×40' : `Ferromagnet ${params.L}×${params.L}`} at K = ${params.K}`,
    dataFromModel(model, { K: params.K, h: 0 }),
    null,
    { preset: paper ? 'paper-40x40' : 'ferromagnet' }
  )
  p.models.push(built.model)
  Object.assign(doc.arrays, built.arrays)
  const id = nextId('paper', taken())
  p.analyses.push(paperPipelineRecord(id, PAPER_TITLE[variant], variant, modelId, now))
  return id
}

/** The reproduction's analysis record on a model: the variant's parameters and four pending stages. */
export function paperPipelineRecord(
  id: string,
  name: string,
  variant: PaperVariant,
  modelId: string,
  now = new Date()
): ProjectAnalysis {
  return {
    id,
    name,
    kind: PIPELINE_KIND,
    sourceId: modelId,
    spec: JSON.parse(JSON.stringify({ template: PAPER_TEMPLATE, parameters: PAPER_PARAMETERS[variant] })) as Record<
      string,
      unknown
    >,
    createdAt: now.toISOString(),
    arrays: {},
    result: { stages: freshStages() }
  }
}

/** A new project holding only the template (named after it, with notes saying what it does). */
export function paperProject(variant: PaperVariant, appVersion: string, now = new Date()): ProjectDoc {
  const project: ProjectJson = emptyProject(appVersion, now)
  project.name = PAPER_TITLE[variant]
  const p = PAPER_PARAMETERS[variant]
  project.notes = [
    `Mehta & Schwab, "An exact mapping between the variational renormalization group and deep learning" (arXiv:1410.3831).`,
    `Fig. 2: the 1D decimation as a deep network. Fig. 3: ${p.samples.toLocaleString('en')} samples of the ${p.L}×${p.L} torus at K = ${p.K},`,
    `a DBN ${p.L * p.L}→${p.layers.join('→')} trained with CD-1 for ${p.epochs} epochs (L1 ${p.l1}), its receptive fields and`,
    'reconstructions; then the network against block-spin RG, level by level.'
  ].join('\n')
  const doc: ProjectDoc = { project, arrays: {} }
  addPaperPipeline(doc, variant, now)
  return doc
}

/** The mapping of Fig. 2: a ring of 2M spins at K, decimated `steps` times, as δ-kernel and RBM. */
export function mappingStageSpec(p: PaperParameters): MappingSpec {
  return { preset: 'decimation-1d', K: p.mapping.K, h: 0, M: p.mapping.M, steps: p.mapping.steps }
}

/** The dataset stage's job spec on the template's model data. */
export function datasetStageSpec(p: PaperParameters, model: DatasetSpec['model']): DatasetSpec {
  return {
    model,
    algorithm: 'wolff',
    samples: p.samples,
    burnIn: 2000,
    thin: 'auto',
    start: 'random',
    keepSamples: true
  }
}

/** The training record the training stage creates (a draft: the trainer fills in the rest). */
export function trainingStageRecord(
  p: PaperParameters,
  id: string,
  datasetId: string,
  physical: boolean,
  now = new Date()
): ProjectTraining {
  return {
    id,
    name: `DBN ${p.L * p.L}→${p.layers.join('→')} (paper)`,
    datasetId,
    visibleUnits: '01',
    layers: p.layers.map((nh) => ({ nh, hiddenUnits: '01' as const })),
    options: paperTrainingOptions(p),
    passUp: 'probabilities',
    seed: p.trainingSeed,
    status: 'draft',
    createdAt: now.toISOString(),
    arrays: {},
    monitors: { logLikelihood: 'auto', physical }
  }
}

/** The comparison stage's options (the samples and network are added where it runs). */
export function compareStageOptions(p: PaperParameters): {
  rule: 'majority' | 'decimation'
  b: number
  couplings: CouplingName[]
  flow: { Ks: number[]; steps: number; count: number }
  seed: number
} {
  const c = p.compare
  return {
    rule: c.rule,
    b: c.b,
    couplings: c.couplings as CouplingName[],
    flow: { ...c.flow, Ks: [...c.flow.Ks] },
    seed: c.seed
  }
}

/** Next free id with a prefix among everything in the project. */
export function freeId(project: ProjectJson, prefix: string): string {
  return nextId(prefix, [
    ...project.models.map((m) => m.id),
    ...project.runs.map((r) => r.id),
    ...project.datasets.map((d) => d.id),
    ...project.analyses.map((a) => a.id),
    ...(project.trainings ?? []).map((t) => t.id)
  ])
}
