import { describe, expect, it } from 'vitest'
import {
  energy,
  freeEnergiesHidden,
  freeEnergiesVisible,
  freeEnergyHidden,
  freeEnergyVisible,
  rbmHamiltonianHidden,
  rbmHamiltonianVisible
} from '@core/rbm/energy'
import { allConfigurations } from '@core/rbm/exact'
import { logSumExp, logTwoCosh, sigmoid, softplus } from '@core/rbm/math'
import type { Rbm } from '@core/rbm/types'
import {
  UNIT_PAIRS,
  bruteForce,
  configuration,
  expectClose,
  randomRbm,
  referenceEnergy
} from './reference/rbmReference'

describe('stable scalar functions', () => {
  it('softplus, ln 2cosh and σ at ordinary and extreme arguments', () => {
    expectClose(softplus(0), Math.LN2, 1e-16, 'softplus(0)')
    expectClose(softplus(2), Math.log(1 + Math.exp(2)), 1e-15, 'softplus(2)')
    expectClose(softplus(-40), Math.exp(-40), 1e-30, 'softplus(−40) ≈ e^−40')
    expect(softplus(1000)).toBe(1000)
    expect(softplus(-1000)).toBe(0)
    expectClose(logTwoCosh(1), Math.log(Math.E + 1 / Math.E), 1e-15, 'ln 2cosh 1')
    expectClose(logTwoCosh(0), Math.LN2, 1e-16, 'ln 2cosh 0')
    expect(logTwoCosh(-800)).toBe(800)
    expect(sigmoid(-800)).toBe(0)
    expect(sigmoid(800)).toBe(1)
    expect(sigmoid(-700)).toBeGreaterThan(0)
    expectClose(logSumExp([1000, 1000]), 1000 + Math.LN2, 1e-12, 'lse without overflow')
  })
})

function rows(batchData: Float32Array, n: number, r: number): Float32Array {
  return batchData.subarray(r * n, (r + 1) * n)
}

describe('energy and free energies against brute force', () => {
  for (const [vu, hu] of UNIT_PAIRS) {
    it(`${vu}/${hu}: E(v,h), F(v) = H^RBM(v), F(h) = H^RBM(h) at every configuration`, () => {
      const rbm = randomRbm(5, 4, vu, hu, 21, 1.5)
      const brute = bruteForce(rbm)
      for (let x = 0; x < 32; x++) {
        const v = configuration(x, 5, vu)
        expectClose(freeEnergyVisible(rbm, v), brute.freeV[x], 1e-12, `F(v=${x})`)
        expect(rbmHamiltonianVisible(rbm, v)).toBe(freeEnergyVisible(rbm, v))
        for (let y = 0; y < 16; y++) {
          const h = configuration(y, 4, hu)
          expectClose(energy(rbm, v, h), referenceEnergy(rbm, v, h), 1e-12, `E(${x}, ${y})`)
        }
      }
      for (let y = 0; y < 16; y++) {
        const h = configuration(y, 4, hu)
        expectClose(freeEnergyHidden(rbm, h), brute.freeH[y], 1e-12, `F(h=${y})`)
        expect(rbmHamiltonianHidden(rbm, h)).toBe(freeEnergyHidden(rbm, h))
      }
    })
  }
  it('batch free energies agree with the single-configuration ones (fp32 fields)', () => {
    const rbm = randomRbm(6, 5, 'pm1', '01', 22)
    const V = allConfigurations(6, 'pm1')
    const out = new Float64Array(V.rows)
    freeEnergiesVisible(rbm, V, out)
    for (let r = 0; r < V.rows; r++)
      expectClose(out[r], freeEnergyVisible(rbm, rows(V.data, 6, r)), 1e-5, `F(v) row ${r}`)
    const H = allConfigurations(5, '01')
    const outH = new Float64Array(H.rows)
    freeEnergiesHidden(rbm, H, outH)
    for (let r = 0; r < H.rows; r++)
      expectClose(outH[r], freeEnergyHidden(rbm, rows(H.data, 5, r)), 1e-5, `F(h) row ${r}`)
  })
  it('stays finite with huge weights (no overflow in softplus or cosh)', () => {
    const rbm: Rbm = {
      nv: 2,
      nh: 1,
      visibleUnits: 'pm1',
      hiddenUnits: 'pm1',
      W: Float32Array.of(500, 500),
      a: new Float32Array(2),
      b: new Float32Array(1)
    }
    // F(+,+) = −ln(2 cosh 1000) = −1000 to double precision.
    expect(freeEnergyVisible(rbm, [1, 1])).toBe(-1000)
    const rbm01: Rbm = { ...rbm, visibleUnits: '01', hiddenUnits: '01' }
    expect(freeEnergyVisible(rbm01, [1, 1])).toBe(-1000)
    expect(Math.abs(freeEnergyVisible({ ...rbm01, W: Float32Array.of(-500, -500) }, [1, 1]))).toBeLessThan(1e-300)
  })
  it('names a wrong-length configuration', () => {
    const rbm = randomRbm(3, 2, '01', '01', 1)
    expect(() => freeEnergyVisible(rbm, [1, 0])).toThrow(/v has 2 entries, the layer has 3 units/)
  })
})
