import { describe, expect, it } from 'vitest'
import { expectClose } from '../helpers/tolerance'
import { buildLattice } from '@core/lattice/build'
import { modelEnergy, uniformModel } from '@core/lattice/model'
import type { IsingModel, LatticeSpec } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { enumerateExact } from '@core/ising/exact/enumeration'

const EPS = Number.EPSILON

/** Fields uniform in ±hScale and couplings uniform in ±kScale (both signs), from a seeded stream. */
function randomModel(spec: LatticeSpec, seed: number, hScale: number, kScale: number): IsingModel {
  const rng = xoshiro128ss(seed)
  const model = uniformModel(buildLattice(spec), { K: 0 })
  for (let i = 0; i < model.fields.length; i++) model.fields[i] = (2 * rng.nextFloat() - 1) * hScale
  for (let b = 0; b < model.couplings.length; b++) model.couplings[b] = (2 * rng.nextFloat() - 1) * kScale
  return model
}

function spinsOf(pattern: number, N: number): Int8Array {
  return Int8Array.from({ length: N }, (_, i) => ((pattern >> i) & 1 ? 1 : -1))
}

/** Every observable by a direct sum over states with modelEnergy (no Gray code, no blocks). */
function bruteForce(model: IsingModel) {
  const N = model.lattice.N
  const states = 1 << N
  const spins = Array.from({ length: states }, (_, p) => spinsOf(p, N))
  const H = Float64Array.from(spins, (v) => modelEnergy(model, v))
  const M = Float64Array.from(spins, (v) => v.reduce((a, x) => a + x, 0))
  const E0 = Math.min(...H)
  const w = H.map((h) => Math.exp(-(h - E0)))
  const z = w.reduce((a, x) => a + x, 0)
  const mean = (f: (p: number) => number) => {
    let s = 0
    for (let p = 0; p < states; p++) s += w[p] * f(p)
    return s / z
  }
  const eH = mean((p) => H[p])
  const eM = mean((p) => M[p])
  const eM2 = mean((p) => M[p] ** 2)
  const eAbs = mean((p) => Math.abs(M[p]))
  const corr = new Float64Array(N * N)
  for (let p = 0; p < states; p++) {
    const v = spins[p]
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) corr[i * N + j] += (w[p] * v[i] * v[j]) / z
  }
  return {
    lnZ: -E0 + Math.log(z),
    e: eH / N,
    c: mean((p) => (H[p] - eH) ** 2) / N,
    m: eM / N,
    absM: eAbs / N,
    m2: eM2 / N ** 2,
    chi: mean((p) => (M[p] - eM) ** 2) / N,
    chiAbs: (eM2 - eAbs * eAbs) / N,
    marginals: Float64Array.from({ length: N }, (_, i) => mean((p) => (p >> i) & 1)),
    corr,
    P: w.map((x) => x / z)
  }
}

