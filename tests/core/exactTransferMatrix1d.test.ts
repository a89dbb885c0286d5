import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { enumerateExact } from '@core/ising/exact/enumeration'
import { transferMatrix1d } from '@core/ising/exact/transferMatrix1d'

const EPS = Number.EPSILON

const chain = (N: number, periodic: boolean, K: number, h = 0): IsingModel =>
  uniformModel(buildLattice({ kind: 'chain', N, periodic }), { K, h })

/**
 * The uniform ring in closed form, SCIENCE.md §3: Z = λ+^N + λ−^N,
 * λ± = e^K cosh h ± R, R = √(e^{2K} sinh² h + e^{−2K}), with the analytic derivatives
 * ∂_K λ± = e^K cosh h ± (e^{2K} sinh² h − e^{−2K})/R and ∂_h λ± = e^K sinh h ± e^{2K} sinh h cosh h/R,
 * so e = −(K ∂_K + h ∂_h) ln Z/N and m = ∂_h ln Z/N.
 */
function ring(N: number, K: number, h: number): { lnZ: number; e: number; m: number } {
  const R = Math.sqrt(Math.exp(2 * K) * Math.sinh(h) ** 2 + Math.exp(-2 * K))
  const plus = Math.exp(K) * Math.cosh(h) + R
  const minus = Math.exp(K) * Math.cosh(h) - R
  const r = minus / plus
  const dK = (sign: number) =>
    Math.exp(K) * Math.cosh(h) + (sign * (Math.exp(2 * K) * Math.sinh(h) ** 2 - Math.exp(-2 * K))) / R
  const dh = (sign: number) => Math.exp(K) * Math.sinh(h) + (sign * Math.exp(2 * K) * Math.sinh(h) * Math.cosh(h)) / R
  // ∂ ln Z = N (λ+'/λ+ + r^{N−1} λ−'/λ+)/(1 + r^N).
  const d = (f: (sign: number) => number) => (N * (f(1) / plus + (r ** (N - 1) * f(-1)) / plus)) / (1 + r ** N)
  const lnZK = d(dK)
  const lnZh = d(dh)
  return { lnZ: N * Math.log(plus) + Math.log1p(r ** N), e: -(K * lnZK + h * lnZh) / N, m: lnZh / N }
}

describe('1D transfer matrix', () => {
  it('gives SCIENCE.md §3: N = 10, K = 0.5, h = 0.1 periodic, ln Z = 8.26655436256034', () => {
    expectClose(transferMatrix1d(chain(10, true, 0.5, 0.1)).lnZ, 8.26655436256034, 4 * EPS * 8.27, 'ln Z')
    expectClose(ring(10, 0.5, 0.1).lnZ, 8.26655436256034, 4 * EPS * 8.27, 'closed form')
  })

  it('matches the λ± closed form and its derivatives for rings from 3 to 10⁵ sites', () => {
    for (const [N, K, h] of [
      [3, 0.2, 0.7],
      [11, 1.3, -0.05],
      [1000, 0.8, 0.3],
      [100000, 2, 0.01],
      [64, -0.9, 0.4]
    ] as const) {
      const r = transferMatrix1d(chain(N, true, K, h))
      const exact = ring(N, K, h)
      expectClose(r.lnZ, exact.lnZ, 16 * EPS * Math.abs(exact.lnZ), `ln Z N=${N} K=${K} h=${h}`)
      expectClose(r.e!, exact.e, 1e-13 * Math.max(1, Math.abs(exact.e)), `e N=${N} K=${K} h=${h}`)
      expectClose(r.m!, exact.m, 1e-13, `m N=${N} K=${K} h=${h}`)
    }
  })

  it('reaches the infinite-chain magnetisation m = sinh h / √(sinh² h + e^{−4K})', () => {
    const K = 0.7
    const h = 0.05
    const r = transferMatrix1d(chain(2000, true, K, h))
    // (λ−/λ+)^2000 < 1e-300; the bound allows rounding accumulated over 2000 products (~N·ε).
    expectClose(r.m!, Math.sinh(h) / Math.sqrt(Math.sinh(h) ** 2 + Math.exp(-4 * K)), 1e-12, 'm(N=2000)')
  })

  it('satisfies the decimation identity Z_N(K, h) = A^{N/2} Z_{N/2}(K′, h′) of SCIENCE.md §3', () => {
    const K = 0.6
    const h = 0.3
    const c = (x: number) => Math.cosh(x)
    const Kp = 0.25 * Math.log((c(2 * K + h) * c(2 * K - h)) / c(h) ** 2)
    const hp = h + 0.5 * Math.log(c(2 * K + h) / c(2 * K - h))
    const lnA = Math.LN2 + 0.25 * Math.log(c(2 * K + h) * c(2 * K - h) * c(h) ** 2)
    const full = transferMatrix1d(chain(16, true, K, h)).lnZ
    const half = transferMatrix1d(chain(8, true, Kp, hp)).lnZ
    expectClose(full, 8 * lnA + half, 16 * EPS * full, 'decimated ln Z')
  })

  it('agrees with enumeration for random fields and couplings of both signs, open and periodic', () => {
    const rng = xoshiro128ss(2014)
    for (const [N, periodic] of [
      [2, false],
      [7, false],
      [16, false],
      [3, true],
      [9, true],
      [18, true]
    ] as const) {
      const model = chain(N, periodic, 0)
      for (let i = 0; i < N; i++) model.fields[i] = (2 * rng.nextFloat() - 1) * 1.5
      for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = (2 * rng.nextFloat() - 1) * 2
      const t = transferMatrix1d(model)
      const e = enumerateExact(model, { correlations: false, distribution: false })
      for (const k of ['lnZ', 'f', 'e', 'c', 'm', 'm2', 'chi'] as const) {
        expectClose(
          t[k]!,
          e[k]!,
          1e-12 * Math.max(1, Math.abs(e[k]!)),
          `${periodic ? 'ring' : 'open chain'} N=${N} ${k}`
        )
      }
      expect(t.method).toBe('transfer-matrix-1d')
      expect(t.absM).toBeUndefined()
    }
  })

  it('stays finite at |K| = |h| = 10 on 10⁵ sites (log-rescaled products)', () => {
    const r = transferMatrix1d(chain(100000, false, -10, 10))
    // Néel-like ground states compete with the field: each bond pays ≥ −10, each spin gains ≤ 10.
    expect(Number.isFinite(r.lnZ) && Number.isFinite(r.e!) && Number.isFinite(r.c!) && Number.isFinite(r.chi!)).toBe(
      true
    )
    const ferro = transferMatrix1d(chain(100000, true, 10, 0))
    // ξ ≈ e^{2K}/2 ≫ N: still ordered around the ring, e = −K(t + t^{N−1})/(1 + t^N), t = tanh K.
    const exact = ring(100000, 10, 0)
    expectClose(ferro.lnZ, exact.lnZ, 16 * EPS * ferro.lnZ, 'ln Z at K = 10')
    expectClose(ferro.e!, exact.e, 1e-13 * 10, 'e at K = 10')
    expect(Math.abs(exact.e + 10 * Math.tanh(10))).toBeGreaterThan(1e-8)
  })

  it('refuses lattices that are not chains', () => {
    const square = uniformModel(buildLattice({ kind: 'square', Lx: 3, Ly: 3, periodicX: true, periodicY: true }), {
      K: 1
    })
    expect(() => transferMatrix1d(square)).toThrow(/needs a chain, got a square lattice/)
  })
})
