import { decimalCommaHint } from './editor/values'
import { MC_ALGORITHMS } from '@core/ising/mc/sampler'
import { ALGORITHM_NAMES } from '@core/ising/algorithmNames'
import type { ChainAlgorithm, ChainStart, IsingAlgorithm, IsingParams } from '@core/ising/types'

/**
 * Validation of what a person types into the live-chain controls. Every failure is a sentence
 * the view shows under the field; nothing invalid reaches a chain.
 */

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string }

export interface NumberRule {
  /** Shown in messages: "L must be …". */
  label: string
  min: number
  max: number
  integer?: boolean
}

export const RULES = {
  K: { label: 'K', min: -10, max: 10 },
  h: { label: 'h', min: -10, max: 10 },
  sweepsPerFrame: { label: 'Sweeps per frame', min: 1, max: 1000, integer: true },
  L: { label: 'L', min: 4, max: 1024, integer: true },
  seed: { label: 'Seed', min: 0, max: 0xffffffff, integer: true },
  beta: { label: 'β', min: 0, max: 10 }
} as const satisfies Record<string, NumberRule>

/** The fast square kernels' algorithms. */
export const ALGORITHMS: readonly IsingAlgorithm[] = ['metropolis', 'wolff']
/** General models: the five samplers of src-core/ising/mc. */
export const GENERAL_ALGORITHMS: readonly ChainAlgorithm[] = MC_ALGORITHMS

export const ALGORITHM_LABELS: Record<ChainAlgorithm, string> = ALGORITHM_NAMES

/** True for the parameters of a general chain (β is present exactly then). */
export const isGeneral = (params: IsingParams): boolean => params.beta !== undefined

/** Checks a number against a rule. */
export function checkNumber(value: unknown, rule: NumberRule): Checked<number> {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return { ok: false, error: `${rule.label} must be a number.` }
  if (rule.integer && !Number.isInteger(value)) return { ok: false, error: `${rule.label} must be a whole number.` }
  if (value < rule.min || value > rule.max) {
    return { ok: false, error: `${rule.label} must be between ${rule.min} and ${rule.max}.` }
  }
  return { ok: true, value }
}

/** Parses typed text (accepting "−" for minus and surrounding spaces), then checks it. */
export function parseNumberField(text: string, rule: NumberRule): Checked<number> {
  const trimmed = text.trim().replace(/\u2212/g, '-')
  if (trimmed === '') return { ok: false, error: `Enter a value for ${rule.label}.` }
  // Number('') and Number('0x10') are too permissive for a physics input; require decimal syntax.
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) {
    return { ok: false, error: decimalCommaHint(trimmed) || `“${text.trim()}” is not a number.` }
  }
  return checkNumber(Number(trimmed), rule)
}

/** Why an algorithm cannot run at these couplings, or null when it can (`frustrated`: the model has a K_ij < 0). */
export function algorithmProblem(algorithm: ChainAlgorithm, K: number, frustrated = false): string | null {
  if (algorithm === 'wolff' && K < 0) {
    return 'Wolff cluster updates need K ≥ 0 (ferromagnetic); use Metropolis for K < 0.'
  }
  if ((algorithm === 'wolff' || algorithm === 'sw') && (frustrated || K < 0)) {
    return 'Cluster algorithms need ferromagnetic couplings (all K_ij ≥ 0); use Metropolis or heat bath for this model.'
  }
  return null
}

/** Merges an edit into the current parameters, or says why it cannot be applied. */
export function mergeParams(current: IsingParams, edit: Partial<IsingParams>): Checked<IsingParams> {
  const next: IsingParams = { ...current }
  const general = isGeneral(current)
  for (const key of ['K', 'h', 'sweepsPerFrame', 'beta'] as const) {
    if (edit[key] === undefined) continue
    if (key === 'beta' && !general) return { ok: false, error: 'β applies to chains on general models only.' }
    const checked = checkNumber(edit[key], RULES[key])
    if (!checked.ok) return checked
    next[key] = checked.value
  }
  if (edit.algorithm !== undefined) {
    if (!(general ? GENERAL_ALGORITHMS : ALGORITHMS).includes(edit.algorithm))
      return { ok: false, error: `Unknown algorithm “${String(edit.algorithm)}”.` }
    next.algorithm = edit.algorithm
  }
  // A general model's own frustration is checked by the view (it knows the couplings) and the job.
  const problem = general ? null : algorithmProblem(next.algorithm, next.K)
  return problem ? { ok: false, error: problem } : { ok: true, value: next }
}

/** The keys whose values differ between two parameter sets (what an edit must carry). */
export function changedParams(from: IsingParams, to: IsingParams): Partial<IsingParams> {
  const diff: Partial<IsingParams> = {}
  if (from.K !== to.K) diff.K = to.K
  if (from.h !== to.h) diff.h = to.h
  if (from.algorithm !== to.algorithm) diff.algorithm = to.algorithm
  if (from.sweepsPerFrame !== to.sweepsPerFrame) diff.sweepsPerFrame = to.sweepsPerFrame
  if (from.beta !== to.beta) diff.beta = to.beta
  return diff
}

/** A change of L, seed or start checked against a chain's setup; the setup it gives when valid. */
export function checkStructural(
  setup: { L: number; seed: number; start: ChainStart; general: boolean },
  change: { L?: number; seed?: number; start?: ChainStart }
): Checked<{ L: number; seed: number; start: ChainStart }> {
  if (setup.general && change.L !== undefined && change.L !== setup.L) {
    return { ok: false, error: 'The lattice of a chain on a model is the model’s: change it in the model editor.' }
  }
  for (const key of ['L', 'seed'] as const) {
    const value = change[key]
    if (value === undefined) continue
    const checked = checkNumber(value, RULES[key])
    if (!checked.ok) return checked
  }
  if (change.start !== undefined && change.start !== 'hot' && change.start !== 'cold' && change.start !== 'painted') {
    return { ok: false, error: `Start must be hot, cold or painted, not “${String(change.start)}”.` }
  }
  return {
    ok: true,
    value: { L: change.L ?? setup.L, seed: change.seed ?? setup.seed, start: change.start ?? setup.start }
  }
}
