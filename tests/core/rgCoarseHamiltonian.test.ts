import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { enumerateExact } from '@core/ising/exact/enumeration'
import { exactCoarseHamiltonian } from '@core/rg/coarseHamiltonian'
import { couplingTable } from '@core/rg/couplingTable'
import { decimate1d } from '@core/rg/decimation1d'
import { blockPartition, decimationKernel, kadanoffKernel, majorityKernel, type DenseKernel } from '@core/rg/kernels'
import { spinProductCoefficients, spinProductValues, walshHadamard } from '@core/rg/walsh'

const torus = (L: number, K: number, h = 0) =>
  uniformModel(buildLattice({ kind: 'square', Lx: L, Ly: L, periodicX: true, periodicY: true }), { K, h })

/** A model with random fields and couplings of both signs. */
function randomModel(Lx: number, Ly: number, seed: number): IsingModel {
  const rng = xoshiro128ss(seed)
  const model = uniformModel(buildLattice({ kind: 'square', Lx, Ly, periodicX: true, periodicY: Ly > 2 }), {
    K: 0,
    h: 0
  })
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = 0.6 * (rng.nextFloat() - 0.5)
  for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = 1.2 * (rng.nextFloat() - 0.3)
  return model
}

/** The definition, summed naively: e^{−H^RG(h)} = Σ_v e^{T(v,h) − H(v)} over all (v, h). */
function bruteForce(model: IsingModel, M: number, T: (v: Int8Array, x: number) => number): Float64Array {
  const N = model.lattice.N
  const out = new Float64Array(2 ** M)
  const v = new Int8Array(N)
  for (let x = 0; x < out.length; x++) {
    let sum = 0
    for (let s = 0; s < 2 ** N; s++) {
      for (let i = 0; i < N; i++) v[i] = (s >>> i) & 1 ? 1 : -1
      let H = 0
      for (let i = 0; i < N; i++) H -= model.fields[i] * v[i]
      for (let b = 0; b < model.couplings.length; b++)
        H -= model.couplings[b] * v[model.lattice.bondI[b]] * v[model.lattice.bondJ[b]]
      sum += Math.exp(T(v, x) - H)
    }
    out[x] = -Math.log(sum)
  }
  return out
}

describe('Walsh–Hadamard expansion into spin products', () => {
  it('is its own inverse up to 2^M and round-trips coefficients', () => {
    const rng = xoshiro128ss(3)
    const f = Float64Array.from({ length: 64 }, () => rng.nextFloat() - 0.5)
    const g = Float64Array.from(f)
    walshHadamard(g)
    walshHadamard(g)
    for (let i = 0; i < f.length; i++) expectClose(g[i] / 64, f[i], 1e-15, `f[${i}]`)
    const back = spinProductValues(spinProductCoefficients(f))
    for (let i = 0; i < f.length; i++) expectClose(back[i], f[i], 1e-14, `round trip ${i}`)
  })

  it('finds the couplings of a known spin polynomial', () => {
    // H(h) = 0.5 − 0.3 h0 + 0.7 h1 h2 − 0.2 h0 h1 h2, M = 3; index bit j ⇔ h_j = +1.
    const H = new Float64Array(8)
    for (let x = 0; x < 8; x++) {
      const h = [0, 1, 2].map((j) => ((x >>> j) & 1 ? 1 : -1))
      H[x] = 0.5 - 0.3 * h[0]! + 0.7 * h[1]! * h[2]! - 0.2 * h[0]! * h[1]! * h[2]!
    }
    const J = spinProductCoefficients(H)
    const expected = [0.5, -0.3, 0, 0, 0, 0, 0.7, -0.2]
    expected.forEach((e, S) => expectClose(J[S], e, 1e-15, `J[${S}]`))
  })
})

