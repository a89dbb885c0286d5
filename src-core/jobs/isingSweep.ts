import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import { createSampler, MC_ALGORITHMS, type McAlgorithm } from '../ising/mc'
import { summarise, type Estimate } from '../stats'
import { sweepWithYield } from './isingDataset'
import type { JobRunner } from './types'

/**
 * A parameter sweep (issue: Sweeps): observables with error bars over a range of K for one or
 * more periodic L×L square lattices. For each L the couplings are visited in the given order and
 * each point starts from the previous point's configuration (after its own burn-in), which
 * shortens equilibration near the transition.
 */
export interface SweepSpec {
  Ls: number[]
  Ks: number[]
  h: number
  algorithm: McAlgorithm
  burnIn: number
  /** Measurement sweeps per point (every sweep is measured; error bars account for τ_int). */
  sweeps: number
  start: 'random' | 'up' | 'down'
}

export interface SweepPoint {
  L: number
  K: number
  e: Estimate
  c: Estimate
  m: Estimate
  absM: Estimate
  m2: Estimate
  chi: Estimate
  chiAbs: Estimate
  u4: Estimate
  /** τ_int of H and |M| in sweeps. */
  tauE: number
  tauAbsM: number
  equilibrated: boolean
  acceptance: number
}

/** A point of a sweep from its measured series of H and M (the app's sweep and a cluster's sweep point alike). */
export function sweepPointOf(L: number, K: number, H: Float64Array, M: Float64Array, acceptance: number): SweepPoint {
  const s = summarise({ H, M, absM: M.map(Math.abs), M2: M.map((m) => m * m) }, L * L)
  return {
    L,
    K,
    e: s.e,
    c: s.c,
    m: s.m,
    absM: s.absM,
    m2: s.m2,
    chi: s.chi,
    chiAbs: s.chiAbs,
    u4: s.u4,
    tauE: s.tauInt.H.value,
    tauAbsM: s.tauInt.absM.value,
    equilibrated: s.equilibration.ok,
    acceptance
  }
}

export interface SweepResult {
  points: SweepPoint[]
}

export function validateSweepSpec(spec: SweepSpec): void {
  const ints = (v: unknown, name: string, min: number, max: number) => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max)
      throw new RangeError(`${name} must be an integer in [${min}, ${max}], got ${String(v)}`)
  }
  if (!Array.isArray(spec.Ls) || spec.Ls.length === 0 || spec.Ls.length > 16)
    throw new RangeError('give 1 to 16 lattice sizes')
  spec.Ls.forEach((L) => ints(L, 'L', 2, 512))
  if (!Array.isArray(spec.Ks) || spec.Ks.length === 0 || spec.Ks.length > 500)
    throw new RangeError('give 1 to 500 couplings')
  spec.Ks.forEach((K) => {
    if (!Number.isFinite(K) || Math.abs(K) > 10)
      throw new RangeError(`K must be finite with |K| ≤ 10, got ${String(K)}`)
  })
  if (!Number.isFinite(spec.h) || Math.abs(spec.h) > 10)
    throw new RangeError(`h must be finite with |h| ≤ 10, got ${String(spec.h)}`)
  ints(spec.burnIn, 'burn-in', 0, 10_000_000)
  ints(spec.sweeps, 'sweeps', 10, 100_000_000)
  if (!MC_ALGORITHMS.includes(spec.algorithm)) throw new RangeError(`unknown algorithm ${String(spec.algorithm)}`)
}

export const runIsingSweep: JobRunner<SweepSpec, SweepResult | null> = async (spec, rng, sink, signal) => {
  validateSweepSpec(spec)
  const points: SweepPoint[] = []
  const perPoint = spec.burnIn + spec.sweeps
  const total = spec.Ls.reduce((acc, L) => acc + L * L, 0) * spec.Ks.length * perPoint
  let done = 0
  for (const L of spec.Ls) {
    const lattice = buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true })
    let spins: Int8Array | null = null
    for (const K of spec.Ks) {
      const sampler = createSampler(uniformModel(lattice, { K, h: spec.h }), spec.algorithm, rng, {
        start: spins ?? spec.start
      })
      // Progress counts spin updates, so big lattices weigh what they cost.
      const note = `L = ${L}, K = ${K}`
      sink.progress({ done, total, unit: 'spin updates', note })
      if (!(await sweepWithYield(sampler, spec.burnIn, signal))) return null
      const H = new Float64Array(spec.sweeps)
      const M = new Float64Array(spec.sweeps)
      const ok = await sweepWithYield(sampler, spec.sweeps, signal, (k) => {
        H[k] = sampler.energy()
        M[k] = sampler.magnetisation()
        if (k % 1000 === 999)
          sink.progress({ done: done + (spec.burnIn + k) * L * L, total, unit: 'spin updates', note })
      })
      if (!ok) return null
      done += perPoint * L * L
      points.push(sweepPointOf(L, K, H, M, sampler.acceptance()))
      spins = Int8Array.from(sampler.spins)
      sink.frame({ points: points.length, last: points[points.length - 1] })
    }
  }
  sink.progress({ done: total, total, unit: 'spin updates' })
  return { points }
}
