import { betaProblem, generalAlgorithmProblem } from '../ising/mc/chain'
import { validateSpins } from '../ising/chainCommon'
import { validateLatticeSize } from '../ising/square/lattice'
import type { IsingChainSpec, IsingParams } from '../ising/types'
import { modelFromData } from '../lattice/data'

/**
 * Validation of live-chain specs and edits, for both kernels: the fast uniform L×L square path
 * (no `model`) and general models (`model` set, the samplers of src-core/ising/mc).
 */

/** |K| and |h| above this are rejected: e^{−2·4K} underflows acceptance long before. */
export const ISING_COUPLING_LIMIT = 10
export const MAX_SWEEPS_PER_FRAME = 10_000
export const MAX_FRAMES_PER_SECOND = 1000

/** Why `value` is not acceptable for IsingParams[key], or null when it is; `general` allows all five algorithms and β. */
export function paramProblem(key: string, value: unknown, general = false): string | null {
  switch (key) {
    case 'K':
    case 'h':
      return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= ISING_COUPLING_LIMIT
        ? null
        : `${key} must be a finite number in [−${ISING_COUPLING_LIMIT}, ${ISING_COUPLING_LIMIT}], got ${String(value)}`
    case 'algorithm':
      if (general) return generalAlgorithmProblem(value)
      return value === 'metropolis' || value === 'wolff'
        ? null
        : `algorithm must be 'metropolis' or 'wolff', got ${String(value)}`
    case 'sweepsPerFrame':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= MAX_SWEEPS_PER_FRAME
        ? null
        : `sweepsPerFrame must be an integer in [1, ${MAX_SWEEPS_PER_FRAME}], got ${String(value)}`
    case 'beta':
      return general ? betaProblem(value) : `unknown parameter 'beta' (β applies to general models only)`
    default:
      return `unknown parameter '${key}'`
  }
}

/** Square path: cluster updates need K ≥ 0 (ising/mc/cluster.ts); checked on the combined parameters. */
export function combinationProblem(params: IsingParams): string | null {
  return params.algorithm === 'wolff' && params.K < 0
    ? `the Wolff algorithm needs K ≥ 0 (ferromagnetic), got K=${params.K}; use Metropolis for K < 0`
    : null
}

/** Throws a RangeError naming the first bad field of a live-chain spec. */
export function validateIsingChainSpec(spec: IsingChainSpec): void {
  if (typeof spec !== 'object' || spec === null)
    throw new RangeError(`Ising chain spec must be an object, got ${String(spec)}`)
  const general = spec.model !== undefined
  let N: number
  if (general) {
    if (!(Number.isSafeInteger(spec.L) && spec.L >= 1))
      throw new RangeError(`L must be an integer ≥ 1, got ${String(spec.L)}`)
    N = modelFromData(spec.model!).lattice.N
  } else {
    validateLatticeSize(spec.L, 'L')
    N = spec.L * spec.L
  }
  for (const key of ['K', 'h', 'algorithm', 'sweepsPerFrame'] as const) {
    const problem = paramProblem(key, spec[key], general)
    if (problem) throw new RangeError(problem)
  }
  if (general && spec.beta !== undefined) {
    const problem = paramProblem('beta', spec.beta, general)
    if (problem) throw new RangeError(problem)
  }
  const combination = general ? null : combinationProblem(spec)
  if (combination) throw new RangeError(combination)
  if (!Number.isSafeInteger(spec.seed)) throw new RangeError(`seed must be a safe integer, got ${String(spec.seed)}`)
  if (spec.start !== 'hot' && spec.start !== 'cold' && spec.start !== 'painted') {
    throw new RangeError(`start must be 'hot', 'cold' or 'painted', got ${String(spec.start)}`)
  }
  if (spec.start === 'painted') validateSpins(spec.startSpins, N, 'startSpins')
  const { targetSweeps, maxFps, resume } = spec
  if (targetSweeps !== undefined && !(Number.isSafeInteger(targetSweeps) && targetSweeps >= 0)) {
    throw new RangeError(`targetSweeps must be an integer ≥ 0 when given, got ${String(targetSweeps)}`)
  }
  if (maxFps !== undefined && !(typeof maxFps === 'number' && maxFps >= 0 && maxFps <= MAX_FRAMES_PER_SECOND)) {
    throw new RangeError(`maxFps must be a number in [0, ${MAX_FRAMES_PER_SECOND}] when given, got ${String(maxFps)}`)
  }
  if (resume !== undefined) {
    if (resume.L !== spec.L) throw new RangeError(`resume.L (${String(resume.L)}) must equal L (${spec.L})`)
    validateSpins(resume.spins, N, 'resume.spins')
    if (!(Number.isSafeInteger(resume.sweep) && resume.sweep >= 0)) {
      throw new RangeError(`resume.sweep must be an integer ≥ 0, got ${String(resume.sweep)}`)
    }
    for (const name of ['energy', 'absM'] as const) {
      const series = resume[name]
      if (!(series instanceof Float64Array) || series.length !== resume.sweep) {
        throw new RangeError(`resume.${name} must be a Float64Array of length resume.sweep (${resume.sweep})`)
      }
    }
    if (!(resume.rngState instanceof Uint32Array) || resume.rngState.length !== 4) {
      throw new RangeError('resume.rngState must be a Uint32Array of length 4')
    }
  }
}
