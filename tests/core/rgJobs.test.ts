import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { JobFrame } from '@core/jobs/types'
import { runRgCascade, type RgCascadeSpec } from '@core/jobs/rgCascade'
import { flowFixedPoint, runRgFlow } from '@core/jobs/rgFlow'
import { runRgMcrg } from '@core/jobs/rgMcrg'
import { sampleTorus } from '@core/jobs/rgSampling'
import { FakeJobHost } from './fakeJobHost'

const KC = 0.5 * Math.log(1 + Math.SQRT2)

async function torusSamples(L: number, K: number, count: number, seed: number): Promise<Int8Array> {
  const host = new FakeJobHost<JobFrame>()
  return (await sampleTorus(
    { L, K, count, between: 2, burnIn: 100 },
    xoshiro128ss(seed),
    host.signal,
    () => undefined
  ))!
}

describe('RG jobs', () => {
  it('a cascade of a 16² dataset has three levels with observables, fits and matched couplings; level 0 fits the model’s K', async () => {
    const count = 1000
    const samples = await torusSamples(16, 0.3, count, 1)
    const spec: RgCascadeSpec = {
      samples,
      count,
      Lx: 16,
      Ly: 16,
      rule: 'majority',
      b: 2,
      levels: 3,
      couplings: ['nearest', 'diagonal']
    }
    const host = new FakeJobHost<JobFrame>()
    const result = (await runRgCascade(spec, xoshiro128ss(2), host.sink, host.signal))!
    expect(result.levels.map((l) => [l.level, l.Lx, l.data?.length ?? 0])).toEqual([
      [0, 16, 0],
      [1, 8, count * 64],
      [2, 4, count * 16],
      [3, 2, count * 4]
    ])
    const l0 = result.levels[0]!
    expect(Math.abs(l0.fit!.K[0]! - 0.3)).toBeLessThan(4 * l0.fit!.errors[0]!)
    expect(Math.abs(l0.matched!.K - 0.3)).toBeLessThan(4 * l0.matched!.KError)
    // Below Kc the coarse levels are less ordered: the nearest-neighbour correlation falls.
    const nn = result.levels.map((l) => l.observables.nearest.value)
    expect(nn[1]!).toBeLessThan(nn[0]!)
    expect(nn[2]!).toBeLessThan(nn[1]!)
    expect(result.levels[3]!.matched).toBeNull()
    expect(result.levels[3]!.note).toMatch(/at least 3×3/)
    expect(host.progressReports.at(-1)).toMatchObject({ done: 4, total: 4 })
  })

  it('average-rule levels are real-valued and get observables but no fit, with a note', async () => {
    const samples = await torusSamples(8, 0.3, 100, 3)
    const host = new FakeJobHost<JobFrame>()
    const result = (await runRgCascade(
      { samples, count: 100, Lx: 8, Ly: 8, rule: 'average', b: 2, levels: 1, couplings: ['nearest'] },
      xoshiro128ss(1),
      host.sink,
      host.signal
    ))!
    expect(result.levels[1]!.data).toBeInstanceOf(Float32Array)
    expect(result.levels[1]!.fit).toBeNull()
    expect(result.levels[1]!.note).toMatch(/not ±1/)
  })

  it('a cancelled cascade returns null', async () => {
    const samples = await torusSamples(8, 0.3, 50, 3)
    const host = new FakeJobHost<JobFrame>((call, h) => void (call >= 1 && (h.cancelled = true)))
    expect(
      await runRgCascade(
        { samples, count: 50, Lx: 8, Ly: 8, rule: 'decimation', b: 2, levels: 2, couplings: [] },
        xoshiro128ss(1),
        host.sink,
        host.signal
      )
    ).toBeNull()
  })

  it('refuses a bad spec with a sentence', async () => {
    const host = new FakeJobHost<JobFrame>()
    await expect(
      runRgCascade(
        { samples: new Int8Array(10), count: 1, Lx: 4, Ly: 4, rule: 'majority', b: 2, levels: 1, couplings: [] },
        xoshiro128ss(1),
        host.sink,
        host.signal
      )
    ).rejects.toThrow(/expected 1 configurations/)
    await expect(
      runRgMcrg(
        { L: 16, K: KC, count: 10, between: 1, burnIn: 0, rule: 'majority', b: 2, levels: 3 },
        xoshiro128ss(1),
        host.sink,
        host.signal
      )
    ).rejects.toThrow(/allows 2 MCRG levels/)
    await expect(
      runRgFlow(
        {
          L: 16,
          Ks: [0.4],
          rule: 'majority',
          b: 2,
          levels: 1,
          count: 10,
          between: 1,
          burnIn: 0,
          couplings: ['diagonal']
        },
        xoshiro128ss(1),
        host.sink,
        host.signal
      )
    ).rejects.toThrow(/nearest/)
  })

  it('MCRG through the job gives ν ≈ 1 at Kc', async () => {
    const host = new FakeJobHost<JobFrame>()
    const r = (await runRgMcrg(
      { L: 32, K: KC, count: 3000, between: 2, burnIn: 200, rule: 'majority', b: 2, levels: 3 },
      xoshiro128ss(5),
      host.sink,
      host.signal
    ))!
    for (const level of r.levels)
      expect(Math.abs(level.nu - 1), `level ${level.level}: ${level.nu} ± ${level.nuError}`).toBeLessThan(
        4 * level.nuError
      )
    expect(host.progressReports.at(-1)!.done).toBe(200 + 3000 * 2)
  })

  it('the flow changes direction near Kc', async () => {
    const host = new FakeJobHost<JobFrame>()
    const Ks = [0.38, 0.41, 0.44, 0.47, 0.5]
    const r = (await runRgFlow(
      {
        L: 16,
        Ks,
        rule: 'majority',
        b: 2,
        levels: 2,
        count: 1500,
        between: 2,
        burnIn: 100,
        couplings: ['nearest', 'diagonal']
      },
      xoshiro128ss(7),
      host.sink,
      host.signal
    ))!
    expect(r.points).toHaveLength(Ks.length)
    const fp = r.fixedPoint.matched!
    expect(fp).not.toBeNull()
    expect(Math.abs(fp.K - KC), `K* = ${fp.K} ± ${fp.error}`).toBeLessThan(Math.max(4 * fp.error, 0.02))
    // The flow runs away from the fixed point on both sides.
    const first = r.points[0]!.levels[1]!.matched!
    const last = r.points[Ks.length - 1]!.levels[1]!.matched!
    expect(first.K).toBeLessThan(Ks[0]!)
    expect(last.K).toBeGreaterThan(Ks[Ks.length - 1]!)
  })

  it('finds the crossing of K′ − K by linear interpolation', () => {
    const fp = flowFixedPoint([
      { K: 0.5, next: 0.6, error: 0.01 },
      { K: 0.3, next: 0.2, error: 0.01 },
      { K: 0.4, next: 0.4 - 0.05, error: 0.01 }
    ])!
    // d(0.4) = −0.05, d(0.5) = +0.1: zero at 0.4 + 0.1·(0.05/0.15).
    expect(fp.K).toBeCloseTo(0.4 + 0.1 / 3, 12)
    expect(fp.error).toBeGreaterThan(0)
    expect(
      flowFixedPoint([
        { K: 0.3, next: 0.2, error: 0 },
        { K: 0.4, next: 0.3, error: 0 }
      ])
    ).toBeNull()
  })
})

describe('RG flow with a degenerate level', () => {
  it('a frozen level gets a note instead of failing the run', async () => {
    const host = new FakeJobHost<JobFrame>()
    // Deep in the ordered phase on a small torus every configuration is almost uniform.
    const r = (await runRgFlow(
      {
        L: 8,
        Ks: [2.5],
        rule: 'majority',
        b: 2,
        levels: 2,
        count: 20,
        between: 1,
        burnIn: 20,
        couplings: ['nearest', 'diagonal']
      },
      xoshiro128ss(3),
      host.sink,
      host.signal
    ))!
    expect(r.points).toHaveLength(1)
    const notes = r.points[0]!.levels.map((l) => l.note ?? '')
    expect(notes.some((n) => /fit/.test(n))).toBe(true)
  })
})