describe('exact coarse Hamiltonian (SCIENCE.md §2, §7)', () => {
  it('F^v is −ln Z of exact enumeration', () => {
    const model = randomModel(4, 3, 7)
    const result = exactCoarseHamiltonian(model, kadanoffKernel(blockPartition(4, 3, 2, 3), 0.8))
    expectClose(result.Fv, -enumerateExact(model).lnZ, 1e-12, 'F^v')
  })

  it('matches the definition summed naively for Kadanoff, majority and decimation kernels', () => {
    const model = randomModel(4, 2, 11)
    const p = blockPartition(4, 2, 2, 2, { x: true, y: false })
    const kernels = [kadanoffKernel(p, 0.7), majorityKernel(p), decimationKernel(p)]
    for (const kernel of kernels) {
      const T = (v: Int8Array, x: number) =>
        kernel.stat.reduce(
          (t, sites, B) =>
            t +
            kernel.logWeight(
              sites.reduce((s, i) => s + v[i]!, 0),
              (x >>> B) & 1 ? 1 : -1
            ),
          0
        )
      const naive = bruteForce(model, 2, T)
      const exact = exactCoarseHamiltonian(model, kernel)
      naive.forEach((value, x) => expectClose(exact.HRG[x], value, 1e-12, `${kernel.name}: H^RG[${x}]`))
    }
  })

  it('Kadanoff kernels satisfy the trace condition for every λ, and so do majority and decimation (ΔF = 0)', () => {
    const model = randomModel(4, 4, 5)
    const p = blockPartition(4, 4, 2, 2)
    for (const kernel of [
      kadanoffKernel(p, 0),
      kadanoffKernel(p, 0.37),
      kadanoffKernel(p, 4),
      majorityKernel(p),
      decimationKernel(p)
    ]) {
      const r = exactCoarseHamiltonian(model, kernel)
      expect(r.traceResidual, kernel.name).toBeLessThan(1e-12)
      expectClose(r.deltaF, 0, 1e-11, `${kernel.name}: ΔF`)
    }
  })

  it('a kernel violating the trace condition reports its residual and ΔF', () => {
    const model = torus(3, 0.3)
    // T = 0.2 for both values of one hidden spin: Σ_h e^T = 2·e^{0.2} ≠ 1 for every v, so r = ln 2 + 0.2.
    const kernel: DenseKernel = {
      kind: 'dense',
      name: 'constant offset',
      M: 1,
      logWeights: (_v, out) => out.fill(0.2),
      geometry: { Lx: 1, Ly: 1, periodicX: false, periodicY: false }
    }
    const r = exactCoarseHamiltonian(model, kernel)
    expectClose(r.traceResidual, Math.log(2) + 0.2, 1e-14, 'trace residual')
    expectClose(r.deltaF, -(Math.log(2) + 0.2), 1e-12, 'ΔF')
  })

  it('the 1D decimation has only constant, field and nearest-neighbour couplings, equal to the recursion', () => {
    const [K, h, N] = [0.8, 0.3, 16]
    const model = uniformModel(buildLattice({ kind: 'chain', N, periodic: true }), { K, h })
    const kernel = decimationKernel(blockPartition(N, 1, 2, 1, { x: true, y: false }))
    const result = exactCoarseHamiltonian(model, kernel)
    const J = spinProductCoefficients(result.HRG)
    const step = decimate1d(K, h)
    const M = N / 2
    const rows = couplingTable(J, kernel.geometry)
    expect(rows.map((r) => r.shape).sort()).toEqual(['constant', 'field', 'nearest'])
    const byShape = Object.fromEntries(rows.map((r) => [r.shape, r]))
    expectClose(byShape.constant!.value, -M * step.lnA, 1e-12, 'J_∅ = −M ln A')
    expectClose(byShape.field!.value, -step.h, 1e-12, 'J_j = −h′')
    expectClose(byShape.nearest!.value, -step.K, 1e-12, 'J_{j,j+1} = −K′')
    expect(byShape.nearest!.count).toBe(M)
    expect(byShape.field!.count).toBe(M)
    for (const r of rows) expect(r.spread).toBeLessThan(1e-12)
  })

  it('the 2D block-spin Hamiltonian of a torus has translation-invariant couplings with geometry', () => {
    const model = torus(4, 0.3)
    const kernel = kadanoffKernel(blockPartition(4, 4, 2, 2), 1)
    const J = spinProductCoefficients(exactCoarseHamiltonian(model, kernel).HRG)
    const rows = couplingTable(J, kernel.geometry)
    const shapes = rows.map((r) => r.shape)
    expect(shapes).toContain('nearest')
    expect(shapes).toContain('diagonal')
    expect(shapes).toContain('plaquette')
    expect(shapes).not.toContain('field') // h = 0: odd couplings vanish by symmetry
    for (const r of rows) expect(r.spread).toBeLessThan(1e-12)
    const nearest = rows.find((r) => r.shape === 'nearest')!
    expect(nearest.value).toBeLessThan(0) // ferromagnetic: J = −K′ < 0
  })

  it('refuses sizes it cannot enumerate with a sentence', () => {
    expect(() => exactCoarseHamiltonian(torus(5, 0.3), kadanoffKernel(blockPartition(5, 5, 5, 5), 1))).toThrow(
      /above 24/
    )
    expect(() => blockPartition(4, 4, 3, 2)).toThrow(/must divide/)
    expect(() => kadanoffKernel(blockPartition(4, 4, 2, 2), -1)).toThrow(/λ/)
  })
})
