import type { Rng } from '../random/rng'
import type { Rbm, RbmAnyPrecision, UnitKind } from './types'

/**
 * Creating, copying and checking RBMs, and converting between conventions (types.ts):
 *  - sign: the storage (machine-learning) convention E = −aᵀv − bᵀh − vᵀWh against the paper's
 *    Eq. 10, E = Σ_j b_j h_j + Σ_ij v_i w_ij h_j + Σ_i c_i v_i  ⇒  w = −W, b_paper = −b, c = −a;
 *  - units: {0,1} against ±1 (unitConversion.ts).
 */

/**
 * Weight initialisation (biases start at zero in every case, Hinton 2010 §8):
 *  - 'normal': w_ij ~ scale·N(0, 1) (Hinton 2010 §8 suggests scale 0.01; the
 *    Hinton–Salakhutdinov code behind the paper's Fig. 3 used 0.1, SCIENCE.md §4);
 *  - 'xavier': w_ij ~ U(−r, r), r = √(6/(nv + nh)) (Glorot & Bengio 2010, Eq. 16);
 *  - 'zero': all zero (a uniform model).
 */
export type RbmInit = { kind: 'normal'; scale: number } | { kind: 'zero' } | { kind: 'xavier' }

export interface CreateRbmOptions {
  nv: number
  nh: number
  visibleUnits: UnitKind
  hiddenUnits: UnitKind
  /** Default { kind: 'normal', scale: 0.01 } (Hinton 2010 §8). */
  init?: RbmInit
  /** Required unless init is 'zero'. Draw order: W row-major (i·nh + j), see standardNormals. */
  rng?: Rng
}

export const DEFAULT_RBM_INIT: RbmInit = { kind: 'normal', scale: 0.01 }

/** Layer sizes accepted by createRbm (a 2^26-entry W is 256 MB of fp32 already). */
export const MAX_RBM_UNITS = 1 << 16
export const MAX_RBM_WEIGHTS = 1 << 26

function isUnitKind(value: unknown): value is UnitKind {
  return value === '01' || value === 'pm1'
}

function sizeProblem(what: string, value: unknown): string | null {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > MAX_RBM_UNITS) {
    return `${what} must be an integer between 1 and ${MAX_RBM_UNITS}, got ${String(value)}.`
  }
  return null
}

/**
 * Everything wrong with an RBM, one sentence each (empty when it is valid): layer sizes,
 * unit kinds, array types and lengths, and non-finite parameters (the first one is named).
 */
export function rbmProblems(rbm: Rbm): string[]
/** With float64: true, parameters may be Float64Array too (exact enumeration only). */
export function rbmProblems(rbm: RbmAnyPrecision, options: { float64: true }): string[]
export function rbmProblems(rbm: RbmAnyPrecision, options: { float64?: boolean } = {}): string[] {
  const problems: string[] = []
  const nvProblem = sizeProblem('The number of visible units nv', rbm.nv)
  const nhProblem = sizeProblem('The number of hidden units nh', rbm.nh)
  if (nvProblem) problems.push(nvProblem)
  if (nhProblem) problems.push(nhProblem)
  if (!isUnitKind(rbm.visibleUnits))
    problems.push(`The visible units must be '01' or 'pm1', got ${String(rbm.visibleUnits)}.`)
  if (!isUnitKind(rbm.hiddenUnits))
    problems.push(`The hidden units must be '01' or 'pm1', got ${String(rbm.hiddenUnits)}.`)
  if (nvProblem || nhProblem) return problems
  const arrays: [string, Float32Array | Float64Array, number][] = [
    ['The weight matrix W', rbm.W, rbm.nv * rbm.nh],
    ['The visible biases a', rbm.a, rbm.nv],
    ['The hidden biases b', rbm.b, rbm.nh]
  ]
  for (const [what, array, length] of arrays) {
    if (!(array instanceof Float32Array) && !(options.float64 && array instanceof Float64Array)) {
      problems.push(`${what} must be a Float32Array${options.float64 ? ' or a Float64Array' : ''}.`)
    } else if (array.length !== length) {
      problems.push(`${what} has ${array.length} entries but needs ${length} for nv=${rbm.nv}, nh=${rbm.nh}.`)
    } else {
      const bad = array.findIndex((x) => !Number.isFinite(x))
      if (bad >= 0) problems.push(`${what} has a non-finite entry ${array[bad]} at index ${bad}.`)
    }
  }
  return problems
}

/** Throws a RangeError listing every problem (rbmProblems) unless the RBM is valid. */
export function assertValidRbm(rbm: Rbm, context?: string): void
export function assertValidRbm(rbm: RbmAnyPrecision, context: string, options: { float64: true }): void
export function assertValidRbm(rbm: RbmAnyPrecision, context = 'RBM', options: { float64?: boolean } = {}): void {
  const problems = options.float64 ? rbmProblems(rbm, { float64: true }) : rbmProblems(rbm as Rbm)
  if (problems.length > 0) throw new RangeError(`${context} is invalid: ${problems.join(' ')}`)
}

