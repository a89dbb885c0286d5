import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { modelEnergy, uniformModel } from '@core/lattice/model'
import type { IsingModel, LatticeSpec } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { enumerateExact } from '@core/ising/exact/enumeration'
import { transposeSquareModel } from '@core/ising/exact/stripProblem'
import { planStrip, stripTransferMatrix } from '@core/ising/exact/stripTransferMatrix'
import { transferMatrix1d } from '@core/ising/exact/transferMatrix1d'

function randomModel(spec: LatticeSpec, seed: number, hScale: number, kScale: number): IsingModel {
  const rng = xoshiro128ss(seed)
  const model = uniformModel(buildLattice(spec), { K: 0 })
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = (2 * rng.nextFloat() - 1) * hScale
  for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = (2 * rng.nextFloat() - 1) * kScale
  return model
}

const OBSERVABLES = ['lnZ', 'f', 'e', 'c', 'm', 'm2', 'chi'] as const

function expectSameObservables(
  a: Record<string, unknown>,
  b: Record<string, unknown>,
  relative: number,
  what: string
): void {
  for (const k of OBSERVABLES) {
    const x = a[k] as number
    const y = b[k] as number
    expectClose(x, y, relative * Math.max(1, Math.abs(y)), `${what} ${k}`)
  }
}

