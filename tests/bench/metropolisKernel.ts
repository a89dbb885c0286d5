import { createMetropolisTable, metropolisSweep } from '@core/ising/square/metropolis'
import { computeIsingSums } from '@core/ising/square/observables'
import { createSquareLattice } from '@core/ising/square/lattice'
import { KC } from '@core/ising/onsager'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * Attempted single-spin Metropolis updates per second of the production kernel
 * (src-core/ising/square/metropolis.ts) on an L×L torus at K (default Kc, h = 0), hot start, measured
 * over about `seconds` of wall time after a short warm-up so the JIT has compiled the sweep.
 * Comparable with tests/bench/c/metropolis.c, which prints the same quantity.
 */
export function measureMetropolisFlipsPerSecond(L: number, seconds: number, K: number = KC): number {
  if (!(seconds > 0)) throw new RangeError(`seconds must be > 0, got ${seconds}`)
  const lattice = createSquareLattice(L)
  const rng = xoshiro128ss(1)
  const spins = Int8Array.from({ length: lattice.N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
  const sums = computeIsingSums(spins, lattice)
  const table = createMetropolisTable(K, 0)
  const warmUpEnd = performance.now() + Math.min(200, 100 * seconds)
  while (performance.now() < warmUpEnd) metropolisSweep(spins, lattice, table, rng, sums)
  let sweeps = 0
  const start = performance.now()
  const end = start + 1000 * seconds
  let now = start
  while (now < end) {
    metropolisSweep(spins, lattice, table, rng, sums)
    sweeps++
    now = performance.now()
  }
  return (lattice.N * sweeps) / ((now - start) / 1000)
}