describe('enumeration (Gray code, N ≤ 24)', () => {
  it('reproduces the 4×4 torus density of states of SCIENCE.md §5 through P(v) and ln Z', () => {
    const dos = new Map([
      [32, 2],
      [24, 32],
      [20, 64],
      [16, 424],
      [12, 1728],
      [8, 6688],
      [4, 13568],
      [0, 20524],
      [-4, 13568],
      [-8, 6688],
      [-12, 1728],
      [-16, 424],
      [-20, 64],
      [-24, 32],
      [-32, 2]
    ])
    const K = 0.37
    const model = uniformModel(buildLattice({ kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true }), { K })
    const r = enumerateExact(model)
    // Z e^{−K B} P(v), summed over the states of each bond sum B, counts the states g(B).
    const counts = new Map<number, number>()
    for (let p = 0; p < 1 << 16; p++) {
      const B = -modelEnergy(model, spinsOf(p, 16)) / K
      const key = Math.round(B)
      counts.set(key, (counts.get(key) ?? 0) + r.distribution![p] * Math.exp(r.lnZ - K * key))
    }
    for (const [B, g] of dos) expectClose(counts.get(B) ?? 0, g, 1e-9 * g, `g(${B})`)
    expect([...counts.keys()].filter((B) => !dos.has(B) && counts.get(B)! > 1e-9)).toEqual([])
    for (const k of [0.1, 0.4, 1.5]) {
      const lnZ = enumerateExact(uniformModel(model.lattice, { K: k }), { distribution: false }).lnZ
      let z = 0
      for (const [B, g] of dos) z += g * Math.exp(k * B - 32 * k)
      expectClose(lnZ, Math.log(z) + 32 * k, 32 * EPS * lnZ, `ln Z(K=${k}) from the density of states`)
    }
    expectClose(
      enumerateExact(uniformModel(model.lattice, { K: 0.4 })).lnZ,
      14.56109302384404,
      4e-15 * 14.56,
      'ln Z 4×4 K=0.4'
    )
  })

  it('matches a direct sum over states for random fields and couplings of both signs', () => {
    const cases: [LatticeSpec, number][] = [
      [
        {
          kind: 'graph',
          N: 9,
          bonds: [
            [0, 1],
            [1, 2],
            [2, 0],
            [3, 4],
            [4, 5],
            [5, 6],
            [6, 7],
            [7, 8],
            [8, 3],
            [0, 5],
            [2, 8]
          ]
        },
        11
      ],
      [{ kind: 'triangular', Lx: 4, Ly: 3 }, 12],
      [{ kind: 'square', Lx: 7, Ly: 2, periodicX: true, periodicY: false, diagonals: true }, 13]
    ]
    for (const [spec, seed] of cases) {
      const model = randomModel(spec, seed, 0.8, 1.2)
      const r = enumerateExact(model)
      const b = bruteForce(model)
      const N = model.lattice.N
      for (const k of ['lnZ', 'e', 'c', 'm', 'absM', 'm2', 'chi', 'chiAbs'] as const) {
        expectClose(r[k]!, b[k], 1e-12 * Math.max(1, Math.abs(b[k])), `${spec.kind} N=${N} ${k}`)
      }
      for (let i = 0; i < N; i++) expectClose(r.marginals[i], b.marginals[i], 1e-13, `P(v_${i}=+1)`)
      // N = 14 exercises the low–low, high–high and low–high correlation paths (12 low bits).
      for (let k = 0; k < N * N; k++)
        expectClose(r.correlations![k], b.corr[k], 1e-13, `⟨v_${Math.floor(k / N)} v_${k % N}⟩`)
      for (let p = 0; p < 1 << N; p++)
        expectClose(r.distribution![p], b.P[p], 1e-13 * b.P[p] + 1e-300, `P(pattern ${p})`)
    }
  })

  it('labels states by bit pattern (bit i ⇔ v_i = +1): a strong field on site 3 only', () => {
    const model = uniformModel(buildLattice({ kind: 'chain', N: 5, periodic: false }), { K: 0 })
    model.fields[3] = 10
    const r = enumerateExact(model)
    let up = 0
    for (let p = 0; p < 32; p++) if ((p >> 3) & 1) up += r.distribution![p]
    expectClose(up, 1 / (1 + Math.exp(-20)), 4 * EPS, 'P(v_3=+1) from the distribution')
    expectClose(r.marginals[3], up, 4 * EPS, 'marginal of site 3')
    expectClose(r.marginals[0], 0.5, 4 * EPS, 'marginal of free site 0')
  })

  it('does not overflow at |K| = 10: 20 spins, ln Z = −E₀ + ln(degeneracy) + tiny', () => {
    const model = uniformModel(buildLattice({ kind: 'square', Lx: 5, Ly: 4, periodicX: true, periodicY: true }), {
      K: 10
    })
    const r = enumerateExact(model, { correlations: false })
    expect(Number.isFinite(r.lnZ)).toBe(true)
    expect(r.groundEnergy).toBe(-400)
    // Lowest excitations: N single flips at cost 8K.
    expectClose(r.lnZ, 400 + Math.LN2 + Math.log1p(20 * Math.exp(-80)), 4 * EPS * 400, 'ln Z at K=10')
    expectClose(r.m2!, 1, 4 * EPS, '⟨m²⟩ in the ordered state')
    const af = enumerateExact(uniformModel(model.lattice, { K: -10, h: 10 }), { correlations: false })
    expect(Number.isFinite(af.lnZ) && Number.isFinite(af.e!) && Number.isFinite(af.c!)).toBe(true)
  })

  it('runs 2^24 states, with marginals consistent with m and symmetric correlations', () => {
    // Its time (goal ≤ 10 s) is a benchmark row, tests/bench/unitTimings.ts.
    const model = randomModel({ kind: 'triangular', Lx: 6, Ly: 4 }, 24, 0.5, 1)
    const r = enumerateExact(model)
    expect(r.distribution).toBeUndefined()
    // Correlations are symmetric with unit diagonal; marginals agree with ⟨v_i⟩ = 2P − 1 summed into m.
    let m = 0
    for (let i = 0; i < 24; i++) m += 2 * r.marginals[i] - 1
    expectClose(m / 24, r.m!, 1e-13, 'm from marginals')
    expect(r.correlations![5 * 24 + 17]).toBe(r.correlations![17 * 24 + 5])
  })

  it('refuses N > 24 and a distribution above N = 16, naming the value', () => {
    const big = uniformModel(buildLattice({ kind: 'square', Lx: 5, Ly: 5, periodicX: true, periodicY: true }), {
      K: 0.1
    })
    expect(() => enumerateExact(big)).toThrow(/N ≤ 24 .*N = 25/)
    const mid = uniformModel(buildLattice({ kind: 'chain', N: 17, periodic: true }), { K: 0.1 })
    expect(() => enumerateExact(mid, { distribution: true })).toThrow(/N ≤ 16 .*N = 17/)
    expect(enumerateExact(mid).distribution).toBeUndefined()
  })
})
