import { modelFromData, type ModelData } from '../lattice/data'
import { createSampler, MC_ALGORITHMS, type McAlgorithm } from '../ising/mc'
import {
  correlationFunction,
  createMeasurements,
  recordSample,
  secondMomentCorrelationLength
} from '../ising/mc/measure'
import { createTorusChain, type DatasetChain, type DatasetKernel } from '../ising/torus/chain'
import { createTorusRecorder } from '../ising/torus/measure'
import { integratedAutocorrelationTime, summarise, type McSummary } from '../stats'
import type { JobRunner, JobSignal, JobSink } from './types'

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

/** The observables whose τ_int the pilot measures: e = H/N, m = Σv/N and |m|. */
export type PilotObservable = 'e' | 'm' | 'absM'

export interface PilotThinning {
  /** Sweeps the pilot ran (the first length doubled until reliable, or the cap). */
  pilotSweeps: number
  /** The longest pilot allowed. */
  pilotMaxSweeps: number
  /** Every τ_int reliable (pilot ≥ 100 τ_int, Sokal); false when the cap was reached first. */
  reliable: boolean
  /** τ_int in sweeps of each observable over the whole pilot. */
  tauSweeps: Record<PilotObservable, number>
  /** The observable with the largest τ_int, which set thin = ⌈2 τ⌉. */
  setBy: PilotObservable
}

export const DEFAULT_PILOT_SWEEPS = 2000
/** 2000 doubled 8 times: enough for τ ≈ 5,000 sweeps (Metropolis m on 40×40 at Kc is ~3,500). */
export const DEFAULT_PILOT_MAX_SWEEPS = 512_000

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

/** Runs `count` sweeps, yielding to the host every ~30 ms so pause and cancel take effect. */
export async function sweepWithYield(
  sampler: { sweep(): void },
  count: number,
  signal: JobSignal,
  onSweep?: (k: number) => void
): Promise<boolean> {
  let last = signal.now()
  for (let k = 0; k < count; k++) {
    sampler.sweep()
    onSweep?.(k)
    if (signal.now() - last > 30) {
      await signal.next()
      if (signal.cancelled) return false
      last = signal.now()
    }
  }
  return !signal.cancelled
}

