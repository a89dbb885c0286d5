import { defaultModel, emptyProject } from '@shared/project/model'
import type { ProjectDoc } from '@shared/project/types'

/** A project with a model, a sweep analysis (2 L × 3 K) and a dataset of that model, for bundles. */
export function clusterProject(
  opts: { Ls?: number[]; Ks?: number[]; sweeps?: number; samples?: number } = {}
): ProjectDoc {
  const project = emptyProject('0.0.0-test', new Date('2025-01-01T00:00:00Z'))
  const model = defaultModel('m1')
  model.lattice = { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true }
  model.uniform = { K: 0.3, h: 0 }
  project.models.push(model)
  project.analyses.push({
    id: 'sweep1',
    name: 'Sweep',
    kind: 'sweep',
    sourceId: null,
    spec: {
      Ls: opts.Ls ?? [4, 6],
      Ks: opts.Ks ?? [0.3, 0.4, 0.5],
      h: 0,
      algorithm: 'wolff',
      burnIn: 100,
      sweeps: opts.sweeps ?? 1000,
      start: 'random',
      seed: 7
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    arrays: {},
    result: { points: [] }
  })
  project.datasets.push({
    id: 'data1',
    name: 'Samples at K = 0.3',
    modelId: 'm1',
    algorithm: 'wolff',
    seed: 11,
    samples: opts.samples ?? 400,
    burnIn: 100,
    thin: 2,
    tauInt: null,
    acceptance: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    arrays: { samples: 'data1.samples', energy: 'data1.energy', magnetisation: 'data1.magnetisation' }
  })
  const n = opts.samples ?? 400
  const arrays: ProjectDoc['arrays'] = {
    'data1.samples': { dtype: '|i1', shape: [n, 8, 8], data: new Int8Array(n * 64).fill(1) },
    'data1.energy': { dtype: '<f8', shape: [n], data: new Float64Array(n) },
    'data1.magnetisation': { dtype: '<f8', shape: [n], data: new Float64Array(n).fill(64) }
  }
  return { project, arrays }
}
