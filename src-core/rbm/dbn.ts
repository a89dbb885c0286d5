import type { Rng } from '../random/rng'
import { checkBatch } from './energy'
import { tsDenseKernels } from './kernelsTs'
import { meanFromProbability, probabilityFromMean, unitOff } from './math'
import { receptiveFields, type ReceptiveFieldImages, type ReceptiveFieldOptions } from './receptiveFields'
import { gibbsSteps, hiddenProbabilities, sampleUnits, visibleProbabilities, type GibbsChains } from './sampling'
import { createTrainer, trainRbm, type TrainerState } from './train'
import type { TrainingOptions } from './optimizer'
import type { Batch, DenseKernels, Rbm, UnitKind } from './types'

/**
 * Deep belief networks by greedy layer-wise training (Hinton, Osindero & Teh 2006; Hinton &
 * Salakhutdinov 2006): layer 1 is an RBM trained on the data; layer l+1 an RBM trained on layer
 * l's hidden representation of the data, passed up either as probabilities E[h | v] (the
 * Hinton–Salakhutdinov code, the paper's choice: means 2p − 1 for ±1 units) or as samples.
 * The choice is recorded in the network. Layer l+1's visible units are layer l's hidden units.
 *
 * Generation (top-down): a block Gibbs chain on the top RBM (its visible layer is the top-but-one
 * representation), then one down-pass per lower layer, v ~ p(v | h) ('samples') or
 * v = E[v | h] ('probabilities'). Reconstruction through d layers: up d layers with E[h | v],
 * down d layers with E[v | h]; it is deterministic.
 */

export type PassUp = 'probabilities' | 'samples'

export interface DbnLayerSpec {
  nh: number
  /** Default '01'. */
  hiddenUnits?: UnitKind
  options: TrainingOptions
}

export interface Dbn {
  /** layers[0] is nearest the data; layers[l].nv === layers[l − 1].nh. */
  layers: Rbm[]
  passUp: PassUp
}

export interface TrainDbnOptions {
  passUp: PassUp
  /** Units of layer 1's visible layer, i.e. of the data values; default '01'. */
  visibleUnits?: UnitKind
  kernels?: DenseKernels
  /** Runs after every epoch of every layer (layer counted from 0). */
  onEpoch?: (layer: number, state: TrainerState) => void
}

/**
 * Trains every layer in turn. Draws: layer 1's initialisation and training, then (when passing
 * samples) rows·nh uniforms for the pass-up, then layer 2's initialisation and training, …
 */
export function trainDbn(data: Batch, layers: readonly DbnLayerSpec[], options: TrainDbnOptions, rng: Rng): Dbn {
  if (layers.length === 0) throw new RangeError('trainDbn: no layers')
  const kernels = options.kernels ?? tsDenseKernels
  const dbn: Dbn = { layers: [], passUp: options.passUp }
  let input = data
  let units: UnitKind = options.visibleUnits ?? '01'
  for (let l = 0; l < layers.length; l++) {
    const spec = layers[l]
    if (l > 0) input = passUpOneLayer(dbn.layers[l - 1], input, options.passUp, rng, kernels)
    const state = createTrainer(
      { nv: input.cols, nh: spec.nh, visibleUnits: units, hiddenUnits: spec.hiddenUnits ?? '01' },
      spec.options,
      rng
    )
    trainRbm(state, input, rng, kernels, options.onEpoch ? (s) => options.onEpoch!(l, s) : undefined)
    dbn.layers.push(state.rbm)
    units = state.rbm.hiddenUnits
  }
  return dbn
}

/** One layer up: E[h | v] or h ~ p(h | v) (rows·nh uniforms), in the hidden units' values. */
export function passUpOneLayer(
  rbm: Rbm,
  v: Batch,
  mode: PassUp,
  rng?: Rng,
  kernels: DenseKernels = tsDenseKernels
): Batch {
  const out = new Float32Array(v.rows * rbm.nh)
  hiddenProbabilities(rbm, v, out, kernels)
  if (mode === 'samples') {
    if (!rng) throw new RangeError('passing samples up needs an rng')
    sampleUnits(out, rbm.hiddenUnits, rng, out)
  } else {
    for (let k = 0; k < out.length; k++) out[k] = meanFromProbability(rbm.hiddenUnits, out[k])
  }
  return { rows: v.rows, cols: rbm.nh, data: out }
}

/** One layer down: E[v | h] or v ~ p(v | h) (rows·nv uniforms), in the visible units' values. */
export function passDownOneLayer(
  rbm: Rbm,
  h: Batch,
  mode: PassUp,
  rng?: Rng,
  kernels: DenseKernels = tsDenseKernels
): Batch {
  const out = new Float32Array(h.rows * rbm.nv)
  visibleProbabilities(rbm, h, out, kernels)
  if (mode === 'samples') {
    if (!rng) throw new RangeError('sampling down needs an rng')
    sampleUnits(out, rbm.visibleUnits, rng, out)
  } else {
    for (let k = 0; k < out.length; k++) out[k] = meanFromProbability(rbm.visibleUnits, out[k])
  }
  return { rows: h.rows, cols: rbm.nv, data: out }
}

