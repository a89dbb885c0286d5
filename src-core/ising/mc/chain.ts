import { modelFromData, type ModelData } from '../../lattice/data'
import { checkModel, uniformModel } from '../../lattice/model'
import type { IsingModel, Lattice } from '../../lattice/types'
import type { Rng } from '../../random/rng'
import { GrowableSeries, type SweepStatistics, validateSpins } from '../chainCommon'
import { assertClusterModel } from './cluster'
import { createSampler, MC_ALGORITHMS, type McAlgorithm, type Sampler } from './sampler'
import type { ChainStart, IsingChainResult, IsingChainState, IsingParams } from '../types'

/** Largest β multiplier a general chain accepts (the scaled couplings must also stay within ±10). */
export const MAX_BETA = 10

/**
 * The single K and h of a model without per-site or per-bond arrays and without direction
 * overrides (Kx, Ky, Kd equal to K or absent), or null. Only such models take K and h edits;
 * every other model is tuned through β.
 */
export function uniformCouplingsOf(data: ModelData): { K: number; h: number } | null {
  if (data.fields || data.couplings) return null
  const u = data.uniform
  if ([u.Kx, u.Ky, u.Kd].some((k) => k !== undefined && k !== u.K)) return null
  return { K: u.K, h: u.h }
}

/** The model with every K_i and K_ij multiplied by β; throws a RangeError past ±10. */
export function scaleModel(model: IsingModel, beta: number): IsingModel {
  if (beta === 1) return model
  const scaled: IsingModel = {
    lattice: model.lattice,
    fields: model.fields.map((v) => v * beta),
    couplings: model.couplings.map((v) => v * beta)
  }
  checkModel(scaled)
  return scaled
}

/** Parameters of a general chain: β is always present. */
export type GeneralParams = IsingParams & { algorithm: McAlgorithm; beta: number }

/** Why β is not acceptable, or null. */
export function betaProblem(value: unknown): string | null {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= MAX_BETA
    ? null
    : `beta must be a finite number in [0, ${MAX_BETA}], got ${String(value)}`
}

/** Why `value` is not one of the five Monte Carlo algorithms, or null. */
export function generalAlgorithmProblem(value: unknown): string | null {
  return MC_ALGORITHMS.includes(value as McAlgorithm)
    ? null
    : `algorithm must be one of ${MC_ALGORITHMS.join(', ')}, got ${String(value)}`
}

/**
 * A Markov chain on any IsingModel (any lattice, edited fields and couplings), driven by the
 * samplers of this folder. Same contract as IsingChain (square/chain.ts): per-sweep series of e = H/N and
 * |m| = |Σv|/N, painting, restarts and snapshots. H is recomputed from the spins after every
 * sweep, so the series do not depend on where the chain was interrupted: a chain resumed from a
 * snapshot (spins, series, generator state) continues the uninterrupted one bit for bit.
 *
 * The couplings the sampler runs are β·(model), where for a uniform model (uniformCouplingsOf)
 * the model is rebuilt from the chain's own K and h. acceptance() is the sampler's, counted
 * since the last change of algorithm or couplings.
 */
export class GeneralChain {
  readonly lattice: Lattice
  readonly L: number
  readonly energy: GrowableSeries
  readonly absM: GrowableSeries
  sweep = 0
  /** The model as given (unscaled); for a uniform one, rebuilt from params.K and params.h. */
  private readonly base: IsingModel
  private readonly uniform: { K: number; h: number } | null
  private parameters: GeneralParams
  private sampler: Sampler
  private generator: Rng

  private constructor(
    data: ModelData,
    L: number,
    params: GeneralParams,
    rng: Rng,
    spins: 'random' | 'up' | Int8Array,
    series?: IsingChainState
  ) {
    this.base = modelFromData(data)
    this.lattice = this.base.lattice
    this.uniform = uniformCouplingsOf(data)
    this.L = L
    this.parameters = { ...params }
    this.generator = rng
    const model = this.modelFor(this.parameters)
    if (typeof model === 'string') throw new RangeError(model)
    if (spins instanceof Int8Array) validateSpins(spins, this.lattice.N, series ? 'resume.spins' : 'startSpins')
    this.sampler = createSampler(model, params.algorithm, rng, { start: spins })
    this.energy = new GrowableSeries(series?.energy)
    this.absM = new GrowableSeries(series?.absM)
    if (series) this.sweep = series.sweep
  }

