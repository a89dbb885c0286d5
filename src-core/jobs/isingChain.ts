import type { GrowableSeries, SweepStatistics } from '../ising/chainCommon'
import { IsingChain } from '../ising/square/chain'
import { GeneralChain, type GeneralParams } from '../ising/mc/chain'
import type { ChainStart, IsingChainResult, IsingChainSpec, IsingFrame, IsingParams } from '../ising/types'
import type { ModelData } from '../lattice/data'
import { packSpins } from '../ising/spinBits'
import type { Rng } from '../random/rng'
import { combinationProblem, paramProblem, validateIsingChainSpec } from './isingChainSpec'
import type { JobCommand, JobRunner } from './types'

export {
  ISING_COUPLING_LIMIT,
  MAX_FRAMES_PER_SECOND,
  MAX_SWEEPS_PER_FRAME,
  validateIsingChainSpec
} from './isingChainSpec'

function sameState(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((word, k) => word === b[k])
}

/** What the runner needs of a chain, whichever kernel runs it. */
interface ChainDriver {
  readonly sweep: number
  readonly spins: Int8Array
  readonly energy: GrowableSeries
  readonly absM: GrowableSeries
  readonly params: IsingParams
  /** The generator at the current point of the stream (read it again after sweeps: it may be replaced). */
  readonly rng: Rng
  /** Applies an edit; invalid fields are logged and ignored. True when something changed. */
  edit(edit: Record<string, unknown>, log: (message: string) => void): boolean
  /** Back to sweep 0 from the spec's start, adopting `rng`. */
  restart(rng: Rng): void
  paint(sites: Int32Array, values: Int8Array): number
  runSweeps(count: number): SweepStatistics
  snapshot(): IsingChainResult
}

/** Every site, for writing a painted start configuration into the square chain. */
const allSites = (n: number): Int32Array => Int32Array.from({ length: n }, (_, i) => i)

/**
 * The fast uniform L×L square kernels (ising/square/chain.ts). An edit: each field is checked on its own and
 * invalid ones are ignored with a log line; if the accepted fields combine into an invalid set
 * (Wolff with K < 0) none is applied. A painted start is a cold start overwritten by the spins.
 */
function squareDriver(spec: IsingChainSpec, rng: Rng): ChainDriver {
  const params: IsingParams = { K: spec.K, h: spec.h, algorithm: spec.algorithm, sweepsPerFrame: spec.sweepsPerFrame }
  const start = (): 'hot' | 'cold' => (spec.start === 'painted' ? 'cold' : spec.start)
  const chain = spec.resume
    ? IsingChain.resume(spec.resume, params, rng)
    : IsingChain.start(spec.L, params, start(), rng)
  if (!spec.resume && spec.start === 'painted') chain.paint(allSites(chain.spins.length), spec.startSpins!)
  return {
    get sweep() {
      return chain.sweep
    },
    get spins() {
      return chain.spins
    },
    energy: chain.energy,
    absM: chain.absM,
    get params() {
      return chain.params
    },
    get rng() {
      return chain.rng
    },
    edit(edit, log) {
      const next: IsingParams = chain.params
      let changed = false
      for (const [key, value] of Object.entries(edit)) {
        const problem = paramProblem(key, value)
        if (problem) {
          log(`ising chain: ignored edit: ${problem}`)
          continue
        }
        ;(next as unknown as Record<string, unknown>)[key] = value
        changed = true
      }
      const combination = combinationProblem(next)
      if (combination) {
        log(`ising chain: ignored edit: ${combination}`)
        return false
      }
      if (changed) chain.setParams(next)
      return changed
    },
    restart(fresh) {
      chain.restart(start(), fresh)
      if (spec.start === 'painted') chain.paint(allSites(chain.spins.length), spec.startSpins!)
    },
    paint: (sites, values) => chain.paint(sites, values),
    runSweeps: (count) => chain.runSweeps(count),
    snapshot: () => chain.snapshot()
  }
}

/**
 * General models (ising/mc/chain.ts). Edits of algorithm, sweepsPerFrame and β always apply; K and
 * h only on a uniform model (otherwise ignored with a log line). An edit whose fields together
 * give an impossible model (a cluster algorithm on frustrated couplings, β·K beyond ±10) is
 * ignored as a whole, with the samplers' sentence in the log.
 */
function generalDriver(spec: IsingChainSpec & { model: ModelData }, rng: Rng): ChainDriver {
  const params = {
    K: spec.K,
    h: spec.h,
    algorithm: spec.algorithm,
    sweepsPerFrame: spec.sweepsPerFrame,
    beta: spec.beta ?? 1
  } as GeneralParams
  const start: ChainStart = spec.start
  const chain = spec.resume
    ? GeneralChain.resume(spec.model, spec.resume, params, rng)
    : GeneralChain.start(spec.model, spec.L, params, start, spec.startSpins, rng)
  return {
    get sweep() {
      return chain.sweep
    },
    get spins() {
      return chain.spins
    },
    energy: chain.energy,
    absM: chain.absM,
    get params() {
      return chain.params
    },
    get rng() {
      return chain.rng
    },
    edit(edit, log) {
      const next = chain.params as unknown as Record<string, unknown>
      let changed = false
      for (const [key, value] of Object.entries(edit)) {
        const problem = paramProblem(key, value, true)
        if (problem) {
          log(`ising chain: ignored edit: ${problem}`)
          continue
        }
        if ((key === 'K' || key === 'h') && !chain.takesUniformEdits) {
          if (value !== next[key])
            log(
              `ising chain: ignored edit: ${key} applies to uniform models only; this model has edited couplings or fields, use beta`
            )
          continue
        }
        next[key] = value
        changed = true
      }
      if (!changed) return false
      const model = chain.modelFor(next as unknown as GeneralParams)
      if (typeof model === 'string') {
        log(`ising chain: ignored edit: ${model}`)
        return false
      }
      chain.setParams(next as unknown as GeneralParams)
      return true
    },
    restart: (fresh) => chain.restart(start, spec.startSpins, fresh),
    paint: (sites, values) => chain.paint(sites, values),
    runSweeps: (count) => chain.runSweeps(count),
    snapshot: () => chain.snapshot()
  }
}

