/**
 * Configurations of the uniform zero-field L×L torus for the RG jobs (flow, MCRG): Wolff on the
 * torus fast path (torus/chain.ts), `burnIn` sweeps, then `count` configurations `between` sweeps
 * apart, yielding to the host every ~30 ms so a cancel is seen at once.
 */
import { createTorusChain } from '../ising/torus/chain'
import { buildLattice } from '../lattice/build'
import { uniformModel } from '../lattice/model'
import type { Rng } from '../random/rng'
import type { JobSignal } from './types'

export interface TorusSampling {
  L: number
  K: number
  count: number
  between: number
  burnIn: number
}

export function validateTorusSampling(s: TorusSampling, what = 'the sampling'): void {
  const ints: [string, number, number, number][] = [
    ['L', s.L, 4, 1024],
    ['samples', s.count, 4, 1_000_000],
    ['sweeps between samples', s.between, 1, 10_000],
    ['burn-in sweeps', s.burnIn, 0, 10_000_000]
  ]
  for (const [name, v, lo, hi] of ints) {
    if (!Number.isInteger(v) || v < lo || v > hi)
      throw new RangeError(`${what}: ${name} must be a whole number from ${lo} to ${hi}, got ${String(v)}`)
  }
  if (!Number.isFinite(s.K) || s.K <= 0 || s.K > 10)
    throw new RangeError(`${what}: K must be a ferromagnetic coupling in (0, 10], got ${String(s.K)}`)
  if (s.L * s.L * s.count > 2 ** 31)
    throw new RangeError(`${what}: ${s.count} samples of ${s.L}×${s.L} spins do not fit in memory`)
}

/** Sweeps a sampling costs: progress is counted in these. */
export const samplingSweeps = (s: TorusSampling): number => s.burnIn + s.count * s.between

/** The configurations (count × L²), or null when cancelled. `onSweeps(n)` reports sweeps done. */
export async function sampleTorus(
  s: TorusSampling,
  rng: Rng,
  signal: JobSignal,
  onSweeps: (done: number) => void
): Promise<Int8Array | null> {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: s.L, Ly: s.L, periodicX: true, periodicY: true }), {
    K: s.K,
    h: 0
  })
  const chain = createTorusChain(model, 'wolff', rng, 'random')
  if (!chain) throw new RangeError(`no torus kernel for a ${s.L}×${s.L} lattice`)
  const N = s.L * s.L
  const out = new Int8Array(s.count * N)
  let done = 0
  let last = signal.now()
  const step = async (): Promise<boolean> => {
    chain.sweep()
    done++
    if (signal.now() - last > 30) {
      onSweeps(done)
      await signal.next()
      if (signal.cancelled) return false
      last = signal.now()
    }
    return true
  }
  for (let k = 0; k < s.burnIn; k++) if (!(await step())) return null
  for (let c = 0; c < s.count; c++) {
    for (let k = 0; k < s.between; k++) if (!(await step())) return null
    out.set(chain.spins, c * N)
  }
  onSweeps(done)
  return out
}
