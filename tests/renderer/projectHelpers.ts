import { flushPromises } from '@vue/test-utils'
import type { AppInfo } from '@shared/contract'
import type { NpyArray, ProjectDoc, ProjectJson } from '@shared/project/types'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import { useProjectStore } from '../../src-renderer/src/stores/project'
import { useUiStore } from '../../src-renderer/src/stores/ui'
import type { createFakeApi } from './fakeApi'

/** The project store after `init` against `fake` (host facts overridden by `info`), with its sibling stores. */
export async function setupProject(fake: ReturnType<typeof createFakeApi>, info: Partial<AppInfo> = {}) {
  Object.assign(fake.replies.info, info)
  const project = useProjectStore()
  await project.init()
  await flushPromises()
  return { project, live: useLiveStore(), ui: useUiStore() }
}

/** A saved project as the services hand it over: run1 has 5 sweeps of 8² state, run2 never ran. */
export function savedDoc(): ProjectDoc {
  const project: ProjectJson = {
    format: 'blockspin',
    formatVersion: 3,
    appVersion: '1.2.3',
    name: 'From disk',
    createdAt: '2024-01-01T00:00:00.000Z',
    modifiedAt: '2024-01-02T00:00:00.000Z',
    notes: '',
    models: [
      {
        id: 'model1',
        name: 'Small lattice',
        lattice: { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true },
        uniform: { K: 0.3, h: 0.1 },
        arrays: {}
      }
    ],
    runs: [
      {
        id: 'run1',
        name: 'Saved chain',
        modelId: 'model1',
        kind: 'ising.chain',
        spec: { L: 8, K: 0.3, h: 0.1, algorithm: 'wolff', sweepsPerFrame: 3, seed: 99, start: 'cold' },
        status: 'live',
        sweep: 5,
        arrays: { spins: 'run1.spins', energy: 'run1.energy', absM: 'run1.absM', rngState: 'run1.rng' },
        createdAt: '2024-01-01T00:00:00.000Z'
      },
      {
        id: 'run2',
        name: 'Draft chain',
        modelId: 'model1',
        kind: 'ising.chain',
        spec: {
          L: 8,
          K: 0.3,
          h: 0.1,
          algorithm: 'metropolis',
          sweepsPerFrame: 1,
          seed: 5,
          start: 'hot',
          targetSweeps: 100
        },
        status: 'pending',
        sweep: 0,
        arrays: {},
        createdAt: '2024-01-01T00:00:00.000Z'
      }
    ],
    datasets: [],
    analyses: [],
    arrays: {}
  }
  const arrays: Record<string, NpyArray> = {
    'run1.spins': { dtype: '|i1', shape: [8, 8], data: new Int8Array(64).fill(-1) },
    'run1.energy': { dtype: '<f8', shape: [5], data: new Float64Array([-1, -1.5, -1.6, -1.7, -1.75]) },
    'run1.absM': { dtype: '<f8', shape: [5], data: new Float64Array([0.1, 0.2, 0.3, 0.4, 0.5]) },
    'run1.rng': { dtype: '<u4', shape: [4], data: new Uint32Array([11, 12, 13, 14]) }
  }
  return { project, arrays }
}
