/**
 * RG and deep learning side by side (issue: RG vs DBN; SCIENCE.md §6): for each level l of a
 * block-spin cascade and each layer l of a trained deep belief network, measured the same way:
 *   - RG: the level's observables (|m|, C(r), histogram of m) and its pseudo-likelihood couplings;
 *   - DBN: every unit placed at the centroid of its receptive field rˡ = rˡ⁻¹Wˡ with its size,
 *     its best block kernel of side bˡ and the overlap score, the histogram of m of the layer's
 *     activity (units as ±1 spins, probabilities passed up and thresholded at ½), the correlation
 *     of unit activities against the distance of their centroids, and the couplings fitted to
 *     the DBN's top-down reconstructions of the data from layer l (sampled ±1 on the lattice);
 *   - one similarity number per level: the mean over units of the mutual information between a
 *     unit and its most informative block spin (nats, ln 2 at most), with its jackknife error,
 *     and the KL between the two levels' histograms of m;
 *   - the RBM flow of Iso et al. (layer 1 iterated v → h → v from configurations at several K)
 *     beside one block-spin RG step of the same configurations (matched couplings).
 */
import { placeUnits, blockOverlaps, sizeHistogram } from '../compare/receptiveFieldGeometry'
import { rbmFlow } from '../compare/rbmFlow'
import { histogramKl, levelSimilarity } from '../compare/similarity'
import type { Dbn } from '../rbm/dbn'
import { passDownOneLayer, passUpOneLayer } from '../rbm/dbn'
import { tsDenseKernels } from '../rbm/kernelsTs'
import type { Batch, DenseKernels } from '../rbm/types'
import { receptiveFieldMatrices } from '../rbm/receptiveFields'
import { blockCascade, coarseGrid } from '../rg/blockSpin'
import { levelObservables, M_HISTOGRAM_BINS, type LevelObservables } from '../rg/levelObservables'
import { matchedCoupling, type MatchedCoupling } from '../rg/matchedCoupling'
import { fitCouplings, type CouplingFit, type CouplingName } from '../rg/pseudoLikelihood'
import { sampleTorus } from './rgSampling'
import type { JobRunner } from './types'

export interface CompareSpec {
  /** The dataset the network was trained on: count × Ly × Lx ±1 spins (a periodic torus). */
  samples: Int8Array
  count: number
  Lx: number
  Ly: number
  dbn: Dbn
  rule: 'majority' | 'decimation'
  b: number
  couplings: CouplingName[]
  /** RBM flow: starting couplings, steps, configurations per K. */
  flow?: { Ks: number[]; steps: number; count: number }
}

export interface DbnLevel {
  units: number
  x: Float64Array
  y: Float64Array
  size: Float64Array
  block: Int32Array
  overlap: Float64Array
  /** Receptive-field sizes in 10 bins over [0, bˡ·√2]. */
  sizeHistogram: Float64Array
  mHistogram: Float64Array
  /** Mean correlation ⟨s_j s_k⟩ − ⟨s_j⟩⟨s_k⟩ of unit pairs by centroid distance (unit-wide bins). */
  correlationByDistance: { r: number; c: number; pairs: number }[]
  reconstructionFit: CouplingFit | null
}

export interface CompareLevel {
  level: number
  blockSide: number
  rg: { Lx: number; Ly: number; observables: LevelObservables; fit: CouplingFit | null }
  dbn: DbnLevel
  similarity: { information: number; informationError: number; klM: number }
}

export interface CompareResult {
  levels: CompareLevel[]
  flow: { K: number; rbm: { step: number; matched: MatchedCoupling }[]; rg: MatchedCoupling | null }[]
}

function mHistogramOf(values: Float32Array, count: number, units: number, threshold: number): Float64Array {
  const h = new Float64Array(M_HISTOGRAM_BINS)
  for (let k = 0; k < count; k++) {
    let s = 0
    for (let j = 0; j < units; j++) s += values[k * units + j]! > threshold ? 1 : -1
    h[Math.min(M_HISTOGRAM_BINS - 1, Math.floor(((s / units + 1) / 2) * M_HISTOGRAM_BINS))]! += 1 / count
  }
  return h
}

