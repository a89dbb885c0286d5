import type { DatasetResult } from '@core/jobs/isingDataset'
import type { SweepResult } from '@core/jobs/isingSweep'
import type { ExactResult } from '@core/ising/exact/types'
import type { McSummary } from '@core/stats'
import type { NpyArray, ProjectModel } from '@shared/project/types'

/** A 5-site graph (a square with one chord) with edited couplings, fields and painted spins. */
export function graphModel(id = 'g1'): { record: ProjectModel; arrays: Record<string, NpyArray> } {
  return {
    record: {
      id,
      name: 'Ring with a chord',
      lattice: { kind: 'graph', N: 5, bonds: `${id}.pairs` },
      uniform: { K: 0.25, h: 0 },
      arrays: { couplings: `${id}.K`, fields: `${id}.h`, spins: `${id}.v` },
      preset: 'custom'
    },
    arrays: {
      [`${id}.pairs`]: { dtype: '<i4', shape: [5, 2], data: new Int32Array([0, 1, 1, 2, 2, 3, 3, 0, 0, 4]) },
      [`${id}.K`]: { dtype: '<f8', shape: [5], data: new Float64Array([0.1, -0.2, 0.3, 0.45, -1.5]) },
      [`${id}.h`]: { dtype: '<f8', shape: [5], data: new Float64Array([0, 0.5, -0.5, 0.125, 2]) },
      [`${id}.v`]: { dtype: '|i1', shape: [5], data: new Int8Array([1, -1, 1, -1, -1]) }
    }
  }
}

/** A 3×3 triangular model (27 bonds) whose couplings were edited and saved. */
export function triangularModel(id = 'tri'): { record: ProjectModel; arrays: Record<string, NpyArray> } {
  const K = new Float64Array(27).fill(0.2)
  K[5] = -0.75
  return {
    record: {
      id,
      name: 'Triangular 3×3',
      lattice: { kind: 'triangular', Lx: 3, Ly: 3 },
      uniform: { K: 0.2, h: 0.05 },
      arrays: { couplings: `${id}.couplings` }
    },
    arrays: { [`${id}.couplings`]: { dtype: '<f8', shape: [27], data: K } }
  }
}

const est = (value: number, error: number) => ({ value, error })

/** What the dataset job hands back for `n` samples of `N` sites. */
export function datasetResult(N: number, n: number, keepSamples = true): DatasetResult {
  return {
    N,
    samples: keepSamples ? Int8Array.from({ length: n * N }, (_, k) => ((k * 7) % 3 === 0 ? 1 : -1)) : null,
    energy: Float64Array.from({ length: n }, (_, k) => -1.5 - k / 8),
    magnetisation: Float64Array.from({ length: n }, (_, k) => (k % 2 ? 3 : -1)),
    burnIn: 250,
    kernel: 'general',
    thin: 6,
    tauIntSweeps: 2.75,
    thinning: {
      pilotSweeps: 2000,
      pilotMaxSweeps: 512_000,
      reliable: true,
      tauSweeps: { e: 1.5, m: 2.75, absM: 2 },
      setBy: 'm'
    },
    acceptance: 0.375,
    totalSweeps: 250 + 2000 + 6 * n,
    summary: {
      n,
      N,
      e: est(-1.4, 0.02),
      absM: est(0.6, 0.01),
      tauInt: { H: { value: 1.5, error: 0.1, window: 9, reliable: true } }
    } as unknown as McSummary,
    correlation: { x: new Float64Array([1, 0.5, 0.25]), y: new Float64Array([1, 0.75]) },
    xi: { value: 1.25, error: 0.125 }
  }
}

export function sweepResult(): SweepResult {
  const point = (L: number, K: number) => ({
    L,
    K,
    e: est(-K, 0.01),
    c: est(1, 0.1),
    m: est(0, 0.01),
    absM: est(K, 0.01),
    m2: est(K * K, 0.01),
    chi: est(2, 0.2),
    chiAbs: est(1, 0.1),
    u4: est(0.5, 0.05),
    tauE: 1.5,
    tauAbsM: 2.5,
    equilibrated: true,
    acceptance: 0.5
  })
  return { points: [point(8, 0.4), point(8, 0.45)] }
}

export function exactResult(): ExactResult {
  return {
    method: 'enumeration',
    N: 9,
    lnZ: 7.25,
    f: -7.25 / 9,
    e: -0.5,
    c: 0.25,
    m: 0,
    absM: 0.625,
    m2: 0.5,
    chi: 4.5,
    chiAbs: 1
  }
}
