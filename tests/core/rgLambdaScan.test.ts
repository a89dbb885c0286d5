import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { exactCoarseHamiltonian } from '@core/rg/coarseHamiltonian'
import { blockPartition, kadanoffKernel, majorityKernel } from '@core/rg/kernels'
import { lambdaScan } from '@core/rg/lambdaScan'

describe('λ scan of Kadanoff’s kernel', () => {
  const model = uniformModel(buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true }), {
    K: 0.35,
    h: 0
  })
  const p = blockPartition(4, 4, 2, 2)
  const scan = lambdaScan(model, p, [0, 0.5, 1, 2, 8, 40])

  it('keeps the trace condition and ΔF = 0 at every λ', () => {
    for (const point of scan) {
      expect(point.traceResidual, `λ = ${point.lambda}`).toBeLessThan(1e-12)
      expect(Math.abs(point.deltaF), `λ = ${point.lambda}`).toBeLessThan(1e-10)
    }
  })

  it('λ = 0 decouples the hidden spins; the coupling grows with λ toward the majority rule', () => {
    expect(Math.abs(scan[0]!.nearest)).toBeLessThan(1e-12)
    const nearest = scan.map((p) => -p.nearest)
    for (let k = 1; k < nearest.length; k++) expect(nearest[k]!).toBeGreaterThan(nearest[k - 1]!)
    const majority = exactCoarseHamiltonian(model, majorityKernel(p))
    // At λ = 40 every block with s ≠ 0 is decided (the other sign weighs e^{−80} or less) and a
    // tie s = 0 gives ½ each: the majority rule's coarse Hamiltonian.
    const strong = exactCoarseHamiltonian(model, kadanoffKernel(p, 40)).HRG
    let maxDiff = 0
    for (let x = 0; x < strong.length; x++) maxDiff = Math.max(maxDiff, Math.abs(strong[x]! - majority.HRG[x]!))
    expect(maxDiff).toBeLessThan(1e-12)
    expect(scan[scan.length - 1]!.reach).toBeGreaterThan(0)
  })
})