/**
 * Mean connected correlation ⟨s_j s_k⟩ − ⟨s_j⟩⟨s_k⟩ of unit pairs (units as ±1 spins, on when
 * p > ½) by the distance of their centroids, in unit-wide bins. ⟨s_j s_k⟩ for all pairs is one
 * product SᵀS (exact in fp32: sums of ±1 over fewer than 2²⁴ rows).
 */
function correlationByDistance(
  act: Float32Array,
  count: number,
  units: number,
  x: Float64Array,
  y: Float64Array,
  g: { Lx: number; Ly: number },
  kernels: DenseKernels
) {
  const S = new Float32Array(count * units)
  const mean = new Float64Array(units)
  for (let k = 0; k < count; k++)
    for (let j = 0; j < units; j++) {
      const s = act[k * units + j]! > 0.5 ? 1 : -1
      S[k * units + j] = s
      mean[j] += s
    }
  for (let j = 0; j < units; j++) mean[j] /= count
  const products = new Float32Array(units * units)
  kernels.gemmTN(units, units, count, S, S, products)
  const bins = new Map<number, { sum: number; pairs: number }>()
  const image = (d: number, L: number) => Math.min(((d % L) + L) % L, L - (((d % L) + L) % L))
  for (let j = 0; j < units; j++) {
    for (let k2 = j + 1; k2 < units; k2++) {
      const c = products[j * units + k2]! / count - mean[j]! * mean[k2]!
      const r = Math.round(Math.hypot(image(x[j]! - x[k2]!, g.Lx), image(y[j]! - y[k2]!, g.Ly)))
      const bin = bins.get(r) ?? { sum: 0, pairs: 0 }
      bin.sum += c
      bin.pairs++
      bins.set(r, bin)
    }
  }
  return [...bins.entries()].sort((a, b) => a[0] - b[0]).map(([r, { sum, pairs }]) => ({ r, c: sum / pairs, pairs }))
}

/** ±1 spins as the first layer's units ({0,1}: (s + 1)/2); a plain loop (TypedArray.from with a map is slow at 3·10⁷ values). */
function spinsToUnits(samples: Int8Array, pm1: boolean): Float32Array {
  const out = new Float32Array(samples.length)
  for (let i = 0; i < samples.length; i++) out[i] = pm1 ? samples[i]! : (samples[i]! + 1) / 2
  return out
}

/** A pseudo-likelihood fit, or null where the couplings cannot be told apart (e.g. nearest and diagonal on a 2×2 level). */
function fitOrNull(...args: Parameters<typeof fitCouplings>): CouplingFit | null {
  try {
    return fitCouplings(...args)
  } catch {
    return null
  }
}

/** The comparison with the page's TypeScript kernels (tests); workers run runCompareRgDbnWith(the WASM kernels). */
export const runCompareRgDbn: JobRunner<CompareSpec, CompareResult | null> = (spec, rng, sink, signal) =>
  runCompareRgDbnWith(tsDenseKernels)(spec, rng, sink, signal)

/**
 * The comparison with the given dense kernels: the network's passes over the whole dataset (up
 * through every layer, down again from each) are most of its arithmetic, so the workers give it
 * the WASM SIMD kernels the trainer uses. Each level's activity is the previous level's passed up
 * one more layer (the same products transformUp would repeat from the data).
 */
export function runCompareRgDbnWith(kernels: DenseKernels): JobRunner<CompareSpec, CompareResult | null> {
  return (spec, rng, sink, signal) => compare(spec, rng, sink, signal, kernels)
}