/**
 * A live (or batch, with targetSweeps) Markov chain: the uniform periodic L×L square lattice on
 * its fast kernels, or — with `spec.model` — any model on the samplers of src-core/ising/mc.
 * Frames carry the spins (L×L, or N for a model) at one bit each (ising/spinBits.ts: 128 KiB for
 * 1024², where one byte a spin made every frame 1 MiB through the worker's pipe, the web host's
 * socket and the page), the new points of e = H/N and |m|, and the generator's state, so a viewer
 * holding every frame can continue the chain if the job dies.
 *
 * Determinism: everything random comes from `rng` in a fixed order (hot start, then sweeps), and
 * commands only act between frames, so the same spec and seed give the same spins bit for bit,
 * and resuming from a snapshot continues the uninterrupted run exactly.
 *
 * `reset` returns to sweep 0 with spec.start (or spec.startSpins when painted), replaying the RNG state captured when this runner
 * began (the runner cannot reseed the host's generator); for a fresh spec that is the seed's
 * stream, for a resumed one the stream at the resume point. Current parameters are kept.
 * `step` runs `count` frames' worth of sweeps even while paused.
 */
export const runIsingChain: JobRunner<IsingChainSpec, IsingChainResult, IsingFrame> = async (
  spec,
  rng,
  sink,
  signal
) => {
  validateIsingChainSpec(spec)
  if (spec.resume && !sameState(rng.getState(), spec.resume.rngState)) {
    throw new RangeError(
      'runIsingChain: the rng passed in is not at resume.rngState; restore it from the checkpoint first'
    )
  }
  const initialRng: Rng = rng.clone()
  const chain: ChainDriver = spec.model ? generalDriver({ ...spec, model: spec.model }, rng) : squareDriver(spec, rng)
  const target = spec.targetSweeps ?? null
  const maxFps = spec.maxFps ?? 0

  const emit = (firstNewSweep: number, sweepsPerSecond: number, acceptance: number): void => {
    sink.frame({
      L: spec.L,
      sweep: chain.sweep,
      sites: chain.spins.length,
      spinBits: packSpins(chain.spins),
      params: chain.params,
      sweepsPerSecond,
      acceptance,
      series: { energy: chain.energy.copyFrom(firstNewSweep), absM: chain.absM.copyFrom(firstNewSweep) },
      rngState: chain.rng.getState()
    })
    sink.progress({ done: chain.sweep, total: target, unit: 'sweeps' })
  }
  const reachedTarget = (): boolean => target !== null && chain.sweep >= target

  emit(chain.sweep, 0, 0)
  while (!signal.cancelled && !reachedTarget()) {
    const commands: JobCommand[] = await signal.next()
    const slotStart = signal.now()
    let stepFrames = 0
    let changed = false
    for (const command of commands) {
      switch (command.type) {
        case 'edit':
          changed = chain.edit(command.params, (message) => sink.log(message)) || changed
          break
        case 'step':
          if (Number.isSafeInteger(command.count) && command.count > 0) stepFrames += command.count
          else sink.log(`ising chain: ignored step: count must be a positive integer, got ${String(command.count)}`)
          break
        case 'reset':
          chain.restart(initialRng.clone())
          changed = true
          break
        case 'snapshot':
          sink.reply(command.requestId, chain.snapshot())
          break
        case 'paint': {
          const skipped = chain.paint(command.sites, command.values)
          if (skipped > 0) sink.log(`ising chain: ${skipped} painted spins were out of range and ignored`)
          changed = true
          break
        }
      }
    }
    if (signal.cancelled) break
    let sweeps = ((signal.paused ? 0 : 1) + stepFrames) * chain.params.sweepsPerFrame
    if (target !== null) sweeps = Math.min(sweeps, target - chain.sweep)
    if (sweeps <= 0) {
      if (changed) emit(chain.sweep, 0, 0)
      continue
    }
    const firstNewSweep = chain.sweep
    const started = signal.now()
    const statistics = chain.runSweeps(sweeps)
    const elapsedMs = signal.now() - started
    emit(firstNewSweep, elapsedMs > 0 ? (1000 * sweeps) / elapsedMs : 0, statistics.acceptance)
    if (maxFps > 0 && !reachedTarget()) {
      const left = 1000 / maxFps - (signal.now() - slotStart)
      if (left > 0) await signal.sleep(left)
    }
  }
  return chain.snapshot()
}
