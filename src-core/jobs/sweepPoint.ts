import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import { createSampler, type McAlgorithm, type SamplerSums } from '../ising/mc/sampler'
import type { SweepPoint } from './isingSweep'
import { sweepPointOf, validateSweepSpec } from './isingSweep'
import type { JobRunner } from './types'

/**
 * One (L, K) point of a sweep as a job of its own that can stop half-way and continue (a
 * cluster bundle's unit: a point of 10⁶ sweeps must survive its task's time limit). It does what
 * runIsingSweep does for one point — the same sampler, burn-in, measured series and summary, so
 * the same generator gives the same point — and in addition:
 * - `startSpins`: starts from given spins (the previous point's, a warm start as the app's sweep
 *   makes) instead of `start`;
 * - on cancel it returns its chain state (spins, H and M so far, the sampler's sums, the
 *   generator's state) as `checkpoint`, at a sweep boundary, and every `checkpointMs` of host
 *   time it sends that state in a frame;
 * - `resume`: continues from such a checkpoint, the job's generator restored to its rngState;
 *   the point is then bit for bit the point of an uninterrupted run.
 */

export interface SweepPointSpec {
  L: number
  K: number
  h: number
  algorithm: McAlgorithm
  burnIn: number
  sweeps: number
  start: 'random' | 'up' | 'down'
  startSpins?: Int8Array
  resume?: SweepPointCheckpoint
  /** Least host time between checkpoint frames (default 60 s); 0: none. */
  checkpointMs?: number
}

export interface SweepPointCheckpoint {
  version: 1
  /** Sweeps done, burn-in included. */
  done: number
  spins: Int8Array
  /** H and M of the measured sweeps so far (done − burnIn of them, or none). */
  H: Float64Array
  M: Float64Array
  sums: SamplerSums
  rngState: Uint32Array
}

export interface SweepPointResult {
  complete: boolean
  point: SweepPoint | null
  /** The spins after the last sweep (the next point's warm start). */
  finalSpins: Int8Array | null
  /** Where a cancelled job stopped. */
  checkpoint: SweepPointCheckpoint | null
}

export const DEFAULT_CHECKPOINT_MS = 60_000

export function validateSweepPointSpec(spec: SweepPointSpec): void {
  validateSweepSpec({ ...spec, Ls: [spec.L], Ks: [spec.K] })
  const N = spec.L * spec.L
  if (spec.startSpins && spec.startSpins.length !== N)
    throw new RangeError(`startSpins must hold ${N} spins, not ${spec.startSpins.length}`)
  const r = spec.resume
  if (!r) return
  const measured = Math.max(0, r.done - spec.burnIn)
  if (!Number.isInteger(r.done) || r.done < 0 || r.done > spec.burnIn + spec.sweeps)
    throw new RangeError(`the checkpoint's ${String(r.done)} sweeps do not fit this point`)
  if (r.spins.length !== N || r.H.length !== measured || r.M.length !== measured)
    throw new RangeError('the checkpoint does not hold this point’s spins and series')
}

export const runSweepPoint: JobRunner<SweepPointSpec, SweepPointResult> = async (spec, rng, sink, signal) => {
  validateSweepPointSpec(spec)
  const { L, K, burnIn, sweeps } = spec
  const r = spec.resume
  if (r && !rng.getState().every((w, k) => w === r.rngState[k]))
    throw new RangeError('the job’s generator is not the checkpoint’s (start it from checkpoint.rngState)')
  const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
  const sampler = createSampler(uniformModel(lattice, { K, h: spec.h }), spec.algorithm, rng, {
    start: r?.spins ?? spec.startSpins ?? spec.start
  })
  if (r) sampler.restoreSums(r.sums)
  const H = new Float64Array(sweeps)
  const M = new Float64Array(sweeps)
  if (r) {
    H.set(r.H)
    M.set(r.M)
  }
  const total = burnIn + sweeps
  const state = (done: number): SweepPointCheckpoint => {
    const measured = Math.max(0, done - burnIn)
    return {
      version: 1,
      done,
      spins: Int8Array.from(sampler.spins),
      H: H.slice(0, measured),
      M: M.slice(0, measured),
      sums: sampler.sums(),
      rngState: rng.getState()
    }
  }
  const note = `L = ${L}, K = ${K}`
  const every = spec.checkpointMs ?? DEFAULT_CHECKPOINT_MS
  let last = signal.now()
  let lastCheckpoint = last
  for (let done = r?.done ?? 0; done < total;) {
    sampler.sweep()
    if (done >= burnIn) {
      H[done - burnIn] = sampler.energy()
      M[done - burnIn] = sampler.magnetisation()
    }
    done++
    if (signal.now() - last > 30) {
      sink.progress({ done, total, unit: 'sweeps', note })
      await signal.next()
      if (signal.cancelled) return { complete: false, point: null, finalSpins: null, checkpoint: state(done) }
      last = signal.now()
      if (every > 0 && last - lastCheckpoint >= every) {
        sink.frame({ checkpoint: state(done) })
        lastCheckpoint = last
      }
    }
  }
  sink.progress({ done: total, total, unit: 'sweeps', note })
  return {
    complete: true,
    point: sweepPointOf(L, K, H, M, sampler.acceptance()),
    finalSpins: Int8Array.from(sampler.spins),
    checkpoint: null
  }
}
