import { maxLevels, type BlockRule, type Grid } from '@core/rg/blockSpin'
import { COUPLING_NAMES, type CouplingName } from '@core/rg/pseudoLikelihood'
import { EVEN_OPERATORS, type EvenOperator } from '@core/rg/mcrg'
import { validateRgFlowSpec, type RgFlowSpec } from '@core/jobs/rgFlow'
import { validateRgMcrgSpec, type RgMcrgSpec } from '@core/jobs/rgMcrg'

/**
 * The RG forms as typed (cascade of a dataset, RG flow, MCRG) and the specs they describe, or one
 * sentence saying what to fix. The engines' own validators have the last word.
 */

const sentence = (e: unknown): string => {
  const m = (e as Error).message
  return m.charAt(0).toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.')
}
const whole = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN)
function seedOf(text: string): number | string {
  const seed = whole(text)
  return Number.isInteger(seed) && seed <= 0xffffffff ? seed : 'The seed must be a whole number from 0 to 4294967295.'
}

export interface CascadeForm {
  rule: BlockRule
  b: string
  levels: string
  couplings: CouplingName[]
  seed: string
}
export interface CascadeChoice {
  rule: BlockRule
  b: number
  levels: number
  couplings: CouplingName[]
  seed: number
}

/** A cascade of a dataset on grid `g` (Ly = 1 for a chain: b × 1 blocks). */
export function cascadeFromForm(f: CascadeForm, g: Grid): CascadeChoice | string {
  const b = whole(f.b)
  if (!Number.isInteger(b) || b < 2) return 'The block size b must be a whole number of at least 2.'
  const possible = maxLevels(g, b)
  if (possible === 0) return `b = ${b} does not divide the ${g.Lx}×${g.Ly} lattice: choose a divisor of its sides.`
  const levels = whole(f.levels)
  if (!Number.isInteger(levels) || levels < 1 || levels > possible) {
    return `A ${g.Lx}×${g.Ly} lattice allows 1 to ${possible} level${possible === 1 ? '' : 's'} of ${b}×${g.Ly === 1 ? 1 : b} blocks.`
  }
  if (!f.couplings.every((c) => COUPLING_NAMES.includes(c)))
    return 'Choose couplings among field, nearest, diagonal, third and plaquette.'
  const seed = seedOf(f.seed)
  if (typeof seed === 'string') return seed
  return { rule: f.rule, b, levels, couplings: [...f.couplings], seed }
}

/** The blocking and sampling fields the RG flow and MCRG forms share (RgSamplingFields). */
export interface RgSamplingForm {
  rule: 'majority' | 'decimation'
  b: string
  levels: string
  count: string
  between: string
  burnIn: string
}

export interface FlowForm extends RgSamplingForm {
  L: string
  Ks: string
  couplings: CouplingName[]
  seed: string
}

export function flowFromForm(f: FlowForm): { spec: RgFlowSpec; seed: number } | string {
  const Ks = f.Ks.split(/[\s,;]+/)
    .filter(Boolean)
    .map(Number)
  if (!Ks.length || Ks.some((K) => !Number.isFinite(K)))
    return 'Give the starting couplings K as numbers separated by commas.'
  const spec: RgFlowSpec = {
    L: whole(f.L),
    Ks,
    rule: f.rule,
    b: whole(f.b),
    levels: whole(f.levels),
    count: whole(f.count),
    between: whole(f.between),
    burnIn: whole(f.burnIn),
    couplings: [...f.couplings]
  }
  const seed = seedOf(f.seed)
  if (typeof seed === 'string') return seed
  try {
    validateRgFlowSpec(spec)
  } catch (e) {
    return sentence(e)
  }
  return { spec, seed }
}

export interface McrgForm extends RgSamplingForm {
  L: string
  K: string
  operators: EvenOperator[]
  seed: string
}

export function mcrgFromForm(f: McrgForm): { spec: RgMcrgSpec; seed: number } | string {
  const K = Number(f.K)
  if (!f.K.trim() || !Number.isFinite(K)) return 'The coupling K must be a number (Kc = 0.4406868).'
  if (!f.operators.length || !f.operators.every((o) => EVEN_OPERATORS.includes(o)))
    return 'Choose at least one even operator.'
  const spec: RgMcrgSpec = {
    L: whole(f.L),
    K,
    rule: f.rule,
    b: whole(f.b),
    levels: whole(f.levels),
    count: whole(f.count),
    between: whole(f.between),
    burnIn: whole(f.burnIn),
    operators: [...f.operators]
  }
  const seed = seedOf(f.seed)
  if (typeof seed === 'string') return seed
  try {
    validateRgMcrgSpec(spec)
  } catch (e) {
    return sentence(e)
  }
  return { spec, seed }
}
