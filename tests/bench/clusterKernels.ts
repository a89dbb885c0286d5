import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import {
  createMcState,
  createSwendsenWangWorkspace,
  createWolffWorkspace as createGeneralWorkspace,
  initialSpins,
  swendsenWangSweep,
  wolffUpdate
} from '@core/ising/mc'
import { probabilityThreshold } from '@core/ising/mc/state'
import { createTorusSwendsenWang } from '@core/ising/torus/swendsenWang'
import { createTorusWolff } from '@core/ising/torus/wolff'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * Cluster-update speed of the TypeScript kernels on the uniform L×L torus at zero field, set up
 * like tests/bench/c/wolff.c and sw.c: hot start from seed 1, untimed warm-up (Wolff: until 20N
 * spins were grown, at least 100 updates; SW: 20 sweeps), then about `seconds` of updates.
 *   - Wolff: spins added to clusters per second (the fair unit: the work is proportional to it)
 *     and cluster updates per second;
 *   - SW: sweeps per second (and clusters formed per second; every spin is in one cluster per
 *     sweep, so spins/s = N·sweeps/s).
 */
/** 'torus' is createTorusWolff as the app runs it (WebAssembly where available), 'torus-ts' its TypeScript fallback. */
export type WolffKernel = 'general' | 'torus' | 'torus-ts'
export type SwKernel = 'general' | 'torus'

export interface ClusterRate {
  /** Wolff: spins added to clusters per second; SW: sweeps per second. */
  rate: number
  clustersPerSecond: number
  /** Which build of the torus Wolff kernel ran ('wasm' or 'ts'), for the torus kernels. */
  build?: 'wasm' | 'ts'
}

function hotStart(N: number): { spins: Int8Array; rng: ReturnType<typeof xoshiro128ss> } {
  const rng = xoshiro128ss(1)
  return { spins: initialSpins(N, 'random', rng), rng }
}

function timed(seconds: number, warmUp: () => void, step: () => void): number {
  warmUp()
  const start = performance.now()
  const end = start + 1000 * seconds
  let now = start
  while (now < end) {
    step()
    now = performance.now()
  }
  return (now - start) / 1000
}

/** One Wolff update of the chosen kernel, returning the grown cluster size. */
function wolffStepper(kernel: WolffKernel, L: number, K: number): { update: () => number; build?: 'wasm' | 'ts' } {
  const N = L * L
  const { spins, rng } = hotStart(N)
  if (kernel === 'general') {
    // What createSampler(model, 'wolff') runs: mc/wolff.ts wolffUpdate on the general lattice.
    const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
      K,
      h: 0
    })
    const state = createMcState(model, spins)
    const ws = createGeneralWorkspace(model)
    return { update: () => Math.abs(wolffUpdate(state, ws, rng)) }
  }
  const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  const threshold = probabilityThreshold(-Math.expm1(-2 * K))
  const chain = createTorusWolff(spins, lattice.adjSite, threshold, 0, rng.getState(), { wasm: kernel === 'torus' })
  const update = (): number => {
    const before = chain.grownSpins
    chain.updates(1)
    return chain.grownSpins - before
  }
  return { update, build: chain.kernel }
}

export function measureWolff(kernel: WolffKernel, L: number, K: number, seconds: number): ClusterRate {
  const { update, build } = wolffStepper(kernel, L, K)
  const N = L * L
  let grown = 0
  let clusters = 0
  const elapsed = timed(
    seconds,
    () => {
      let warm = 0
      for (let u = 0; warm < 20 * N || u < 100; u++) warm += update()
    },
    () => {
      for (let u = 0; u < 10; u++) grown += update()
      clusters += 10
    }
  )
  return { rate: grown / elapsed, clustersPerSecond: clusters / elapsed, build }
}

export function measureSwendsenWang(kernel: SwKernel, L: number, K: number, seconds: number): ClusterRate {
  const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  const model = uniformModel(lattice, { K, h: 0 })
  const { spins, rng } = hotStart(lattice.N)
  let sweep: () => number
  if (kernel === 'general') {
    // What createSampler(model, 'sw') runs: mc/swendsenWang.ts on the general lattice.
    const state = createMcState(model, spins)
    const ws = createSwendsenWangWorkspace(model)
    sweep = () => {
      swendsenWangSweep(state, ws, rng)
      return ws.clusters
    }
  } else {
    const chain = createTorusSwendsenWang(
      spins,
      lattice.bondI,
      lattice.bondJ,
      probabilityThreshold(-Math.expm1(-2 * K)),
      0,
      0,
      rng.getState()
    )
    sweep = () => {
      const before = chain.clusters
      chain.sweep()
      return chain.clusters - before
    }
  }
  let sweeps = 0
  let clusters = 0
  const elapsed = timed(
    seconds,
    () => {
      for (let s = 0; s < 20; s++) sweep()
    },
    () => {
      clusters += sweep()
      sweeps++
    }
  )
  return { rate: sweeps / elapsed, clustersPerSecond: clusters / elapsed }
}
