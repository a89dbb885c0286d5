import { describe, expect, it } from 'vitest'
import { runIsingSweep, type SweepSpec } from '@core/jobs/isingSweep'
import {
  runSweepPoint,
  type SweepPointCheckpoint,
  type SweepPointResult,
  type SweepPointSpec
} from '@core/jobs/sweepPoint'
import type { McAlgorithm } from '@core/ising/mc/sampler'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { FakeJobHost } from './fakeJobHost'

const point = (algorithm: McAlgorithm, K = 0.42): SweepPointSpec => ({
  L: 8,
  K,
  h: 0,
  algorithm,
  burnIn: 50,
  sweeps: 1500,
  start: 'random'
})

/** Runs the point, cancelling at the host's `cancelAt`-th yield (never when undefined). */
async function run(spec: SweepPointSpec, rngState: Uint32Array | number, cancelAt?: number) {
  const host = new FakeJobHost((call, h) => {
    if (call === cancelAt) h.cancelled = true
  })
  const rng = typeof rngState === 'number' ? xoshiro128ss(rngState) : xoshiro128ssFromState(rngState)
  return runSweepPoint(spec, rng, host.sink, host.signal)
}

/** Runs to the end, stopped at each of `stops` (yield counts of each run) and resumed from its checkpoint. */
async function interrupted(spec: SweepPointSpec, seed: number, stops: number[]): Promise<SweepPointResult[]> {
  const outs: SweepPointResult[] = []
  let resume: SweepPointCheckpoint | undefined
  for (const stop of [...stops, undefined]) {
    const r = await run({ ...spec, ...(resume ? { resume } : {}) }, resume ? resume.rngState : seed, stop)
    outs.push(r)
    resume = r.checkpoint ?? undefined
  }
  return outs
}

describe('a sweep point as a job that stops and resumes', () => {
  it.each(['metropolis', 'wolff', 'heatbath'] as McAlgorithm[])(
    'gives the sweep job’s point for the same generator (%s)',
    async (algorithm) => {
      const spec = point(algorithm)
      const sweep: SweepSpec = { ...spec, Ls: [spec.L], Ks: [spec.K] }
      const host = new FakeJobHost()
      const whole = await runIsingSweep(sweep, xoshiro128ss(7), host.sink, host.signal)
      const one = await run(spec, 7)
      expect(one.complete).toBe(true)
      expect(one.point).toEqual(whole!.points[0])
    }
  )

  it.each(['metropolis', 'wolff'] as McAlgorithm[])(
    'stopped in burn-in and twice while measuring, it ends bit for bit as an uninterrupted run (%s)',
    async (algorithm) => {
      const spec = point(algorithm)
      const straight = await run(spec, 11)
      const parts = await interrupted(spec, 11, [0, 10, 20])
      const stops = parts.slice(0, -1).map((p) => p.checkpoint!)
      expect(parts.slice(0, -1).every((p) => !p.complete && p.point === null)).toBe(true)
      // One stop in the burn-in (no measured sweeps yet), the others while measuring, each further on.
      expect(stops[0]!.done).toBeLessThan(spec.burnIn)
      expect(stops[0]!.H.length).toBe(0)
      expect(stops[1]!.done).toBeGreaterThan(spec.burnIn)
      expect(stops[2]!.done).toBeGreaterThan(stops[1]!.done)
      expect(stops[2]!.H.length).toBe(stops[2]!.done - spec.burnIn)
      const last = parts[parts.length - 1]!
      expect(last.complete).toBe(true)
      expect(last.point).toEqual(straight.point)
      expect(Array.from(last.finalSpins!)).toEqual(Array.from(straight.finalSpins!))
    }
  )

  it('a resumed point restores the sampler’s sums: restarting them from the spins would change H’s last digits', async () => {
    // Recomputing H from the spins differs from the incrementally kept H in its rounding; the
    // checkpoint keeps the sums, so the series match exactly (not just closely).
    const spec = { ...point('metropolis', 0.4), h: 0.1 }
    const straight = await run(spec, 3)
    const [stopped] = await interrupted(spec, 3, [12])
    const resumed = await run({ ...spec, resume: stopped!.checkpoint! }, stopped!.checkpoint!.rngState)
    expect(resumed.point!.e).toEqual(straight.point!.e)
  })

  it('refuses a generator that is not the checkpoint’s', async () => {
    const [stopped] = await interrupted(point('metropolis'), 5, [3])
    await expect(run({ ...point('metropolis'), resume: stopped!.checkpoint! }, 5)).rejects.toThrow(/checkpoint/)
  })

  it('sends its state in a frame every checkpointMs of host time', async () => {
    const host = new FakeJobHost()
    const r = await runSweepPoint(
      { ...point('metropolis'), checkpointMs: 200 },
      xoshiro128ss(1),
      host.sink,
      host.signal
    )
    expect(r.complete).toBe(true)
    const frames = host.frames.map((f) => f['checkpoint'] as SweepPointCheckpoint)
    expect(frames.length).toBeGreaterThan(3)
    expect(frames.every((c, k) => k === 0 || c.done > frames[k - 1]!.done)).toBe(true)
  })

  it('started from the previous point’s final spins on the same generator, two points are the app’s sweep of two K', async () => {
    const Ks = [0.38, 0.42]
    const spec = point('heatbath')
    const host = new FakeJobHost()
    const app = await runIsingSweep({ ...spec, Ls: [8], Ks }, xoshiro128ss(9), host.sink, host.signal)
    const rng = xoshiro128ss(9)
    const first = await runSweepPoint({ ...spec, K: Ks[0]! }, rng, host.sink, host.signal)
    const second = await runSweepPoint(
      { ...spec, K: Ks[1]!, startSpins: first.finalSpins! },
      rng,
      host.sink,
      host.signal
    )
    expect([first.point, second.point]).toEqual(app!.points)
  })
})
