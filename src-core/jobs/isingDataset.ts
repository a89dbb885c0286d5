import { modelFromData, type ModelData } from '../lattice/data'
import { MC_ALGORITHMS, type McAlgorithm } from '../ising/mc'
import {
  correlationFunction,
  createMeasurements,
  recordSample,
  secondMomentCorrelationLength,
  type McMeasurements
} from '../ising/mc/measure'
import { createTorusChain, type DatasetChain, type DatasetKernel } from '../ising/torus/chain'
import { createTorusRecorder } from '../ising/torus/measure'
import type { Rng } from '../random/rng'
import { summarise, type McSummary } from '../stats'
import {
  generalChain,
  measurementState,
  restoreMeasurements,
  validateDatasetCheckpoint,
  type DatasetCheckpoint
} from './datasetCheckpoint'
import {
  DEFAULT_PILOT_MAX_SWEEPS,
  DEFAULT_PILOT_SWEEPS,
  runPilot,
  sweepWithYield,
  type PilotThinning
} from './datasetPilot'
import type { JobRunner, JobSignal, JobSink } from './types'

export {
  DEFAULT_PILOT_MAX_SWEEPS,
  DEFAULT_PILOT_SWEEPS,
  sweepWithYield,
  type PilotObservable,
  type PilotThinning
} from './datasetPilot'
export type { DatasetCheckpoint } from './datasetCheckpoint'

/**
 * "N decorrelated samples" (issue: datasets): burn in, measure the integrated autocorrelation
 * times τ_int of the recorded observables e, m and |m| in a pilot run, then store one
 * configuration every `thin` sweeps with thin = ⌈2 τ_max⌉, τ_max the largest of the three
 * (samples 2τ_int apart are effectively independent; Sokal 1997 §3), unless the caller fixes it.
 * The pilot doubles in length until every τ_int is reliable by Sokal's criterion (pilot ≥ 100 τ,
 * see stats/autocorrelation.ts) or it reaches its cap; the result says which (`thinning`).
 * Near Kc, local algorithms decorrelate the signed m far more slowly than e or |m|, so a
 * fixed short pilot on e and |m| alone thinned by a fraction of the true τ.
 * The result records everything needed to judge and reproduce the data.
 *
 * Kernels: a uniform model on the periodic square lattice runs on the fast kernels of
 * ising/torusChain.ts (same Markov chain and sweep as the general sampler; the result names the
 * kernel), everything else on createSampler. A fixed seed gives the same dataset for a given
 * kernel; `kernel: 'general'` forces the general samplers.
 */
export interface DatasetSpec {
  model: ModelData
  algorithm: McAlgorithm
  samples: number
  burnIn: number
  /** Sweeps between stored samples, or 'auto' (from the pilot's τ_int). */
  thin: number | 'auto'
  /** First pilot length for 'auto' (default 2000 sweeps); doubled until τ_int is reliable. */
  pilotSweeps?: number
  /** Longest pilot for 'auto' (default DEFAULT_PILOT_MAX_SWEEPS). */
  pilotMaxSweeps?: number
  start: 'random' | 'up' | 'down'
  /** Store the configurations (int8 [samples, N]); off for observable-only runs. */
  keepSamples: boolean
  /** 'auto' (default): the fast kernels where they apply; 'general': always createSampler. */
  kernel?: 'auto' | 'general'
}

export interface DatasetResult {
  N: number
  samples: Int8Array | null
  /** H per stored sample. */
  energy: Float64Array
  /** Σv per stored sample. */
  magnetisation: Float64Array
  burnIn: number
  thin: number
  /** τ_int of the pilot in sweeps (largest of e, m and |m|), or null when thin was fixed. */
  tauIntSweeps: number | null
  /** How the pilot chose `thin`, or null when thin was fixed. */
  thinning: PilotThinning | null
  acceptance: number
  totalSweeps: number
  /** Which kernel ran the chain: the general sampler or a square-torus kernel (WebAssembly or TypeScript). */
  kernel: DatasetKernel
  summary: McSummary
  correlation: { x: Float64Array | null; y: Float64Array | null } | null
  xi: { value: number; error: number } | null
}

/** Fewest samples a dataset may have: the error analysis needs at least this many. */
export const MIN_DATASET_SAMPLES = 40

/** Largest dataset kept in memory: samples × sites (256 MiB of int8). */
export const MAX_DATASET_SPINS = 1 << 28

