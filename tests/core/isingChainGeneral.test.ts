import { describe, expect, it } from 'vitest'
import { runIsingChain } from '@core/jobs/isingChain'
import { scaleModel, uniformCouplingsOf } from '@core/ising/mc/chain'
import type { McAlgorithm } from '@core/ising/mc'
import type { IsingChainResult, IsingChainSpec, IsingFrame } from '@core/ising/types'
import { frameSpins } from '@core/ising/spinBits'
import { buildLattice } from '@core/lattice/build'
import { dataFromModel, modelFromData, type ModelData } from '@core/lattice/data'
import { modelEnergy, uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { FakeJobHost, type FakeHostScript } from './fakeJobHost'
import { binnedMeanAndError, describeSigmaCheck } from './mcStatistics'

/** A uniform triangular Lx×Ly model (periodic), as data. */
function triangular(Lx: number, Ly: number, K: number, h = 0): ModelData {
  return { lattice: { kind: 'triangular', Lx, Ly }, uniform: { K, h } }
}

/** A periodic 4×4 square model with couplings drawn from ±K·[0.5, 1.5) and random fields: an edited model. */
function editedSquare(seed: number, frustrated: boolean): ModelData {
  const lattice = buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true })
  const base = uniformModel(lattice, { K: 0.3, h: 0 })
  const rng = xoshiro128ss(seed)
  base.couplings.forEach((_, b) => {
    const magnitude = 0.3 * (0.5 + rng.nextFloat())
    base.couplings[b] = frustrated && rng.nextFloat() < 0.3 ? -magnitude : magnitude
  })
  base.fields.forEach((_, i) => (base.fields[i] = 0.1 * (rng.nextFloat() - 0.5)))
  return dataFromModel(base, { K: 0.3, h: 0 })
}

function spec(model: ModelData, overrides: Partial<IsingChainSpec> = {}): IsingChainSpec {
  return {
    L: 4,
    K: model.uniform.K,
    h: model.uniform.h,
    algorithm: 'metropolis',
    sweepsPerFrame: 10,
    seed: 11,
    start: 'hot',
    model,
    ...overrides
  }
}

async function run(chainSpec: IsingChainSpec, script?: FakeHostScript, rng = xoshiro128ss(chainSpec.seed)) {
  const host = new FakeJobHost<IsingFrame>(script)
  const result = await runIsingChain(chainSpec, rng, host.sink, host.signal)
  return { host, result }
}

/** Brute force over all 2^N states: ⟨H⟩/N and ⟨|M|⟩/N with weights e^{−H} (N ≤ 20). */
function exactAverages(model: IsingModel): { e: number; absM: number } {
  const N = model.lattice.N
  const spins = new Int8Array(N)
  const energies: number[] = []
  const absMs: number[] = []
  for (let s = 0; s < 2 ** N; s++) {
    let M = 0
    for (let i = 0; i < N; i++) {
      spins[i] = (s >> i) & 1 ? 1 : -1
      M += spins[i]!
    }
    energies.push(modelEnergy(model, spins))
    absMs.push(Math.abs(M))
  }
  const H0 = Math.min(...energies)
  let Z = 0
  let sumE = 0
  let sumAbsM = 0
  energies.forEach((H, k) => {
    const w = Math.exp(-(H - H0))
    Z += w
    sumE += w * H
    sumAbsM += w * absMs[k]!
  })
  return { e: sumE / Z / N, absM: sumAbsM / Z / N }
}

