/**
 * Independent references for the RBM tests: random parameters from the seeded generator and
 * brute-force sums over every joint configuration (v, h), written straight from the definition
 * E(v, h) = −aᵀv − bᵀh − vᵀWh (types.ts) without any src-core/rbm code.
 */
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Rbm, UnitKind } from '@core/rbm/types'

export const UNIT_PAIRS: [UnitKind, UnitKind][] = [
  ['01', '01'],
  ['pm1', 'pm1'],
  ['01', 'pm1'],
  ['pm1', '01']
]

/** Gaussian parameters: W ~ weightScale·N(0,1), biases ~ biasScale·N(0,1) (Box–Muller). */
export function randomRbm(
  nv: number,
  nh: number,
  visibleUnits: UnitKind,
  hiddenUnits: UnitKind,
  seed: number,
  weightScale = 1,
  biasScale = 0.5
): Rbm {
  const rng = xoshiro128ss(seed)
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
  const fill = (n: number, s: number): Float32Array => Float32Array.from({ length: n }, () => s * gauss())
  return {
    nv,
    nh,
    visibleUnits,
    hiddenUnits,
    W: fill(nv * nh, weightScale),
    a: fill(nv, biasScale),
    b: fill(nh, biasScale)
  }
}

/** Unit i of configuration index k: on iff bit i set. */
export function configuration(k: number, n: number, units: UnitKind): number[] {
  return Array.from({ length: n }, (_, i) => ((k >> i) & 1 ? 1 : units === '01' ? 0 : -1))
}

export function referenceEnergy(rbm: Rbm, v: ArrayLike<number>, h: ArrayLike<number>): number {
  let e = 0
  for (let i = 0; i < rbm.nv; i++) e -= rbm.a[i] * v[i]
  for (let j = 0; j < rbm.nh; j++) e -= rbm.b[j] * h[j]
  for (let i = 0; i < rbm.nv; i++) for (let j = 0; j < rbm.nh; j++) e -= v[i] * rbm.W[i * rbm.nh + j] * h[j]
  return e
}

function lse(xs: number[]): number {
  const m = Math.max(...xs)
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0))
}

export interface BruteForce {
  logZ: number
  /** ln p(v, h) at [vIndex·2^nh + hIndex]. */
  logJoint: Float64Array
  pV: Float64Array
  pH: Float64Array
  /** −ln Σ_h e^{−E(v,h)} per v index, and −ln Σ_v e^{−E} per h index. */
  freeV: Float64Array
  freeH: Float64Array
}

/** Everything by enumeration of all 2^(nv+nh) joint configurations (keep nv + nh ≤ ~16). */
export function bruteForce(rbm: Rbm): BruteForce {
  const NV = 2 ** rbm.nv
  const NH = 2 ** rbm.nh
  const negE = new Float64Array(NV * NH)
  for (let x = 0; x < NV; x++) {
    const v = configuration(x, rbm.nv, rbm.visibleUnits)
    for (let y = 0; y < NH; y++) negE[x * NH + y] = -referenceEnergy(rbm, v, configuration(y, rbm.nh, rbm.hiddenUnits))
  }
  const logZ = lse(Array.from(negE))
  const freeV = new Float64Array(NV)
  const freeH = new Float64Array(NH)
  for (let x = 0; x < NV; x++) freeV[x] = -lse(Array.from(negE.subarray(x * NH, (x + 1) * NH)))
  for (let y = 0; y < NH; y++) freeH[y] = -lse(Array.from({ length: NV }, (_, x) => negE[x * NH + y]))
  return {
    logZ,
    logJoint: negE.map((e) => e - logZ),
    pV: freeV.map((f) => Math.exp(-f - logZ)),
    pH: freeH.map((f) => Math.exp(-f - logZ)),
    freeV,
    freeH
  }
}

/** The shared tolerance check (tests/helpers/tolerance.ts), re-exported for the RBM tests. */
export { expectClose } from '../../helpers/tolerance'
