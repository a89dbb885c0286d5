import { maxLevels, type Grid } from '@core/rg/blockSpin'
import { COUPLING_NAMES, type CouplingName } from '@core/rg/pseudoLikelihood'

/**
 * The "Compare with RG…" form as typed and the comparison it describes, or one sentence saying
 * what to fix: the rule, the block side b (it must divide the lattice), the couplings to fit,
 * and the RBM flow (starting K, iterates, configurations per K; empty K list = no flow).
 */
export interface CompareForm {
  rule: 'majority' | 'decimation'
  b: string
  couplings: CouplingName[]
  Ks: string
  steps: string
  count: string
  seed: string
}
export interface CompareChoice {
  rule: 'majority' | 'decimation'
  b: number
  couplings: CouplingName[]
  flow?: { Ks: number[]; steps: number; count: number }
  seed: number
}

const whole = (text: string): number => (/^\s*\d+\s*$/.test(text) ? Number(text) : Number.NaN)

export function compareFromForm(f: CompareForm, g: Grid): CompareChoice | string {
  const b = whole(f.b)
  if (!Number.isInteger(b) || b < 2) return 'The block size b must be a whole number of at least 2.'
  if (maxLevels(g, b) === 0)
    return `b = ${b} does not divide the ${g.Lx}×${g.Ly} lattice: choose a divisor of its sides.`
  if (!f.couplings.every((c) => COUPLING_NAMES.includes(c)))
    return 'Choose couplings among field, nearest, diagonal, third and plaquette.'
  const seed = whole(f.seed)
  if (!Number.isInteger(seed) || seed > 0xffffffff) return 'The seed must be a whole number from 0 to 4294967295.'
  const choice: CompareChoice = { rule: f.rule, b, couplings: [...f.couplings], seed }
  const texts = f.Ks.split(/[\s,;]+/).filter(Boolean)
  if (!texts.length) return choice
  const Ks = texts.map(Number)
  if (Ks.some((K) => !Number.isFinite(K) || K <= 0 || K > 2))
    return 'Each starting K of the RBM flow must be a number between 0 and 2 (e.g. 0.3, 0.41, 0.44).'
  if (g.Lx !== g.Ly)
    return `The RBM flow samples square tori; this lattice is ${g.Lx}×${g.Ly}. Leave the starting K empty.`
  const steps = whole(f.steps)
  if (!Number.isInteger(steps) || steps < 1 || steps > 50) return 'The RBM flow needs 1 to 50 iterates v → h → v.'
  const count = whole(f.count)
  if (!Number.isInteger(count) || count < 10 || count > 100000)
    return 'The RBM flow needs 10 to 100,000 configurations per starting K.'
  return { ...choice, flow: { Ks, steps, count } }
}
