import type { Rng } from '../../random/rng'
import { xoshiro128ssFromState } from '../../random/xoshiro128ss'
import { GrowableSeries, type SweepStatistics, validateSpins } from '../chainCommon'
import { createMcState, probabilityThreshold } from '../mc/state'
import { createWolffWorkspace, wolffUpdate } from '../mc/wolff'
import { createTorusWolff, type TorusWolff } from '../torus/wolff'
import { createMetropolisTable, metropolisSweep, setMetropolisCouplings, type MetropolisTable } from './metropolis'
import { absMagnetisationPerSpin, computeIsingSums, energyPerSpin, type IsingSums } from './observables'
import { createSquareLattice, type SquareLattice } from './lattice'
import type { IsingChainResult, IsingChainState, IsingParams } from '../types'
import { createLiveWolff, type LiveWolff } from './liveWolff'
import { createWasmSquareKernel, type WasmSquareKernel } from './wasmKernel'

export interface IsingChainOptions {
  /**
   * Run Metropolis sweeps on the WebAssembly kernel (wasmKernel.ts) and Wolff sweeps on the
   * WebAssembly torus Wolff kernel (torus/wolffWasm.ts) when WebAssembly is available and the
   * generator is xoshiro128**; default true. Results are bit-identical either way, so this only
   * selects the speed.
   */
  wasm?: boolean
}

/** True when `rng` produces the xoshiro128** stream of its getState(), so WASM can continue it. */
function isXoshiro128ss(rng: Rng): boolean {
  const state = rng.getState()
  if (!(state instanceof Uint32Array) || state.length !== 4 || (state[0] | state[1] | state[2] | state[3]) === 0)
    return false
  const probe = rng.clone()
  const reference = xoshiro128ssFromState(state)
  for (let k = 0; k < 4; k++) if (probe.nextUint32() !== reference.nextUint32()) return false
  return true
}

/**
 * One Markov chain on an L×L torus: spins, incremental sums, per-sweep series and its own RNG
 * stream. Pure state machine; the job runner (src-core/jobs/isingChain.ts) drives it.
 *
 * Metropolis sweeps run on the WebAssembly kernel when possible (the spins are then a view on
 * its memory), otherwise on metropolis.ts; both give the same spins and stream bit for bit.
 * The generator state moves into the kernel for a run of sweeps and back out afterwards, so
 * Wolff sweeps, restarts and snapshots always see the current stream.
 *
 * Wolff sweeps are the general sampler's updates (createSampler(model, 'wolff') on the same
 * periodic L×L model, mc/wolff.ts), run by the uniform-torus kernel torus/wolff.ts, which makes
 * the same draws in the same order, when the generator is xoshiro128** (always in the app), else
 * by mc/wolff.ts itself; the acceptance is the general sampler's too (flipped clusters per
 * cluster update; the rest joined the field's ghost spin). Only the number of updates per sweep
 * comes from a cheaper pilot (liveWolff.ts), because a live chain re-estimates it on every edit.
 */
export class IsingChain {
  readonly lattice: SquareLattice
  readonly spins: Int8Array
  readonly energy: GrowableSeries
  readonly absM: GrowableSeries
  sweep = 0
  /** Kept current by every update; the kernel's own object when the WASM kernel is in use. */
  private readonly sums: IsingSums
  private parameters: IsingParams
  private generator: Rng
  private readonly table: MetropolisTable
  private readonly kernel: WasmSquareKernel | null
  /** Whether Wolff sweeps may use the WebAssembly torus kernel. */
  private readonly wasmWolff: boolean
  /** The torus Wolff kernel of `wolff`, kept across runs of sweeps (one module memory per (K, h)). */
  private torusWolff: { wolff: LiveWolff; kernel: TorusWolff } | null = null
  /** A kernel exists and `generator` follows xoshiro128**, so the kernel may continue its stream. */
  private wasmUsable = false
  /** `generator` follows xoshiro128**, so the torus Wolff kernel may continue its stream. */
  private xoshiro = false
  /** The Wolff model for the current (K, h) and its updates per sweep, a pure function of (L, K, h). */
  private wolff: LiveWolff | null = null

  private constructor(
    L: number,
    params: IsingParams,
    rng: Rng,
    options: IsingChainOptions,
    energy?: Float64Array,
    absM?: Float64Array
  ) {
    this.lattice = createSquareLattice(L)
    this.energy = new GrowableSeries(energy)
    this.absM = new GrowableSeries(absM)
    this.kernel = options.wasm === false ? null : createWasmSquareKernel(L)
    this.wasmWolff = options.wasm !== false
    this.spins = this.kernel ? this.kernel.spins : new Int8Array(this.lattice.N)
    this.sums = this.kernel ? this.kernel.sums : { bondSum: 0, spinSum: 0 }
    this.parameters = { ...params }
    this.generator = rng
    this.table = createMetropolisTable(params.K, params.h)
    this.kernel?.setCouplings(params.K, params.h)
    this.adopt(rng)
  }

  /** A fresh chain at sweep 0; a hot start draws N numbers from `rng`. */
  static start(
    L: number,
    params: IsingParams,
    start: 'hot' | 'cold',
    rng: Rng,
    options: IsingChainOptions = {}
  ): IsingChain {
    const chain = new IsingChain(L, params, rng, options)
    chain.restart(start, rng)
    return chain
  }

