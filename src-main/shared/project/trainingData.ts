import type { RawBatch } from '@core/jobs/rbmTrain'
import type { IsingLattice } from '@core/rbm/isingMonitors'
import type { UnitKind } from '@core/rbm/types'
import type { ModelV2, NpyArray } from './types'

/**
 * What a training takes from its dataset, the same in the app and in `blockspin rbm train`: the
 * rows it trains on and the rows it holds out, in its visible units (SCIENCE.md §1: units
 * converted explicitly, v01 = (v + 1)/2), and the lattice its physical monitors may use.
 */

/** The last tenth of the samples is held out (the free-energy gap, held-out likelihood). */
export const HELD_OUT_FRACTION = 0.1
/** Fewer samples than this: no held-out set. */
export const HELD_OUT_MIN_SAMPLES = 20

/** Rows and columns of a dataset's int8 samples ([n, Ly, Lx] or [n, N]). */
export function sampleShape(samples: NpyArray): { rows: number; cols: number } {
  const [rows = 0, ...rest] = samples.shape
  return { rows, cols: rest.reduce((p, x) => p * x, 1) }
}

/** Rows held out of `rows` (the last ones); at least one row is always left to train on. */
export function heldOutRows(rows: number, fraction = HELD_OUT_FRACTION): number {
  return rows >= HELD_OUT_MIN_SAMPLES ? Math.min(rows - 1, Math.floor(rows * fraction)) : 0
}

/** ±1 spins in the visible units: {0,1} by v01 = (v + 1)/2, or ±1 unchanged. Int8 keeps transfers small. */
export function spinsToUnits(spins: Int8Array, units: UnitKind): Int8Array {
  if (units === 'pm1') return spins.slice()
  const out = new Int8Array(spins.length)
  for (let k = 0; k < spins.length; k++) {
    const v = spins[k]!
    if (v !== 1 && v !== -1) throw new RangeError(`sample value ${v} at entry ${k} is not a spin ±1`)
    out[k] = (v + 1) / 2
  }
  return out
}

/** Training rows and held-out rows of a dataset, in the visible units. */
export function splitSamples(
  samples: NpyArray,
  units: UnitKind,
  fraction = HELD_OUT_FRACTION
): { data: RawBatch; heldOut?: RawBatch } {
  if (!(samples.data instanceof Int8Array)) {
    throw new RangeError(
      'this dataset holds block averages, not ±1 spins: train on a majority or decimation level instead'
    )
  }
  const { rows, cols } = sampleShape(samples)
  const held = heldOutRows(rows, fraction)
  const train = rows - held
  const values = spinsToUnits(samples.data, units)
  const data: RawBatch = { rows: train, cols, data: values.subarray(0, train * cols) }
  return held > 0 ? { data, heldOut: { rows: held, cols, data: values.subarray(train * cols) } } : { data }
}

/**
 * The model's lattice for the physical monitors, or null. src-core/rbm/isingMonitors.ts computes
 * e = −K Σ⟨ij⟩ s_i s_j / N over the nearest neighbours of a periodic Lx × Ly torus, which is
 * ⟨H⟩/N only for a uniform periodic square lattice at zero field: one coupling K on every bond
 * (Kx and Ky, when set, equal to K; no edited couplings; no diagonal bonds), h = 0 and no edited
 * fields. With `cols`, also null when the samples do not have Lx·Ly sites.
 */
export function physicalLattice(model: ModelV2 | undefined, cols?: number): IsingLattice | null {
  if (!model) return null
  const l = model.lattice
  const u = model.uniform
  const uniform = [u.Kx, u.Ky].every((k) => k === undefined || k === u.K) && u.h === 0
  const plain = model.arrays.fields === undefined && model.arrays.couplings === undefined
  if (l.kind !== 'square' || !l.periodicX || !l.periodicY || l.diagonals || !uniform || !plain) return null
  if (cols !== undefined && cols !== l.Lx * l.Ly) return null
  return { Lx: l.Lx, Ly: l.Ly, K: u.K }
}
