import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { enumerateIsingDensityOfStates, exactIsingAverages } from './reference/squareEnumeration'
import { createSquareLattice } from '@core/ising/square/lattice'
import { binderCrossing, binderCrossings } from '@core/ising/binder'
import { runIsingDataset, type DatasetSpec } from '@core/jobs/isingDataset'
import { runIsingSweep } from '@core/jobs/isingSweep'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { integratedAutocorrelationTime } from '@core/stats'
import { FakeJobHost } from './fakeJobHost'

const exact4x4 = (K: number, h: number) =>
  exactIsingAverages(enumerateIsingDensityOfStates(createSquareLattice(4)), K, h)

const spec = (over: Partial<DatasetSpec> = {}): DatasetSpec => ({
  model: { lattice: { kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true }, uniform: { K: 0.4, h: 0.1 } },
  algorithm: 'metropolis',
  samples: 4000,
  burnIn: 500,
  thin: 'auto',
  start: 'random',
  keepSamples: true,
  ...over
})

describe('dataset jobs: N decorrelated samples', () => {
  it('thins by the measured τ_int and reproduces the exact 4×4 energy and |m| within 4σ', async () => {
    const host = new FakeJobHost()
    const r = (await runIsingDataset(spec(), xoshiro128ss(11), host.sink, host.signal))!
    const exact = exact4x4(0.4, 0.1)
    expect(r.samples!.length).toBe(4000 * 16)
    expect(r.samples!.every((v) => v === 1 || v === -1)).toBe(true)
    expect(r.tauIntSweeps).toBeGreaterThan(0.5)
    expect(r.thin).toBe(Math.max(1, Math.ceil(2 * r.tauIntSweeps!)))
    // Thinned samples are nearly independent: τ_int in sample units near ½.
    expect(r.summary.tauInt.H.value).toBeLessThan(1.5)
    expect(Math.abs(r.summary.e.value - exact.energyPerSpin)).toBeLessThan(4 * r.summary.e.error)
    expect(Math.abs(r.summary.absM.value - exact.absMagnetisation)).toBeLessThan(4 * r.summary.absM.error)
    expect(Math.abs(r.summary.c.value - exact.specificHeat)).toBeLessThan(4 * r.summary.c.error)
    // The stored energies are the energies of the stored configurations.
    const lattice = buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true })
    const s = r.samples!.subarray(16 * 7, 16 * 8)
    let H = 0
    for (let b = 0; b < lattice.bondI.length; b++) H -= 0.4 * s[lattice.bondI[b]!]! * s[lattice.bondJ[b]!]!
    for (let i = 0; i < 16; i++) H -= 0.1 * s[i]!
    expect(r.energy[7]).toBeCloseTo(H, 12)
    expect(host.progressReports.at(-1)!.done).toBe(r.totalSweeps)
  })

  it('at Kc, Metropolis on 16×16 thins by at least τ_int of the signed m, from a pilot long enough to trust', async () => {
    // Local updates turn m over far more slowly than they change e or |m| (τ_m ≈ 300 sweeps
    // here, τ_|m| ≈ 10): a 2,000-sweep pilot on e and |m| alone thinned by 14–24 sweeps.
    const Kc = 0.5 * Math.log(1 + Math.SQRT2)
    const model: DatasetSpec['model'] = {
      lattice: { kind: 'square', Lx: 16, Ly: 16, periodicX: true, periodicY: true },
      uniform: { K: Kc, h: 0 }
    }
    const base = spec({ model, samples: 40, burnIn: 2000, keepSamples: false })
    // τ_m measured independently: one long chain, every sweep kept (thin 1).
    const long = (await runIsingDataset(
      { ...base, samples: 200_000, thin: 1 },
      xoshiro128ss(101),
      new FakeJobHost().sink,
      new FakeJobHost().signal
    ))!
    const tauM = integratedAutocorrelationTime(long.magnetisation)
    expect(tauM.reliable).toBe(true)
    expect(tauM.tauInt).toBeGreaterThan(100)
    for (const kernel of ['auto', 'general'] as const) {
      const host = new FakeJobHost()
      const r = (await runIsingDataset({ ...base, kernel }, xoshiro128ss(7), host.sink, host.signal))!
      const t = r.thinning!
      expect(r.kernel === 'general').toBe(kernel === 'general')
      expect(t.setBy, kernel).toBe('m')
      expect(t.reliable, kernel).toBe(true)
      expect(t.pilotSweeps, kernel).toBeGreaterThanOrEqual(100 * t.tauSweeps.m)
      expect(t.pilotSweeps).toBeLessThanOrEqual(t.pilotMaxSweeps)
      expect(t.tauSweeps.m).toBeGreaterThan(5 * Math.max(t.tauSweeps.e, t.tauSweeps.absM))
      expect(r.tauIntSweeps).toBe(t.tauSweeps.m)
      expect(r.thin, `${kernel}: thin ${r.thin} against τ_m ${tauM.tauInt} ± ${tauM.error}`).toBeGreaterThanOrEqual(
        tauM.tauInt
      )
      expect(r.thin).toBe(Math.ceil(2 * t.tauSweeps.m))
      expect(host.progressReports.at(-1)!.done).toBe(r.totalSweeps)
    }
  })

  it('says when the pilot reached its cap before τ_int was reliable', async () => {
    const Kc = 0.5 * Math.log(1 + Math.SQRT2)
    const model: DatasetSpec['model'] = {
      lattice: { kind: 'square', Lx: 16, Ly: 16, periodicX: true, periodicY: true },
      uniform: { K: Kc, h: 0 }
    }
    const r = (await runIsingDataset(
      spec({ model, samples: 40, keepSamples: false, pilotSweeps: 1000, pilotMaxSweeps: 3000 }),
      xoshiro128ss(7),
      new FakeJobHost().sink,
      new FakeJobHost().signal
    ))!
    expect(r.thinning).toMatchObject({ pilotSweeps: 3000, pilotMaxSweeps: 3000, reliable: false })
    expect(r.thin).toBe(Math.ceil(2 * Math.max(...Object.values(r.thinning!.tauSweeps))))
    await expect(
      runIsingDataset(
        spec({ pilotSweeps: 1000, pilotMaxSweeps: 500 }),
        xoshiro128ss(1),
        new FakeJobHost().sink,
        new FakeJobHost().signal
      )
    ).rejects.toThrow(/longest pilot must be an integer in \[1000, /)
  })

  it('is bit-identical for the same seed, with a fixed thinning', async () => {
    const a = await runIsingDataset(
      spec({ samples: 200, thin: 3, algorithm: 'heatbath' }),
      xoshiro128ss(5),
      new FakeJobHost().sink,
      new FakeJobHost().signal
    )
    const b = await runIsingDataset(
      spec({ samples: 200, thin: 3, algorithm: 'heatbath' }),
      xoshiro128ss(5),
      new FakeJobHost().sink,
      new FakeJobHost().signal
    )
    expect(a!.samples).toEqual(b!.samples)
    expect(a!.thin).toBe(3)
    expect(a!.tauIntSweeps).toBeNull()
    expect(a!.thinning).toBeNull()
  })

  it('stops on cancel and refuses impossible requests with a sentence', async () => {
    const host = new FakeJobHost((call, h) => {
      if (call === 2) h.cancelled = true
    }, 10)
    expect(
      await runIsingDataset(spec({ samples: 100_000, burnIn: 100_000 }), xoshiro128ss(1), host.sink, host.signal)
    ).toBeNull()
    const big = spec({
      model: {
        lattice: { kind: 'square', Lx: 1024, Ly: 1024, periodicX: true, periodicY: true },
        uniform: { K: 0.4, h: 0 }
      },
      samples: 1000
    })
    await expect(runIsingDataset(big, xoshiro128ss(1), host.sink, host.signal)).rejects.toThrow(
      /MiB; the limit is 256 MiB/
    )
    await expect(runIsingDataset(spec({ samples: 0 }), xoshiro128ss(1), host.sink, host.signal)).rejects.toThrow(
      /samples must be an integer/
    )
  })
})

