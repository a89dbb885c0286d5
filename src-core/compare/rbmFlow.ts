/**
 * The RBM flow of Iso, Shiba & Yokoo (2018, Phys. Rev. E 97, 053304; SCIENCE.md §6, §7): start
 * from configurations drawn at coupling K, iterate v → h ~ p(h|v) → v′ ~ p(v|h) with a trained
 * RBM, and measure the effective coupling of each iterate — the K whose exact nearest-neighbour
 * correlation on the same torus matches the iterate's (rg/matchedCoupling.ts), with a jackknife
 * error. Iso et al. found the RBM flow drifting toward Kc, where block-spin RG flows away.
 * Spins enter the machine as its visible unit type ({0,1}: (v + 1)/2) and come back as ±1.
 */
import type { Rng } from '../random/rng'
import { sampleHidden, sampleVisible } from '../rbm/sampling'
import { tsDenseKernels } from '../rbm/kernelsTs'
import type { DenseKernels, Rbm } from '../rbm/types'
import type { Grid } from '../rg/blockSpin'
import { matchedCoupling, type MatchedCoupling } from '../rg/matchedCoupling'

export interface RbmFlowStep {
  /** Iterate n (0: the input configurations). */
  step: number
  matched: MatchedCoupling
}

/** Effective K of the input and of `steps` iterates v → h → v (count × N ±1 spins on a periodic grid). */
export function rbmFlow(
  rbm: Rbm,
  spins: Int8Array,
  count: number,
  g: Grid,
  steps: number,
  rng: Rng,
  kernels: DenseKernels = tsDenseKernels
): RbmFlowStep[] {
  const N = g.Lx * g.Ly
  if (rbm.nv !== N) throw new RangeError(`the machine has ${rbm.nv} visible units, the lattice ${N} sites`)
  if (spins.length !== count * N) throw new RangeError(`expected ${count} configurations of ${N} spins`)
  if (!Number.isInteger(steps) || steps < 0 || steps > 1000)
    throw new RangeError(`steps must be a whole number from 0 to 1000, got ${steps}`)
  const v = new Float32Array(count * N)
  const toUnits = (s: ArrayLike<number>) => {
    for (let i = 0; i < v.length; i++) v[i] = rbm.visibleUnits === 'pm1' ? s[i]! : (s[i]! + 1) / 2
  }
  const current = Int8Array.from(spins)
  const out: RbmFlowStep[] = [{ step: 0, matched: matchedCoupling(current, count, g) }]
  toUnits(current)
  const h = new Float32Array(count * rbm.nh)
  const ph = new Float32Array(count * rbm.nh)
  const pv = new Float32Array(count * N)
  for (let n = 1; n <= steps; n++) {
    sampleHidden(rbm, { rows: count, cols: N, data: v }, rng, ph, h, kernels)
    sampleVisible(rbm, { rows: count, cols: rbm.nh, data: h }, rng, pv, v, kernels)
    for (let i = 0; i < v.length; i++) current[i] = v[i]! > 0.5 ? 1 : -1
    out.push({ step: n, matched: matchedCoupling(current, count, g) })
  }
  return out
}
