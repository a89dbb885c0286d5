import { sampleDbn, type Dbn } from '@core/rbm/dbn'
import { isingObservables, latticeEnergyMagnetisation, type Estimate, type IsingLattice } from '@core/rbm/isingMonitors'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Batch, UnitKind } from '@core/rbm/types'
import type { NpyArray, ProjectAnalysis } from '@shared/project/types'
import { pageKernels } from './pageKernels'

/**
 * Samples drawn from a trained network and measured against its data: N top-down samples drawn
 * in chunks with a pause between them (the page keeps responding), their e and |m| with error
 * bars from independent chains (src-core/rbm/isingMonitors.ts), and the analysis record
 * ('rbm.samples') that keeps them with the project: int8 ±1 spins [count, Ly, Lx] and the numbers.
 */

export const SAMPLES_KIND = 'rbm.samples'

export interface SampleNumbers {
  e: Estimate
  absM: Estimate
  samples: number
}

export interface SamplesResult {
  K: number
  gibbsSteps: number
  seed: number
  /** Null when the model is not the plain periodic square lattice the observables need. */
  network: SampleNumbers | null
  data: SampleNumbers | null
}

/** Yields to the event loop (a macrotask, so input and painting get their turn). */
export const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0))

/**
 * `count` top-down samples (a Gibbs chain of `gibbsSteps` on the top RBM from a random start
 * per sample, then sampled down-passes), `chunk` at a time with `pause()` between chunks; each
 * chunk has its own stream (seed + chunk index), so the result depends on the seed alone.
 * Stops early (with what it has) when `cancelled()` turns true.
 */
export async function drawNetworkSamples(
  dbn: Dbn,
  options: {
    count: number
    seed: number
    gibbsSteps: number
    chunk?: number
    pause?: () => Promise<void>
    progress?: (done: number) => void
    cancelled?: () => boolean
  }
): Promise<Batch> {
  const nv = dbn.layers[0]!.nv
  const chunk = Math.max(1, options.chunk ?? 10)
  const pause = options.pause ?? yieldToPage
  const data = new Float32Array(options.count * nv)
  let done = 0
  for (let c = 0; done < options.count; c++) {
    if (options.cancelled?.()) break
    const n = Math.min(chunk, options.count - done)
    const { visible } = sampleDbn(dbn, {
      rng: xoshiro128ss((options.seed + 7919 * c) >>> 0),
      samples: n,
      gibbsSteps: options.gibbsSteps,
      down: 'samples',
      kernels: pageKernels()
    })
    data.set(visible.data, done * nv)
    done += n
    options.progress?.(done)
    if (done < options.count) await pause()
  }
  return { rows: done, cols: nv, data: data.subarray(0, done * nv) }
}

/**
 * e and |m| of configurations on the lattice, errors from `groups` groups (independent chains for
 * network samples: each sample is its own chain; contiguous blocks for the data).
 */
export function measureSamples(configs: Batch, units: UnitKind, lattice: IsingLattice, groups: number): SampleNumbers {
  const { H, M } = latticeEnergyMagnetisation(configs, units, lattice)
  const o = isingObservables(H, M, lattice.Lx * lattice.Ly, Math.max(1, Math.min(groups, configs.rows)))
  return { e: o.e, absM: o.absM, samples: o.samples }
}

/**
 * Groups for the error bars of n samples: the most groups up to `most` that leave the fewest
 * samples out (the groups are of equal size), so 30 samples make 15 groups of 2, not 20 of 1.
 */
export function errorGroups(n: number, most = 20): number {
  let best = 1
  for (let g = Math.min(most, n); g >= 2; g--) if (n % g < n % best || best === 1) best = g
  return best
}

/** The data's ±1 spins (rows `from` … `from + rows`) as a batch of the network's visible units. */
export function dataBatch(spins: Int8Array, nv: number, from: number, rows: number, units: UnitKind): Batch {
  const n = Math.max(0, Math.min(rows, Math.floor(spins.length / nv) - from))
  const data = new Float32Array(n * nv)
  for (let k = 0; k < data.length; k++) {
    const s = spins[from * nv + k]!
    data[k] = units === '01' ? (s + 1) / 2 : s
  }
  return { rows: n, cols: nv, data }
}

/** Visible units as ±1 spins (what a dataset stores). */
export function toSpins(batch: Batch, units: UnitKind): Int8Array {
  const out = new Int8Array(batch.rows * batch.cols)
  for (let k = 0; k < out.length; k++) {
    const v = batch.data[k]!
    out[k] = (units === '01' ? v > 0.5 : v > 0) ? 1 : -1
  }
  return out
}

/** (network − data)/√(σ² + σ²′): how many standard errors apart the two are. */
export function zScore(a: Estimate, b: Estimate): number {
  return (a.value - b.value) / Math.sqrt(a.error ** 2 + b.error ** 2)
}

/** The analysis record of drawn samples and its array (spins [count, Ly, Lx]). */
export function samplesRecord(opts: {
  id: string
  name: string
  trainingId: string
  spins: Int8Array
  count: number
  Lx: number
  Ly: number
  result: SamplesResult
}): { analysis: ProjectAnalysis; arrays: Record<string, NpyArray> } {
  const arrayId = `${opts.id}.samples`
  return {
    analysis: {
      id: opts.id,
      name: opts.name,
      kind: SAMPLES_KIND,
      sourceId: opts.trainingId,
      spec: { count: opts.count, gibbsSteps: opts.result.gibbsSteps, seed: opts.result.seed, K: opts.result.K },
      createdAt: new Date().toISOString(),
      arrays: { samples: arrayId },
      result: JSON.parse(JSON.stringify({ network: opts.result.network, data: opts.result.data })) as Record<
        string,
        unknown
      >
    },
    arrays: { [arrayId]: { dtype: '|i1', shape: [opts.count, opts.Ly, opts.Lx], data: opts.spins } }
  }
}

/** The numbers of a saved record, read defensively (null when they are missing). */
export function readSamplesResult(result: Record<string, unknown> | undefined): {
  network: SampleNumbers
  data: SampleNumbers
} | null {
  const side = (v: unknown): SampleNumbers | null => {
    const o = v as Partial<SampleNumbers> | undefined
    const ok = (e: unknown) => typeof (e as Estimate | undefined)?.value === 'number'
    return o && ok(o.e) && ok(o.absM) ? { e: o.e!, absM: o.absM!, samples: Number(o.samples) || 0 } : null
  }
  const network = side(result?.network)
  const data = side(result?.data)
  return network && data ? { network, data } : null
}