describe('parameter sweeps', () => {
  it('gives e and c with error bars that cover the exact 4×4 values at every K', async () => {
    const host = new FakeJobHost()
    const r = (await runIsingSweep(
      { Ls: [4], Ks: [0.2, 0.44, 0.6], h: 0, algorithm: 'wolff', burnIn: 200, sweeps: 20_000, start: 'random' },
      xoshiro128ss(3),
      host.sink,
      host.signal
    ))!
    expect(r.points.map((p) => p.K)).toEqual([0.2, 0.44, 0.6])
    for (const p of r.points) {
      const exact = exact4x4(p.K, 0)
      expect(Math.abs(p.e.value - exact.energyPerSpin), `e at K=${p.K}`).toBeLessThan(4 * p.e.error)
      expect(Math.abs(p.c.value - exact.specificHeat), `c at K=${p.K}`).toBeLessThan(4 * p.c.error)
      expect(Math.abs(p.absM.value - exact.absMagnetisation), `|m| at K=${p.K}`).toBeLessThan(4 * p.absM.error)
    }
    expect(host.progressReports.at(-1)).toMatchObject({ done: 3 * 16 * 20_200, total: 3 * 16 * 20_200 })
  })
})

describe('Binder cumulant crossings', () => {
  it('interpolates the crossing of two straight curves exactly', () => {
    // U_a = 0.5 + (K − 0.44), U_b = 0.5 + 2(K − 0.44): they cross at K = 0.44.
    const Ks = [0.4, 0.42, 0.45, 0.48]
    const a = Ks.map((K) => ({ K, u4: 0.5 + (K - 0.44), error: 0.001 }))
    const b = Ks.map((K) => ({ K, u4: 0.5 + 2 * (K - 0.44), error: 0.001 }))
    const c = binderCrossing(8, a, 16, b)!
    expect(c.K).toBeCloseTo(0.44, 12)
    // δK = δ(ΔU)/slope = √2·0.001 / 1.
    expect(c.error).toBeCloseTo(Math.SQRT2 * 0.001, 12)
    expect(
      binderCrossing(
        8,
        a,
        16,
        a.map((p) => ({ ...p, u4: p.u4 + 1 }))
      )
    ).toBeNull()
  })

  it('pairs consecutive sizes from sweep points', () => {
    const pts = [8, 16, 32].flatMap((L, i) =>
      [0.43, 0.45].map((K) => ({ L, K, u4: { value: 0.6 + (i + 1) * (K - 0.44), error: 0.002 } }))
    )
    const crossings = binderCrossings(pts)
    expect(crossings.map((c) => [c.L1, c.L2])).toEqual([
      [8, 16],
      [16, 32]
    ])
    crossings.forEach((c) => expect(c.K).toBeCloseTo(0.44, 12))
  })
})
