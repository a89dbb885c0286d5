import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel, LatticeSpec } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { chooseExactMethod, describeLattice, exactSolve } from '@core/ising/exact/solve'
import type { ExactResult } from '@core/ising/exact/types'
import { exactAverages } from './reference/mcExactReference'

const model = (spec: LatticeSpec, K: number, h = 0): IsingModel => uniformModel(buildLattice(spec), { K, h })
const square = (
  Lx: number,
  Ly: number,
  periodicX: boolean,
  periodicY: boolean,
  extra: { diagonals?: boolean } = {}
): LatticeSpec => ({ kind: 'square', Lx, Ly, periodicX, periodicY, ...extra })

function solved(m: IsingModel, opts = {}): ExactResult {
  const r = exactSolve(m, opts)
  if ('error' in r) throw new Error(`unexpected error: ${r.error}`)
  return r
}

describe('exactSolve', () => {
  it('picks the preferred method for each kind of model', () => {
    const method = (m: IsingModel) => {
      const c = chooseExactMethod(m)
      return 'method' in c ? c.method : c.error
    }
    expect(method(model({ kind: 'chain', N: 500, periodic: true }, 0.5, 0.1))).toBe('transfer-matrix-1d')
    expect(method(model(square(64, 64, true, true), 0.4))).toBe('kaufman')
    expect(method(model(square(4, 4, true, true), 0.4))).toBe('kaufman')
    // Outside Kaufman's accurate K window a feasible strip wins; an infeasible one leaves Kaufman.
    expect(method(model(square(6, 6, true, true), 3))).toBe('strip-transfer-matrix')
    expect(method(model(square(64, 64, true, true), 3))).toBe('kaufman')
    expect(method(model(square(6, 6, true, true), 0.4, 0.1))).toBe('strip-transfer-matrix')
    expect(method(model(square(200, 10, false, false), 0.4, 0.1))).toBe('strip-transfer-matrix')
    expect(method(model({ kind: 'triangular', Lx: 6, Ly: 4 }, 0.4))).toBe('enumeration')
    expect(method(model(square(4, 5, true, true, { diagonals: true }), 0.4))).toBe('enumeration')
    expect(
      method(
        model(
          {
            kind: 'graph',
            N: 3,
            bonds: [
              [0, 1],
              [1, 2]
            ]
          },
          0.4
        )
      )
    ).toBe('enumeration')
  })

  it('transposes when the short side is Ly: a 300×6 open lattice runs as a 6-wide strip', () => {
    const m = model(square(300, 6, false, false), 0.35, 0.05)
    const r = solved(m) as ExactResult & { along: string; width: number }
    expect(r).toMatchObject({ method: 'strip-transfer-matrix', along: 'x', width: 6, N: 1800 })
    expect(Number.isFinite(r.lnZ)).toBe(true)
  })

  it('gives the same answers whichever method is forced, where several apply (random couplings)', () => {
    const rng = xoshiro128ss(1410)
    const m = model(square(4, 4, true, false), 0)
    for (let i = 0; i < 16; i++) m.fields[i] = 2 * rng.nextFloat() - 1
    for (let b = 0; b < m.couplings.length; b++) m.couplings[b] = 2 * (2 * rng.nextFloat() - 1)
    const strip = solved(m)
    const enumeration = solved(m, { method: 'enumeration' })
    expect(strip.method).toBe('strip-transfer-matrix')
    expect(enumeration.absM).toBeGreaterThan(0)
    for (const k of ['lnZ', 'e', 'c', 'm', 'm2', 'chi'] as const) {
      expectClose(strip[k]!, enumeration[k]!, 1e-12 * Math.max(1, Math.abs(enumeration[k]!)), k)
    }
    const torus = model(square(4, 4, true, true), 0.44)
    const results = (['kaufman', 'strip-transfer-matrix', 'enumeration'] as const).map((method) =>
      solved(torus, { method })
    )
    for (const r of results) expectClose(r.lnZ, results[2].lnZ, 1e-14 * results[2].lnZ, `${r.method} ln Z`)
    const ring = model({ kind: 'chain', N: 12, periodic: true }, 0.7, -0.2)
    expectClose(solved(ring).chi!, solved(ring, { method: 'enumeration' }).chi!, 1e-12, 'ring chi')
  })

  it('completes what the preferred method lacks: |m|, m², χ and χ′ by enumeration for N ≤ 24', () => {
    // SCIENCE.md §5: 4×4 torus at K = 0.4, ln Z = 14.56109302384404 (Kaufman = brute force).
    const torus = model(square(4, 4, true, true), 0.4)
    const r = solved(torus)
    const brute = exactAverages(torus, true, true)
    expect(r.method).toBe('kaufman')
    expectClose(r.lnZ, 14.56109302384404, 1e-12, 'ln Z')
    // Variances (c, χ, χ′) are differences of moments: ~1e-12 relative cancellation either way.
    const tolerance = (k: string, v: number) => (['c', 'chi', 'chiAbs'].includes(k) ? 1e-11 : 1e-12) * Math.max(1, v)
    for (const k of ['e', 'c', 'absM', 'm2', 'chi', 'chiAbs'] as const)
      expectClose(r[k]!, brute[k], tolerance(k, brute[k]), k)
    expect(r.m).toBe(0)
    expect(r.supplementedBy).toEqual({
      absM: 'enumeration',
      m2: 'enumeration',
      chi: 'enumeration',
      chiAbs: 'enumeration'
    })
    // χ′ = N(⟨m²⟩ − ⟨|m|⟩²) and χ = N⟨m²⟩ at zero field: the two conventions differ.
    expectClose(r.chi!, 16 * r.m2!, 1e-12, 'χ = N⟨m²⟩')
    expect(r.chiAbs!).toBeLessThan(r.chi! / 2)
    expect(solved(torus, { method: 'auto' })).toEqual(r)
    // A forced method reports only what it gives.
    const kaufman = solved(torus, { method: 'kaufman' })
    expect(kaufman.supplementedBy).toBeUndefined()
    expect([kaufman.m2, kaufman.chi, kaufman.absM, kaufman.chiAbs]).toEqual([
      undefined,
      undefined,
      undefined,
      undefined
    ])

    const strip = model(square(3, 4, false, false), 0.3, 0.1)
    const s = solved(strip)
    const sBrute = exactAverages(strip, false, false)
    expect(s.method).toBe('strip-transfer-matrix')
    expect(s.supplementedBy).toEqual({ absM: 'enumeration', chiAbs: 'enumeration' })
    for (const k of ['e', 'c', 'm', 'absM', 'm2', 'chi', 'chiAbs'] as const)
      expectClose(s[k]!, sBrute[k], tolerance(k, sBrute[k]), `strip ${k}`)
  })

  it('adds m² and χ to Kaufman by the strip transfer matrix where N > 24 and the strip is cheap', () => {
    const torus = model(square(6, 6, true, true), 0.42)
    const r = solved(torus)
    const strip = solved(torus, { method: 'strip-transfer-matrix' })
    expect(r.method).toBe('kaufman')
    expect(r.supplementedBy).toEqual({ m2: 'strip-transfer-matrix', chi: 'strip-transfer-matrix' })
    expect([r.m2, r.chi]).toEqual([strip.m2, strip.chi])
    expectClose(r.chi!, 36 * r.m2!, 1e-10, 'χ = N⟨m²⟩')
    expect(r.absM).toBeUndefined()
    // Too wide for a strip: Kaufman alone.
    const big = solved(model(square(64, 64, true, true), 0.4))
    expect(big.supplementedBy).toBeUndefined()
    expect(big.m2).toBeUndefined()
  })

  it('returns one clear sentence when no exact method applies', () => {
    expect(exactSolve(model({ kind: 'triangular', Lx: 30, Ly: 30 }, 0.2))).toEqual({
      error:
        'No exact method for a 30×30 triangular lattice: enumeration needs N ≤ 24 and the strip transfer matrix a square lattice no wider than 14.'
    })
    const open = exactSolve(model(square(30, 30, false, false), 0.2))
    expect('error' in open && open.error).toBe(
      "No exact method for a 30×30 open square lattice: enumeration needs N ≤ 24, the strip transfer matrix needs a strip no wider than 14, and Kaufman's formula needs periodic boundaries in both directions."
    )
    const fieldTorus = exactSolve(model(square(16, 16, true, true), 0.2, 0.1))
    expect('error' in fieldTorus && fieldTorus.error).toMatch(
      /^No exact method for a 16×16 periodic square lattice: .*4\^W.*W = 16.*Kaufman's formula holds only in zero field\.$/
    )
    expect(exactSolve(model({ kind: 'graph', N: 30, bonds: [[0, 1]] }, 0.2))).toHaveProperty(
      'error',
      expect.stringMatching(/^No exact method for a graph of 30 sites/)
    )
    expect(exactSolve(model({ kind: 'chain', N: 30, periodic: false }, 0.2), { method: 'kaufman' })).toEqual({
      error:
        "Cannot use kaufman for an open chain of 30 sites: Kaufman's formula needs a square lattice without diagonal bonds."
    })
    expect(describeLattice({ kind: 'square', Lx: 3, Ly: 4, periodicX: true, periodicY: false })).toBe(
      'a 3×4 x-periodic square lattice'
    )
  })

  it('throws a RangeError for malformed models (a programming error, not a user one)', () => {
    const m = model(square(4, 4, true, true), 0.3)
    const bad = { ...m, fields: new Float64Array(15) }
    expect(() => exactSolve(bad)).toThrow(/expected 16 fields, got 15/)
    const nan = model(square(4, 4, true, true), 0.3)
    nan.couplings[3] = Number.NaN
    expect(() => exactSolve(nan)).toThrow(RangeError)
  })
})