  /** Continues a saved state; `rng` must already be restored from `state.rngState`. */
  static resume(state: IsingChainState, params: IsingParams, rng: Rng, options: IsingChainOptions = {}): IsingChain {
    const chain = new IsingChain(state.L, params, rng, options, state.energy, state.absM)
    validateSpins(state.spins, chain.lattice.N, 'resume.spins')
    chain.spins.set(state.spins)
    chain.recomputeSums()
    chain.sweep = state.sweep
    return chain
  }

  /** Whether Metropolis sweeps currently run on the WebAssembly kernel. */
  get usesWasm(): boolean {
    return this.wasmUsable
  }

  get params(): IsingParams {
    return { ...this.parameters }
  }

  /**
   * The chain's generator, always at the current point of the stream. A run of WASM sweeps
   * continues the stream inside the kernel and then replaces this object with a fresh
   * xoshiro128** at the advanced state, so read it again rather than keeping a reference.
   */
  get rng(): Rng {
    return this.generator
  }

  private adopt(rng: Rng): void {
    this.generator = rng
    this.xoshiro = isXoshiro128ss(rng)
    this.wasmUsable = this.kernel !== null && this.xoshiro
  }

  private recomputeSums(): void {
    const sums = computeIsingSums(this.spins, this.lattice)
    this.sums.bondSum = sums.bondSum
    this.sums.spinSum = sums.spinSum
  }

  /** Back to sweep 0 with a new start configuration drawn from `rng`, which the chain adopts. */
  restart(start: 'hot' | 'cold', rng: Rng): void {
    this.adopt(rng)
    for (let i = 0; i < this.spins.length; i++) {
      this.spins[i] = start === 'cold' || rng.nextFloat() >= 0.5 ? 1 : -1
    }
    this.recomputeSums()
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
    this.recomputeSums()
    return skipped + Math.abs(sites.length - values.length)
  }

  /** Caller validates (see validateIsingParams); takes effect from the next sweep. */
  setParams(params: IsingParams): void {
    this.parameters = { ...params }
    setMetropolisCouplings(this.table, params.K, params.h)
    this.kernel?.setCouplings(params.K, params.h)
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
    const kernel = algorithm === 'metropolis' && this.wasmUsable ? this.kernel : null
    if (kernel) {
      kernel.setRngState(this.generator.getState())
      for (let s = 0; s < count; s++) {
        accepted += kernel.metropolisSweep()
        this.sweep++
        this.energy.push(energyPerSpin(this.sums, K, h, N))
        this.absM.push(absMagnetisationPerSpin(this.sums, N))
      }
      this.generator = xoshiro128ssFromState(kernel.getRngState())
      return { sweeps: count, acceptance: count > 0 ? accepted / (count * N) : 0 }
    }
    if (algorithm === 'wolff') return { sweeps: count, acceptance: this.wolffSweeps(count) }
    for (let s = 0; s < count; s++) {
      accepted += metropolisSweep(this.spins, this.lattice, this.table, this.generator, this.sums)
      proposed += N
      this.sweep++
      this.energy.push(energyPerSpin(this.sums, K, h, N))
      this.absM.push(absMagnetisationPerSpin(this.sums, N))
    }
    return { sweeps: count, acceptance: proposed > 0 ? accepted / proposed : 0 }
  }

  /** Runs `count` Wolff sweeps, recording e and |m| after each; returns the acceptance. */
  private wolffSweeps(count: number): number {
    const { K, h } = this.parameters
    const { N } = this.lattice
    const wolff = this.wolffFor(K, h)
    const record = (): void => {
      this.sweep++
      this.energy.push(energyPerSpin(this.sums, K, h, N))
      this.absM.push(absMagnetisationPerSpin(this.sums, N))
    }
    if (this.xoshiro) {
      if (this.torusWolff?.wolff !== wolff) {
        const threshold = probabilityThreshold(-Math.expm1(-2 * K))
        const kernel = createTorusWolff(
          this.spins,
          wolff.model.lattice.adjSite,
          threshold,
          h,
          this.generator.getState(),
          {
            wasm: this.wasmWolff
          }
        )
        this.torusWolff = { wolff, kernel }
      }
      const { kernel } = this.torusWolff
      kernel.load(this.spins, this.generator.getState()) // spins and stream may have moved since the last run
      const updates = kernel.clusterUpdates
      const ghosts = kernel.ghostClusters
      for (let s = 0; s < count; s++) {
        kernel.updates(wolff.updatesPerSweep)
        this.sums.bondSum = kernel.bondSum()
        this.sums.spinSum = kernel.magnetisation
        record()
      }
      if (kernel.spins !== this.spins) this.spins.set(kernel.spins) // the WebAssembly kernel works on a copy
      this.generator = xoshiro128ssFromState(kernel.getRngState())
      const run = kernel.clusterUpdates - updates
      return run > 0 ? 1 - (kernel.ghostClusters - ghosts) / run : 0
    }
    const workspace = (wolff.workspace ??= createWolffWorkspace(wolff.model))
    const state = createMcState(wolff.model, this.spins)
    for (let s = 0; s < count; s++) {
      for (let u = 0; u < wolff.updatesPerSweep; u++) wolffUpdate(state, workspace, this.generator)
      this.recomputeSums()
      record()
    }
    return state.attempts > 0 ? state.accepted / state.attempts : 0
  }

  private wolffFor(K: number, h: number): LiveWolff {
    const cached = this.wolff
    if (cached && cached.K === K && cached.h === h) return cached
    this.wolff = createLiveWolff(this.lattice.L, K, h, cached?.model.lattice)
    return this.wolff
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