describe('runIsingChain on general models', () => {
  const tri = triangular(4, 4, 0.25, 0.05)

  it.each(['metropolis', 'metropolis-random', 'heatbath', 'wolff', 'sw'] as McAlgorithm[])(
    '%s: same spec and seed give identical frames, bit for bit',
    async (algorithm) => {
      const a = await run(spec(tri, { algorithm, targetSweeps: 40 }))
      const b = await run(spec(tri, { algorithm, targetSweeps: 40 }))
      expect(a.host.frames.map((f) => frameSpins(f))).toEqual(b.host.frames.map((f) => frameSpins(f)))
      expect(a.result).toEqual(b.result)
      expect(a.result.spins.length).toBe(16)
      expect(frameSpins(a.host.frames[1]!).length).toBe(16)
      expect(a.host.frames[1]!.params).toMatchObject({ algorithm, beta: 1 })
      const c = await run(spec(tri, { algorithm, targetSweeps: 40, seed: 12 }))
      expect(c.result.rngState).not.toEqual(a.result.rngState)
    }
  )

  it.each(['metropolis', 'heatbath', 'wolff'] as McAlgorithm[])(
    '%s: 200 sweeps straight = 100 + snapshot + resume 100',
    async (algorithm) => {
      const base = spec(triangular(5, 4, 0.3, 0.05), { algorithm, targetSweeps: 200, L: 5 })
      const straight = await run(base)
      const interrupted = await run(base, (call, host) => {
        if (call !== 10) return
        host.cancelled = true
        return [{ type: 'snapshot', requestId: 'half' }]
      })
      const snapshot = interrupted.host.replies.get('half') as IsingChainResult
      expect(snapshot.sweep).toBe(100)
      expect(snapshot.spins.length).toBe(20)
      const resumed = await run(
        { ...base, sweepsPerFrame: 7, resume: snapshot },
        undefined,
        xoshiro128ssFromState(snapshot.rngState)
      )
      expect(resumed.result.sweep).toBe(200)
      expect(resumed.result.spins).toEqual(straight.result.spins)
      // Frames carry the 20 spins at one bit each: 3 bytes, the last 4 bits zero.
      const last = straight.host.frames.at(-1)!
      expect(last.sites).toBe(20)
      expect(last.spinBits.length).toBe(3)
      expect(last.spinBits[2]! >> 4).toBe(0)
      expect(frameSpins(last)).toEqual(straight.result.spins)
      expect(resumed.result.energy).toEqual(straight.result.energy)
      expect(resumed.result.absM).toEqual(straight.result.absM)
      expect(resumed.result.rngState).toEqual(straight.result.rngState)
    }
  )

  it('paint sets sites of the model while paused and the chain continues from them; series match H/N', async () => {
    const model = triangular(4, 4, 3)
    const { host, result } = await run(spec(model, { start: 'cold', sweepsPerFrame: 1 }), (call, h) => {
      if (call === 0) {
        h.paused = true
        return [{ type: 'paint', sites: Int32Array.of(0, 1, 2, 3), values: Int8Array.of(-1, -1, -1, -1) }]
      }
      if (call === 1) return [{ type: 'paint', sites: Int32Array.of(-1, 16), values: Int8Array.of(-1, -1) }]
      if (call === 2) h.paused = false
      if (call === 4) h.cancelled = true
    })
    expect(host.frames[1]!.sweep).toBe(0)
    expect(Array.from(frameSpins(host.frames[1]!).subarray(0, 6))).toEqual([-1, -1, -1, -1, 1, 1])
    expect(host.logs.some((l) => /2 painted spins were out of range/.test(l))).toBe(true)
    const built = modelFromData(model)
    expect(result.energy.at(-1)).toBeCloseTo(modelEnergy(built, result.spins) / 16, 12)
  })

  it('starts and resets from painted spins', async () => {
    const painted = Int8Array.from({ length: 16 }, (_, i) => (i % 3 === 0 ? -1 : 1))
    const { host } = await run(spec(tri, { start: 'painted', startSpins: painted }), (call, h) => {
      if (call === 1) {
        h.paused = true
        return [{ type: 'reset' }]
      }
      if (call === 2) h.cancelled = true
    })
    expect(frameSpins(host.frames[0]!)).toEqual(painted)
    expect(host.frames.at(-1)!.sweep).toBe(0)
    expect(frameSpins(host.frames.at(-1)!)).toEqual(painted)
    await expect(run(spec(tri, { start: 'painted' }))).rejects.toThrow(/startSpins must be an Int8Array of length 16/)
  })

  it('β scales every coupling and field; K and h edits apply only to uniform models', async () => {
    const edited = editedSquare(3, false)
    expect(uniformCouplingsOf(edited)).toBeNull()
    const { host } = await run(spec(edited, { sweepsPerFrame: 1 }), (call, h) => {
      if (call === 0) return [{ type: 'edit', params: { beta: 2, K: 0.9 } }]
      if (call === 1) return [{ type: 'edit', params: { beta: 40 } }]
      if (call === 2) h.cancelled = true
    })
    expect(host.frames[1]!.params).toMatchObject({ beta: 2, K: 0.3 })
    expect(host.frames[2]!.params.beta).toBe(2)
    expect(host.logs.some((l) => /K applies to uniform models only/.test(l))).toBe(true)
    expect(host.logs.some((l) => /beta must be a finite number in \[0, 10\]/.test(l))).toBe(true)
    // e = H/N under the scaled couplings.
    const scaled = scaleModel(modelFromData(edited), 2)
    const f = host.frames[2]!
    expect(f.series.energy.at(-1)).toBeCloseTo(modelEnergy(scaled, frameSpins(f)) / 16, 12)

    const { host: uniform } = await run(spec(tri, { sweepsPerFrame: 1 }), (call, h) => {
      if (call === 0) return [{ type: 'edit', params: { K: 0.5, h: -0.1 } }]
      if (call === 1) h.cancelled = true
    })
    const u = uniform.frames[1]!
    expect(u.params).toMatchObject({ K: 0.5, h: -0.1 })
    const rebuilt = modelFromData(triangular(4, 4, 0.5, -0.1))
    expect(u.series.energy.at(-1)).toBeCloseTo(modelEnergy(rebuilt, frameSpins(u)) / 16, 12)
  })

  it('cluster algorithms refuse frustrated models with the samplers’ sentence, at start and on edit', async () => {
    const frustrated = editedSquare(5, true)
    await expect(run(spec(frustrated, { algorithm: 'wolff' }))).rejects.toThrow(
      /Cluster algorithms need ferromagnetic couplings/
    )
    const { host } = await run(spec(frustrated, { sweepsPerFrame: 1 }), (call, h) => {
      if (call === 0) return [{ type: 'edit', params: { algorithm: 'sw' } }]
      if (call === 1) h.cancelled = true
    })
    expect(host.frames.at(-1)!.params.algorithm).toBe('metropolis')
    expect(host.logs.some((l) => /ignored edit: Cluster algorithms need ferromagnetic couplings/.test(l))).toBe(true)
  })

  const statistics: [string, McAlgorithm, ModelData, number][] = [
    ['triangular 4×4', 'metropolis', triangular(4, 4, 0.2, 0.05), 1],
    ['triangular 4×4', 'wolff', triangular(4, 4, 0.2, 0.05), 1],
    ['edited square 4×4 with random bonds', 'heatbath', editedSquare(9, true), 1],
    ['edited square 4×4 with random bonds at β = 1.5', 'metropolis-random', editedSquare(9, true), 1.5],
    ['edited ferromagnetic square 4×4', 'sw', editedSquare(21, false), 1]
  ]
  it.each(statistics)(
    '%s, %s: e and |m| within 4σ of exact enumeration',
    async (_label, algorithm, model, beta) => {
      const sweeps = 40_000
      const { result } = await run(
        spec(model, { algorithm, beta, sweepsPerFrame: 1000, targetSweeps: sweeps + 1000, seed: 2024 })
      )
      const exact = exactAverages(scaleModel(modelFromData(model), beta))
      const e = binnedMeanAndError(result.energy.subarray(1000), 50)
      const absM = binnedMeanAndError(result.absM.subarray(1000), 50)
      expect(Math.abs(e.mean - exact.e), describeSigmaCheck('e', e, exact.e, 4)).toBeLessThan(4 * e.error)
      expect(Math.abs(absM.mean - exact.absM), describeSigmaCheck('|m|', absM, exact.absM, 4)).toBeLessThan(
        4 * absM.error
      )
    },
    60_000
  )
})
