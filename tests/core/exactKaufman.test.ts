import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { enumerateExact } from '@core/ising/exact/enumeration'
import { KAUFMAN_ACCURATE_K, kaufmanCoupling, kaufmanExact, kaufmanTorus } from '@core/ising/exact/kaufman'
import { stripTransferMatrix } from '@core/ising/exact/stripTransferMatrix'
import type { ExactResult } from '@core/ising/exact/types'
import { KC, onsagerEnergyPerSpin, onsagerFreeEnergy, onsagerSpecificHeat } from '@core/ising/onsager'

const EPS = Number.EPSILON

const torus = (Lx: number, Ly: number, K: number) =>
  uniformModel(buildLattice({ kind: 'square', Lx, Ly, periodicX: true, periodicY: true }), { K })

describe("Kaufman's m×n torus", () => {
  it('gives SCIENCE.md §5: 4×4, K = 0.4, ln Z = 14.56109302384404', () => {
    expectClose(kaufmanTorus(4, 4, 0.4).lnZ, 14.56109302384404, 4 * EPS * 14.6, 'ln Z')
  })

  it('agrees with the strip transfer matrix and (≤ 24 sites) enumeration below, at and above Kc', () => {
    const Ks = [0.1, 0.3, 0.4, KC, 0.5, 1, 2]
    for (const [Lx, Ly] of [
      [4, 4],
      [5, 4],
      [4, 5],
      [3, 5],
      [3, 3],
      [7, 3],
      [6, 6],
      [8, 5]
    ] as const) {
      for (const K of Ks) {
        const model = torus(Lx, Ly, K)
        const references: ExactResult[] = [stripTransferMatrix(model)]
        if (Lx * Ly <= 24) references.push(enumerateExact(model, { correlations: false, distribution: false }))
        const k = kaufmanTorus(Lx, Ly, K)
        for (const reference of references) {
          const what = `${Lx}×${Ly} K=${K} vs ${reference.method}`
          expectClose(k.lnZ, reference.lnZ, 1e-14 * reference.lnZ, `${what} ln Z`)
          // e ~ K·O(1), c = Var(H)/N: relative bounds, 1e-10 as promised for KAUFMAN_ACCURATE_K.
          expectClose(k.e!, reference.e!, 1e-11 * Math.abs(reference.e!), `${what} e`)
          expectClose(k.c!, reference.c!, 1e-10 * reference.c!, `${what} c`)
        }
        expect(k.m).toBe(0)
      }
    }
    expect(KAUFMAN_ACCURATE_K).toEqual([1e-3, 2])
  })

  it('covers the antiferromagnet on even tori by symmetry, and tiny K by the high-temperature limit', () => {
    const af = kaufmanTorus(6, 4, -0.45)
    const reference = enumerateExact(torus(6, 4, -0.45), { correlations: false, distribution: false })
    expectClose(af.lnZ, reference.lnZ, 1e-14 * reference.lnZ, 'AF ln Z')
    expectClose(af.e!, reference.e!, 1e-11 * Math.abs(reference.e!), 'AF e')
    expectClose(af.c!, reference.c!, 1e-10 * reference.c!, 'AF c')
    const tiny = kaufmanTorus(5, 7, 1e-9)
    const strip = stripTransferMatrix(torus(5, 7, 1e-9))
    expectClose(tiny.lnZ, strip.lnZ, 4 * EPS * strip.lnZ, 'ln Z at K = 1e-9')
    expectClose(tiny.e!, -2e-18, 1e-30, 'e at K = 1e-9 (−2K tanh K)')
    expectClose(tiny.c!, 2e-18, 1e-30, 'c at K = 1e-9 (2K² sech² K)')
    expect(kaufmanTorus(4, 4, 0)).toMatchObject({ lnZ: 16 * Math.LN2, e: 0, c: 0 })
  })

  it('approaches Onsager: 64×64 at K = 0.3 and 0.5 within 1e-12, finite-size scaling at Kc', () => {
    // Away from Kc the torus corrections to ln Z/N and u are O(e^{−L/ξ}), 1/ξ = 2|K − K*| with
    // tanh K* = e^{−2K}: e^{−40} at K = 0.3 and e^{−14.6}·(tiny amplitude) at K = 0.5 — far below
    // rounding. Below Tc the two ordered states add ln 2 to ln Z exactly in the limit.
    for (const [K, degeneracy] of [
      [0.3, 1],
      [0.5, 2]
    ] as const) {
      const k = kaufmanTorus(64, 64, K)
      expectClose((k.lnZ - Math.log(degeneracy)) / k.N, onsagerFreeEnergy(K), 1e-12, `ln Z/N at K = ${K}`)
      expectClose(k.e! / K, onsagerEnergyPerSpin(K), 1e-12, `u at K = ${K}`)
      expectClose(k.c!, onsagerSpecificHeat(K), 1e-10, `c at K = ${K}`)
    }
    // At Kc (Ferdinand & Fisher, Phys. Rev. 185, 832 (1969)): ln Z/N + βf = A/L² + O(L⁻⁴ ln L)
    // with A ≈ 0.6399, and u − u∞ ∝ 1/L.
    const dF = (L: number) => kaufmanTorus(L, L, KC).lnZ / (L * L) - onsagerFreeEnergy(KC)
    const dU = (L: number) => kaufmanTorus(L, L, KC).e! / KC - onsagerEnergyPerSpin(KC)
    for (const L of [64, 128, 256]) expectClose(L * L * dF(L), 0.63995, 2e-4, `L² Δf at Kc, L = ${L}`)
    expectClose(dU(64) / dU(128), 2, 0.01, 'u − u∞ halves when L doubles at Kc')
  })

  it('handles large tori stably (1024×1024) and is symmetric under m ↔ n', () => {
    const r = kaufmanTorus(1024, 1024, 0.44)
    expect(Number.isFinite(r.lnZ) && Number.isFinite(r.e!) && Number.isFinite(r.c!)).toBe(true)
    expectClose(r.lnZ / r.N, onsagerFreeEnergy(0.44), 1e-5, 'ln Z/N near Kc')
    const a = kaufmanTorus(12, 40, 0.41)
    const b = kaufmanTorus(40, 12, 0.41)
    expectClose(a.lnZ, b.lnZ, 1e-14 * a.lnZ, 'Z(m, n) = Z(n, m)')
    expectClose(a.c!, b.c!, 1e-12 * a.c!, 'c(m, n) = c(n, m)')
  })

  it('says which models it does not cover', () => {
    const lattice = buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: true, periodicY: true })
    expect(kaufmanCoupling(uniformModel(lattice, { K: 0.3, h: 0.1 }))).toEqual({ reason: 'holds only in zero field' })
    expect(kaufmanCoupling(uniformModel(lattice, { K: 0.3, Kx: 0.2 }))).toEqual({
      reason: 'needs the same coupling on every bond'
    })
    expect(kaufmanCoupling(uniformModel(lattice, { K: -0.3 }))).toMatchObject({
      reason: expect.stringMatching(/odd side/)
    })
    const open = buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: true, periodicY: false })
    expect(() => kaufmanExact(uniformModel(open, { K: 0.3 }))).toThrow(/periodic boundaries in both directions/)
    expect(() => kaufmanTorus(2, 5, 0.3)).toThrow(/sides ≥ 3/)
    expect(() => kaufmanTorus(5, 5, -0.3)).toThrow(/frustrated/)
    expect(kaufmanExact(uniformModel(lattice, { K: 0.3 })).lnZ).toBe(kaufmanTorus(5, 4, 0.3).lnZ)
  })
})
