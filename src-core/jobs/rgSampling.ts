/**
 * Configurations of the uniform zero-field L×L torus for the RG jobs (flow, MCRG): Wolff on the
 * torus fast path (torus/chain.ts), `burnIn` sweeps, then `count` configurations `between` sweeps
 * apart, yielding to the host every ~30 ms so a cancel is seen at once.
 */
import { createTorusChain, type ChainState } from '../ising/torus/chain'
import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import type { Rng } from '../random/rng'
import type { JobSignal } from './types'

export interface TorusSampling {
  L: number
  K: number
  count: number
  between: number
  burnIn: number
}

export function validateTorusSampling(s: TorusSampling, what = 'the sampling'): void {
  const ints: [string, number, number, number][] = [
    ['L', s.L, 4, 1024],
    ['samples', s.count, 4, 1_000_000],
    ['sweeps between samples', s.between, 1, 10_000],
    ['burn-in sweeps', s.burnIn, 0, 10_000_000]
  ]
  for (const [name, v, lo, hi] of ints) {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${what}: ${name} must be a whole number from ${lo} to ${hi}, got ${String(v)}`)
  }
  if (!Number.isFinite(s.K) || s.K <= 0 || s.K > 10)
    throw new RangeError(`${what}: K must be a ferromagnetic coupling in (0, 10], got ${String(s.K)}`)
  if (s.L * s.L * s.count > 2 ** 31)
    throw new RangeError(`${what}: ${s.count} samples of ${s.L}×${s.L} spins do not fit in memory`)
}

/** Sweeps a sampling costs: progress is counted in these. */
export const samplingSweeps = (s: TorusSampling): number => s.burnIn + s.count * s.between

/**
 * Where a sampling stopped, to continue from bit for bit: sweeps done (burn-in included), the
 * configurations taken so far and the chain's state (spins, generator, counters).
 */
export interface TorusSamplingState {
  version: 1
  done: number
  taken: number
  samples: Int8Array
  chain: ChainState
}

export interface SamplingCheckpoints {
  /** Continue from this state (the job's generator started as before: the blocking draws from it after). */
  resume?: TorusSamplingState
  /** Least host time between onCheckpoint calls; absent or 0: none. */
  every?: number
  onCheckpoint?: (state: TorusSamplingState) => void
  /** Called with the state when the sampling is cancelled. */
  onStop?: (state: TorusSamplingState) => void
}

export function validateSamplingState(r: TorusSamplingState, s: TorusSampling): void {
  const N = s.L * s.L
  // Configurations taken: one per `between` sweeps after the burn-in, the last maybe not yet stored.
  const due = r.done <= s.burnIn ? 0 : Math.floor((r.done - s.burnIn) / s.between)
  const fits = r.taken === due || (r.taken === due - 1 && (r.done - s.burnIn) % s.between === 0)
  if (r.version !== 1 || !Number.isInteger(r.done) || r.done < 0 || r.done > samplingSweeps(s) || !fits)
    throw new RangeError('the checkpoint is not one of this sampling')
  if (r.samples.length !== r.taken * N || r.chain.spins.length !== N)
    throw new RangeError('the checkpoint does not hold this sampling’s spins and configurations')
}

/**
 * The configurations (count × L²), or null when cancelled. `onSweeps(n)` reports sweeps done.
 * `checkpoints`: continue from a state, hand states out as it goes and where it stopped.
 */
export async function sampleTorus(
  s: TorusSampling,
  rng: Rng,
  signal: JobSignal,
  onSweeps: (done: number) => void,
  checkpoints: SamplingCheckpoints = {}
): Promise<Int8Array | null> {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: s.L, Ly: s.L, periodicX: true, periodicY: true }), {
    K: s.K,
    h: 0
  })
  const r = checkpoints.resume
  if (r) validateSamplingState(r, s)
  const chain = createTorusChain(model, 'wolff', rng, 'random', r?.chain)
  if (!chain) throw new RangeError(`no torus kernel for a ${s.L}×${s.L} lattice`)
  const N = s.L * s.L
  const out = new Int8Array(s.count * N)
  let done = r?.done ?? 0
  let taken = r?.taken ?? 0
  if (r) out.set(r.samples)
  const state = (): TorusSamplingState => ({
    version: 1,
    done,
    taken,
    samples: out.slice(0, taken * N),
    chain: chain.state()
  })
  const every = checkpoints.every ?? 0
  let lastCheckpoint = every > 0 ? signal.now() : 0
  let last = signal.now()
  const step = async (): Promise<boolean> => {
    chain.sweep()
    done++
    if (every > 0 && signal.now() - lastCheckpoint >= every) {
      checkpoints.onCheckpoint?.(state())
      lastCheckpoint = signal.now()
    }
    if (signal.now() - last > 30) {
      onSweeps(done)
      await signal.next()
      if (signal.cancelled) return false
      last = signal.now()
    }
    return true
  }
  const stop = () => (checkpoints.onStop?.(state()), null)
  while (done < s.burnIn) if (!(await step())) return stop()
  for (; taken < s.count; taken++) {
    while (done < s.burnIn + (taken + 1) * s.between) if (!(await step())) return stop()
    out.set(chain.spins, taken * N)
  }
  onSweeps(done)
  return out
}