/**
 * Standard normal deviates by the Box–Muller transform (Box & Muller 1958): each pair of
 * uniforms (u1, u2) gives √(−2 ln(1−u1))·cos(2πu2) then √(−2 ln(1−u1))·sin(2πu2), in that order;
 * with an odd count the last sine is discarded. (1 − u1 ∈ (0, 1] keeps the log finite.)
 */
export function standardNormals(rng: Rng, out: Float32Array | Float64Array, scale = 1): void {
  for (let k = 0; k < out.length; k += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * scale
    const angle = 2 * Math.PI * rng.nextFloat()
    out[k] = radius * Math.cos(angle)
    if (k + 1 < out.length) out[k + 1] = radius * Math.sin(angle)
  }
}

export function createRbm(options: CreateRbmOptions): Rbm {
  const { nv, nh, visibleUnits, hiddenUnits } = options
  const init = options.init ?? DEFAULT_RBM_INIT
  const nvProblem = sizeProblem('The number of visible units nv', nv)
  const nhProblem = sizeProblem('The number of hidden units nh', nh)
  if (nvProblem || nhProblem) throw new RangeError(`createRbm: ${[nvProblem, nhProblem].filter(Boolean).join(' ')}`)
  if (nv * nh > MAX_RBM_WEIGHTS)
    throw new RangeError(`createRbm: nv·nh = ${nv * nh} weights exceeds the limit of ${MAX_RBM_WEIGHTS}.`)
  if (!isUnitKind(visibleUnits))
    throw new RangeError(`createRbm: visibleUnits must be '01' or 'pm1', got ${String(visibleUnits)}.`)
  if (!isUnitKind(hiddenUnits))
    throw new RangeError(`createRbm: hiddenUnits must be '01' or 'pm1', got ${String(hiddenUnits)}.`)
  const W = new Float32Array(nv * nh)
  switch (init.kind) {
    case 'zero':
      break
    case 'normal': {
      if (!Number.isFinite(init.scale) || init.scale < 0) {
        throw new RangeError(`createRbm: the normal initialisation scale must be finite and ≥ 0, got ${init.scale}.`)
      }
      if (!options.rng) throw new RangeError(`createRbm: a 'normal' initialisation needs an rng.`)
      standardNormals(options.rng, W, init.scale)
      break
    }
    case 'xavier': {
      if (!options.rng) throw new RangeError(`createRbm: a 'xavier' initialisation needs an rng.`)
      const r = Math.sqrt(6 / (nv + nh))
      for (let k = 0; k < W.length; k++) W[k] = (2 * options.rng.nextFloat() - 1) * r
      break
    }
    default: {
      const never: never = init
      throw new RangeError(`createRbm: unknown initialisation ${JSON.stringify(never)}.`)
    }
  }
  return { nv, nh, visibleUnits, hiddenUnits, W, a: new Float32Array(nv), b: new Float32Array(nh) }
}

/** A deep copy (new arrays). */
export function cloneRbm(rbm: Rbm): Rbm {
  return {
    nv: rbm.nv,
    nh: rbm.nh,
    visibleUnits: rbm.visibleUnits,
    hiddenUnits: rbm.hiddenUnits,
    W: rbm.W.slice(),
    a: rbm.a.slice(),
    b: rbm.b.slice()
  }
}

/**
 * An RBM's parameters in the paper's sign convention (Mehta & Schwab Eq. 10):
 * E(v,h) = Σ_j b_j h_j + Σ_ij v_i w_ij h_j + Σ_i c_i v_i. Note the paper's b multiplies the
 * HIDDEN units and its c the VISIBLE units. w is visible × hidden row-major, like Rbm.W.
 */
export interface PaperRbmParameters {
  readonly nv: number
  readonly nh: number
  readonly visibleUnits: UnitKind
  readonly hiddenUnits: UnitKind
  /** w_ij = −W_ij. */
  readonly w: Float32Array
  /** Hidden biases, b_paper = −b. */
  readonly b: Float32Array
  /** Visible biases, c = −a. */
  readonly c: Float32Array
}

function negated(x: Float32Array): Float32Array {
  const out = new Float32Array(x.length)
  for (let k = 0; k < x.length; k++) out[k] = -x[k]
  return out
}

/** The paper's w, b, c (new arrays; negation is exact in fp32, so the round trip is exact). */
export function paperConvention(rbm: Rbm): PaperRbmParameters {
  assertValidRbm(rbm, 'paperConvention')
  return {
    nv: rbm.nv,
    nh: rbm.nh,
    visibleUnits: rbm.visibleUnits,
    hiddenUnits: rbm.hiddenUnits,
    w: negated(rbm.W),
    b: negated(rbm.b),
    c: negated(rbm.a)
  }
}

/** The inverse of paperConvention: W = −w, a = −c, b = −b_paper. */
export function fromPaperConvention(p: PaperRbmParameters): Rbm {
  const rbm: Rbm = {
    nv: p.nv,
    nh: p.nh,
    visibleUnits: p.visibleUnits,
    hiddenUnits: p.hiddenUnits,
    W: negated(p.w),
    a: negated(p.c),
    b: negated(p.b)
  }
  assertValidRbm(rbm, 'fromPaperConvention')
  return rbm
}
