import type { ProjectJson } from '@shared/project/types'
import { isPlannedDataset } from '@shared/cluster/planned'

/**
 * The first-launch guide: what the paper claims, what each view shows and a few steps to try,
 * each resolved against the open project to the item it opens. A step whose item the project
 * lacks says what to do instead (an empty project still gets a usable guide).
 */

export const PAPER_CLAIM =
  'Mehta & Schwab (2014) map Kadanoff’s variational renormalization group exactly onto restricted Boltzmann machines: choose the RG kernel from an RBM’s energy and the coarse Hamiltonian is the RBM’s hidden marginal. Trained on 2D Ising samples at K = 0.408, a deep belief network’s receptive fields look like growing blocks. Blockspin computes the mapping and measures how close a DBN comes to RG, level by level.'

/** What each kind of item opens, in the tree's order. */
export const VIEW_SUMMARIES: readonly { name: string; text: string }[] = [
  { name: 'Model', text: 'the lattice and its couplings, edited with a brush' },
  { name: 'Live chain', text: 'Monte Carlo at the K and h you set, with e and |m| as it runs' },
  { name: 'Dataset', text: 'decorrelated samples with their observables and error bars' },
  { name: 'Training', text: 'an RBM or DBN learning the samples: curves, receptive fields' },
  { name: 'Analyses', text: 'RG cascades and flows, MCRG, the exact mapping, RG vs DBN' }
]

/** What a step's button does. */
export type GuideAction = { kind: 'open'; id: string } | { kind: 'live'; modelId: string }

export interface GuideStep {
  key: 'paper' | 'live' | 'dataset' | 'cascade' | 'mapping' | 'compare'
  title: string
  text: string
  /** null: the project has nothing to open for this step; `missing` says what to do. */
  action: GuideAction | null
  /** The button's label. */
  label: string
  missing: string
}

const squareModel = (p: ProjectJson) => p.models.find((m) => m.lattice.kind === 'square') ?? p.models[0] ?? null
const analysis = (p: ProjectJson, kind: string) => p.analyses.find((a) => a.kind === kind) ?? null
const open = (id: string | undefined): GuideAction | null => (id ? { kind: 'open', id } : null)

/** The guide's steps for this project, each with the item it opens (or null). */
export function guideSteps(p: ProjectJson): GuideStep[] {
  const model = squareModel(p)
  const run = p.runs.find((r) => r.modelId === model?.id) ?? p.runs[0]
  const liveAction: GuideAction | null = run ? open(run.id) : model ? { kind: 'live', modelId: model.id } : null
  // Samples to look at: not a coarse level, not one planned for a cluster (no samples yet).
  const dataset = p.datasets.find((d) => !d.coarse && !isPlannedDataset(d))
  const training = p.trainings?.find((t) => t.layers.length > 1) ?? p.trainings?.[0]
  const compare = analysis(p, 'compare')
  return [
    {
      key: 'paper',
      title: 'The paper, reproduced',
      text: 'The reproduction lists the paper’s parameters and each stage (samples, the DBN layer by layer, the comparison) with the item it made.',
      action: open(analysis(p, 'pipeline')?.id),
      label: 'Open the reproduction',
      missing: 'Use “Reproduce the paper” in the tree to add it (the 16×16 variant runs in about a minute).'
    },
    {
      key: 'live',
      title: 'Move K across Kc',
      text: 'In a live chain, drag the K slider from 0.35 to 0.5 across Kc ≈ 0.4407 (or press “Kc”) and watch the domains grow and |m| jump.',
      action: liveAction,
      label: run ? 'Open the live chain' : 'Start a live chain',
      missing: 'Add a model first (+ Model in the tree), then start a live chain on it.'
    },
    {
      key: 'dataset',
      title: 'Look at the samples',
      text: 'A dataset holds decorrelated samples: browse them, and check τ_int and the error bars.',
      action: open(dataset?.id),
      label: 'Open the dataset',
      missing: 'Generate a dataset from the model (“+ Dataset…” on the model) to get samples.'
    },
    {
      key: 'cascade',
      title: 'Build an RG cascade',
      text: 'Block the same samples 2×2 again and again: each level is coarser, and its fitted couplings say where RG takes the model.',
      action: open(analysis(p, 'rg.cascade')?.id) ?? open(dataset?.id),
      label: analysis(p, 'rg.cascade') ? 'Open the cascade' : 'Open the dataset to block it',
      missing: 'An RG cascade is made from a dataset: generate one first, then use “+ Cascade…”.'
    },
    {
      key: 'mapping',
      title: 'See the exact mapping',
      text: 'On a system small enough to sum exactly, the RG Hamiltonian and the RBM’s hidden marginal agree to rounding (the paper’s Eq. 21); the 1D decimation is Fig. 2.',
      action: open(analysis(p, 'mapping')?.id),
      label: 'Open the mapping',
      missing: 'Use “+ Mapping…” in the tree’s analyses to compute one (it takes a second).'
    },
    {
      key: 'compare',
      title: 'Compare with the DBN',
      text: 'Put the DBN’s layers under the RG levels: receptive fields against block kernels, m histograms, C(r), couplings and the RBM flow.',
      action: open(compare?.id) ?? open(training?.id),
      label: compare ? 'Open RG vs DBN' : 'Open the training',
      missing: 'Train a DBN on the dataset, then press “Compare with RG…” on the finished training.'
    }
  ]
}
