import { HINTON_SALAKHUTDINOV } from '@core/rbm/optimizer'
import type { ProjectDoc } from '@shared/project/types'
import { clusterProject } from './clusterFixtures'

/** clusterProject with an MCRG analysis ("mcrg1", 16² at K) and a draft training ("train1") of its dataset. */
export function clusterKindsProject(opts: { count?: number; K?: number; epochs?: number } = {}): ProjectDoc {
  const doc = clusterProject({ samples: 200 })
  // A dataset worth training on: random ±1 spins.
  const samples = doc.arrays['data1.samples']!.data as Int8Array
  let x = 12345
  for (let i = 0; i < samples.length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    samples[i] = x & 0x10000 ? 1 : -1
  }
  doc.project.analyses.push({
    id: 'mcrg1',
    name: 'MCRG at Kc',
    kind: 'rg.mcrg',
    sourceId: null,
    spec: {
      L: 16,
      K: opts.K ?? 0.4406868,
      count: opts.count ?? 200,
      between: 1,
      burnIn: 50,
      rule: 'majority',
      b: 2,
      levels: 2,
      operators: ['nearest', 'diagonal', 'plaquette'],
      seed: 5
    },
    createdAt: '2025-01-01T00:00:00.000Z',
    arrays: {},
    result: {}
  })
  doc.project.trainings = [
    {
      id: 'train1',
      name: '64→16',
      datasetId: 'data1',
      visibleUnits: '01',
      layers: [{ nh: 16, hiddenUnits: '01' }],
      options: { ...HINTON_SALAKHUTDINOV, epochs: opts.epochs ?? 3, batchSize: 50, learningRate: 0.1 },
      passUp: 'probabilities',
      seed: 3,
      status: 'draft',
      createdAt: '2025-01-01T00:00:00.000Z',
      arrays: {},
      monitors: { logLikelihood: 'off', physical: false }
    }
  ]
  return doc
}

/** One MCRG chain's per-level means and co-moments, as a task's result holds them (`shift` varies them). */
export function mcrgChainUnit(unit: number, stream: unknown, shift: number, samples: number) {
  return {
    unit,
    stream,
    seconds: 1,
    result: {
      operators: ['nearest', 'diagonal', 'plaquette'],
      b: 2,
      samples,
      levels: [1, 2].map((level) => ({
        level,
        meanN: [1, 2, 3],
        meanP: [1, 2, 3],
        A: [4 + shift, 1, 0, 1, 3, 0, 0, 0, 2],
        B: [5, 1, 0, 1, 4 + shift, 0, 0, 0, 3]
      })),
      L: 16,
      K: 0.4406868,
      rule: 'majority',
      sweeps: 2 * samples
    }
  }
}