describe('strip transfer matrix', () => {
  it('agrees with enumeration for random fields and couplings of both signs, all boundary mixes', () => {
    let seed = 100
    for (const [Lx, Ly] of [
      [4, 4],
      [3, 5],
      [5, 3],
      [6, 3]
    ] as const) {
      for (const periodicX of [false, true]) {
        for (const periodicY of [false, true]) {
          const spec: LatticeSpec = { kind: 'square', Lx, Ly, periodicX, periodicY }
          const model = randomModel(spec, seed++, 1, 1.5)
          const exact = enumerateExact(model, { correlations: false, distribution: false })
          for (const along of ['x', 'y'] as const) {
            const r = stripTransferMatrix(model, { along })
            expectSameObservables(
              r as never,
              exact as never,
              1e-12,
              `${Lx}×${Ly} pX=${periodicX} pY=${periodicY} along ${along}`
            )
          }
        }
      }
    }
  })

  it('handles strong couplings (|K| = 10, frustrated) without overflow and with exact ln Z', () => {
    const model = randomModel({ kind: 'square', Lx: 4, Ly: 5, periodicX: true, periodicY: true }, 7, 10, 10)
    const exact = enumerateExact(model, { correlations: false, distribution: false })
    const r = stripTransferMatrix(model)
    expect(Number.isFinite(r.lnZ)).toBe(true)
    expectClose(r.lnZ, exact.lnZ, 1e-13 * Math.abs(exact.lnZ), 'ln Z at |K| ≤ 10')
    expectClose(r.e!, exact.e!, 1e-12 * Math.abs(exact.e!), 'e at |K| ≤ 10')
  })

  it('reduces to the 1D transfer matrix on a single row, read as W = 9, L = 1 and as W = 1, L = 9', () => {
    const row = randomModel({ kind: 'square', Lx: 9, Ly: 1, periodicX: true, periodicY: false }, 5, 0.7, 1.1)
    const chain = uniformModel(buildLattice({ kind: 'chain', N: 9, periodic: true }), { K: 0 })
    chain.fields.set(row.fields)
    chain.couplings.set(row.couplings) // both lattices list bond i as (i, i+1), the last as (8, 0)
    const reference = transferMatrix1d(chain)
    for (const along of ['x', 'y'] as const)
      expectSameObservables(
        stripTransferMatrix(row, { along }) as never,
        reference as never,
        1e-13,
        `row along ${along}`
      )
  })

  it('is invariant under transposing the lattice (model and orientation)', () => {
    const model = randomModel({ kind: 'square', Lx: 5, Ly: 3, periodicX: true, periodicY: false }, 77, 0.6, 1)
    const t = transposeSquareModel(model)
    expect(t.lattice.spec).toMatchObject({ Lx: 3, Ly: 5, periodicX: false, periodicY: true })
    // Same energy for every configuration under (x, y) ↦ (y, x).
    const rng = xoshiro128ss(3)
    for (let trial = 0; trial < 20; trial++) {
      const v = Int8Array.from({ length: 15 }, () => (rng.nextFloat() < 0.5 ? -1 : 1))
      const w = new Int8Array(15)
      for (let i = 0; i < 15; i++) w[(i % 5) * 3 + Math.floor(i / 5)] = v[i]
      expectClose(modelEnergy(t, w), modelEnergy(model, v), 1e-13, `energy of configuration ${trial}`)
    }
    expectSameObservables(stripTransferMatrix(t) as never, stripTransferMatrix(model) as never, 1e-12, 'transposed')
  })

  it('plans the cheaper orientation and avoids the trace when one direction is open', () => {
    const open = uniformModel(buildLattice({ kind: 'square', Lx: 40, Ly: 8, periodicX: true, periodicY: false }), {
      K: 0.3
    })
    expect(planStrip(open)).toMatchObject({ along: 'x', width: 8, length: 40, traced: true })
    const tall = uniformModel(buildLattice({ kind: 'square', Lx: 12, Ly: 40, periodicX: true, periodicY: false }), {
      K: 0.3
    })
    expect(planStrip(tall)).toMatchObject({ along: 'y', width: 12, traced: false })
    const wide = uniformModel(buildLattice({ kind: 'square', Lx: 30, Ly: 30, periodicX: false, periodicY: false }), {
      K: 0.3
    })
    expect(planStrip(wide)).toBeNull()
    // Zero couplings across the periodic seam count as open: no trace needed.
    const seamless = uniformModel(buildLattice({ kind: 'square', Lx: 6, Ly: 6, periodicX: true, periodicY: true }), {
      K: 0.3
    })
    for (let b = 0; b < seamless.couplings.length; b++)
      if (seamless.lattice.bondI[b] >= 30 && seamless.lattice.bondKind[b] === 1) seamless.couplings[b] = 0
    expect(planStrip(seamless)).toMatchObject({ along: 'y', traced: false })
  })

  it('runs a 14-wide strip (14×6 open along the strip) and agrees with the other orientation', () => {
    // Its time (goal ≤ 10 s) is a benchmark row, tests/bench/unitTimings.ts.
    const model = randomModel({ kind: 'square', Lx: 14, Ly: 6, periodicX: true, periodicY: false }, 14, 0.3, 0.6)
    const wide = stripTransferMatrix(model, { along: 'y' })
    expect(wide).toMatchObject({ width: 14, traced: false })
    const narrow = stripTransferMatrix(model, { along: 'x' }) // width 6, traced over the 14-long periodic axis
    expect(narrow).toMatchObject({ width: 6, traced: true })
    expectSameObservables(wide as never, narrow as never, 1e-12, '14×6 two orientations')
  })

  it('refuses diagonal bonds, other lattices and strips too wide, naming why', () => {
    const diag = uniformModel(
      buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true, diagonals: true }),
      { K: 0.3 }
    )
    expect(() => stripTransferMatrix(diag)).toThrow(/without diagonal bonds, got diagonal bonds/)
    const tri = uniformModel(buildLattice({ kind: 'triangular', Lx: 4, Ly: 4 }), { K: 0.3 })
    expect(() => stripTransferMatrix(tri)).toThrow(/got a triangular lattice/)
    const wide = uniformModel(buildLattice({ kind: 'square', Lx: 15, Ly: 20, periodicX: false, periodicY: false }), {
      K: 0.3
    })
    expect(() => stripTransferMatrix(wide, { along: 'y' })).toThrow(/strip width 15 exceeds 14/)
    const torus = uniformModel(buildLattice({ kind: 'square', Lx: 14, Ly: 14, periodicX: true, periodicY: true }), {
      K: 0.3,
      h: 0.1
    })
    expect(() => stripTransferMatrix(torus)).toThrow(/over the limit/)
  })
})
