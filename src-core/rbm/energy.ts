import { tsDenseKernels } from './kernelsTs'
import { logUnitSum } from './math'
import type { Batch, DenseKernels, Rbm } from './types'

/**
 * Energy and free energies of an RBM in the storage convention (types.ts):
 *     E(v, h) = −aᵀv − bᵀh − vᵀWh                     (= the paper's Eq. 10 with w = −W)
 * Free energies trace out one layer (paper Eqs. 12–13, SCIENCE.md §2):
 *     e^{−F(v)} = Tr_h e^{−E(v,h)}  ⇒  F(v) = −aᵀv − Σ_j φ_h(b_j + (vᵀW)_j)
 *     e^{−F(h)} = Tr_v e^{−E(v,h)}  ⇒  F(h) = −bᵀh − Σ_i φ_v(a_i + (Wh)_i)
 * with φ = softplus for {0,1} units and ln(2 cosh) for ±1 units (math.ts, logUnitSum). The paper
 * calls these H^RBM(v) and H^RBM(h): p(v) = e^{−H^RBM(v)}/Z, Z cancels in the mapping (Eq. 21).
 *
 * Single-configuration functions work in double precision from the fp32 parameters (the exact
 * routines rely on this); the batch versions form the fields with DenseKernels (fp32 products,
 * each dot product accumulated in double by the reference kernels) and the rest in double.
 */

/**
 * The parameters the single-configuration functions read: an Rbm, or the same in double
 * precision (the exact RG↔RBM mapping builds machines such as 1D decimation with float64 weights).
 */
export type RbmParameters = Pick<Rbm, 'nv' | 'nh' | 'visibleUnits' | 'hiddenUnits'> & {
  readonly W: ArrayLike<number>
  readonly a: ArrayLike<number>
  readonly b: ArrayLike<number>
}

/** Throws unless batch is rows × cols with matching data length. */
export function checkBatch(batch: Batch, cols: number, name: string): void {
  if (!Number.isInteger(batch.rows) || batch.rows < 0)
    throw new RangeError(`${name}: batch rows must be a non-negative integer, got ${batch.rows}`)
  if (batch.cols !== cols) throw new RangeError(`${name}: batch has ${batch.cols} columns, the layer has ${cols} units`)
  if (batch.data.length !== batch.rows * cols) {
    throw new RangeError(`${name}: batch data has ${batch.data.length} entries, rows·cols = ${batch.rows * cols}`)
  }
}

function checkVector(v: ArrayLike<number>, n: number, what: string, name: string): void {
  if (v.length !== n) throw new RangeError(`${name}: ${what} has ${v.length} entries, the layer has ${n} units`)
}

/** E(v, h) = −aᵀv − bᵀh − vᵀWh, in double precision. */
export function energy(rbm: RbmParameters, v: ArrayLike<number>, h: ArrayLike<number>): number {
  const { nv, nh, W, a, b } = rbm
  checkVector(v, nv, 'v', 'energy')
  checkVector(h, nh, 'h', 'energy')
  let e = 0
  for (let j = 0; j < nh; j++) e -= b[j] * h[j]
  for (let i = 0; i < nv; i++) {
    const vi = v[i]
    if (vi === 0) continue
    let field = a[i]
    for (let j = 0; j < nh; j++) field += W[i * nh + j] * h[j]
    e -= vi * field
  }
  return e
}

/** F(v) = −ln Σ_h e^{−E(v,h)} = H^RBM(v) (paper Eq. 12), in double precision. */
export function freeEnergyVisible(rbm: RbmParameters, v: ArrayLike<number>): number {
  const { nv, nh, W, a, b, hiddenUnits } = rbm
  checkVector(v, nv, 'v', 'freeEnergyVisible')
  let f = 0
  for (let i = 0; i < nv; i++) f -= a[i] * v[i]
  for (let j = 0; j < nh; j++) {
    let x = b[j]
    for (let i = 0; i < nv; i++) x += v[i] * W[i * nh + j]
    f -= logUnitSum(hiddenUnits, x)
  }
  return f
}

/** F(h) = −ln Σ_v e^{−E(v,h)} = H^RBM(h) (paper Eq. 13), in double precision. */
export function freeEnergyHidden(rbm: RbmParameters, h: ArrayLike<number>): number {
  const { nv, nh, W, a, b, visibleUnits } = rbm
  checkVector(h, nh, 'h', 'freeEnergyHidden')
  let f = 0
  for (let j = 0; j < nh; j++) f -= b[j] * h[j]
  for (let i = 0; i < nv; i++) {
    let x = a[i]
    for (let j = 0; j < nh; j++) x += W[i * nh + j] * h[j]
    f -= logUnitSum(visibleUnits, x)
  }
  return f
}

/** The paper's names (Eqs. 12–13): e^{−H^RBM(v)} = Tr_h e^{−E}, e^{−H^RBM(h)} = Tr_v e^{−E}. */
export const rbmHamiltonianVisible = freeEnergyVisible
export const rbmHamiltonianHidden = freeEnergyHidden

/**
 * F(v) for every row of a batch of visible configurations (rows × nv) into out[row].
 * scratch (rows × nh) receives the hidden fields b + vᵀW; allocated when not given.
 */
export function freeEnergiesVisible(
  rbm: Rbm,
  batch: Batch,
  out: Float64Array,
  kernels: DenseKernels = tsDenseKernels,
  scratch?: Float32Array
): void {
  const { nv, nh, W, a, b, hiddenUnits } = rbm
  checkBatch(batch, nv, 'freeEnergiesVisible')
  const rows = batch.rows
  if (out.length < rows) throw new RangeError(`freeEnergiesVisible: out has ${out.length} entries, needs ${rows}`)
  const fields = scratch ?? new Float32Array(rows * nh)
  kernels.gemm(rows, nh, nv, batch.data, W, fields)
  for (let r = 0; r < rows; r++) {
    let f = 0
    for (let i = 0; i < nv; i++) f -= a[i] * batch.data[r * nv + i]
    for (let j = 0; j < nh; j++) f -= logUnitSum(hiddenUnits, b[j] + fields[r * nh + j])
    out[r] = f
  }
}

/** F(h) for every row of a batch of hidden configurations (rows × nh) into out[row]. */
export function freeEnergiesHidden(
  rbm: Rbm,
  batch: Batch,
  out: Float64Array,
  kernels: DenseKernels = tsDenseKernels,
  scratch?: Float32Array
): void {
  const { nv, nh, W, a, b, visibleUnits } = rbm
  checkBatch(batch, nh, 'freeEnergiesHidden')
  const rows = batch.rows
  if (out.length < rows) throw new RangeError(`freeEnergiesHidden: out has ${out.length} entries, needs ${rows}`)
  const fields = scratch ?? new Float32Array(rows * nv)
  kernels.gemmNT(rows, nv, nh, batch.data, W, fields)
  for (let r = 0; r < rows; r++) {
    let f = 0
    for (let j = 0; j < nh; j++) f -= b[j] * batch.data[r * nh + j]
    for (let i = 0; i < nv; i++) f -= logUnitSum(visibleUnits, a[i] + fields[r * nv + i])
    out[r] = f
  }
}
