import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import type { RbmParameters } from '@core/rbm/energy'
import type { UnitKind } from '@core/rbm/types'
import { checkMapping } from '@core/mapping/rbmMapping'
import { decimation1dMapping, linTegmarkMapping } from '@core/mapping/presets'
import { couplingTable } from '@core/rg/couplingTable'
import { spinProductCoefficients } from '@core/rg/walsh'

function randomModel(L: number, seed: number): IsingModel {
  const rng = xoshiro128ss(seed)
  const model = uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), {
    K: 0,
    h: 0
  })
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = 0.8 * (rng.nextFloat() - 0.5)
  for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = 1.4 * (rng.nextFloat() - 0.4)
  return model
}

function randomRbm(nv: number, nh: number, units: [UnitKind, UnitKind], seed: number): RbmParameters {
  const rng = xoshiro128ss(seed)
  const r = (scale: number) => Float32Array.from({ length: 1 }, () => scale * (rng.nextFloat() - 0.5))[0]!
  return {
    nv,
    nh,
    visibleUnits: units[0],
    hiddenUnits: units[1],
    W: Float32Array.from({ length: nv * nh }, () => r(1.5)),
    a: Float32Array.from({ length: nv }, () => r(1)),
    b: Float32Array.from({ length: nh }, () => r(1))
  }
}

describe('the RG ↔ RBM mapping identities (Eqs. 18, 21, 22)', () => {
  for (const units of [
    ['pm1', 'pm1'],
    ['01', '01'],
    ['pm1', '01']
  ] as [UnitKind, UnitKind][]) {
    it(`hold to 1e-10 for random models and random ${units.join('/')} machines`, () => {
      for (const seed of [1, 2, 3]) {
        const check = checkMapping(randomModel(3, seed), randomRbm(9, 4, units, 100 + seed))
        expect(check.maxHDiff, 'Eq. 21: max |H^RG − H^RBM|').toBeLessThan(1e-10)
        expect(check.maxEq22, 'Eq. 22').toBeLessThan(1e-10)
        expect(check.maxTraceIdentity, 'r(v) = H(v) − H^RBM(v)').toBeLessThan(1e-10)
        // A random machine does not represent P: the trace condition fails and KL > 0.
        expect(check.traceResidual).toBeGreaterThan(1e-3)
        expect(check.kl).toBeGreaterThan(1e-4)
        expect(Math.abs(check.coarse.traceResidual - check.traceResidual)).toBeLessThan(1e-10)
      }
    })
  }

  it('a machine that represents P exactly has KL = 0 and a constant trace residual', () => {
    // Independent spins in fields K_i; W = 0 and a = K_i: p(v) = P(v), r(v) = Σ_j softplus(b_j) for every v.
    const model = randomModel(3, 9)
    model.couplings.fill(0)
    const rbm: RbmParameters = {
      nv: 9,
      nh: 2,
      visibleUnits: 'pm1',
      hiddenUnits: '01',
      W: new Float64Array(18),
      a: Float64Array.from(model.fields),
      b: Float64Array.of(-0.5, 0.3)
    }
    const check = checkMapping(model, rbm)
    const constant = Math.log1p(Math.exp(-0.5)) + Math.log1p(Math.exp(0.3))
    expect(check.kl).toBeLessThan(1e-12)
    expect(check.traceResidualNormalised).toBeLessThan(1e-12)
    expect(Math.abs(check.logZOffset - constant)).toBeLessThan(1e-12)
    expect(Math.abs(check.traceResidual - constant)).toBeLessThan(1e-12)
    expect(Math.abs(check.deltaF + constant)).toBeLessThan(1e-12)
  })
})

describe('1D decimation both ways (SCIENCE.md §3)', () => {
  for (const [K, h] of [
    [1.0, 0],
    [0.8, 0.3],
    [0.4, -0.6]
  ] as const) {
    it(`K = ${K}, h = ${h}: the δ-kernel is exact and the RBM's H^RBM(h) is the recursion's coarse Hamiltonian`, () => {
      const m = decimation1dMapping(K, h, 6)
      expect(m.kernel.traceResidual).toBeLessThan(1e-12)
      expect(Math.abs(m.kernel.deltaF)).toBeLessThan(1e-10)
      expect(m.kernelHDiff).toBeLessThan(1e-10)
      expect(m.maxHDiff).toBeLessThan(1e-10)
      const rows = couplingTable(spinProductCoefficients(m.HRBM), { Lx: 6, Ly: 1, periodicX: true, periodicY: false })
      expect(rows.map((r) => r.shape).sort()).toEqual(
        h === 0 ? ['constant', 'nearest'] : ['constant', 'field', 'nearest']
      )
      expect(Math.abs(rows.find((r) => r.shape === 'nearest')!.value + m.step.K)).toBeLessThan(1e-12)
    })
  }
  it('at h = 0 from K = 1 it gives K′ = 0.662501373678932 and A = 2√cosh 2K', () => {
    const m = decimation1dMapping(1, 0, 4)
    expect(Math.abs(m.step.K - 0.662501373678932)).toBeLessThan(1e-14)
    const J = spinProductCoefficients(m.HRBM)
    expect(Math.abs(J[0]! + 4 * Math.log(2 * Math.sqrt(Math.cosh(2))))).toBeLessThan(1e-12)
  })
})

describe('the Lin–Tegmark–Rolnick counterexample', () => {
  it('has ΔF = 0 while the trace condition fails pointwise', () => {
    const r = linTegmarkMapping(0.3, 1, 1)
    expect(Math.abs(r.deltaF)).toBeLessThan(1e-10)
    expect(r.traceResidual).toBeGreaterThan(0.1)
  })
  it('with a = 0 it is the exact kernel again', () => {
    const r = linTegmarkMapping(0.3, 0, 1)
    expect(r.traceResidual).toBeLessThan(1e-12)
  })
})
