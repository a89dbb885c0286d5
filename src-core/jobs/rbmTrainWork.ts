import type { DenseKernels } from '../rbm/types'

/**
 * What a training's progress and checkpoints count: the share of the arithmetic in each layer
 * (progress and ETA) and the label of the arithmetic that trained it (rbmTrain.ts).
 */

/**
 * How a training computes, as its checkpoints record it: the kernels' arithmetic and the
 * update's. Revised whenever a change makes training round differently (the update moved from
 * double to fp32 arithmetic when this label gained "fp32 updates"), so that a checkpoint
 * resumed across such a change says so.
 */
export function trainingArithmetic(kernels: DenseKernels): string {
  return `${kernels.arithmetic ?? 'unnamed kernels'}; fp32 updates`
}

/**
 * The arithmetic a resumed training records: the checkpoint's list, with this run's appended
 * when it differs from the last entry (then the result is not bit-identical to an uninterrupted run).
 */
export function resumedArithmetic(before: string[], here: string): string[] {
  return before.length && before[before.length - 1] === here ? before.slice() : [...before, here]
}

/**
 * What an epoch costs besides its products, in multiply-adds: the monitors on their rows, the
 * frame and checkpoint — about 0.09 s on the reference machine, whatever the layer's size. Small
 * layers are mostly this (the paper's 400→100 and 100→25 layers take 14 % of its training, not the
 * 6 % their products alone suggest).
 */
export const EPOCH_OVERHEAD_MACS = 1.5e9

/**
 * The share of a training's work in each layer, for progress and ETA: an epoch of layer l costs
 * about rows·nv·nh·(k + 2) multiply-adds (the positive phase, k Gibbs steps, the gradient) plus
 * the epoch's fixed overhead, so the paper's 1600→400→100→25 network spends 86 % of its time in
 * layer 1 and a progress count in epochs (600 in all) would make the ETA three times too long there.
 */
export function trainingWork(
  rows: number,
  sizes: number[],
  layers: { epochs: number; k?: number }[],
  overhead = EPOCH_OVERHEAD_MACS
): number[] {
  const perLayer = layers.map((l, i) => l.epochs * (rows * sizes[i] * sizes[i + 1] * ((l.k ?? 1) + 2) + overhead))
  const total = perLayer.reduce((a, b) => a + b, 0)
  return perLayer.map((w) => (total > 0 ? w / total : 1 / layers.length))
}

/** Percent of the work done `epochs` (fractional) into layer `layer` of E epochs, one decimal. */
export function workDone(shares: number[], layer: number, epochs: number, E: number): number {
  let done = 0
  for (let l = 0; l < layer; l++) done += shares[l]
  done += E > 0 ? shares[layer] * Math.min(1, epochs / E) : 0
  return Math.round(1000 * done) / 10
}
