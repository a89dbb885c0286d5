import { isUniform } from '../../lattice/model'
import type { IsingModel } from '../../lattice/types'
import type { Rng } from '../../random/rng'
import { xoshiro128ssFromState } from '../../random/xoshiro128ss'
import { createHeatBathTable, heatBathSweep } from '../square/heatbath'
import { estimateWolffUpdatesPerSweep } from '../mc/wolff'
import { assertClusterModel } from '../mc/cluster'
import type { McAlgorithm } from '../mc/sampler'
import { initialSpins, probabilityThreshold } from '../mc/state'
import { createMetropolisTable, metropolisSweep } from '../square/metropolis'
import { computeIsingSums } from '../square/observables'
import { createSquareLattice } from '../square/lattice'
import { createTorusSwendsenWang } from './swendsenWang'
import { createTorusWolff } from './wolff'
import { createWasmSquareKernel } from '../square/wasmKernel'

/**
 * Fast kernels for uniform models on the periodic square lattice (the paper's 40×40 torus), used
 * by the dataset runner in place of the general samplers (mc/). Each runs the same Markov chain
 * as the general sampler of the same name, with the same sweep:
 *   - metropolis, heatbath (even L ≥ 4): the checkerboard kernels, WebAssembly (square/wasmKernel.ts) or
 *     TypeScript (square/metropolis.ts, square/heatbath.ts). Even sites then odd sites in index order is the
 *     general samplers' colour order on an even torus, with the same draws; only the
 *     floating-point form of the acceptance test differs (a tabulated threshold instead of
 *     e^{−ΔH} per step), which can decide a draw lying within rounding of the threshold
 *     differently, so long runs agree in distribution, not bit for bit.
 *   - wolff (wolff.ts, WebAssembly where available), sw (swendsenWang.ts): the general updates' draws in the same
 *     order on the lattice's own neighbour and bond lists, so they follow the general chain
 *     configuration for configuration; the Wolff sweep is estimateWolffUpdatesPerSweep(model)
 *     updates, as in createSampler.
 * H is exact: −K·Σ_<ij> v_i v_j − h·Σ v_i from integer sums (the general samplers accumulate it).
 */
export type DatasetKernel = 'general' | 'square-wasm' | 'square-ts'

/** What the dataset runner needs from a chain (the general Sampler has the same members). */
export interface DatasetChain {
  readonly kernel: DatasetKernel
  readonly spins: Int8Array
  sweep(): void
  energy(): number
  magnetisation(): number
  acceptance(): number
  /** Where the chain is, to continue from later (createTorusChain's `resume`). */
  state(): ChainState
}

/**
 * A chain's state between sweeps: its spins, the generator it draws from (its own copy or the
 * job's) and the counters behind acceptance(), by kernel (Wolff: updates, ghost clusters, grown
 * spins; Swendsen–Wang: sweeps, clusters, flipped clusters; local: attempts, accepted; the
 * general sampler: its SamplerSums). A chain created from it continues bit for bit.
 */
export interface ChainState {
  spins: Int8Array
  rngState: Uint32Array
  counters: Record<string, number>
}

/** Uniform couplings of a periodic square lattice with four distinct-entry neighbours per site, or null. */
export function uniformTorus(model: IsingModel): { Lx: number; Ly: number; K: number; h: number } | null {
  const { lattice } = model
  const spec = lattice.spec
  if (spec.kind !== 'square' || !spec.periodicX || !spec.periodicY || spec.diagonals === true || spec.Ly < 3)
    return null
  if (lattice.adjSite.length !== 4 * lattice.N || lattice.bondI.length !== 2 * lattice.N || !isUniform(model))
    return null
  for (let i = 0; i <= lattice.N; i++) if (lattice.adjStart[i] !== 4 * i) return null
  const K = model.couplings[0]!
  if (!model.couplings.every((k) => k === K)) return null
  return { Lx: spec.Lx, Ly: spec.Ly, K, h: model.fields[0]! }
}

/**
 * A fast chain for `algorithm` on `model`, or null when none applies (then use createSampler).
 * Initial spins are drawn from `rng` exactly as createSampler draws them; the fast kernels then
 * continue from a copy of the generator's state (the WebAssembly kernel keeps its own).
 * `resume` (a state() of the same chain): the start spins are still drawn from `rng`, so the
 * job's generator ends where it would, then replaced by the state's spins, generator and counters.
 */
