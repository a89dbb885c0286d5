import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { computeMapping } from '@core/jobs/mapping'

describe('the mapping job', () => {
  it('decimation-1d: the δ-kernel is exact and the RBM gives the recursion’s coarse Hamiltonian', () => {
    const r = computeMapping({ preset: 'decimation-1d', K: 0.8, h: 0.3, steps: 4 }, xoshiro128ss(1))
    expect(r.summary.traceResidual).toBeLessThan(1e-12)
    expect(Math.abs(r.summary.deltaF)).toBeLessThan(1e-10)
    expect(r.summary.maxHDiff!).toBeLessThan(1e-10)
    expect(r.flow).toHaveLength(4)
    expect(r.couplings.rbm!.map((c) => c.shape).sort()).toEqual(['constant', 'field', 'nearest'])
  })

  it('lin-tegmark: ΔF = 0 with a trace residual above 0.1', () => {
    const r = computeMapping({ preset: 'lin-tegmark', K: 0.3, a: 1, lambda: 1 }, xoshiro128ss(1))
    expect(Math.abs(r.summary.deltaF)).toBeLessThan(1e-10)
    expect(r.summary.traceResidual).toBeGreaterThan(0.1)
    const total = r.residuals.counts.reduce((s, c) => s + c, 0)
    expect(total).toBe(2 ** 16)
  })

  it('kernel: any small square model with a λ scan', () => {
    const r = computeMapping(
      {
        preset: 'kernel',
        model: {
          lattice: { kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true },
          uniform: { K: 0.4, h: 0.1 }
        },
        kernel: 'kadanoff',
        lambda: 2,
        b: 2,
        lambdas: [0, 1, 4]
      },
      xoshiro128ss(1)
    )
    expect(r.summary.traceResidual).toBeLessThan(1e-12)
    expect(r.scan).toHaveLength(3)
    expect(r.couplings.rg.some((c) => c.shape === 'field')).toBe(true)
  })

  it('block-2x2: the trained machine keeps Eq. 21 and reports KL and the normalised residual', () => {
    const r = computeMapping({ preset: 'block-2x2', K: 0.3, epochs: 20 }, xoshiro128ss(3))
    expect(r.summary.maxHDiff!).toBeLessThan(1e-10)
    expect(r.summary.kl!).toBeLessThan(r.units!.klBefore)
    expect(r.couplings.majority!.length).toBeGreaterThan(1)
  })

  it('refuses bad input with a sentence', () => {
    expect(() => computeMapping({ preset: 'decimation-1d', K: Number.NaN, h: 0 }, xoshiro128ss(1))).toThrow(
      /K must be a number/
    )
    expect(() => computeMapping({ preset: 'nope' } as never, xoshiro128ss(1))).toThrow(/unknown mapping preset/)
    expect(() =>
      computeMapping(
        {
          preset: 'kernel',
          model: { lattice: { kind: 'triangular', Lx: 3, Ly: 3 }, uniform: { K: 0.2, h: 0 } },
          kernel: 'majority',
          b: 3
        },
        xoshiro128ss(1)
      )
    ).toThrow(/chain or a square lattice/)
  })
})
