import { describe, expect, it } from 'vitest'
import { rbmFlow } from '@core/compare/rbmFlow'
import { sampleTorus } from '@core/jobs/rgSampling'
import type { JobFrame } from '@core/jobs/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Rbm, UnitKind } from '@core/rbm/types'
import { FakeJobHost } from './fakeJobHost'

const L = 8
const N = L * L

async function samples(K: number, count: number): Promise<Int8Array> {
  const host = new FakeJobHost<JobFrame>()
  return (await sampleTorus({ L, K, count, between: 2, burnIn: 100 }, xoshiro128ss(3), host.signal, () => undefined))!
}

/** nh = nv; W = w·I; biases chosen so a unit copies its partner (for {0,1} units, b = −w/2 centres the field). */
function copyMachine(w: number, units: UnitKind): Rbm {
  const W = new Float32Array(N * N)
  for (let i = 0; i < N; i++) W[i * N + i] = w
  const bias = units === '01' ? -w / 2 : 0
  return {
    nv: N,
    nh: N,
    visibleUnits: units,
    hiddenUnits: units,
    W,
    a: new Float32Array(N).fill(bias),
    b: new Float32Array(N).fill(bias)
  }
}

describe('the RBM flow v → h → v (Iso, Shiba & Yokoo 2018)', () => {
  it('a machine with no weights forgets the input: the effective K drops to 0 after one step', async () => {
    const data = await samples(0.35, 1500)
    const zero: Rbm = {
      nv: N,
      nh: 16,
      visibleUnits: 'pm1',
      hiddenUnits: 'pm1',
      W: new Float32Array(N * 16),
      a: new Float32Array(N),
      b: new Float32Array(16)
    }
    const flow = rbmFlow(zero, data, 1500, { Lx: L, Ly: L }, 2, xoshiro128ss(1))
    expect(Math.abs(flow[0]!.matched.K - 0.35)).toBeLessThan(4 * flow[0]!.matched.KError + 0.01)
    for (const s of flow.slice(1)) expect(s.matched.K).toBeLessThan(4 * s.matched.KError + 0.01)
  })

  for (const units of ['pm1', '01'] as UnitKind[]) {
    it(`a machine that copies each spin (${units} units) keeps the effective K`, async () => {
      const data = await samples(0.35, 1500)
      const flow = rbmFlow(copyMachine(40, units), data, 1500, { Lx: L, Ly: L }, 3, xoshiro128ss(2))
      for (const s of flow) expect(Math.abs(s.matched.K - flow[0]!.matched.K)).toBeLessThan(1e-9)
    })
  }

  it('refuses shapes that do not fit', () => {
    expect(() => rbmFlow(copyMachine(1, 'pm1'), new Int8Array(10), 1, { Lx: L, Ly: L }, 1, xoshiro128ss(1))).toThrow(
      /expected 1 configurations/
    )
  })
})
