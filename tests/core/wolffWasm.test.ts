import { afterEach, describe, expect, it, vi } from 'vitest'
import { probabilityThreshold } from '@core/ising/mc/state'
import { createTorusWolff, type TorusWolff } from '@core/ising/torus/wolff'
import { createWasmTorusWolff, torusWidth } from '@core/ising/torus/wolffWasm'
import { buildLattice } from '@core/lattice/build'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

// The WebAssembly Wolff kernel (wasm/assembly/wolff.ts) against the TypeScript one
// (torus/wolff.ts, itself pinned to mc/wolff.ts in wolff.test.ts): the same cluster after every
// update, the same generator state, the same counters, both with the neighbours computed on the
// torus and read from a copied table.

const torusTable = (Lx: number, Ly: number) =>
  buildLattice({ kind: 'square', Lx, Ly, periodicX: true, periodicY: true }).adjSite

function hotStart(N: number, seed: number): { spins: Int8Array; state: Uint32Array } {
  const rng = xoshiro128ss(seed)
  const spins = Int8Array.from({ length: N }, () => (rng.nextUint32() >>> 31 ? 1 : -1))
  return { spins, state: rng.getState() }
}

function wasmKernel(...args: Parameters<typeof createWasmTorusWolff>): TorusWolff {
  const kernel = createWasmTorusWolff(...args)
  if (!kernel) throw new Error('WebAssembly is available in Node; the kernel must not be null here')
  return kernel
}

/** Runs `updates` single updates on each kernel, comparing every cluster and the final state. */
function expectSameChain(kernels: TorusWolff[], updates: number, label: string): void {
  const [reference, ...others] = kernels
  for (let u = 1; u <= updates; u++) {
    const before = reference!.grownSpins
    for (const k of kernels) k.updates(1)
    for (const k of others) {
      expect(k.grownSpins, `${label}, update ${u}: cluster size`).toBe(reference!.grownSpins)
      expect(k.spins, `${label}, update ${u}: spins`).toEqual(reference!.spins)
    }
    expect(reference!.grownSpins).toBeGreaterThan(before)
  }
  for (const k of others) {
    expect(k.getRngState(), label).toEqual(reference!.getRngState())
    expect([k.magnetisation, k.ghostClusters, k.clusterUpdates, k.bondSum()], label).toEqual([
      reference!.magnetisation,
      reference!.ghostClusters,
      reference!.clusterUpdates,
      reference!.bondSum()
    ])
  }
}

