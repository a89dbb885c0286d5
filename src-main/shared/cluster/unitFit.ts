import { EVEN_OPERATORS } from '@core/rg/mcrg'
import type { BundleTask, TaskUnit } from './bundle'
import type { TrainingUnitSpec } from './bundleUnits'

/**
 * Whether a unit's result is what its task asked for, beyond its shape (the schemas check
 * that): a sweep point of the unit's L and K, an MCRG chain of its lattice, coupling, rule,
 * block size, operators, levels and samples, an RG flow's point of its lattice, K, rule, block
 * size, couplings and levels, a network of its layers. A clause saying what
 * differs, or null. A result file that passes the schemas but not this is left out of a merge.
 */
export function unitMisfit(task: BundleTask, spec: TaskUnit['spec'], result: unknown): string | null {
  if (task.kind === 'sweep') {
    const s = spec as { Ls: number[]; Ks: number[] }
    const p = (result as { points: { L: number; K: number }[] }).points[0]!
    return p.L === s.Ls[0] && p.K === s.Ks[0] ? null : `a point at L = ${p.L}, K = ${p.K}`
  }
  if (task.kind === 'mcrg') {
    const s = spec as Extract<BundleTask, { kind: 'mcrg' }>['units'][number]['spec']
    const r = result as {
      L: number
      K: number
      rule: string
      b: number
      operators: string[]
      levels: unknown[]
      samples: number
    }
    const ops = (s.operators ?? EVEN_OPERATORS).join()
    if (r.L !== s.L || r.K !== s.K || r.rule !== s.rule || r.b !== s.b)
      return `a ${r.L}² lattice at K = ${r.K}, ${r.rule} ${r.b}×${r.b}`
    if (r.operators.join() !== ops || r.levels.length !== s.levels) return 'other operators or levels'
    return r.samples === s.count ? null : `${r.samples} samples, not ${s.count}`
  }
  if (task.kind === 'rgflow') {
    const s = spec as Extract<BundleTask, { kind: 'rgflow' }>['units'][number]['spec']
    const r = result as {
      L: number
      rule: string
      b: number
      couplings: string[]
      points: { K: number; levels: { level: number; fit: { couplings: string[] } | null }[] }[]
    }
    const p = r.points[0]!
    if (r.L !== s.L || p.K !== s.Ks[0] || r.rule !== s.rule || r.b !== s.b)
      return `a ${r.L}² lattice at K = ${p.K}, ${r.rule} ${r.b}×${r.b}`
    const levels = p.levels.every((l, i) => l.level === i) && p.levels.length === s.levels + 1
    const fits = [r.couplings, ...p.levels.flatMap((l) => (l.fit ? [l.fit.couplings] : []))].every(
      (c) => c.join() === s.couplings.join()
    )
    return levels && fits ? null : 'other couplings or levels'
  }
  if (task.kind === 'training') {
    const s = spec as TrainingUnitSpec
    const r = result as { dbn: { layers: { nv: number; nh: number }[]; passUp: string } }
    const layers = r.dbn.layers
    const fits =
      layers.length === s.layers.length &&
      r.dbn.passUp === s.passUp &&
      layers.every((l, k) => l.nh === s.layers[k]!.nh && (k === 0 || l.nv === layers[k - 1]!.nh))
    return fits ? null : `a network of ${layers.map((l) => l.nh).join('→')} hidden units`
  }
  return null
}
