import type { McAlgorithm } from '@core/ising/mc'
import { validateSweepSpec, type SweepSpec } from '@core/jobs/isingSweep'

/** The parameter-sweep form as typed. */
export interface SweepForm {
  Ls: string
  from: string
  to: string
  steps: string
  h: string
  algorithm: McAlgorithm
  burnIn: string
  sweeps: string
  seed: string
}

/** The spec the form describes, or a sentence saying what to fix. */
export function sweepFromForm(f: SweepForm): { spec: SweepSpec; seed: number } | string {
  const Ls = f.Ls.split(/[\s,]+/)
    .filter(Boolean)
    .map(Number)
  const from = Number(f.from)
  const to = Number(f.to)
  const steps = Number(f.steps)
  if (!Number.isInteger(steps) || steps < 2 || steps > 500) return 'Steps must be a whole number from 2 to 500.'
  if (!Number.isFinite(from) || !Number.isFinite(to) || from >= to)
    return 'Give K from and to as numbers with from < to.'
  const Ks = Array.from({ length: steps }, (_, k) => Number((from + ((to - from) * k) / (steps - 1)).toFixed(6)))
  const spec: SweepSpec = {
    Ls,
    Ks,
    h: Number(f.h),
    algorithm: f.algorithm,
    burnIn: Number(f.burnIn),
    sweeps: Number(f.sweeps),
    start: 'random'
  }
  const seed = Number(f.seed)
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)
    return 'The seed must be a whole number from 0 to 4294967295.'
  try {
    validateSweepSpec(spec)
  } catch (e) {
    const m = (e as Error).message
    return m.charAt(0).toUpperCase() + m.slice(1) + '.'
  }
  return { spec, seed }
}