export function createTorusChain(
  model: IsingModel,
  algorithm: McAlgorithm,
  rng: Rng,
  start: 'random' | 'up' | 'down',
  resume?: ChainState
): DatasetChain | null {
  const torus = uniformTorus(model)
  if (!torus) return null
  const { Lx, Ly, K, h } = torus
  const N = model.lattice.N
  if (resume && resume.spins.length !== N)
    throw new RangeError(`the chain's state holds ${resume.spins.length} spins, not ${N}`)
  const source = resume ? xoshiro128ssFromState(resume.rngState) : rng
  const begin = (): Int8Array => {
    const drawn = initialSpins(N, start, rng)
    return resume ? Int8Array.from(resume.spins) : drawn
  }
  const c = (name: string): number => resume?.counters[name] ?? 0
  if (algorithm === 'metropolis' || algorithm === 'heatbath') {
    if (Lx !== Ly || Lx % 2 !== 0 || Lx < 4) return null
    return localChain(Lx, K, h, algorithm, source, begin(), [c('attempts'), c('accepted')])
  }
  if (algorithm === 'wolff') {
    assertClusterModel(model)
    const updatesPerSweep = estimateWolffUpdatesPerSweep(model)
    const spins = begin()
    const chain = createTorusWolff(
      spins,
      model.lattice.adjSite,
      probabilityThreshold(-Math.expm1(-2 * K)),
      h,
      source.getState()
    )
    chain.clusterUpdates = c('clusterUpdates')
    chain.ghostClusters = c('ghostClusters')
    chain.grownSpins = c('grownSpins')
    return {
      state: () => ({
        spins: Int8Array.from(chain.spins),
        rngState: chain.getRngState(),
        counters: {
          clusterUpdates: chain.clusterUpdates,
          ghostClusters: chain.ghostClusters,
          grownSpins: chain.grownSpins
        }
      }),
      kernel: chain.kernel === 'wasm' ? 'square-wasm' : 'square-ts',
      spins: chain.spins,
      sweep: () => chain.updates(updatesPerSweep),
      energy: () => -K * chain.bondSum() - h * chain.magnetisation,
      magnetisation: () => chain.magnetisation,
      acceptance: () => (chain.clusterUpdates === 0 ? 0 : 1 - chain.ghostClusters / chain.clusterUpdates)
    }
  }
  if (algorithm === 'sw') {
    assertClusterModel(model)
    const spins = begin()
    const { bondI, bondJ } = model.lattice
    const chain = createTorusSwendsenWang(
      spins,
      bondI,
      bondJ,
      probabilityThreshold(-Math.expm1(-2 * K)),
      h,
      probabilityThreshold(-Math.expm1(-2 * Math.abs(h))),
      source.getState()
    )
    chain.sweeps = c('sweeps')
    chain.clusters = c('clusters')
    chain.flippedClusters = c('flippedClusters')
    return {
      state: () => ({
        spins: Int8Array.from(spins),
        rngState: chain.getRngState(),
        counters: { sweeps: chain.sweeps, clusters: chain.clusters, flippedClusters: chain.flippedClusters }
      }),
      kernel: 'square-ts',
      spins,
      sweep: () => chain.sweep(),
      energy: () => -K * chain.bondSum() - h * chain.magnetisation,
      magnetisation: () => chain.magnetisation,
      // As the general sampler: flipped clusters per non-ghost cluster.
      acceptance: () =>
        chain.clusters - chain.sweeps === 0 ? 0 : chain.flippedClusters / (chain.clusters - chain.sweeps)
    }
  }
  return null
}

function localChain(
  L: number,
  K: number,
  h: number,
  algorithm: 'metropolis' | 'heatbath',
  rng: Rng,
  spins: Int8Array,
  [attempts, accepted]: [number, number]
): DatasetChain {
  const N = L * L
  const counters = () => ({ attempts, accepted })
  const wasm = createWasmSquareKernel(L)
  if (wasm) {
    wasm.spins.set(spins)
    wasm.recomputeSums()
    wasm.setCouplings(K, h)
    wasm.setRngState(rng.getState())
    const step = algorithm === 'metropolis' ? () => wasm.metropolisSweep() : () => wasm.heatBathSweep()
    return {
      kernel: 'square-wasm',
      spins: wasm.spins,
      state: () => ({ spins: Int8Array.from(wasm.spins), rngState: wasm.getRngState(), counters: counters() }),
      sweep() {
        accepted += step()
        attempts += N
      },
      energy: () => -K * wasm.sums.bondSum - h * wasm.sums.spinSum,
      magnetisation: () => wasm.sums.spinSum,
      acceptance: () => (attempts === 0 ? 0 : accepted / attempts)
    }
  }
  const lattice = createSquareLattice(L)
  const sums = computeIsingSums(spins, lattice)
  const metropolis = createMetropolisTable(K, h)
  const heatBath = createHeatBathTable(K, h)
  return {
    kernel: 'square-ts',
    spins,
    state: () => ({ spins: Int8Array.from(spins), rngState: rng.getState(), counters: counters() }),
    sweep() {
      accepted +=
        algorithm === 'metropolis'
          ? metropolisSweep(spins, lattice, metropolis, rng, sums)
          : heatBathSweep(spins, lattice, heatBath, rng, sums)
      attempts += N
    },
    energy: () => -K * sums.bondSum - h * sums.spinSum,
    magnetisation: () => sums.spinSum,
    acceptance: () => (attempts === 0 ? 0 : accepted / attempts)
  }
}