async function compare(
  ...[spec, rng, sink, signal, kernels]: [...Parameters<JobRunner<CompareSpec, CompareResult | null>>, DenseKernels]
): Promise<CompareResult | null> {
  const { samples, count, Lx, Ly, dbn, b } = spec
  const N = Lx * Ly
  if (samples.length !== count * N) throw new RangeError(`expected ${count} configurations of ${Lx}×${Ly} spins`)
  if (!dbn.layers.length || dbn.layers[0]!.nv !== N)
    throw new RangeError(`the network's first layer must see the ${N} sites of the lattice`)
  const depth = dbn.layers.length
  let possible = 0
  for (let g = { Lx, Ly }; ; possible++) {
    try {
      g = coarseGrid(g, b)
    } catch {
      break
    }
  }
  const levelsCount = Math.min(depth, possible)
  if (levelsCount < 1) throw new RangeError(`a ${Lx}×${Ly} lattice has no level of ${b}×${b} blocks`)
  const total = levelsCount + (spec.flow?.Ks.length ?? 0)
  sink.progress({ done: 0, total, unit: 'levels', note: 'blocking' })
  const cascade = blockCascade(samples, count, { Lx, Ly }, b, spec.rule, levelsCount, rng)
  const data = {
    rows: count,
    cols: N,
    data: spinsToUnits(samples, dbn.layers[0]!.visibleUnits === 'pm1')
  }
  const fields = receptiveFieldMatrices(dbn.layers, { kernels })
  const levels: CompareLevel[] = []
  let act: Batch = data
  for (let l = 1; l <= levelsCount; l++) {
    await signal.next()
    if (signal.cancelled) return null
    const { grid, data: blocks } = cascade[l]!
    const blockSide = b ** l
    const rbm = dbn.layers[l - 1]!
    const units = rbm.nh
    act = passUpOneLayer(rbm, act, 'probabilities', undefined, kernels)
    // Activity as probabilities of "on", whatever the unit type (±1 means become (m + 1)/2).
    const prob = rbm.hiddenUnits === 'pm1' ? act.data.map((m) => (m + 1) / 2) : act.data
    const place = placeUnits(fields[l - 1]!, units, { Lx, Ly })
    const overlap = blockOverlaps(fields[l - 1]!, units, { Lx, Ly }, blockSide)
    // Top-down reconstruction from layer l, sampled on the lattice as ±1 spins.
    let down = act
    for (let k = l - 1; k >= 0; k--)
      down = passDownOneLayer(dbn.layers[k]!, down, k === 0 ? 'samples' : 'probabilities', rng, kernels)
    const reconstructed = new Int8Array(down.data.length)
    for (let i = 0; i < reconstructed.length; i++) reconstructed[i] = down.data[i]! > 0.5 ? 1 : -1
    const observables = levelObservables(blocks, count, grid)
    const mDbn = mHistogramOf(prob, count, units, 0.5)
    const similarity = levelSimilarity(
      blocks,
      grid.Lx * grid.Ly,
      prob,
      units,
      count,
      { blocks: 0, hidden: 0.5 },
      20,
      kernels
    )
    levels.push({
      level: l,
      blockSide,
      rg: {
        Lx: grid.Lx,
        Ly: grid.Ly,
        observables,
        fit:
          blocks instanceof Int8Array && spec.couplings.length ? fitOrNull(blocks, count, grid, spec.couplings) : null
      },
      dbn: {
        units,
        ...place,
        ...overlap,
        sizeHistogram: sizeHistogram(place.size, 10, blockSide * Math.SQRT2),
        mHistogram: mDbn,
        correlationByDistance: correlationByDistance(
          prob,
          Math.min(count, 4000),
          units,
          place.x,
          place.y,
          { Lx, Ly },
          kernels
        ),
        reconstructionFit: spec.couplings.length ? fitOrNull(reconstructed, count, { Lx, Ly }, spec.couplings) : null
      },
      similarity: {
        information: similarity.mean,
        informationError: similarity.error,
        klM: histogramKl(observables.mHistogram, mDbn)
      }
    })
    sink.progress({ done: l, total, unit: 'levels', note: `level ${l}` })
  }
  const flow: CompareResult['flow'] = []
  for (const [i, K] of (spec.flow?.Ks ?? []).entries()) {
    const configs = await sampleTorus(
      { L: Lx, K, count: spec.flow!.count, between: 2, burnIn: 200 },
      rng,
      signal,
      () => undefined
    )
    if (!configs || Lx !== Ly) return null
    const rbmSteps = rbmFlow(dbn.layers[0]!, configs, spec.flow!.count, { Lx, Ly }, spec.flow!.steps, rng, kernels)
    const coarse = blockCascade(configs, spec.flow!.count, { Lx, Ly }, b, spec.rule, 1, rng)[1]!
    flow.push({
      K,
      rbm: rbmSteps,
      rg: coarse.grid.Lx >= 3 ? matchedCoupling(coarse.data, spec.flow!.count, coarse.grid) : null
    })
    sink.progress({ done: levelsCount + i + 1, total, unit: 'levels', note: `RBM flow from K = ${K}` })
  }
  return { levels, flow }
}