describe('WebAssembly torus Wolff = TypeScript torus Wolff, bit for bit', () => {
  const KC = 0.5 * Math.log(1 + Math.SQRT2)
  it.each([
    { Lx: 3, Ly: 3, K: 0.3, h: 0, seed: 1 },
    { Lx: 4, Ly: 4, K: KC, h: 0.05, seed: 2 },
    { Lx: 7, Ly: 5, K: 0.42, h: -0.2, seed: 3 },
    { Lx: 5, Ly: 9, K: 0.6, h: 0.3, seed: 4 },
    { Lx: 16, Ly: 16, K: KC, h: 0, seed: 5 },
    { Lx: 16, Ly: 16, K: 0.408, h: 0.01, seed: 6 },
    { Lx: 40, Ly: 36, K: 0.5, h: -0.03, seed: 7 },
    { Lx: 12, Ly: 12, K: 0, h: 0.4, seed: 8 },
    { Lx: 10, Ly: 6, K: 30, h: 0, seed: 9 }, // p rounds to 1: T = 2^32, every tried bond joins
    { Lx: 8, Ly: 8, K: 1, h: 3, seed: 10 } // most clusters join the ghost
  ])('$Lx×$Ly, K = $K, h = $h, seed $seed: computed and table neighbours', ({ Lx, Ly, K, h, seed }) => {
    const N = Lx * Ly
    const table = torusTable(Lx, Ly)
    expect(torusWidth(table)).toBe(Lx)
    const { spins, state } = hotStart(N, seed)
    const threshold = probabilityThreshold(-Math.expm1(-2 * K))
    const ts = createTorusWolff(spins.slice(), table, threshold, h, state, { wasm: false })
    const computed = wasmKernel(spins, table, threshold, h, state)
    const copied = wasmKernel(spins, table, threshold, h, state, 'table')
    expect([ts.kernel, computed.kernel, copied.kernel]).toEqual(['ts', 'wasm', 'wasm'])
    expectSameChain([ts, computed, copied], 300, `${Lx}×${Ly}`)
    // Batches of updates continue the same chain.
    for (const k of [ts, computed, copied]) k.updates(57)
    expectSameChain([ts, computed, copied], 1, `${Lx}×${Ly} after a batch`)
    if (h !== 0 && K <= 1) expect(ts.ghostClusters).toBeGreaterThan(0)
    if (h === 0) expect(ts.ghostClusters).toBe(0)
  })

  it('another 4-regular table (one site’s entries reordered, a non-square N) runs from the copied table', () => {
    const table = torusTable(6, 6).slice()
    ;[table[4 * 9], table[4 * 9 + 2]] = [table[4 * 9 + 2]!, table[4 * 9]!]
    expect(torusWidth(table)).toBe(0)
    // A 4-regular ring of 29 sites (neighbours at distance 1 and 2).
    const ring = Int32Array.from({ length: 4 * 29 }, (_, e) => (Math.floor(e / 4) + [1, -1, 2, -2][e % 4]! + 29) % 29)
    expect(torusWidth(ring)).toBe(0)
    for (const [neighbours, h] of [
      [table, 0.1],
      [ring, -0.05]
    ] as const) {
      const { spins, state } = hotStart(neighbours.length / 4, 11)
      const threshold = probabilityThreshold(-Math.expm1(-2 * 0.45))
      const ts = createTorusWolff(spins.slice(), neighbours, threshold, h, state, { wasm: false })
      expectSameChain([ts, wasmKernel(spins, neighbours, threshold, h, state)], 200, `N = ${neighbours.length / 4}`)
    }
  })
})

describe('createTorusWolff', () => {
  afterEach(() => vi.unstubAllGlobals())

  it('runs the WebAssembly kernel on a copy: the array passed in is left as it was', () => {
    const { spins, state } = hotStart(64, 12)
    const original = spins.slice()
    const kernel = createTorusWolff(spins, torusTable(8, 8), probabilityThreshold(0.5), 0, state)
    expect(kernel.kernel).toBe('wasm')
    kernel.updates(20)
    expect(spins).toEqual(original)
    expect(kernel.spins).not.toEqual(original)
    expect(kernel.magnetisation).toBe(kernel.spins.reduce((a, v) => a + v, 0))
  })

  it('falls back to the TypeScript kernel for a table with an entry that is not a site', () => {
    const table = torusTable(6, 6).slice()
    table[4 * 20 + 1] = 36
    const { spins, state } = hotStart(36, 14)
    expect(createWasmTorusWolff(spins, table, probabilityThreshold(0.5), 0, state)).toBeNull()
    expect(createTorusWolff(spins, table, probabilityThreshold(0.5), 0, state).kernel).toBe('ts')
  })

  it('falls back to the TypeScript kernel, in place, where WebAssembly is missing', () => {
    vi.stubGlobal('WebAssembly', undefined)
    const { spins, state } = hotStart(64, 13)
    const kernel = createTorusWolff(spins, torusTable(8, 8), probabilityThreshold(0.5), 0, state)
    expect(kernel.kernel).toBe('ts')
    expect(kernel.spins).toBe(spins)
  })

  it('recognises only the periodic square tables buildLattice builds', () => {
    for (const [Lx, Ly] of [
      [3, 3],
      [3, 7],
      [9, 4],
      [40, 40],
      [256, 256]
    ]) {
      expect(torusWidth(torusTable(Lx, Ly)), `${Lx}×${Ly}`).toBe(Lx)
    }
    const open = buildLattice({ kind: 'square', Lx: 6, Ly: 6, periodicX: true, periodicY: false })
    expect(torusWidth(open.adjSite)).toBe(0)
  })
})
