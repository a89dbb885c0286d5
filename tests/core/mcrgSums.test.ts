import { describe, expect, it } from 'vitest'
import {
  runRgMcrgSums,
  type RgMcrgSumsResult,
  type RgMcrgSumsSpec,
  type RgMcrgSumsStopped
} from '@core/jobs/rgMcrgSums'
import type { TorusSamplingState } from '@core/jobs/rgSampling'
import type { RgMcrgSpec } from '@core/jobs/rgMcrg'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { createTorusChain } from '@core/ising/torus/chain'
import { blockCascade, type CascadeLevel } from '@core/rg/blockSpin'
import { EVEN_OPERATORS, mcrg } from '@core/rg/mcrg'
import { mcrgFromParts, mcrgSums, poolMcrgSums } from '@core/rg/mcrgSums'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { FakeJobHost } from './fakeJobHost'

const KC = 0.5 * Math.log(1 + Math.SQRT2)

function wolffSamples(L: number, K: number, count: number, seed: number): Int8Array {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K,
    h: 0
  })
  const chain = createTorusChain(model, 'wolff', xoshiro128ss(seed), 'random')!
  for (let i = 0; i < 100; i++) chain.sweep()
  const out = new Int8Array(count * L * L)
  for (let k = 0; k < count; k++) {
    chain.sweep()
    out.set(chain.spins, k * L * L)
  }
  return out
}

/** Configurations from..to of every level of a cascade. */
const slice = (cascade: CascadeLevel[], from: number, to: number): CascadeLevel[] =>
  cascade.map((l) => {
    const n = l.grid.Lx * l.grid.Ly
    return { ...l, data: l.data.slice(from * n, to * n) } as CascadeLevel
  })

describe('MCRG from independent parts', () => {
  const count = 600
  const data = wolffSamples(16, 0.42, count, 1)
  const cascade = blockCascade(data, count, { Lx: 16, Ly: 16 }, 2, 'majority', 2, xoshiro128ss(2))
  const cuts = [0, 100, 250, 260, 600]
  const parts = cuts.slice(1).map((to, k) => mcrgSums(slice(cascade, cuts[k]!, to), to - cuts[k]!, 2, EVEN_OPERATORS))

  it('pooled parts give the co-moments, T and λ of all samples at once', () => {
    const pooled = poolMcrgSums(parts)
    const whole = mcrgSums(cascade, count, 2, EVEN_OPERATORS)
    expect(pooled.samples).toBe(count)
    pooled.levels.forEach((l, i) => {
      const w = whole.levels[i]!
      for (const key of ['meanN', 'meanP', 'A', 'B'] as const)
        l[key].forEach((x, k) => expect(Math.abs(x - w[key][k]!)).toBeLessThan(1e-9 * (1 + Math.abs(w[key][k]!))))
    })
    const fromParts = mcrgFromParts(parts)
    const app = mcrg(cascade, count, 2)
    fromParts.levels.forEach((l, i) => {
      expect(Math.abs(l.lambda - app.levels[i]!.lambda)).toBeLessThan(1e-9)
      l.T.forEach((t, k) => expect(Math.abs(t - app.levels[i]!.T[k]!)).toBeLessThan(1e-8))
    })
    expect(fromParts.blocks).toBe(4)
    expect(fromParts.levels.every((l) => l.lambdaError > 0 && Number.isFinite(l.nuError))).toBe(true)
  })

  it('refuses one part (no error bar) and parts of different operators', () => {
    expect(() => mcrgFromParts(parts.slice(0, 1))).toThrow(/two parts/)
    const other = mcrgSums(slice(cascade, 0, 50), 50, 2, ['nearest'])
    expect(() => poolMcrgSums([parts[0]!, other])).toThrow(/cannot be pooled/)
  })

  it('gives y_t = 1 at Kc within its error bars from 8 independent chains of a 32² torus', async () => {
    const spec: RgMcrgSpec = { L: 32, K: KC, count: 300, between: 2, burnIn: 200, rule: 'majority', b: 2, levels: 3 }
    const rng = xoshiro128ss(2024)
    const host = new FakeJobHost()
    const units = []
    for (let k = 0; k < 8; k++) {
      rng.jump()
      units.push((await runRgMcrgSums(spec, rng.clone(), host.sink, host.signal)) as RgMcrgSumsResult)
    }
    const result = mcrgFromParts(units)
    expect(result.samples).toBe(2400)
    for (const level of result.levels) {
      expect(level.ytError, `level ${level.level}`).toBeGreaterThan(0)
      expect(level.ytError).toBeLessThan(0.08)
      expect(Math.abs(level.yt - 1), `level ${level.level}: y_t = ${level.yt} ± ${level.ytError}`).toBeLessThan(
        3.5 * level.ytError
      )
    }
  })
})

describe('an MCRG chain that stops and resumes', () => {
  const spec: RgMcrgSumsSpec = { L: 8, K: KC, count: 80, between: 2, burnIn: 40, rule: 'majority', b: 2, levels: 1 }

  /** Runs the chain from seed 9's stream, cancelling at the host's `cancelAt`-th yield. */
  async function run(s: RgMcrgSumsSpec, cancelAt?: number) {
    const host = new FakeJobHost((call, h) => {
      if (call === cancelAt) h.cancelled = true
    })
    const result = await runRgMcrgSums(s, xoshiro128ss(9), host.sink, host.signal)
    return { result, frames: host.frames as { checkpoint?: TorusSamplingState }[] }
  }

  it('stopped in burn-in and twice while sampling, it gives the sums of an uninterrupted chain bit for bit', async () => {
    const { result: straight } = await run(spec)
    expect('stopped' in straight).toBe(false)
    const stops: TorusSamplingState[] = []
    let last: RgMcrgSumsResult | RgMcrgSumsStopped | null = null
    for (const at of [1, 3, 2, undefined]) {
      const resume = stops.at(-1)
      last = (await run({ ...spec, ...(resume ? { resume } : {}) }, at)).result
      if ('stopped' in last) stops.push(last.checkpoint!)
    }
    expect(stops).toHaveLength(3)
    expect(stops[0]!).toMatchObject({ taken: 0 })
    expect(stops[0]!.done).toBeLessThan(spec.burnIn)
    expect(stops[1]!.taken).toBeGreaterThan(0)
    expect(stops[2]!.taken).toBeGreaterThan(stops[1]!.taken)
    expect(stops[2]!.samples.length).toBe(stops[2]!.taken * 64)
    expect(last).toEqual(straight)
  })

  it('sends its state in frames; resumed from one it ends as the uninterrupted chain; a foreign state is refused', async () => {
    const { result: straight, frames } = await run({ ...spec, checkpointMs: 40 })
    const states = frames.flatMap((f) => (f.checkpoint ? [f.checkpoint] : []))
    expect(states.length).toBeGreaterThan(1)
    const mid = states[Math.floor(states.length / 2)]!
    expect((await run({ ...spec, resume: mid })).result).toEqual(straight)
    await expect(run({ ...spec, between: 3, resume: mid })).rejects.toThrow(/not one of this sampling/)
    await expect(run({ ...spec, L: 10, resume: mid })).rejects.toThrow(/spins and configurations/)
  })
})
