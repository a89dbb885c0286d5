import { createHeatBathTable, heatBathSweep } from '@core/ising/square/heatbath'
import { computeIsingSums } from '@core/ising/square/observables'
import { KC } from '@core/ising/onsager'
import { createSquareLattice } from '@core/ising/square/lattice'
import { createWasmSquareKernel } from '@core/ising/square/wasmKernel'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * Single-spin updates per second of the heat-bath kernel (src-core/ising/square/heatbath.ts) and of the
 * WebAssembly kernels (src-core/ising/square/wasmKernel.ts), set up like metropolisKernel.ts: L×L torus,
 * K (default Kc), h = 0, hot start from seed 1, a short warm-up, then about `seconds` of sweeps.
 * Comparable with tests/bench/c/metropolis.c and heatbath.c.
 */
function timeSweeps(N: number, seconds: number, sweep: () => void): number {
  if (!(seconds > 0)) throw new RangeError(`seconds must be > 0, got ${seconds}`)
  const warmUpEnd = performance.now() + Math.min(200, 100 * seconds)
  while (performance.now() < warmUpEnd) sweep()
  let sweeps = 0
  const start = performance.now()
  const end = start + 1000 * seconds
  let now = start
  while (now < end) {
    sweep()
    sweeps++
    now = performance.now()
  }
  return (N * sweeps) / ((now - start) / 1000)
}

function hotStart(N: number): { spins: Int8Array; rng: ReturnType<typeof xoshiro128ss> } {
  const rng = xoshiro128ss(1)
  const spins = Int8Array.from({ length: N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
  return { spins, rng }
}

export function measureHeatBathFlipsPerSecond(L: number, seconds: number, K: number = KC): number {
  const lattice = createSquareLattice(L)
  const { spins, rng } = hotStart(lattice.N)
  const sums = computeIsingSums(spins, lattice)
  const table = createHeatBathTable(K, 0)
  return timeSweeps(lattice.N, seconds, () => heatBathSweep(spins, lattice, table, rng, sums))
}

/** Null when WebAssembly is unavailable. */
export function measureWasmFlipsPerSecond(
  L: number,
  seconds: number,
  algorithm: 'metropolis' | 'heatBath',
  K: number = KC
): number | null {
  const kernel = createWasmSquareKernel(L)
  if (!kernel) return null
  const { spins, rng } = hotStart(L * L)
  kernel.spins.set(spins)
  kernel.recomputeSums()
  kernel.setCouplings(K, 0)
  kernel.setRngState(rng.getState())
  const sweep = algorithm === 'metropolis' ? () => kernel.metropolisSweep() : () => kernel.heatBathSweep()
  return timeSweeps(L * L, seconds, sweep)
}
