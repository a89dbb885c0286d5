import type { Rng } from '../random/rng'
import { createMetropolisTable, metropolisSweep, setMetropolisCouplings, type MetropolisTable } from './metropolis'
import {
  absMagnetisationPerSpin,
  computeIsingSums,
  energyPerSpin,
  validateSpins,
  type IsingSums
} from './observables'
import { createSquareLattice, type SquareLattice } from './square'
import type { IsingChainResult, IsingChainState, IsingParams } from './types'
import { createWolffWorkspace, estimateWolffClustersPerSweep, wolffSweep, type WolffWorkspace } from './wolff'

/** A Float64Array that grows by doubling, for per-sweep time series of unknown length. */
export class GrowableSeries {
  private data: Float64Array
  private size = 0

  constructor(initial?: Float64Array) {
    this.data = new Float64Array(Math.max(1024, initial?.length ?? 0))
    if (initial) {
      this.data.set(initial)
      this.size = initial.length
    }
  }

  get length(): number {
    return this.size
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(2 * this.data.length)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.size++] = value
  }

  /** A copy of entries [from, length). */
  copyFrom(from = 0): Float64Array {
    return this.data.slice(from, this.size)
  }

  clear(): void {
    this.size = 0
  }
}

export interface SweepStatistics {
  /** Sweeps performed. */
  sweeps: number
  /** Accepted / proposed: single-spin flips for Metropolis, grown-cluster spins for Wolff. */
  acceptance: number
}

/**
 * One Markov chain on an L×L torus: spins, incremental sums, per-sweep series and its own RNG
 * stream. Pure state machine; the job runner (src-core/jobs/isingChain.ts) drives it.
 */
export class IsingChain {
  readonly lattice: SquareLattice
  readonly spins: Int8Array
  readonly energy: GrowableSeries
  readonly absM: GrowableSeries
  sweep = 0
  private sums: IsingSums
  private parameters: IsingParams
  private generator: Rng
  private readonly table: MetropolisTable
  private wolffWorkspace: WolffWorkspace | null = null
  /** Cluster updates per Wolff sweep for the current (K, h); a pure function of (L, K, h). */
  private wolffClustersPerSweep: { K: number; h: number; count: number } | null = null

  private constructor(L: number, params: IsingParams, rng: Rng, energy?: Float64Array, absM?: Float64Array) {
    this.lattice = createSquareLattice(L)
    this.energy = new GrowableSeries(energy)
    this.absM = new GrowableSeries(absM)
    this.spins = new Int8Array(this.lattice.N)
    this.parameters = { ...params }
    this.generator = rng
    this.table = createMetropolisTable(params.K, params.h)
    this.sums = { bondSum: 0, spinSum: 0 }
  }

  /** A fresh chain at sweep 0; a hot start draws N numbers from `rng`. */
  static start(L: number, params: IsingParams, start: 'hot' | 'cold', rng: Rng): IsingChain {
    const chain = new IsingChain(L, params, rng)
    chain.restart(start, rng)
    return chain
  }

  /** Continues a saved state; `rng` must already be restored from `state.rngState`. */
  static resume(state: IsingChainState, params: IsingParams, rng: Rng): IsingChain {
    const chain = new IsingChain(state.L, params, rng, state.energy, state.absM)
    validateSpins(state.spins, chain.lattice.N, 'resume.spins')
    chain.spins.set(state.spins)
    chain.sums = computeIsingSums(chain.spins, chain.lattice)
    chain.sweep = state.sweep
    return chain
  }

  get params(): IsingParams {
    return { ...this.parameters }
  }

  get rng(): Rng {
    return this.generator
  }

  /** Back to sweep 0 with a new start configuration drawn from `rng`, which the chain adopts. */
  restart(start: 'hot' | 'cold', rng: Rng): void {
    this.generator = rng
    for (let i = 0; i < this.spins.length; i++) {
      this.spins[i] = start === 'cold' || rng.nextFloat() >= 0.5 ? 1 : -1
    }
    this.sums = computeIsingSums(this.spins, this.lattice)
    this.sweep = 0
    this.energy.clear()
    this.absM.clear()
  }

  /**
   * Sets spins by hand (the user painting on a running chain); the chain continues from the
   * painted configuration. Invalid entries (site out of range, value not ±1) are skipped and
   * counted in the return value.
   */
  paint(sites: Int32Array, values: Int8Array): number {
    let skipped = 0
    const n = Math.min(sites.length, values.length)
    for (let k = 0; k < n; k++) {
      const i = sites[k]!
      const v = values[k]!
      if (!Number.isInteger(i) || i < 0 || i >= this.spins.length || (v !== 1 && v !== -1)) skipped++
      else this.spins[i] = v
    }
    this.sums = computeIsingSums(this.spins, this.lattice)
    return skipped + Math.abs(sites.length - values.length)
  }

  /** Caller validates (see validateIsingParams); takes effect from the next sweep. */
  setParams(params: IsingParams): void {
    this.parameters = { ...params }
    setMetropolisCouplings(this.table, params.K, params.h)
  }

  /** The incrementally kept bond and spin sums, or recomputed from the spins when asked. */
  currentSums(recompute = false): IsingSums {
    return recompute ? computeIsingSums(this.spins, this.lattice) : { ...this.sums }
  }

  /** Runs `count` sweeps of the current algorithm, recording e and |m| after each. */
  runSweeps(count: number): SweepStatistics {
    const { K, h, algorithm } = this.parameters
    const { N } = this.lattice
    let accepted = 0
    let proposed = 0
    for (let s = 0; s < count; s++) {
      if (algorithm === 'metropolis') {
        accepted += metropolisSweep(this.spins, this.lattice, this.table, this.generator, this.sums)
        proposed += N
      } else {
        const workspace = (this.wolffWorkspace ??= createWolffWorkspace(this.lattice))
        const result = wolffSweep(this.spins, this.lattice, K, h, this.generator, workspace, this.sums, this.clustersPerWolffSweep())
        accepted += result.flippedSpins
        proposed += result.clusterSpins
      }
      this.sweep++
      this.energy.push(energyPerSpin(this.sums, K, h, N))
      this.absM.push(absMagnetisationPerSpin(this.sums, N))
    }
    return { sweeps: count, acceptance: proposed > 0 ? accepted / proposed : 0 }
  }

  private clustersPerWolffSweep(): number {
    const { K, h } = this.parameters
    const cached = this.wolffClustersPerSweep
    if (cached && cached.K === K && cached.h === h) return cached.count
    const count = estimateWolffClustersPerSweep(this.lattice, K, h)
    this.wolffClustersPerSweep = { K, h, count }
    return count
  }

  /** Full state with copies of every array, including the RNG state. */
  snapshot(): IsingChainResult {
    return {
      L: this.lattice.L,
      sweep: this.sweep,
      spins: this.spins.slice(),
      energy: this.energy.copyFrom(0),
      absM: this.absM.copyFrom(0),
      rngState: this.generator.getState(),
      params: this.params
    }
  }
}
