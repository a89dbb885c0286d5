import { describe, expect, it } from 'vitest'
import { runIsingChain } from '@core/jobs/isingChain'
import { computeIsingSums, energyPerSpin } from '@core/ising/square/observables'
import { createSquareLattice } from '@core/ising/square/lattice'
import type { IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import { frameSpins } from '@core/ising/spinBits'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { FakeJobHost, type FakeHostScript } from './fakeJobHost'

function spec(overrides: Partial<IsingChainSpec> = {}): IsingChainSpec {
  return { L: 8, K: 0.44, h: 0, algorithm: 'metropolis', sweepsPerFrame: 10, seed: 7, start: 'hot', ...overrides }
}

async function run(chainSpec: IsingChainSpec, script?: FakeHostScript, rng = xoshiro128ss(chainSpec.seed)) {
  const host = new FakeJobHost<IsingFrame>(script)
  const result = await runIsingChain(chainSpec, rng, host.sink, host.signal)
  return { host, result }
}

function concatenated(frames: IsingFrame[], key: 'energy' | 'absM'): number[] {
  return frames.flatMap((frame) => [...frame.series[key]])
}

describe('runIsingChain: determinism and resumption', () => {
  it.each(['metropolis', 'wolff'] as const)(
    '%s: same spec and seed give identical frames, bit for bit',
    async (algorithm) => {
      const a = await run(spec({ algorithm, targetSweeps: 60 }))
      const b = await run(spec({ algorithm, targetSweeps: 60 }))
      expect(a.host.frames.map((f) => frameSpins(f))).toEqual(b.host.frames.map((f) => frameSpins(f)))
      expect(a.result).toEqual(b.result)
      const c = await run(spec({ algorithm, targetSweeps: 60, seed: 8 }))
      expect(c.result.spins).not.toEqual(a.result.spins)
    }
  )

  it.each([
    { algorithm: 'metropolis' as const, h: 0.05 },
    { algorithm: 'wolff' as const, h: 0.05 }
  ])('$algorithm: 300 sweeps straight = 150 + snapshot + resume 150', async ({ algorithm, h }) => {
    const base = spec({ algorithm, h, targetSweeps: 300 })
    const straight = await run(base)

    // Interrupted run: at the 16th next() the chain has done 15 frames × 10 = 150 sweeps.
    const interrupted = await run(base, (call, host) => {
      if (call !== 15) return
      host.cancelled = true
      return [{ type: 'snapshot', requestId: 'half' }]
    })
    const snapshot = interrupted.host.replies.get('half') as IsingChainResult
    expect(snapshot.sweep).toBe(150)
    expect(interrupted.result).toEqual(snapshot)

    // A different frame size on resumption must not matter: frames consume no randomness.
    const resumed = await run(
      { ...base, sweepsPerFrame: 7, resume: snapshot },
      undefined,
      xoshiro128ssFromState(snapshot.rngState)
    )
    expect(resumed.result.sweep).toBe(300)
    expect(resumed.result.spins).toEqual(straight.result.spins)
    expect(resumed.result.energy).toEqual(straight.result.energy)
    expect(resumed.result.absM).toEqual(straight.result.absM)
    expect(resumed.result.rngState).toEqual(straight.result.rngState)
  })

  it.each(['metropolis', 'wolff'] as const)(
    '%s: a frame carries the generator state, so the frames received so far continue the run bit for bit',
    async (algorithm) => {
      const base = spec({ algorithm, targetSweeps: 200 })
      const straight = await run(base)
      // The job dies after its 8th frame (70 sweeps): a viewer holds those frames and nothing else.
      const received = straight.host.frames.slice(0, 8)
      const last = received.at(-1)!
      expect(last.sweep).toBe(70)
      expect(last.rngState).toBeInstanceOf(Uint32Array)
      const state = {
        L: last.L,
        sweep: last.sweep,
        spins: frameSpins(last),
        energy: Float64Array.from(concatenated(received, 'energy')),
        absM: Float64Array.from(concatenated(received, 'absM')),
        rngState: last.rngState!
      }
      const resumed = await run({ ...base, resume: state }, undefined, xoshiro128ssFromState(state.rngState))
      expect(resumed.result.spins).toEqual(straight.result.spins)
      expect(resumed.result.energy).toEqual(straight.result.energy)
      expect(resumed.result.rngState).toEqual(straight.result.rngState)
    }
  )

  it('snapshots are copies the chain does not touch again', async () => {
    const { host, result } = await run(spec({ targetSweeps: 40 }), (call) =>
      call === 1 ? [{ type: 'snapshot', requestId: 's' }] : undefined
    )
    const snapshot = host.replies.get('s') as IsingChainResult
    expect(snapshot.sweep).toBe(10)
    expect(snapshot.energy.length).toBe(10)
    expect(snapshot.rngState).toBeInstanceOf(Uint32Array)
    expect(snapshot.spins).not.toBe(result.spins)
    expect(result.energy.subarray(0, 10)).toEqual(snapshot.energy)
  })
})

describe('runIsingChain: frames, progress, targetSweeps', () => {
  it('stops exactly at targetSweeps; frames carry only new points; e is recomputable', async () => {
    const { host, result } = await run(spec({ targetSweeps: 25, h: 0.1 }))
    expect(result.sweep).toBe(25)
    expect(result.energy.length).toBe(25)
    expect(concatenated(host.frames, 'energy')).toEqual([...result.energy])
    expect(concatenated(host.frames, 'absM')).toEqual([...result.absM])
    expect(host.frames.at(-1)?.sweep).toBe(25)
    expect(host.progressReports.at(-1)).toEqual({ done: 25, total: 25, unit: 'sweeps' })
    const lattice = createSquareLattice(8)
    expect(result.energy[24]).toBe(energyPerSpin(computeIsingSums(result.spins, lattice), 0.44, 0.1, lattice.N))
    expect(host.frames.every((f) => frameSpins(f).every((v) => v === 1 || v === -1))).toBe(true)
    expect(host.frames.slice(1).every((f) => f.sweepsPerSecond > 0 && f.acceptance > 0 && f.acceptance <= 1)).toBe(true)
  })

  it('a cold start at K = 1 begins and stays ordered', async () => {
    const { host, result } = await run(spec({ start: 'cold', K: 1, targetSweeps: 50 }))
    expect(frameSpins(host.frames[0]).every((v) => v === 1)).toBe(true)
    expect(Math.min(...result.absM)).toBeGreaterThan(0.9)
  })

  it('open-ended chains run until cancelled and report total null', async () => {
    const { host, result } = await run(spec(), (call, h) => {
      if (call === 4) h.cancelled = true
    })
    expect(result.sweep).toBe(40)
    expect(host.progressReports.at(-1)).toEqual({ done: 40, total: null, unit: 'sweeps' })
  })

  it('paces frames to maxFps with signal.sleep', async () => {
    const { host } = await run(spec({ targetSweeps: 50, maxFps: 20 }))
    expect(host.sleeps.length).toBeGreaterThan(0)
    expect(host.sleeps.every((ms) => ms > 0 && ms <= 50)).toBe(true)
  })
})

describe('runIsingChain: commands', () => {
  it('edit applies valid fields from the next frame and logs and ignores invalid ones', async () => {
    const { host, result } = await run(spec({ targetSweeps: 60 }), (call) => {
      if (call === 2) return [{ type: 'edit', params: { K: 0.3, h: -0.2, sweepsPerFrame: 20 } }]
      if (call === 3) {
        return [
          { type: 'edit', params: { K: Number.NaN, sweepsPerFrame: 0, colour: 'red' } },
          { type: 'edit', params: { algorithm: 'wolff', K: -0.5 } }
        ]
      }
    })
    expect(result.params).toEqual({ K: 0.3, h: -0.2, algorithm: 'metropolis', sweepsPerFrame: 20 })
    expect(host.frames.at(-1)?.params).toEqual(result.params)
    expect(host.logs.join('\n')).toMatch(/K must be .*NaN/)
    expect(host.logs.join('\n')).toMatch(/sweepsPerFrame .* got 0/)
    expect(host.logs.join('\n')).toMatch(/unknown parameter 'colour'/)
    expect(host.logs.join('\n')).toMatch(/Wolff algorithm needs K ≥ 0/)
    // Frames 1–2 at 10 sweeps, then 20 per frame: 10, 20, 40, 60.
    expect(host.frames.slice(1).map((f) => f.sweep)).toEqual([10, 20, 40, 60])
    const lattice = createSquareLattice(8)
    expect(result.energy[59]).toBe(energyPerSpin(computeIsingSums(result.spins, lattice), 0.3, -0.2, lattice.N))
  })

  it('switching algorithm mid-run keeps the bookkeeping exact', async () => {
    const { result } = await run(spec({ targetSweeps: 40, h: 0.1 }), (call) =>
      call === 2 ? [{ type: 'edit', params: { algorithm: 'wolff' } }] : undefined
    )
    expect(result.params.algorithm).toBe('wolff')
    const lattice = createSquareLattice(8)
    expect(result.energy[39]).toBe(energyPerSpin(computeIsingSums(result.spins, lattice), 0.44, 0.1, lattice.N))
  })

  it('step runs count frames while paused; nothing runs otherwise', async () => {
    const { host, result } = await run(spec({ sweepsPerFrame: 5 }), (call, h) => {
      if (call === 0) {
        h.paused = true
        return [{ type: 'step', count: 3 }]
      }
      if (call === 1) return [{ type: 'step', count: -1 }]
      if (call === 2) h.cancelled = true
    })
    expect(result.sweep).toBe(15)
    expect(host.frames.map((f) => f.sweep)).toEqual([0, 15])
    expect(host.logs.some((line) => /ignored step/.test(line))).toBe(true)
  })

  it('reset returns to sweep 0 and replays the seed stream', async () => {
    const straight = await run(spec({ targetSweeps: 50 }))
    const { host, result } = await run(spec({ targetSweeps: 50 }), (call) =>
      call === 3 ? [{ type: 'reset' }] : undefined
    )
    expect(result).toEqual(straight.result)
    expect(host.frames.map((f) => f.sweep)).toEqual([0, 10, 20, 30, 10, 20, 30, 40, 50])
    expect(host.frames[4].series.energy).toEqual(straight.result.energy.slice(0, 10))
  })

  it('paint sets spins while paused, shows them at once, and the chain continues from them', async () => {
    // A cold 8×8 chain at strong coupling; paint the left half down while paused, then run on.
    const left = Int32Array.from({ length: 32 }, (_, k) => Math.floor(k / 4) * 8 + (k % 4))
    const { host, result } = await run(spec({ start: 'cold', K: 2, sweepsPerFrame: 1 }), (call, h) => {
      if (call === 0) {
        h.paused = true
        return [{ type: 'paint', sites: left, values: new Int8Array(32).fill(-1) }]
      }
      if (call === 1) {
        // Out-of-range sites and non-±1 values are ignored, with a log line.
        return [{ type: 'paint', sites: Int32Array.of(-1, 64, 3), values: Int8Array.of(-1, -1, 0) }]
      }
      if (call === 2) h.paused = false
      if (call === 4) h.cancelled = true
    })
    const painted = host.frames[1]!
    expect(painted.sweep).toBe(0)
    expect(Array.from(frameSpins(painted).subarray(0, 8))).toEqual([-1, -1, -1, -1, 1, 1, 1, 1])
    expect(host.logs.some((l) => /3 painted spins were out of range/.test(l))).toBe(true)
    // Two domains with straight walls at K = 2: almost nothing flips, and the bookkeeping is exact.
    const lattice = createSquareLattice(8)
    expect(result.energy.at(-1)).toBeCloseTo(energyPerSpin(computeIsingSums(result.spins, lattice), 2, 0, 64), 12)
    expect(result.spins.filter((v) => v === -1).length).toBeGreaterThan(24)
  })

  it('reset while paused emits a sweep-0 frame', async () => {
    const { host } = await run(spec({ start: 'cold' }), (call, h) => {
      if (call === 1) {
        h.paused = true
        return [{ type: 'reset' }]
      }
      if (call === 2) h.cancelled = true
    })
    expect(host.frames.map((f) => f.sweep)).toEqual([0, 10, 0])
    expect(frameSpins(host.frames[2]).every((v) => v === 1)).toBe(true)
  })
})

describe('runIsingChain: validation', () => {
  it.each([
    [{ L: Number.NaN }, /L must be .*NaN/],
    [{ L: -8 }, /L must be .*-8/],
    [{ L: 6.5 }, /L must be .*6\.5/],
    [{ L: 2048 }, /L must be .*2048/],
    [{ K: Number.NaN }, /K must be .*NaN/],
    [{ K: 11 }, /K must be .*11/],
    [{ h: Infinity }, /h must be .*Infinity/],
    [{ sweepsPerFrame: 0 }, /sweepsPerFrame .*got 0/],
    [{ sweepsPerFrame: 10001 }, /sweepsPerFrame .*10001/],
    [{ sweepsPerFrame: 2.5 }, /sweepsPerFrame .*2\.5/],
    [{ algorithm: 'wolff', K: -0.2 }, /Wolff algorithm needs K ≥ 0.*-0\.2/],
    [{ algorithm: 'heatbath' }, /algorithm must be/],
    [{ seed: 0.5 }, /seed must be .*0\.5/],
    [{ targetSweeps: -1 }, /targetSweeps .*-1/],
    [{ maxFps: -5 }, /maxFps .*-5/]
  ] as [Partial<IsingChainSpec>, RegExp][])('rejects %o', async (overrides, message) => {
    await expect(run(spec(overrides as Partial<IsingChainSpec>))).rejects.toThrow(RangeError)
    await expect(run(spec(overrides as Partial<IsingChainSpec>))).rejects.toThrow(message)
  })

  it('rejects a resume whose rng was not restored, or whose arrays do not fit', async () => {
    const { result } = await run(spec({ targetSweeps: 20 }))
    await expect(run(spec({ resume: result }))).rejects.toThrow(/not at resume\.rngState/)
    const rng = () => xoshiro128ssFromState(result.rngState)
    await expect(run(spec({ L: 16, resume: result }), undefined, rng())).rejects.toThrow(/resume\.L/)
    const badSpins = { ...result, spins: result.spins.map(() => 0) }
    await expect(run(spec({ resume: badSpins }), undefined, rng())).rejects.toThrow(/resume\.spins\[0\] must be ±1/)
    const shortSeries = { ...result, energy: result.energy.subarray(0, 5) }
    await expect(run(spec({ resume: shortSeries }), undefined, rng())).rejects.toThrow(/resume\.energy/)
  })
})
