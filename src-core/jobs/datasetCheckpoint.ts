import type { SamplerSums } from '../ising/mc/sampler'
import { createSampler, type McAlgorithm } from '../ising/mc'
import type { McMeasurements } from '../ising/mc/measure'
import { initialSpins } from '../ising/mc/state'
import type { ChainState, DatasetChain } from '../ising/torus/chain'
import type { IsingModel } from '../lattice/types'
import type { Rng } from '../random/rng'
import { xoshiro128ssFromState } from '../random/xoshiro128ss'
import type { PilotThinning } from './datasetPilot'

/**
 * Where a dataset job stopped (isingDataset.ts's runDataset), to continue from bit for bit: the
 * chain's state (spins, generator, counters), the sweeps done in each stage, the thinning once
 * chosen, the samples stored so far with their H and M, and the measurement sums over them.
 * A dataset stopped during its τ_int pilot keeps the state it had when the pilot began.
 */
export interface DatasetCheckpoint {
  version: 1
  /** Sweeps done in all (burn-in, pilot and sampling). */
  done: number
  /** Burn-in sweeps done. */
  burnIn: number
  /** The thinning once chosen (fixed, or after the pilot), else null; the pilot's report. */
  thin: number | null
  thinning: PilotThinning | null
  /** Sweeps done since sampling began, and the samples stored: ⌊sampled / thin⌋, or one fewer when the last is due. */
  sampled: number
  stored: number
  chain: ChainState
  /** The stored samples (samples × N, when the dataset keeps them), their H and M. */
  samples: Int8Array | null
  energy: Float64Array
  magnetisation: Float64Array
  /** The measurements of the stored samples (null before sampling began). */
  measurements: MeasurementState | null
}

/** The sums and per-sample series of McMeasurements (mc/measure.ts), the scratch left out. */
export interface MeasurementState {
  count: number
  H: Float64Array
  M: Float64Array
  absM: Float64Array
  M2: Float64Array
  SkX: Float64Array | null
  SkY: Float64Array | null
  siteSum: Float64Array | null
  pairX: Float64Array | null
  pairY: Float64Array | null
}

export function measurementState(meas: McMeasurements): MeasurementState {
  const k = meas.count
  return {
    count: k,
    H: meas.H.slice(0, k),
    M: meas.M.slice(0, k),
    absM: meas.absM.slice(0, k),
    M2: meas.M2.slice(0, k),
    SkX: meas.SkX?.slice(0, k) ?? null,
    SkY: meas.SkY?.slice(0, k) ?? null,
    siteSum: meas.siteSum?.slice() ?? null,
    pairX: meas.corrX?.pairSum.slice() ?? null,
    pairY: meas.corrY?.pairSum.slice() ?? null
  }
}

/** Puts a measurementState back into fresh measurements of the same lattice; throws if it does not fit. */
export function restoreMeasurements(meas: McMeasurements, state: MeasurementState): void {
  const k = state.count
  if (!Number.isInteger(k) || k < 0 || k > meas.capacity)
    throw new RangeError(`the checkpoint's ${k} measured samples do not fit this dataset`)
  const put = (to: Float64Array | null, from: Float64Array | null, length: number, what: string) => {
    if ((to === null) !== (from === null) || (from !== null && from.length !== length))
      throw new RangeError(`the checkpoint's ${what} do not fit this lattice`)
    if (to && from) to.set(from)
  }
  put(meas.H, state.H, k, 'energies')
  put(meas.M, state.M, k, 'magnetisations')
  put(meas.absM, state.absM, k, 'magnetisations')
  put(meas.M2, state.M2, k, 'magnetisations')
  put(meas.SkX, state.SkX, k, 'structure factors')
  put(meas.SkY, state.SkY, k, 'structure factors')
  put(meas.siteSum, state.siteSum, meas.siteSum?.length ?? 0, 'site sums')
  put(meas.corrX?.pairSum ?? null, state.pairX, meas.corrX?.pairSum.length ?? 0, 'correlation sums')
  put(meas.corrY?.pairSum ?? null, state.pairY, meas.corrY?.pairSum.length ?? 0, 'correlation sums')
  meas.count = k
}

/** Checks a checkpoint against the dataset it is to continue (N spins a sample); throws a RangeError. */
export function validateDatasetCheckpoint(
  r: DatasetCheckpoint,
  spec: { samples: number; burnIn: number; thin: number | 'auto'; keepSamples: boolean },
  N: number
): void {
  const whole = (v: number) => Number.isInteger(v) && v >= 0
  if (r.version !== 1 || ![r.done, r.burnIn, r.sampled, r.stored].every(whole) || r.burnIn > spec.burnIn)
    throw new RangeError('the checkpoint is not one of this dataset')
  if (r.thin !== null && (!whole(r.thin) || r.thin < 1 || (spec.thin !== 'auto' && r.thin !== spec.thin)))
    throw new RangeError(`the checkpoint's thinning ${String(r.thin)} is not this dataset's`)
  if (r.sampled > 0 && (r.thin === null || r.burnIn < spec.burnIn))
    throw new RangeError('the checkpoint samples before its burn-in and thinning')
  const due = r.thin === null ? 0 : Math.floor(r.sampled / r.thin)
  const stored = r.stored
  if (!(stored === due || (stored === due - 1 && r.sampled === due * r.thin!)) || due > spec.samples)
    throw new RangeError(`the checkpoint's ${r.sampled} sampling sweeps do not fit its ${stored} samples`)
  if (due === spec.samples && r.sampled > due * r.thin!)
    throw new RangeError(`the checkpoint's ${r.sampled} sampling sweeps are more than this dataset makes`)
  if (r.chain.spins.length !== N || r.energy.length !== stored || r.magnetisation.length !== stored)
    throw new RangeError('the checkpoint does not hold this dataset’s spins and series')
  if (spec.keepSamples ? r.samples?.length !== stored * N : r.samples !== null)
    throw new RangeError('the checkpoint does not hold this dataset’s samples')
  if (stored > 0 && r.measurements?.count !== stored)
    throw new RangeError('the checkpoint does not hold the measurements of its samples')
}

const SUM_KEYS = ['energy', 'magnetisation', 'attempts', 'accepted'] as const

/**
 * The general sampler (mc/) as a DatasetChain, from `start` or from `resume` (its start spins
 * still drawn from `rng`, so the job's generator ends where it would, then the state's spins,
 * generator and sums put back).
 */
export function generalChain(
  model: IsingModel,
  algorithm: McAlgorithm,
  rng: Rng,
  start: 'random' | 'up' | 'down',
  resume?: ChainState
): DatasetChain {
  let source = rng
  let from: 'random' | 'up' | 'down' | Int8Array = start
  if (resume) {
    if (resume.spins.length !== model.lattice.N || SUM_KEYS.some((k) => !Number.isFinite(resume.counters[k])))
      throw new RangeError('the chain’s state is not one of the general sampler on this lattice')
    initialSpins(model.lattice.N, start, rng)
    source = xoshiro128ssFromState(resume.rngState)
    from = resume.spins
  }
  const sampler = createSampler(model, algorithm, source, { start: from })
  if (resume) sampler.restoreSums(resume.counters as unknown as SamplerSums)
  return {
    kernel: 'general',
    spins: sampler.spins,
    sweep: sampler.sweep,
    energy: sampler.energy,
    magnetisation: sampler.magnetisation,
    acceptance: sampler.acceptance,
    state: () => ({
      spins: Int8Array.from(sampler.spins),
      rngState: source.getState(),
      counters: { ...sampler.sums() }
    })
  }
}
