import { describe, expect, it } from 'vitest'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { createMeasurements, recordSample } from '@core/ising/mc/measure'
import { createSquareLattice } from '@core/ising/square/lattice'
import { uniformTorus } from '@core/ising/torus/chain'
import { createTorusRecorder } from '@core/ising/torus/measure'
import { runIsingDataset, type DatasetResult, type DatasetSpec } from '@core/jobs/isingDataset'
import { buildLattice } from '@core/lattice/build'
import { modelFromData, type ModelData } from '@core/lattice/data'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { FakeJobHost } from './fakeJobHost'

const torus = (L: number, K: number, h: number): ModelData => ({
  lattice: { kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true },
  uniform: { K, h }
})

const spec = (over: Partial<DatasetSpec> = {}): DatasetSpec => ({
  model: torus(4, 0.4, 0.1),
  algorithm: 'metropolis',
  samples: 4000,
  burnIn: 500,
  thin: 'auto',
  start: 'random',
  keepSamples: true,
  ...over
})

async function run(s: DatasetSpec, seed: number): Promise<DatasetResult> {
  const host = new FakeJobHost()
  return (await runIsingDataset(s, xoshiro128ss(seed), host.sink, host.signal))!
}

function agree(label: string, a: { value: number; error: number }, b: { value: number; error: number }): void {
  const sigma = Math.hypot(a.error, b.error)
  expect(Math.abs(a.value - b.value), `${label}: ${a.value} ± ${a.error} vs ${b.value} ± ${b.error}`).toBeLessThan(
    4 * sigma
  )
}

