import { describe, expect, it } from 'vitest'
import { IsingChain } from '@core/ising/square/chain'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { createHeatBathTable, heatBathSweep, setHeatBathCouplings } from '@core/ising/square/heatbath'
import { createMetropolisTable, metropolisSweep, setMetropolisCouplings } from '@core/ising/square/metropolis'
import { absMagnetisationPerSpin, computeIsingSums, energyPerSpin } from '@core/ising/square/observables'
import { createSquareLattice } from '@core/ising/square/lattice'
import type { IsingParams } from '@core/ising/types'
import { createWasmSquareKernel, type WasmSquareKernel } from '@core/ising/square/wasmKernel'
import { decodeBase64 } from '@core/wasm/base64'
import type { Rng } from '@core/random/rng'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { ISING_KERNEL_WASM_BASE64 } from '@core/wasm/isingKernel.generated'
import { binnedMeanAndError, describeSigmaCheck } from './mcStatistics'

function kernel(L: number): WasmSquareKernel {
  const k = createWasmSquareKernel(L)
  if (!k) throw new Error('WebAssembly is available in Node 20; the kernel must not be null here')
  return k
}

/** A TS lattice and a WASM kernel holding the same hot start and generator state. */
function pair(L: number, seed: number) {
  const lattice = createSquareLattice(L)
  const rng = xoshiro128ss(seed)
  const spins = Int8Array.from({ length: lattice.N }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
  const sums = computeIsingSums(spins, lattice)
  const wasm = kernel(L)
  wasm.spins.set(spins)
  wasm.recomputeSums()
  wasm.setRngState(rng.getState())
  return { lattice, rng, spins, sums, wasm }
}

describe('WASM kernel = TS kernels, bit for bit', () => {
  const couplings: Array<[number, number]> = [
    [0.4406868, 0],
    [0.3, 0.1],
    [-0.4, 0.3],
    [1, -0.2],
    [0, 0], // every Metropolis step accepted without a draw
    [10, -10], // thresholds far below 1 and saturated heat-bath probabilities
    [400, 3] // e^{−ΔH} underflows to 0: threshold 0, never accepted
  ]
  it.each([4, 5, 6, 7, 16, 18, 19, 33, 40])(
    'L = %i: spins, sums, counts and generator state agree over mixed sweeps',
    (L) => {
      for (const [c, [K, h]] of couplings.entries()) {
        const { lattice, rng, spins, sums, wasm } = pair(L, 100 * L + c)
        const metropolis = createMetropolisTable(K, h)
        const heatBath = createHeatBathTable(K, h)
        wasm.setCouplings(K, h)
        for (let sweep = 0; sweep < 120; sweep++) {
          if (sweep === 80) {
            // A coupling edit mid-run.
            setMetropolisCouplings(metropolis, K / 2, -h)
            setHeatBathCouplings(heatBath, K / 2, -h)
            wasm.setCouplings(K / 2, -h)
          }
          const heat = sweep % 4 === 3
          const expected = heat
            ? heatBathSweep(spins, lattice, heatBath, rng, sums)
            : metropolisSweep(spins, lattice, metropolis, rng, sums)
          const got = heat ? wasm.heatBathSweep() : wasm.metropolisSweep()
          if (got !== expected || sweep % 20 === 19) {
            const where = `L=${L} K=${K} h=${h} sweep ${sweep}`
            expect(got, where).toBe(expected)
            expect(wasm.spins, where).toEqual(spins)
            expect(wasm.sums, where).toEqual(sums)
            expect(wasm.getRngState(), where).toEqual(rng.getState())
          }
        }
        expect(wasm.sums).toEqual(computeIsingSums(spins, lattice))
        expect({ ...wasm.recomputeSums() }).toEqual(sums)
      }
    }
  )
})

describe('WASM generator state', () => {
  it('round-trips, continues the JS stream exactly and rejects invalid states', () => {
    const wasm = kernel(8)
    const state = Uint32Array.of(0xdeadbeef, 1, 0x80000000, 0xffffffff)
    wasm.setRngState(state)
    expect(wasm.getRngState()).toEqual(state)
    expect(wasm.getRngState()).not.toBe(wasm.getRngState())
    // A heat-bath sweep draws exactly N numbers.
    const js = xoshiro128ss(0)
    wasm.setRngState(js.getState())
    wasm.heatBathSweep()
    for (let k = 0; k < 64; k++) js.nextUint32()
    expect(wasm.getRngState()).toEqual(js.getState())
    expect(() => wasm.setRngState(new Uint32Array(4))).toThrow(/all-zero/)
    expect(() => wasm.setRngState(new Uint32Array(3))).toThrow(/length 4/)
  })

  it('kernels are independent instances; invalid L is rejected; base64 decodes', () => {
    const a = kernel(4)
    const b = kernel(4)
    a.spins.fill(-1)
    expect(b.spins.every((v) => v === 1)).toBe(true)
    expect(() => createWasmSquareKernel(3)).toThrow(RangeError)
    expect(Buffer.from(decodeBase64(ISING_KERNEL_WASM_BASE64))).toEqual(Buffer.from(ISING_KERNEL_WASM_BASE64, 'base64'))
  })
})

describe('WASM heat bath samples the exact 4×4 distribution (seeded, 4σ binning error)', () => {
  const lattice = createSquareLattice(4)
  const dos = enumerateIsingDensityOfStates(lattice)

  it.each([
    { K: 0.3, h: 0.1, seed: 21 },
    { K: 0.5, h: 0, seed: 22 },
    { K: -0.4, h: 0.3, seed: 23 }
  ])('K = $K, h = $h: mean e and |m|', ({ K, h, seed }) => {
    const exact = exactIsingAverages(dos, K, h)
    const { wasm } = pair(4, seed)
    wasm.setCouplings(K, h)
    for (let sweep = 0; sweep < 2000; sweep++) wasm.heatBathSweep()
    const samples = 200_000
    const energy = new Float64Array(samples)
    const absM = new Float64Array(samples)
    for (let sweep = 0; sweep < samples; sweep++) {
      wasm.heatBathSweep()
      energy[sweep] = energyPerSpin(wasm.sums, K, h, lattice.N)
      absM[sweep] = absMagnetisationPerSpin(wasm.sums, lattice.N)
    }
    for (const [label, series, value] of [
      ['e', energy, exact.energyPerSpin],
      ['|m|', absM, exact.absMagnetisation]
    ] as const) {
      const measured = binnedMeanAndError(series, 100)
      expect(
        Math.abs(measured.mean - value),
        describeSigmaCheck(`${label} K=${K} h=${h}`, measured, value, 4)
      ).toBeLessThan(4 * measured.error)
      // Power check: the exact value at K + 0.01 is far outside the error bar.
      const shifted = exactIsingAverages(dos, K + 0.01, h)
      const shiftedValue = label === 'e' ? shifted.energyPerSpin : shifted.absMagnetisation
      expect(Math.abs(measured.mean - shiftedValue)).toBeGreaterThan(8 * measured.error)
    }
  })
})

describe('IsingChain on the WASM kernel = IsingChain on the TS kernel', () => {
  const params: IsingParams = { K: 0.44, h: 0.05, algorithm: 'metropolis', sweepsPerFrame: 10 }

  function drive(wasm: boolean, L: number): { chain: IsingChain; rngStates: Uint32Array[] } {
    const chain = IsingChain.start(L, params, 'hot', xoshiro128ss(99), { wasm })
    const rngStates: Uint32Array[] = []
    const step = (count: number): void => {
      chain.runSweeps(count)
      rngStates.push(chain.rng.getState())
    }
    step(30)
    chain.setParams({ ...params, algorithm: 'wolff' })
    step(5)
    chain.setParams({ ...params, K: 0.3, h: -0.1 })
    step(20)
    chain.paint(Int32Array.of(0, 1, 2), Int8Array.of(1, 1, 1))
    step(7)
    chain.restart('hot', xoshiro128ss(5))
    step(11)
    return { chain, rngStates }
  }

  it.each([7, 16])(
    'L = %i: same spins, energy and |m| series and rng states through edits, Wolff, paint, restart',
    (L) => {
      const fast = drive(true, L)
      const plain = drive(false, L)
      expect(fast.chain.usesWasm).toBe(true)
      expect(plain.chain.usesWasm).toBe(false)
      expect(fast.rngStates).toEqual(plain.rngStates)
      expect(fast.chain.snapshot()).toEqual(plain.chain.snapshot())
      expect(fast.chain.currentSums()).toEqual(fast.chain.currentSums(true))
    }
  )

  it('resumes from a snapshot bit-identically, and falls back for a generator that is not xoshiro128**', () => {
    const straight = IsingChain.start(12, params, 'hot', xoshiro128ss(3))
    straight.runSweeps(40)
    const half = IsingChain.start(12, params, 'hot', xoshiro128ss(3))
    half.runSweeps(20)
    const saved = half.snapshot()
    const resumed = IsingChain.resume(saved, params, half.rng.clone())
    resumed.runSweeps(20)
    expect(resumed.snapshot()).toEqual(straight.snapshot())

    const inner = xoshiro128ss(4)
    const other: Rng = {
      nextUint32: () => inner.nextUint32() ^ 1,
      nextFloat: () => inner.nextFloat(),
      getState: () => inner.getState(),
      clone: () => other
    }
    const chain = IsingChain.start(8, params, 'cold', other)
    expect(chain.usesWasm).toBe(false)
    chain.runSweeps(5)
    expect(chain.rng).toBe(other)
  })
})
