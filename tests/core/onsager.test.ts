/* eslint-disable no-loss-of-precision -- reference values are quoted with every digit their sources give; the
   test compares against the double nearest to each. */
import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import {
  completeEllipticE,
  completeEllipticK,
  KC,
  onsagerEnergyPerSpin,
  onsagerFreeEnergy,
  onsagerSpecificHeat,
  onsagerSpontaneousMagnetization
} from '@core/ising/onsager'

const EPS = Number.EPSILON
/** Catalan's constant G (OEIS A006752). */
const CATALAN = 0.915965594177219015054603514932

/** |actual − expected| ≤ tolerance, with a message naming inputs, difference and tolerance. */
/** f'(x) by the five-point stencil, error O(step⁴). */
function fivePointDerivative(f: (x: number) => number, x: number, step: number): number {
  return (f(x - 2 * step) - 8 * f(x - step) + 8 * f(x + step) - f(x + 2 * step)) / (12 * step)
}

describe('Onsager exact results (SCIENCE.md §5)', () => {
  it('Kc = ½ ln(1+√2) satisfies sinh 2Kc = 1', () => {
    expectClose(Math.sinh(2 * KC), 1, 4 * EPS, 'sinh 2Kc')
    expectClose(KC, 0.44068679350977147, 2 * EPS, 'Kc')
  })

  it('−βf(0.408) = 0.888389209640364 and −βf(Kc) = ln2/2 + 2G/π', () => {
    expectClose(onsagerFreeEnergy(0.408), 0.888389209640364, 1e-12, '−βf(0.408)')
    expectClose(onsagerFreeEnergy(KC), Math.LN2 / 2 + (2 * CATALAN) / Math.PI, 1e-12, '−βf(Kc)')
  })

  it('u(0.408) = −1.15085489096674 and u(Kc) = −√2', () => {
    expectClose(onsagerEnergyPerSpin(0.408), -1.15085489096674, 1e-12, 'u(0.408)')
    expectClose(onsagerEnergyPerSpin(KC), -Math.SQRT2, 8 * EPS, 'u(Kc)')
  })

  it('limits: −βf(0) = ln 2, −βf → 2K and u → −2 deep in the ordered phase', () => {
    expectClose(onsagerFreeEnergy(0), Math.LN2, 4 * EPS, '−βf(0)')
    expectClose(onsagerFreeEnergy(5), 10, 1e-12, '−βf(5)')
    expectClose(onsagerEnergyPerSpin(5), -2, 1e-12, 'u(5)')
    // High-temperature series: −βf = ln 2 + 2 ln cosh K + t⁴ + O(t⁶), t = tanh K, so
    // u = −2t − 4t³(1 − t²) + O(t⁵).
    const t = Math.tanh(0.01)
    expectClose(onsagerEnergyPerSpin(0.01), -2 * t - 4 * t ** 3 * (1 - t * t), 2e-9, 'u(0.01)')
  })

  it('u = −d(−βf)/dK (five-point difference) on both sides of and near Kc', () => {
    for (const K of [0.1, 0.3, 0.408, 0.43, 0.44, 0.4406, 0.45, 0.6, 1.2]) {
      // Keep the stencil well inside one phase: derivatives grow like 1/|K − Kc|^n.
      const step = Math.min(1e-4, Math.abs(K - KC) / 20)
      expectClose(onsagerEnergyPerSpin(K), -fivePointDerivative(onsagerFreeEnergy, K, step), 1e-9, `u(${K})`)
    }
    // Independent high-precision values (30-digit quadrature and differentiation).
    expectClose(onsagerEnergyPerSpin(0.43), -1.3004117202008699795, 8 * EPS * 1.3, 'u(0.43)')
    expectClose(onsagerFreeEnergy(0.43), 0.91525950235249973575, 8 * EPS, '−βf(0.43)')
    expectClose(onsagerFreeEnergy(0.44068), 0.92968579157080045, 8 * EPS, '−βf(0.44068)')
    expectClose(onsagerEnergyPerSpin(0.44), -1.4022269600314212, 8 * EPS * 1.4, 'u(0.44)')
  })

  it('c = Var(H)/N = −K² du/dK (five-point difference), infinite at Kc', () => {
    for (const K of [0.1, 0.3, 0.408, 0.43, 0.45, 0.6, 1.2]) {
      const expected = -K * K * fivePointDerivative(onsagerEnergyPerSpin, K, 1e-4)
      expectClose(onsagerSpecificHeat(K), expected, 1e-8 * Math.max(1, expected), `c(${K})`)
    }
    expect(onsagerSpecificHeat(KC)).toBe(Infinity)
    expect(onsagerSpecificHeat(0.44)).toBeGreaterThan(onsagerSpecificHeat(0.43))
  })

  it('spontaneous magnetisation (Yang): 0 up to Kc, (1 − sinh⁻⁴2K)^{1/8} above', () => {
    expect(onsagerSpontaneousMagnetization(0.3)).toBe(0)
    expect(onsagerSpontaneousMagnetization(KC)).toBe(0)
    const K = 0.5
    expectClose(onsagerSpontaneousMagnetization(K), (1 - Math.sinh(2 * K) ** -4) ** 0.125, 4 * EPS, 'm0(0.5)')
    expectClose(onsagerSpontaneousMagnetization(0.5), 0.91131937787749597752, 4 * EPS, 'm0(0.5) value')
    expect(onsagerSpontaneousMagnetization(KC + 1e-6)).toBeGreaterThan(0)
    // β = 1/8: m0 ∝ (K − Kc)^{1/8} near Kc.
    const ratio = onsagerSpontaneousMagnetization(KC + 2e-8) / onsagerSpontaneousMagnetization(KC + 1e-8)
    expectClose(ratio, 2 ** 0.125, 1e-6, 'critical exponent β')
  })

  it('rejects negative or non-finite K, naming it', () => {
    for (const f of [onsagerFreeEnergy, onsagerEnergyPerSpin, onsagerSpecificHeat, onsagerSpontaneousMagnetization]) {
      expect(() => f(-0.1)).toThrow(/-0\.1/)
      expect(() => f(Number.NaN)).toThrow(/NaN/)
    }
  })
})

describe('complete elliptic integrals by the AGM', () => {
  it('K(0) = E(0) = π/2, E(1) = 1', () => {
    expectClose(completeEllipticK(0), Math.PI / 2, 2 * EPS, 'K(0)')
    expectClose(completeEllipticE(0), Math.PI / 2, 2 * EPS, 'E(0)')
    expect(completeEllipticE(1)).toBe(1)
  })

  it('lemniscatic case k = 1/√2 (DLMF 19.20.2 and Legendre relation 19.7.1)', () => {
    const k = Math.SQRT1_2
    const K = completeEllipticK(k)
    expectClose(K, 1.8540746773013719, 4 * EPS * K, 'K(1/√2)')
    // Legendre: 2 E K − K² = π/2 when k = k'.
    expectClose(2 * completeEllipticE(k) * K - K * K, Math.PI / 2, 16 * EPS, 'Legendre relation')
  })

  it('values checked against an independent high-precision evaluation', () => {
    expectClose(completeEllipticK(0.9), 2.2805491384227703, 8 * EPS * 2.3, 'K(0.9)')
    expectClose(completeEllipticE(0.9), 1.1716970527816141, 8 * EPS * 1.2, 'E(0.9)')
    expect(() => completeEllipticK(1)).toThrow(/\[0, 1\)/)
  })
})
