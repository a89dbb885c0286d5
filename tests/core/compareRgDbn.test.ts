import { describe, expect, it } from 'vitest'
import { runCompareRgDbn } from '@core/jobs/compareRgDbn'
import { sampleTorus } from '@core/jobs/rgSampling'
import type { JobFrame } from '@core/jobs/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { Dbn } from '@core/rbm/dbn'
import type { Rbm } from '@core/rbm/types'
import { FakeJobHost } from './fakeJobHost'

const L = 8

/** A layer whose unit j sums the spins of block j (side s) of an Ls × Ls grid, with weight w (±1 units). */
function blockLayer(Ls: number, s: number, w: number): Rbm {
  const nv = Ls * Ls
  const side = Ls / s
  const nh = side * side
  const W = new Float32Array(nv * nh)
  for (let i = 0; i < nv; i++) {
    const x = i % Ls
    const y = (i - x) / Ls
    W[i * nh + Math.floor(y / s) * side + Math.floor(x / s)] = w
  }
  return { nv, nh, visibleUnits: 'pm1', hiddenUnits: 'pm1', W, a: new Float32Array(nv), b: new Float32Array(nh) }
}

describe('RG vs DBN, level by level', () => {
  it('a network whose units are block sums lines up with majority-rule RG: centroids on block centres, overlap 1, high information', async () => {
    const host = new FakeJobHost<JobFrame>()
    const count = 800
    const samples = (await sampleTorus(
      { L, K: 0.38, count, between: 2, burnIn: 100 },
      xoshiro128ss(1),
      host.signal,
      () => undefined
    ))!
    const dbn: Dbn = { layers: [blockLayer(8, 2, 4), blockLayer(4, 2, 4)], passUp: 'probabilities' }
    const r = (await runCompareRgDbn(
      {
        samples,
        count,
        Lx: L,
        Ly: L,
        dbn,
        rule: 'majority',
        b: 2,
        couplings: ['nearest'],
        flow: { Ks: [0.3], steps: 2, count: 200 }
      },
      xoshiro128ss(2),
      host.sink,
      host.signal
    ))!
    expect(r.levels.map((l) => [l.level, l.blockSide, l.dbn.units, l.rg.Lx])).toEqual([
      [1, 2, 16, 4],
      [2, 4, 4, 2]
    ])
    const l1 = r.levels[0]!
    // Unit j of layer 1 is block j: its centroid is the block's centre, its overlap 1.
    for (let j = 0; j < 16; j++) {
      expect(l1.dbn.block[j]).toBe(j)
      expect(l1.dbn.overlap[j]).toBeCloseTo(1, 6)
      expect(l1.dbn.x[j]).toBeCloseTo(2 * (j % 4) + 0.5, 6)
      expect(l1.dbn.y[j]).toBeCloseTo(2 * Math.floor(j / 4) + 0.5, 6)
    }
    // Away from ties the unit is the block's majority spin: most of ln 2 is shared.
    expect(l1.similarity.information).toBeGreaterThan(0.4)
    expect(l1.similarity.information).toBeLessThanOrEqual(Math.LN2)
    expect(l1.similarity.informationError).toBeGreaterThan(0)
    expect(r.levels[1]!.dbn.overlap.every((o) => o > 0.99)).toBe(true)
    expect(r.flow).toHaveLength(1)
    expect(r.flow[0]!.rbm.map((s) => s.step)).toEqual([0, 1, 2])
    expect(r.flow[0]!.rg).not.toBeNull()
  })

  it('a level whose couplings cannot be told apart gets no fit instead of failing the comparison', async () => {
    const host = new FakeJobHost<JobFrame>()
    const count = 20
    // All spins up: every site has the same neighbourhood, so nearest, diagonal and plaquette are one feature (singular Hessian).
    const samples = new Int8Array(count * L * L).fill(1)
    const dbn: Dbn = { layers: [blockLayer(8, 2, 1), blockLayer(4, 2, 1)], passUp: 'probabilities' }
    const r = (await runCompareRgDbn(
      { samples, count, Lx: L, Ly: L, dbn, rule: 'majority', b: 2, couplings: ['nearest', 'diagonal', 'plaquette'] },
      xoshiro128ss(4),
      host.sink,
      host.signal
    ))!
    expect(r.levels).toHaveLength(2)
    expect(r.levels.map((l) => l.rg.fit)).toEqual([null, null])
  })

  it('refuses a network that does not see the lattice', async () => {
    const host = new FakeJobHost<JobFrame>()
    const dbn: Dbn = { layers: [blockLayer(4, 2, 1)], passUp: 'probabilities' }
    await expect(
      runCompareRgDbn(
        { samples: new Int8Array(64), count: 1, Lx: 8, Ly: 8, dbn, rule: 'majority', b: 2, couplings: [] },
        xoshiro128ss(1),
        host.sink,
        host.signal
      )
    ).rejects.toThrow(/64 sites/)
  })
})