export function validateDatasetSpec(spec: DatasetSpec, N: number): void {
  const int = (v: unknown, name: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`)
  }
  if (
    typeof spec.samples === 'number' &&
    Number.isInteger(spec.samples) &&
    spec.samples >= 1 &&
    spec.samples < MIN_DATASET_SAMPLES
  ) {
    throw new RangeError(
      `ask for at least ${MIN_DATASET_SAMPLES} samples: error bars and τ_int need them (got ${spec.samples})`
    )
  }
  int(spec.samples, 'samples', MIN_DATASET_SAMPLES, 10_000_000)
  int(spec.burnIn, 'burn-in', 0, 100_000_000)
  if (spec.thin !== 'auto') int(spec.thin, 'thin', 1, 1_000_000)
  if (spec.pilotSweeps !== undefined) int(spec.pilotSweeps, 'pilot sweeps', 100, 10_000_000)
  if (spec.pilotMaxSweeps !== undefined)
    int(spec.pilotMaxSweeps, 'longest pilot', spec.pilotSweeps ?? DEFAULT_PILOT_SWEEPS, 100_000_000)
  if (!MC_ALGORITHMS.includes(spec.algorithm)) throw new RangeError(`unknown algorithm ${String(spec.algorithm)}`)
  if (spec.kernel !== undefined && spec.kernel !== 'auto' && spec.kernel !== 'general')
    throw new RangeError(`kernel must be 'auto' or 'general', got ${String(spec.kernel)}`)
  if (spec.keepSamples && spec.samples * N > MAX_DATASET_SPINS) {
    throw new RangeError(
      `${spec.samples} samples of ${N} spins need ${Math.ceil((spec.samples * N) / 2 ** 20)} MiB; the limit is ${MAX_DATASET_SPINS / 2 ** 20} MiB — store fewer samples or only observables`
    )
  }
}

/** How a dataset job may stop and continue (a cluster bundle's shard: datasetShard.ts). */
export interface DatasetRunOptions {
  /** Continue from where a run of the same spec and stream stopped. */
  resume?: DatasetCheckpoint
  /** Least host time between checkpoint frames ({ checkpoint }); absent or 0: none. */
  checkpointMs?: number
}

/** The dataset, or (stopped) where it stopped; the checkpoint is null only before anything to keep. */
export type DatasetRun = { result: DatasetResult } | { result: null; checkpoint: DatasetCheckpoint | null }

export const runIsingDataset: JobRunner<DatasetSpec, DatasetResult | null> = async (spec, rng, sink, signal) =>
  (await runDataset(spec, rng, sink, signal)).result

export async function runDataset(
  spec: DatasetSpec,
  rng: Rng,
  sink: JobSink,
  signal: JobSignal,
  options: DatasetRunOptions = {}
): Promise<DatasetRun> {
  const model = modelFromData(spec.model)
  const N = model.lattice.N
  validateDatasetSpec(spec, N)
  const r = options.resume
  if (r) validateDatasetCheckpoint(r, spec, N)
  const sampler: DatasetChain =
    (spec.kernel === 'general' ? null : createTorusChain(model, spec.algorithm, rng, spec.start, r?.chain)) ??
    generalChain(model, spec.algorithm, rng, spec.start, r?.chain)
  sink.log(`dataset: ${spec.algorithm} on the ${sampler.kernel} kernel`)
  const pilot = spec.thin === 'auto' ? (spec.pilotSweeps ?? DEFAULT_PILOT_SWEEPS) : 0
  let plannedTotal = spec.burnIn + pilot + (spec.thin === 'auto' ? spec.samples : spec.samples * spec.thin)
  let done = r?.done ?? 0
  let burned = r?.burnIn ?? 0
  let sampled = r?.sampled ?? 0
  let stored = r?.stored ?? 0
  let thin: number | null = r?.thin ?? (spec.thin === 'auto' ? null : spec.thin)
  let thinning: PilotThinning | null = r?.thinning ?? null
  const samples = spec.keepSamples ? new Int8Array(spec.samples * N) : null
  const energy = new Float64Array(spec.samples)
  const magnetisation = new Float64Array(spec.samples)
  let meas: McMeasurements | null = null
  const report = (note: string) => sink.progress({ done, total: plannedTotal, unit: 'sweeps', note })

  const state = (): DatasetCheckpoint => ({
    ...{ version: 1, done, burnIn: burned, thin, thinning, sampled, stored, chain: sampler.state() },
    samples: samples ? samples.slice(0, stored * N) : null,
    energy: energy.slice(0, stored),
    magnetisation: magnetisation.slice(0, stored),
    measurements: meas ? measurementState(meas) : null
  })
  // Checkpoint frames every `every` ms of host time (the clock is read only when asked for them).
  const every = options.checkpointMs ?? 0
  let lastCheckpoint = every > 0 ? signal.now() : 0
  const tick = () => {
    if (every > 0 && signal.now() - lastCheckpoint >= every) {
      sink.frame({ checkpoint: state() })
      lastCheckpoint = signal.now()
    }
  }
  let beforePilot: DatasetCheckpoint | null = null
  const stopped = (): DatasetRun => ({ result: null, checkpoint: beforePilot ?? state() })

  report('burn-in')
  const burnOn = () => {
    burned++
    if (++done % 500 === 0) report('burn-in')
    tick()
  }
  if (!(await sweepWithYield(sampler, spec.burnIn - burned, signal, burnOn))) return stopped()

  if (thin === null) {
    beforePilot = state()
    const cap = spec.pilotMaxSweeps ?? Math.max(DEFAULT_PILOT_MAX_SWEEPS, pilot)
    thinning = await runPilot(sampler, pilot, cap, signal, (sweeps, length) => {
      done += sweeps
      plannedTotal = spec.burnIn + length + spec.samples
      if (done % 500 < sweeps) report(`measuring τ_int (pilot of ${length} sweeps)`)
    })
    if (!thinning) return stopped()
    beforePilot = null
    const tau = thinning.tauSweeps[thinning.setBy]
    thin = Math.max(1, Math.ceil(2 * tau))
    sink.log(
      `dataset: τ_int = ${tau.toFixed(2)} sweeps (${thinning.setBy}) in a pilot of ${thinning.pilotSweeps} sweeps` +
        `${thinning.reliable ? '' : ` — not reliable: the pilot reached its cap before 100 τ_int`}, keeping one sample every ${thin} sweeps`
    )
  }
  const keepEvery: number = thin
  if (thinning) plannedTotal = spec.burnIn + thinning.pilotSweeps + spec.samples * keepEvery
  const tauIntSweeps = thinning ? thinning.tauSweeps[thinning.setBy] : null

  meas = createMeasurements(model.lattice, spec.samples, {
    correlations: model.lattice.Ly > 1 || model.lattice.spec.kind === 'chain'
  })
  if (r && stored > 0) {
    restoreMeasurements(meas, r.measurements!)
    samples?.set(r.samples!)
    energy.set(r.energy)
    magnetisation.set(r.magnetisation)
  }
  const torusRecorder = createTorusRecorder(meas) // same numbers as recordSample, faster
  const sampleOn = () => {
    sampled++
    done++
    tick()
  }
  const clock = { last: signal.now() }
  for (let s = stored; s < spec.samples; s++) {
    if (!(await sweepWithYield(sampler, (s + 1) * keepEvery - sampled, signal, sampleOn, clock))) return stopped()
    energy[s] = sampler.energy()
    magnetisation[s] = sampler.magnetisation()
    samples?.set(sampler.spins, s * N)
    if (torusRecorder) torusRecorder.record(sampler.spins, energy[s]!)
    else recordSample(meas, sampler.spins, energy[s]!)
    stored = s + 1
    if (s % 50 === 0 || s === spec.samples - 1) report('sampling')
  }
  const absM = energy.map((_, s) => Math.abs(magnetisation[s]!))
  const M2 = magnetisation.map((m) => m * m)
  const summary = summarise({ H: energy, M: magnetisation, absM, M2 }, N)
  let correlation: DatasetResult['correlation'] = null
  let xi: DatasetResult['xi'] = null
  try {
    correlation = correlationFunction(meas)
    const x = secondMomentCorrelationLength(meas).xi
    xi = x ? { value: x.value, error: x.error } : null
  } catch (e) {
    sink.log(`dataset: no correlation function for this lattice (${(e as Error).message})`)
  }
  const result: DatasetResult = {
    ...{ N, samples, energy, magnetisation, burnIn: spec.burnIn, thin: keepEvery, tauIntSweeps, thinning },
    ...{ acceptance: sampler.acceptance(), totalSweeps: done, kernel: sampler.kernel, summary, correlation, xi }
  }
  return { result }
}

/** For hosts that want to sink nothing (tests, CLI). */
export const silentSink: JobSink = { progress: () => {}, frame: () => {}, reply: () => {}, log: () => {} }