describe('dataset fast path (uniform periodic square lattice)', () => {
  const exact = exactIsingAverages(enumerateIsingDensityOfStates(createSquareLattice(4)), 0.4, 0.1)
  for (const algorithm of ['metropolis', 'heatbath', 'wolff', 'sw'] as const) {
    it(`${algorithm}: E, |M| and C agree with exact 4×4 enumeration within 4σ`, async () => {
      const r = await run(spec({ algorithm }), 21)
      expect(r.kernel).not.toBe('general')
      // Wolff runs the WebAssembly torus kernel (available under Node), SW the TypeScript one.
      if (algorithm === 'wolff' || algorithm === 'sw')
        expect(r.kernel).toBe(algorithm === 'wolff' ? 'square-wasm' : 'square-ts')
      agree('e', r.summary.e, { value: exact.energyPerSpin, error: 0 })
      agree('|m|', r.summary.absM, { value: exact.absMagnetisation, error: 0 })
      agree('c', r.summary.c, { value: exact.specificHeat, error: 0 })
      // Stored energies are those of the stored configurations.
      const lattice = buildLattice(spec().model.lattice)
      const s = r.samples!.subarray(16 * 9, 16 * 10)
      let H = 0
      for (let b = 0; b < lattice.bondI.length; b++) H -= 0.4 * s[lattice.bondI[b]!]! * s[lattice.bondJ[b]!]!
      for (let i = 0; i < 16; i++) H -= 0.1 * s[i]!
      expect(r.energy[9]).toBeCloseTo(H, 12)
      expect(r.magnetisation[9]).toBe(s.reduce((a, v) => a + v, 0))
    })
  }

  it('general and fast kernels agree statistically on a 16×16 torus at K = 0.44', async () => {
    for (const algorithm of ['metropolis', 'wolff', 'sw'] as const) {
      // Metropolis thinned by a fixed 20 sweeps (≈ 2τ of e, 1τ of |m|): automatic thinning would
      // follow τ of the signed m (≈ 300 sweeps here) and cost 15 times as long. The comparison is of
      // e, |m| and c, whose jackknife errors account for what correlation remains.
      const thin = algorithm === 'metropolis' ? 20 : 'auto'
      const s = spec({ model: torus(16, 0.44, 0), algorithm, samples: 1500, thin, keepSamples: false })
      const fast = await run(s, 31)
      const general = await run({ ...s, kernel: 'general' }, 32)
      expect(general.kernel).toBe('general')
      expect(fast.kernel).not.toBe('general')
      agree(`${algorithm} e`, fast.summary.e, general.summary.e)
      agree(`${algorithm} |m|`, fast.summary.absM, general.summary.absM)
      agree(`${algorithm} c`, fast.summary.c, general.summary.c)
    }
  })

  it('Wolff and SW follow the general chain configuration for configuration; reruns are bit-identical', async () => {
    for (const algorithm of ['wolff', 'sw'] as const) {
      const s = spec({ model: torus(8, 0.42, 0), algorithm, samples: 300, thin: 2 })
      const fast = await run(s, 5)
      expect(fast.samples).toEqual((await run(s, 5)).samples)
      const general = await run({ ...s, kernel: 'general' }, 5)
      expect(fast.samples).toEqual(general.samples)
      expect(fast.magnetisation).toEqual(general.magnetisation)
      for (let k = 0; k < 300; k++) expect(Math.abs(fast.energy[k]! - general.energy[k]!)).toBeLessThan(1e-9)
    }
    const m = spec({ samples: 200, thin: 3, algorithm: 'heatbath' })
    expect((await run(m, 9)).samples).toEqual((await run(m, 9)).samples)
  })

  it('applies only to uniform periodic square lattices without diagonals', async () => {
    const detect = (data: ModelData) => uniformTorus(modelFromData(data))
    expect(detect(torus(40, 0.408, 0))).toEqual({ Lx: 40, Ly: 40, K: 0.408, h: 0 })
    expect(detect({ ...torus(8, 0.4, 0), uniform: { K: 0.4, Kx: 0.4, Ky: 0.2, h: 0 } })).toBeNull()
    expect(
      detect({
        lattice: { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: false },
        uniform: { K: 0.4, h: 0 }
      })
    ).toBeNull()
    expect(
      detect({
        lattice: { kind: 'square', Lx: 8, Ly: 8, periodicX: true, periodicY: true, diagonals: true },
        uniform: { K: 0.4, h: 0 }
      })
    ).toBeNull()
    const fields = new Float64Array(64).fill(0.1)
    fields[3] = 0.2
    expect(detect({ ...torus(8, 0.4, 0.1), fields })).toBeNull()
    // Odd L: the cluster kernels apply, the checkerboard kernels do not.
    expect(
      (await run(spec({ model: torus(5, 0.4, 0), algorithm: 'metropolis', samples: 50, thin: 1 }), 1)).kernel
    ).toBe('general')
    expect((await run(spec({ model: torus(5, 0.4, 0), algorithm: 'wolff', samples: 50, thin: 1 }), 1)).kernel).toBe(
      'square-wasm'
    )
    expect((await run(spec({ algorithm: 'metropolis-random', samples: 50, thin: 1 }), 1)).kernel).toBe('general')
  })

  it('the torus recorder writes exactly what recordSample writes', () => {
    for (const [Lx, Ly] of [
      [4, 4],
      [7, 5],
      [40, 36]
    ] as const) {
      const lattice = buildLattice({ kind: 'square', Lx, Ly, periodicX: true, periodicY: true })
      const a = createMeasurements(lattice, 30)
      const b = createMeasurements(lattice, 30)
      const recorder = createTorusRecorder(b)!
      const rng = xoshiro128ss(Lx * Ly)
      for (let k = 0; k < 30; k++) {
        const spins = Int8Array.from({ length: lattice.N }, () => (rng.nextFloat() < 0.3 + k / 60 ? 1 : -1))
        recordSample(a, spins, -k * 0.7)
        recorder.record(spins, -k * 0.7)
      }
      for (const key of ['H', 'M', 'absM', 'M2', 'SkX', 'SkY', 'siteSum'] as const)
        expect(b[key], `${Lx}×${Ly} ${key}`).toEqual(a[key])
      expect(b.corrX!.pairSum).toEqual(a.corrX!.pairSum)
      expect(b.corrY!.pairSum).toEqual(a.corrY!.pairSum)
      expect(b.count).toBe(a.count)
    }
    const open = buildLattice({ kind: 'square', Lx: 6, Ly: 6, periodicX: true, periodicY: false })
    expect(createTorusRecorder(createMeasurements(open, 5))).toBeNull()
  })
})
