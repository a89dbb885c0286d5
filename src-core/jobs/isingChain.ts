import { IsingChain } from '../ising/chain'
import { validateSpins } from '../ising/observables'
import { validateLatticeSize } from '../ising/square'
import type { IsingChainResult, IsingChainSpec, IsingFrame, IsingParams } from '../ising/types'
import type { Rng } from '../random/rng'
import type { JobCommand, JobRunner, JobSink } from './types'

/** |K| and |h| above this are rejected: e^{−2·4K} underflows acceptance long before. */
export const ISING_COUPLING_LIMIT = 10
export const MAX_SWEEPS_PER_FRAME = 10_000
export const MAX_FRAMES_PER_SECOND = 1000

/** Why `value` is not acceptable for IsingParams[key], or null when it is. */
function paramProblem(key: string, value: unknown): string | null {
  switch (key) {
    case 'K':
    case 'h':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= ISING_COUPLING_LIMIT
        ? null
        : `${key} must be a finite number in [−${ISING_COUPLING_LIMIT}, ${ISING_COUPLING_LIMIT}], got ${String(value)}`
    case 'algorithm':
      return value === 'metropolis' || value === 'wolff'
        ? null
        : `algorithm must be 'metropolis' or 'wolff', got ${String(value)}`
    case 'sweepsPerFrame':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SWEEPS_PER_FRAME
        ? null
        : `sweepsPerFrame must be an integer in [1, ${MAX_SWEEPS_PER_FRAME}], got ${String(value)}`
    default:
      return `unknown parameter '${key}'`
  }
}

/** Cluster updates need K ≥ 0 (wolff.ts); checked on the combined parameters. */
function combinationProblem(params: IsingParams): string | null {
  return params.algorithm === 'wolff' && params.K < 0
    ? `the Wolff algorithm needs K ≥ 0 (ferromagnetic), got K=${params.K}; use Metropolis for K < 0`
    : null
}

/** Throws a RangeError naming the first bad field of a live-chain spec. */
export function validateIsingChainSpec(spec: IsingChainSpec): void {
  if (typeof spec !== 'object' || spec === null) throw new RangeError(`Ising chain spec must be an object, got ${String(spec)}`)
  validateLatticeSize(spec.L, 'L')
  for (const key of ['K', 'h', 'algorithm', 'sweepsPerFrame'] as const) {
    const problem = paramProblem(key, spec[key])
    if (problem) throw new RangeError(problem)
  }
  const combination = combinationProblem(spec)
  if (combination) throw new RangeError(combination)
  if (!Number.isSafeInteger(spec.seed)) throw new RangeError(`seed must be a safe integer, got ${String(spec.seed)}`)
  if (spec.start !== 'hot' && spec.start !== 'cold') throw new RangeError(`start must be 'hot' or 'cold', got ${String(spec.start)}`)
  const { targetSweeps, maxFps, resume } = spec
  if (targetSweeps !== undefined && !(Number.isSafeInteger(targetSweeps) && targetSweeps >= 0)) {
    throw new RangeError(`targetSweeps must be an integer ≥ 0 when given, got ${String(targetSweeps)}`)
  }
  if (maxFps !== undefined && !(typeof maxFps === 'number' && maxFps >= 0 && maxFps <= MAX_FRAMES_PER_SECOND)) {
    throw new RangeError(`maxFps must be a number in [0, ${MAX_FRAMES_PER_SECOND}] when given, got ${String(maxFps)}`)
  }
  if (resume !== undefined) {
    if (resume.L !== spec.L) throw new RangeError(`resume.L (${String(resume.L)}) must equal L (${spec.L})`)
    validateSpins(resume.spins, spec.L * spec.L, 'resume.spins')
    if (!(Number.isSafeInteger(resume.sweep) && resume.sweep >= 0)) {
      throw new RangeError(`resume.sweep must be an integer ≥ 0, got ${String(resume.sweep)}`)
    }
    for (const name of ['energy', 'absM'] as const) {
      const series = resume[name]
      if (!(series instanceof Float64Array) || series.length !== resume.sweep) {
        throw new RangeError(`resume.${name} must be a Float64Array of length resume.sweep (${resume.sweep})`)
      }
    }
    if (!(resume.rngState instanceof Uint32Array) || resume.rngState.length !== 4) {
      throw new RangeError('resume.rngState must be a Uint32Array of length 4')
    }
  }
}

function sameState(a: Uint32Array, b: Uint32Array): boolean {
  return a.length === b.length && a.every((word, k) => word === b[k])
}

/**
 * Applies an `edit`: each field is checked on its own and invalid ones are ignored with a log
 * line; if the accepted fields combine into an invalid set (Wolff with K < 0) none is applied.
 */
function applyEdit(chain: IsingChain, edit: Record<string, unknown>, sink: JobSink<IsingFrame>): boolean {
  const next: IsingParams = chain.params
  let changed = false
  for (const [key, value] of Object.entries(edit)) {
    const problem = paramProblem(key, value)
    if (problem) {
      sink.log(`ising chain: ignored edit: ${problem}`)
      continue
    }
    ;(next as unknown as Record<string, unknown>)[key] = value
    changed = true
  }
  const combination = combinationProblem(next)
  if (combination) {
    sink.log(`ising chain: ignored edit: ${combination}`)
    return false
  }
  if (changed) chain.setParams(next)
  return changed
}

/**
 * A live (or batch, with targetSweeps) Markov chain of the 2D Ising model.
 *
 * Determinism: everything random comes from `rng` in a fixed order (hot start, then sweeps), and
 * commands only act between frames, so the same spec and seed give the same spins bit for bit,
 * and resuming from a snapshot continues the uninterrupted run exactly.
 *
 * `reset` returns to sweep 0 with spec.start, replaying the RNG state captured when this runner
 * began (the runner cannot reseed the host's generator); for a fresh spec that is the seed's
 * stream, for a resumed one the stream at the resume point. Current parameters are kept.
 * `step` runs `count` frames' worth of sweeps even while paused.
 */
export const runIsingChain: JobRunner<IsingChainSpec, IsingChainResult, IsingFrame> = async (spec, rng, sink, signal) => {
  validateIsingChainSpec(spec)
  if (spec.resume && !sameState(rng.getState(), spec.resume.rngState)) {
    throw new RangeError('runIsingChain: the rng passed in is not at resume.rngState; restore it from the checkpoint first')
  }
  const initialRng: Rng = rng.clone()
  const params: IsingParams = { K: spec.K, h: spec.h, algorithm: spec.algorithm, sweepsPerFrame: spec.sweepsPerFrame }
  const chain = spec.resume ? IsingChain.resume(spec.resume, params, rng) : IsingChain.start(spec.L, params, spec.start, rng)
  const target = spec.targetSweeps ?? null
  const maxFps = spec.maxFps ?? 0

  const emit = (firstNewSweep: number, sweepsPerSecond: number, acceptance: number): void => {
    sink.frame({
      L: spec.L,
      sweep: chain.sweep,
      spins: chain.spins.slice(),
      params: chain.params,
      sweepsPerSecond,
      acceptance,
      series: { energy: chain.energy.copyFrom(firstNewSweep), absM: chain.absM.copyFrom(firstNewSweep) }
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
          changed = applyEdit(chain, command.params, sink) || changed
          break
        case 'step':
          if (Number.isSafeInteger(command.count) && command.count > 0) stepFrames += command.count
          else sink.log(`ising chain: ignored step: count must be a positive integer, got ${String(command.count)}`)
          break
        case 'reset':
          chain.restart(spec.start, initialRng.clone())
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
