import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { transferMatrix1d } from '@core/ising/exact/transferMatrix1d'
import { chainLogZFromDecimation, decimate1d, decimationFlow1d } from '@core/rg/decimation1d'

describe('exact 1D decimation (SCIENCE.md §3)', () => {
  it('flows K = 1 to the SCIENCE.md values at h = 0', () => {
    const flow = decimationFlow1d(1.0, 0, 3)
    expectClose(flow[0]!.K, 0.662501373678932, 1e-14, 'K1')
    expectClose(flow[1]!.K, 0.350061138945253, 1e-14, 'K2')
    expectClose(flow[2]!.K, 0.113672067460211, 1e-14, 'K3')
    for (const s of flow) expect(s.h).toBe(0)
  })

  it('satisfies tanh K′ = tanh² K and A = 2√cosh 2K at zero field', () => {
    for (const K of [0.05, 0.3, 0.8, 2.5, -0.7]) {
      const s = decimate1d(K, 0)
      expectClose(Math.tanh(s.K), Math.tanh(K) ** 2, 4e-16, `tanh K′ at K = ${K}`)
      expectClose(s.lnA, Math.log(2 * Math.sqrt(Math.cosh(2 * K))), 4e-15, `ln A at K = ${K}`)
    }
  })

  it('keeps the field odd: h → −h gives h′ → −h′ and the same K′, ln A', () => {
    const a = decimate1d(0.8, 0.3)
    const b = decimate1d(0.8, -0.3)
    expectClose(b.h, -a.h, 1e-15, 'h′')
    expectClose(b.K, a.K, 1e-15, 'K′')
    expectClose(b.lnA, a.lnA, 1e-15, 'ln A')
  })

  it('rebuilds ln Z of every ring N = 2^k from the constants, equal to the transfer matrix', () => {
    for (const [K, h] of [
      [0.5, 0.1],
      [0.8, 0.3],
      [1.5, -0.4],
      [-0.6, 0.2],
      [0.2, 1.3]
    ] as const) {
      for (let k = 2; k <= 14; k++) {
        const N = 2 ** k
        const exact = transferMatrix1d(uniformModel(buildLattice({ kind: 'chain', N, periodic: true }), { K, h })).lnZ
        const rebuilt = chainLogZFromDecimation(N, K, h)
        expectClose(rebuilt, exact, 1e-10 + 1e-13 * Math.abs(exact), `ln Z, N = ${N}, K = ${K}, h = ${h}`)
      }
    }
  })

  it('refuses what it cannot do with a sentence', () => {
    expect(() => chainLogZFromDecimation(12, 0.5, 0)).toThrow(/power of two/)
    expect(() => decimate1d(Number.NaN, 0)).toThrow(/finite/)
    expect(() => decimationFlow1d(0.5, 0, -1)).toThrow(/whole number/)
  })

  it('does not overflow at strong coupling and field', () => {
    const s = decimate1d(400, 300)
    expect(Number.isFinite(s.K) && Number.isFinite(s.h) && Number.isFinite(s.lnA)).toBe(true)
    // 2K ± h ≫ 1: K′ ≈ ¼(4K − 2h) = K − h/2, h′ ≈ h + h = 2h, ln A ≈ ln 2 + ¼(4K + 2h) − ¾ ln 2·… (leading terms)
    expectClose(s.K, 400 - 150, 1e-9, 'K′ asymptote')
    expectClose(s.h, 600, 1e-9, 'h′ asymptote')
  })
})
