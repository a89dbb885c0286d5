import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { energy, freeEnergyVisible } from '@core/rbm/energy'
import type { Rbm, UnitKind } from '@core/rbm/types'
import { batchTo01, batchToPm1, rbmToUnits } from '@core/rbm/unitConversion'

/**
 * Property tests of the {0,1} ↔ ±1 conversions (SCIENCE.md §1, src-core/rbm/unitConversion.ts):
 * batches round trip exactly, and a converted RBM gives every configuration the same energy up
 * to the constant C, E_new(y, z) = E_old(x, g) + C, hence the same free energies up to C.
 */

const unitArb = fc.constantFrom<UnitKind>('01', 'pm1')
const weight = fc.float({ min: -2, max: 2, noNaN: true, noDefaultInfinity: true })

const rbmArb: fc.Arbitrary<Rbm> = fc
  .record({
    nv: fc.integer({ min: 1, max: 5 }),
    nh: fc.integer({ min: 1, max: 4 }),
    visibleUnits: unitArb,
    hiddenUnits: unitArb
  })
  .chain(({ nv, nh, visibleUnits, hiddenUnits }) =>
    fc
      .record({
        W: fc.array(weight, { minLength: nv * nh, maxLength: nv * nh }),
        a: fc.array(weight, { minLength: nv, maxLength: nv }),
        b: fc.array(weight, { minLength: nh, maxLength: nh })
      })
      .map(({ W, a, b }) => ({
        nv,
        nh,
        visibleUnits,
        hiddenUnits,
        W: Float32Array.from(W),
        a: Float32Array.from(a),
        b: Float32Array.from(b)
      }))
  )

/** A configuration of n units of the given kind, from n bits. */
const units = (bits: boolean[], kind: UnitKind): number[] => bits.map((on) => (on ? 1 : kind === '01' ? 0 : -1))

/** The bound on fp32 rounding of the converted parameters: a few ulps of the largest energy term. */
const energyScale = (rbm: Rbm): number => 1 + [...rbm.W, ...rbm.a, ...rbm.b].reduce((s, w) => s + Math.abs(w), 0) * 4

describe('unit conversion (property)', () => {
  it('batchTo01(batchToPm1(u)) = u exactly for {0,1} batches, and back for ±1 batches', () => {
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 4 }),
        (bits, cols) => {
          const rows = Math.floor(bits.length / cols) || 1
          const n = rows * cols
          const u = Float32Array.from(units(bits, '01').concat(Array(n).fill(0)).slice(0, n))
          const s = batchToPm1({ rows, cols, data: u })
          expect([...s.data].every((x) => x === 1 || x === -1)).toBe(true)
          expect([...batchTo01(s).data]).toEqual([...u])
        }
      )
    )
  })

  it('means convert as means: probabilities p ↦ 2p − 1 ↦ p (to fp32 rounding)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 16 }), (p) => {
        const batch = { rows: 1, cols: p.length, data: Float32Array.from(p) }
        const back = batchTo01(batchToPm1(batch)).data
        for (let k = 0; k < p.length; k++) expect(Math.abs(back[k]! - batch.data[k]!)).toBeLessThanOrEqual(1e-7)
      })
    )
  })

  it('E_new(y, z) = E_old(x, g) + C for every configuration and every choice of unit types', () => {
    fc.assert(
      fc.property(
        rbmArb,
        unitArb,
        unitArb,
        fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        (rbm, toV, toH, vBits, hBits) => {
          const { rbm: converted, energyOffset } = rbmToUnits(rbm, toV, toH)
          expect(converted.visibleUnits).toBe(toV)
          expect(converted.hiddenUnits).toBe(toH)
          // The same configuration (the same bits) written in the old and in the new units.
          const x = units(vBits.slice(0, rbm.nv), rbm.visibleUnits)
          const g = units(hBits.slice(0, rbm.nh), rbm.hiddenUnits)
          const y = units(vBits.slice(0, rbm.nv), toV)
          const z = units(hBits.slice(0, rbm.nh), toH)
          const tolerance = 1e-6 * energyScale(rbm)
          expect(Math.abs(energy(converted, y, z) - (energy(rbm, x, g) + energyOffset))).toBeLessThanOrEqual(tolerance)
          expect(
            Math.abs(freeEnergyVisible(converted, y) - (freeEnergyVisible(rbm, x) + energyOffset))
          ).toBeLessThanOrEqual(tolerance)
        }
      ),
      { numRuns: 300 }
    )
  })

  it('converting there and back gives the original parameters (to fp32 rounding) and C = 0', () => {
    fc.assert(
      fc.property(rbmArb, unitArb, unitArb, (rbm, toV, toH) => {
        const there = rbmToUnits(rbm, toV, toH)
        const back = rbmToUnits(there.rbm, rbm.visibleUnits, rbm.hiddenUnits)
        const tolerance = 1e-6 * energyScale(rbm)
        expect(Math.abs(there.energyOffset + back.energyOffset)).toBeLessThanOrEqual(tolerance)
        const params = (r: Rbm) => [...r.W, ...r.a, ...r.b]
        const original = params(rbm)
        params(back.rbm).forEach((w, k) => expect(Math.abs(w - original[k]!)).toBeLessThanOrEqual(tolerance))
      })
    )
  })
})