export const runIsingDataset: JobRunner<DatasetSpec, DatasetResult | null> = async (spec, rng, sink, signal) => {
  const model = modelFromData(spec.model)
  const N = model.lattice.N
  validateDatasetSpec(spec, N)
  const fast = spec.kernel === 'general' ? null : createTorusChain(model, spec.algorithm, rng, spec.start)
  const sampler: DatasetChain = fast ?? {
    kernel: 'general',
    ...samplerChain(createSampler(model, spec.algorithm, rng, { start: spec.start }))
  }
  sink.log(`dataset: ${spec.algorithm} on the ${sampler.kernel} kernel`)
  const pilot = spec.thin === 'auto' ? (spec.pilotSweeps ?? DEFAULT_PILOT_SWEEPS) : 0
  let plannedTotal = spec.burnIn + pilot + (spec.thin === 'auto' ? spec.samples : spec.samples * spec.thin)
  let done = 0
  const report = (note: string) => sink.progress({ done, total: plannedTotal, unit: 'sweeps', note })

  report('burn-in')
  if (!(await sweepWithYield(sampler, spec.burnIn, signal, () => (++done % 500 === 0 ? report('burn-in') : undefined))))
    return null

  let thin = spec.thin === 'auto' ? 1 : spec.thin
  let thinning: PilotThinning | null = null
  if (spec.thin === 'auto') {
    const cap = spec.pilotMaxSweeps ?? Math.max(DEFAULT_PILOT_MAX_SWEEPS, pilot)
    thinning = await runPilot(sampler, pilot, cap, signal, (sweeps, length) => {
      done += sweeps
      plannedTotal = spec.burnIn + length + spec.samples
      if (done % 500 < sweeps) report(`measuring τ_int (pilot of ${length} sweeps)`)
    })
    if (!thinning) return null
    const tau = thinning.tauSweeps[thinning.setBy]
    thin = Math.max(1, Math.ceil(2 * tau))
    plannedTotal = spec.burnIn + thinning.pilotSweeps + spec.samples * thin
    sink.log(
      `dataset: τ_int = ${tau.toFixed(2)} sweeps (${thinning.setBy}) in a pilot of ${thinning.pilotSweeps} sweeps` +
        `${thinning.reliable ? '' : ` — not reliable: the pilot reached its cap before 100 τ_int`}, keeping one sample every ${thin} sweeps`
    )
  }
  const tauIntSweeps = thinning ? thinning.tauSweeps[thinning.setBy] : null

  const samples = spec.keepSamples ? new Int8Array(spec.samples * N) : null
  const energy = new Float64Array(spec.samples)
  const magnetisation = new Float64Array(spec.samples)
  const meas = createMeasurements(model.lattice, spec.samples, {
    correlations: model.lattice.Ly > 1 || model.lattice.spec.kind === 'chain'
  })
  const torusRecorder = createTorusRecorder(meas) // same numbers as recordSample, faster
  for (let s = 0; s < spec.samples; s++) {
    if (!(await sweepWithYield(sampler, thin, signal))) return null
    done += thin
    energy[s] = sampler.energy()
    magnetisation[s] = sampler.magnetisation()
    samples?.set(sampler.spins, s * N)
    if (torusRecorder) torusRecorder.record(sampler.spins, energy[s]!)
    else recordSample(meas, sampler.spins, energy[s]!)
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
  return {
    N,
    samples,
    energy,
    magnetisation,
    burnIn: spec.burnIn,
    thin,
    tauIntSweeps,
    thinning,
    acceptance: sampler.acceptance(),
    totalSweeps: done,
    kernel: sampler.kernel,
    summary,
    correlation,
    xi
  }
}

/**
 * The pilot: sweeps `first`, then doubles the series (continuing the chain) until τ_int of e, m
 * and |m| over the whole series is reliable or `cap` sweeps are reached. `onSweeps(k, length)`
 * reports k sweeps done towards a pilot of `length`. Null when cancelled.
 */
async function runPilot(
  chain: DatasetChain,
  first: number,
  cap: number,
  signal: JobSignal,
  onSweeps: (sweeps: number, length: number) => void
): Promise<PilotThinning | null> {
  let e = new Float64Array(0)
  let m = new Float64Array(0)
  let length = Math.min(first, cap)
  for (;;) {
    const from = e.length
    const grownE = new Float64Array(length)
    const grownM = new Float64Array(length)
    grownE.set(e)
    grownM.set(m)
    e = grownE
    m = grownM
    let pending = 0
    const ok = await sweepWithYield(chain, length - from, signal, (k) => {
      e[from + k] = chain.energy()
      m[from + k] = chain.magnetisation()
      if (++pending === 100) {
        onSweeps(pending, length)
        pending = 0
      }
    })
    if (!ok) return null
    onSweeps(pending, length)
    const absM = m.map(Math.abs)
    const times = {
      e: integratedAutocorrelationTime(e),
      m: integratedAutocorrelationTime(m),
      absM: integratedAutocorrelationTime(absM)
    }
    const reliable = times.e.reliable && times.m.reliable && times.absM.reliable
    if (reliable || length >= cap) {
      const tauSweeps = { e: times.e.tauInt, m: times.m.tauInt, absM: times.absM.tauInt }
      const setBy = (['e', 'm', 'absM'] as const).reduce((a, b) => (tauSweeps[b] > tauSweeps[a] ? b : a))
      return { pilotSweeps: length, pilotMaxSweeps: cap, reliable, tauSweeps, setBy }
    }
    length = Math.min(2 * length, cap)
  }
}

/** The members of a general Sampler the runner uses (its methods close over their state). */
function samplerChain(sampler: ReturnType<typeof createSampler>): Omit<DatasetChain, 'kernel'> {
  return {
    spins: sampler.spins,
    sweep: sampler.sweep,
    energy: sampler.energy,
    magnetisation: sampler.magnetisation,
    acceptance: sampler.acceptance
  }
}

/** For hosts that want to sink nothing (tests, CLI). */
export const silentSink: JobSink = { progress: () => {}, frame: () => {}, reply: () => {}, log: () => {} }
