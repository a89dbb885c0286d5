import { describe, expect, it } from 'vitest'
import { runIsingExact } from '@core/jobs/isingExact'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

const sink = { progress: () => undefined, frame: () => undefined, reply: () => undefined, log: () => undefined }
const signal = { cancelled: false } as never
const torus = (L: number) => ({ kind: 'square' as const, Lx: L, Ly: L, periodicX: true, periodicY: true })

describe('the exact job on small systems', () => {
  it('a 4×4 torus (led by Kaufman’s formula) still comes with marginals, correlations and P(v)', async () => {
    const r = await runIsingExact(
      { model: { lattice: torus(4), uniform: { K: 0.3, h: 0 } } },
      xoshiro128ss(1),
      sink,
      signal
    )
    expect(r.method).toBe('kaufman')
    expect(r.marginals).toHaveLength(16)
    // Zero field: up and down are equally likely at every site.
    for (const p of r.marginals!) expect(p).toBeCloseTo(0.5, 12)
    expect(r.correlations).toHaveLength(256)
    expect(r.correlations![0]).toBeCloseTo(1, 12)
    // Nearest neighbours correlate more than sites two apart (K > 0).
    expect(r.correlations![1]!).toBeGreaterThan(r.correlations![2]!)
    expect(r.distribution).toHaveLength(1 << 16)
    expect(r.distribution!.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12)
  })

  it('a forced method returns only what it gives, and N > 16 carries no P(v)', async () => {
    const forced = await runIsingExact(
      { model: { lattice: torus(4), uniform: { K: 0.3, h: 0 } }, method: 'kaufman' },
      xoshiro128ss(1),
      sink,
      signal
    )
    expect(forced.marginals).toBeUndefined()
    const bigger = await runIsingExact(
      { model: { lattice: torus(6), uniform: { K: 0.3, h: 0 } } },
      xoshiro128ss(1),
      sink,
      signal
    )
    expect(bigger.distribution).toBeUndefined()
  })
})