  /** A fresh chain at sweep 0: a hot start draws N numbers from `rng`; 'painted' copies `startSpins`. */
  static start(
    data: ModelData,
    L: number,
    params: GeneralParams,
    start: ChainStart,
    startSpins: Int8Array | undefined,
    rng: Rng
  ): GeneralChain {
    return new GeneralChain(data, L, params, rng, GeneralChain.startConfiguration(start, startSpins))
  }

  /** Continues a saved state; `rng` must already be restored from `state.rngState`. */
  static resume(data: ModelData, state: IsingChainState, params: GeneralParams, rng: Rng): GeneralChain {
    return new GeneralChain(data, state.L, params, rng, Int8Array.from(state.spins), state)
  }

  private static startConfiguration(start: ChainStart, startSpins: Int8Array | undefined): 'random' | 'up' | Int8Array {
    if (start === 'painted') {
      if (!startSpins) throw new RangeError("start 'painted' needs startSpins")
      return startSpins
    }
    return start === 'cold' ? 'up' : 'random'
  }

  get spins(): Int8Array {
    return this.sampler.spins
  }

  get params(): GeneralParams {
    return { ...this.parameters }
  }

  /** True when K and h edits apply (the model is uniform). */
  get takesUniformEdits(): boolean {
    return this.uniform !== null
  }

  get rng(): Rng {
    return this.generator
  }

  /** The model the sampler runs for `params`, or a sentence saying why it cannot run. */
  modelFor(params: GeneralParams): IsingModel | string {
    try {
      const base = this.uniform ? uniformModel(this.lattice, { K: params.K, h: params.h }) : this.base
      const model = scaleModel(base, params.beta)
      if (params.algorithm === 'wolff' || params.algorithm === 'sw') assertClusterModel(model)
      return model
    } catch (err) {
      return err instanceof Error ? err.message : String(err)
    }
  }

  /** New parameters (already checked with modelFor); the spins are kept. */
  setParams(params: GeneralParams): void {
    const model = this.modelFor(params)
    if (typeof model === 'string') throw new RangeError(model)
    const previous = this.parameters
    this.parameters = { ...params }
    if (params.algorithm !== previous.algorithm) {
      this.sampler = createSampler(model, params.algorithm, this.generator, { start: this.sampler.spins })
    } else if (params.K !== previous.K || params.h !== previous.h || params.beta !== previous.beta) {
      this.sampler.setModel(model)
    }
  }

  /** Back to sweep 0 from `start`, drawing from `rng`, which the chain adopts. */
  restart(start: ChainStart, startSpins: Int8Array | undefined, rng: Rng): void {
    this.generator = rng
    this.sampler = createSampler(this.sampler.model, this.parameters.algorithm, rng, {
      start: GeneralChain.startConfiguration(start, startSpins)
    })
    this.sweep = 0
    this.energy.clear()
    this.absM.clear()
  }

  /** Sets spins by hand; invalid entries are skipped and counted. */
  paint(sites: Int32Array, values: Int8Array): number {
    const spins = this.sampler.spins
    let skipped = 0
    const n = Math.min(sites.length, values.length)
    for (let k = 0; k < n; k++) {
      const i = sites[k]!
      const v = values[k]!
      if (!Number.isInteger(i) || i < 0 || i >= spins.length || (v !== 1 && v !== -1)) skipped++
      else spins[i] = v
    }
    this.sampler.resync()
    return skipped + Math.abs(sites.length - values.length)
  }

  /** Runs `count` sweeps, recording e = H/N and |m| after each (H recomputed exactly). */
  runSweeps(count: number): SweepStatistics {
    const N = this.lattice.N
    for (let s = 0; s < count; s++) {
      this.sampler.sweep()
      this.sampler.resync()
      this.sweep++
      this.energy.push(this.sampler.energy() / N)
      this.absM.push(Math.abs(this.sampler.magnetisation()) / N)
    }
    return { sweeps: count, acceptance: this.sampler.acceptance() }
  }

  snapshot(): IsingChainResult {
    return {
      L: this.L,
      sweep: this.sweep,
      spins: this.sampler.spins.slice(),
      energy: this.energy.copyFrom(0),
      absM: this.absM.copyFrom(0),
      rngState: this.generator.getState(),
      params: this.params
    }
  }
}
