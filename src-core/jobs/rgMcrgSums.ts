/**
 * One independent part of an MCRG (a cluster bundle's unit): samples the torus as the rg.mcrg
 * job does (Wolff, its own burn-in, `count` configurations), blocks them through the cascade and
 * returns the per-level means and co-moments (rg/mcrgSums.ts) instead of T, so that parts run
 * anywhere pool into one MCRG with error bars over parts.
 *
 * It can stop half-way and continue, as ising.sweepPoint does: on cancel it returns where the
 * sampling stopped (`checkpoint`: sweeps done, configurations so far, the chain's spins,
 * generator and counters), every `checkpointMs` of host time it sends that state in a frame, and
 * `resume` continues from it — the job started from the same stream as before (its generator
 * draws the start spins again and then blocks, as an uninterrupted job does), so the sums are
 * bit for bit those of an uninterrupted run.
 */
import { blockCascade } from '../rg/blockSpin'
import { EVEN_OPERATORS } from '../rg/mcrg'
import { mcrgSums, type McrgSums } from '../rg/mcrgSums'
import type { RgMcrgSpec } from './rgMcrg'
import { validateRgMcrgSpec } from './rgMcrg'
import { sampleTorus, samplingSweeps, type TorusSamplingState } from './rgSampling'
import { DEFAULT_CHECKPOINT_MS } from './sweepPoint'
import type { JobRunner } from './types'

export type RgMcrgSumsSpec = RgMcrgSpec & {
  resume?: TorusSamplingState
  /** Least host time between checkpoint frames (default 60 s); 0: none. */
  checkpointMs?: number
}

export type RgMcrgSumsResult = McrgSums & { L: number; K: number; rule: RgMcrgSpec['rule']; sweeps: number }
/** A chain cancelled part-way: where it stopped. */
export type RgMcrgSumsStopped = { stopped: true; checkpoint: TorusSamplingState | null }

export const runRgMcrgSums: JobRunner<RgMcrgSumsSpec, RgMcrgSumsResult | RgMcrgSumsStopped> = async (
  spec,
  rng,
  sink,
  signal
) => {
  validateRgMcrgSpec(spec)
  const total = samplingSweeps(spec)
  const note = `${spec.L}² at K = ${spec.K}`
  sink.progress({ done: spec.resume?.done ?? 0, total, unit: 'sweeps', note })
  let checkpoint: TorusSamplingState | null = null
  const data = await sampleTorus(spec, rng, signal, (done) => sink.progress({ done, total, unit: 'sweeps', note }), {
    ...(spec.resume ? { resume: spec.resume } : {}),
    every: spec.checkpointMs ?? DEFAULT_CHECKPOINT_MS,
    onCheckpoint: (state) => sink.frame({ checkpoint: state }),
    onStop: (state) => (checkpoint = state)
  })
  if (!data) return { stopped: true, checkpoint }
  sink.progress({ done: total, total, unit: 'sweeps', note: 'blocking and summing' })
  const cascade = blockCascade(data, spec.count, { Lx: spec.L, Ly: spec.L }, spec.b, spec.rule, spec.levels, rng)
  const sums = mcrgSums(cascade, spec.count, spec.b, spec.operators ?? EVEN_OPERATORS)
  return { ...sums, L: spec.L, K: spec.K, rule: spec.rule, sweeps: total }
}
