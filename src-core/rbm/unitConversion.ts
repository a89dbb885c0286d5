import { assertValidRbm } from './rbm'
import type { Batch, Rbm, UnitKind } from './types'

/**
 * Explicit conversion between {0,1} and ±1 units (SCIENCE.md §1: v01 = (v + 1)/2, never silent).
 *
 * Batches: s = 2u − 1 and u = (s + 1)/2, applied entrywise. This maps configurations to
 * configurations and also means to means (⟨s⟩ = 2⟨u⟩ − 1), so probability-valued batches convert
 * correctly as well.
 *
 * RBMs: an exact reparametrisation. Write each old unit as x = α·y + β in terms of the new unit y
 * (01→pm1: α = β = ½; pm1→01: α = 2, β = −1). Substituting into E = −aᵀx − bᵀg − xᵀWg gives
 *     W' = α_v α_h W,   a' = α_v (a + β_h W·1),   b' = α_h (b + β_v Wᵀ·1),
 *     E_old(x, g) = E_new(y, z) − C,   C = β_v Σa + β_h Σb + β_v β_h ΣW,
 * so p(v, h) is unchanged configuration by configuration and ln Z_new = ln Z_old − C.
 */

function convertBatch(
  batch: Batch,
  scale: number,
  shift: number,
  lo: number,
  hi: number,
  name: string,
  out?: Float32Array
): Batch {
  const { rows, cols, data } = batch
  if (data.length !== rows * cols)
    throw new RangeError(`${name}: batch data has ${data.length} entries, rows·cols = ${rows * cols}`)
  const target = out ?? new Float32Array(data.length)
  if (target.length !== data.length)
    throw new RangeError(`${name}: out has ${target.length} entries, needs ${data.length}`)
  for (let k = 0; k < data.length; k++) {
    const x = data[k]
    if (!(x >= lo && x <= hi)) {
      throw new RangeError(
        `${name}: entry ${k} (row ${Math.floor(k / cols)}, column ${k % cols}) is ${x}, outside [${lo}, ${hi}]`
      )
    }
    target[k] = scale * x + shift
  }
  return { rows, cols, data: target }
}

/** {0,1} values (or probabilities in [0,1]) → ±1 values (or means in [−1,1]): s = 2u − 1. */
export function batchToPm1(batch: Batch, out?: Float32Array): Batch {
  return convertBatch(batch, 2, -1, 0, 1, 'batchToPm1', out)
}

/** ±1 values (or means in [−1,1]) → {0,1} values (or probabilities): u = (s + 1)/2. */
export function batchTo01(batch: Batch, out?: Float32Array): Batch {
  return convertBatch(batch, 0.5, 0.5, -1, 1, 'batchTo01', out)
}

/** Converts a batch from the units it is in to the units wanted (a copy when they agree). */
export function batchToUnits(batch: Batch, from: UnitKind, to: UnitKind, out?: Float32Array): Batch {
  if (from === to) {
    const target = out ?? new Float32Array(batch.data.length)
    target.set(batch.data)
    return { rows: batch.rows, cols: batch.cols, data: target }
  }
  return to === 'pm1' ? batchToPm1(batch, out) : batchTo01(batch, out)
}

export interface ConvertedRbm {
  rbm: Rbm
  /**
   * C with E_new(v', h') = E_old(v, h) + C for corresponding configurations, hence
   * ln Z_new = ln Z_old − C and F_new(v') = F_old(v) + C; every probability is unchanged.
   */
  energyOffset: number
}

/** old unit = α·new + β */
function affine(from: UnitKind, to: UnitKind): [number, number] {
  if (from === to) return [1, 0]
  return from === '01' ? [0.5, 0.5] : [2, -1]
}

/**
 * The same distribution with the requested unit types. Sums are formed in double precision and
 * rounded to fp32 once, so the result matches the exact reparametrisation to fp32 rounding.
 */
export function rbmToUnits(rbm: Rbm, visibleUnits: UnitKind, hiddenUnits: UnitKind): ConvertedRbm {
  assertValidRbm(rbm, 'rbmToUnits')
  const { nv, nh, W, a, b } = rbm
  const [av, bv] = affine(rbm.visibleUnits, visibleUnits)
  const [ah, bh] = affine(rbm.hiddenUnits, hiddenUnits)
  const rowSums = new Float64Array(nv)
  const colSums = new Float64Array(nh)
  let total = 0
  for (let i = 0; i < nv; i++) {
    for (let j = 0; j < nh; j++) {
      const w = W[i * nh + j]
      rowSums[i] += w
      colSums[j] += w
      total += w
    }
  }
  const W2 = new Float32Array(nv * nh)
  for (let k = 0; k < W2.length; k++) W2[k] = av * ah * W[k]
  const a2 = new Float32Array(nv)
  let sumA = 0
  for (let i = 0; i < nv; i++) {
    a2[i] = av * (a[i] + bh * rowSums[i])
    sumA += a[i]
  }
  const b2 = new Float32Array(nh)
  let sumB = 0
  for (let j = 0; j < nh; j++) {
    b2[j] = ah * (b[j] + bv * colSums[j])
    sumB += b[j]
  }
  return {
    rbm: { nv, nh, visibleUnits, hiddenUnits, W: W2, a: a2, b: b2 },
    energyOffset: bv * sumA + bh * sumB + bv * bh * total
  }
}

/** Both layers as ±1 units (the theory's, SCIENCE.md §1). */
export function rbmToPm1(rbm: Rbm): ConvertedRbm {
  return rbmToUnits(rbm, 'pm1', 'pm1')
}

/** Both layers as {0,1} units (the Hinton–Salakhutdinov code's). */
export function rbmTo01(rbm: Rbm): ConvertedRbm {
  return rbmToUnits(rbm, '01', '01')
}