function checkDepth(dbn: Dbn, depth: number, name: string): void {
  if (!Number.isInteger(depth) || depth < 0 || depth > dbn.layers.length) {
    throw new RangeError(`${name}: depth must be an integer in [0, ${dbn.layers.length}], got ${depth}`)
  }
}

/** The data's representation `depth` layers up (depth 0: a copy of the data). */
export function transformUp(
  dbn: Dbn,
  data: Batch,
  depth: number,
  mode: PassUp = 'probabilities',
  rng?: Rng,
  kernels: DenseKernels = tsDenseKernels
): Batch {
  checkDepth(dbn, depth, 'transformUp')
  checkBatch(data, dbn.layers[0].nv, 'transformUp')
  let x: Batch = { rows: data.rows, cols: data.cols, data: data.data.slice() }
  for (let l = 0; l < depth; l++) x = passUpOneLayer(dbn.layers[l], x, mode, rng, kernels)
  return x
}

/** From layer `depth`'s representation down to the data layer (E[v | h] or samples at every step). */
export function transformDown(
  dbn: Dbn,
  top: Batch,
  depth: number,
  mode: PassUp = 'probabilities',
  rng?: Rng,
  kernels: DenseKernels = tsDenseKernels
): Batch {
  checkDepth(dbn, depth, 'transformDown')
  let x = top
  for (let l = depth - 1; l >= 0; l--) x = passDownOneLayer(dbn.layers[l], x, mode, rng, kernels)
  return x
}

/** Reconstructions through `depth` layers: up with probabilities, down with probabilities. */
export function reconstructThrough(
  dbn: Dbn,
  data: Batch,
  depth: number,
  kernels: DenseKernels = tsDenseKernels
): Batch {
  return transformDown(
    dbn,
    transformUp(dbn, data, depth, 'probabilities', undefined, kernels),
    depth,
    'probabilities',
    undefined,
    kernels
  )
}

/** Mean squared difference between data and its reconstruction through `depth` layers. */
export function reconstructionErrorThrough(
  dbn: Dbn,
  data: Batch,
  depth: number,
  kernels: DenseKernels = tsDenseKernels
): number {
  const r = reconstructThrough(dbn, data, depth, kernels)
  let sum = 0
  for (let k = 0; k < r.data.length; k++) sum += (data.data[k] - r.data[k]) ** 2
  return sum / r.data.length
}

export interface DbnSampleOptions {
  rng: Rng
  samples: number
  /** Gibbs steps at the top RBM; default 1000. */
  gibbsSteps?: number
  /** Start of the top chain: rows of the top RBM's visible layer (e.g. transformUp of data), else random. */
  start?: Batch
  /** Down-passes with samples (default) or probabilities. */
  down?: PassUp
  kernels?: DenseKernels
}

/**
 * Top-down samples. Draws: a random start (samples·nv_top uniforms, each unit on with
 * probability ½; or sampled from `start` read as means), the top chain (gibbsSteps), then the
 * down-passes. Returns the data-layer values (samples or probabilities) and the top-layer state.
 */
export function sampleDbn(dbn: Dbn, options: DbnSampleOptions): { visible: Batch; top: Batch } {
  const { rng, samples } = options
  const kernels = options.kernels ?? tsDenseKernels
  const top = dbn.layers[dbn.layers.length - 1]
  const off = unitOff(top.visibleUnits)
  if (options.start) checkBatch(options.start, top.nv, 'sampleDbn start')
  const chains: GibbsChains = {
    rows: samples,
    v: new Float32Array(samples * top.nv),
    h: new Float32Array(samples * top.nh),
    pv: new Float32Array(samples * top.nv),
    ph: new Float32Array(samples * top.nh)
  }
  for (let r = 0; r < samples; r++) {
    for (let i = 0; i < top.nv; i++) {
      const p = options.start
        ? probabilityFromMean(top.visibleUnits, options.start.data[(r % options.start.rows) * top.nv + i])
        : 0.5
      chains.v[r * top.nv + i] = rng.nextFloat() < p ? 1 : off
    }
  }
  gibbsSteps(top, chains, options.gibbsSteps ?? 1000, rng, kernels)
  const topBatch: Batch = { rows: samples, cols: top.nv, data: chains.v.slice() }
  const visible = transformDown(dbn, topBatch, dbn.layers.length - 1, options.down ?? 'samples', rng, kernels)
  return { visible, top: topBatch }
}

/** Receptive fields r^depth of the network's first `depth` layers (receptiveFields.ts). */
export function dbnReceptiveFields(
  dbn: Dbn,
  depth: number,
  Lx: number,
  Ly: number,
  options: ReceptiveFieldOptions = {}
): ReceptiveFieldImages {
  return receptiveFields(dbn.layers, depth, Lx, Ly, options)
}
