/**
 * How long a training will take, before it starts: the work of contrastive divergence counted
 * in multiply-adds, divided by a rate measured on this machine (a short calibration of the
 * same dense matrix-vector product the trainer spends its time in). Rough on purpose: the
 * monitors, the batch size and the kernels move it by tens of percent, not by factors.
 */
import type { TrainingConfig } from './trainingForm'

/** Above this a warning is shown before Start (about ten minutes). */
export const LONG_TRAINING_SECONDS = 600

/**
 * Multiply-adds of one training: per layer, per epoch and per sample, the up pass and the k
 * Gibbs steps (two matrix-vector products each) plus the gradient's outer product, i.e.
 * nv·nh·(2k + 3); an exact-gradient layer sums over all 2^nh hidden states instead.
 */
export function trainingWork(config: TrainingConfig, nv: number, rows: number): number {
  const { k, epochs, method } = config.options
  let work = 0
  let below = nv
  for (const layer of config.layers) {
    const perSample =
      method === 'exact' ? below * layer.nh * 2 ** Math.min(layer.nh, 30) : below * layer.nh * (2 * k + 3)
    work += perSample * rows * epochs
    below = layer.nh
  }
  return work
}

/** Seconds for `work` multiply-adds at `rate` per second. */
export const estimateSeconds = (work: number, rate: number): number => (rate > 0 ? work / rate : NaN)

/**
 * Multiply-adds per second of a dense matrix-vector product on this machine, measured once
 * (a few tens of milliseconds) with the clock given.
 */
let measured: number | null = null
export function calibrateRate(now: () => number = () => performance.now()): number {
  if (measured !== null) return measured
  const n = 256
  const w = new Float64Array(n * n).map((_, i) => ((i * 7919) % 997) / 997 - 0.5)
  const v = new Float64Array(n).fill(0.5)
  const out = new Float64Array(n)
  let reps = 0
  const start = now()
  let elapsed = 0
  while (elapsed < 30 && reps < 2000) {
    for (let i = 0; i < n; i++) {
      let s = 0
      for (let j = 0; j < n; j++) s += w[i * n + j]! * v[j]!
      out[i] = s
    }
    reps++
    elapsed = now() - start
  }
  measured = elapsed > 0 ? (reps * n * n) / (elapsed / 1000) : 1e9
  return measured
}
