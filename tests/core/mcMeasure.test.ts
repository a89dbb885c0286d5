import { describe, expect, it } from 'vitest'
import {
  correlationFunction,
  createMeasurements,
  measuredSeries,
  recordSample,
  secondMomentCorrelationLength
} from '@core/ising/mc/measure'
import { createSampler, type McAlgorithm } from '@core/ising/mc/sampler'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { summarise } from '@core/stats/summary'
import { exactAverages, withShiftedCouplings } from './reference/mcExactReference'

const N_SIGMA = 4

function torus(Lx: number, Ly = Lx) {
  return buildLattice({ kind: 'square', Lx, Ly, periodicX: true, periodicY: true })
}

/** Independent replicas (own seeds) give C(r) with an honest error: the spread of replica means. */
function replicaCorrelations(model: IsingModel, algorithm: McAlgorithm, replicas: number, sweeps: number) {
  const runs: { x: Float64Array | null; y: Float64Array | null }[] = []
  for (let k = 0; k < replicas; k++) {
    const sampler = createSampler(model, algorithm, xoshiro128ss(500 + k))
    for (let s = 0; s < 200; s++) sampler.sweep()
    const meas = createMeasurements(model.lattice, sweeps)
    for (let s = 0; s < sweeps; s++) {
      sampler.sweep()
      recordSample(meas, sampler.spins, sampler.energy())
    }
    runs.push(correlationFunction(meas))
  }
  const stats = (pick: (r: (typeof runs)[number]) => Float64Array) =>
    Array.from(pick(runs[0]), (_, r) => {
      const values = runs.map((run) => pick(run)[r])
      const mean = values.reduce((a, v) => a + v, 0) / replicas
      const sd = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (replicas - 1))
      return { mean, error: sd / Math.sqrt(replicas) }
    })
  return { x: stats((r) => r.x!), y: runs[0].y ? stats((r) => r.y!) : [] }
}

describe('measurements against exact enumeration', () => {
  it('C(r) along x and y on an anisotropic 4×4 torus with a field (connected, with site means)', () => {
    const model = uniformModel(torus(4), { K: 0.4, Kx: 0.5, Ky: 0.25, h: 0.1 })
    const exact = exactAverages(model, true, true)
    const measured = replicaCorrelations(model, 'heatbath', 16, 2000)
    expect(measured.x.length).toBe(3)
    for (const [axis, values, reference] of [
      ['x', measured.x, exact.corrX],
      ['y', measured.y, exact.corrY]
    ] as const) {
      values.forEach((v, r) => {
        const z = (v.mean - reference[r]) / v.error
        expect(Math.abs(z), `C_${axis}(${r}) = ${v.mean} ± ${v.error}, exact ${reference[r]}`).toBeLessThan(N_SIGMA)
      })
    }
    // Anisotropy is visible: x correlations are stronger than y at r = 1.
    expect(measured.x[1].mean - measured.y[1].mean).toBeGreaterThan(
      N_SIGMA * Math.hypot(measured.x[1].error, measured.y[1].error)
    )
  })

  it('C(r) on an open 3×3 lattice pairs only sites inside the lattice', () => {
    const model = uniformModel(buildLattice({ kind: 'square', Lx: 3, Ly: 3, periodicX: false, periodicY: false }), {
      K: 0.6
    })
    const exact = exactAverages(model, false, false)
    const measured = replicaCorrelations(model, 'sw', 16, 2000)
    measured.x.forEach((v, r) => {
      expect(
        Math.abs(v.mean - exact.corrX[r]) / v.error,
        `C_x(${r}) = ${v.mean} ± ${v.error}, exact ${exact.corrX[r]}`
      ).toBeLessThan(N_SIGMA)
    })
  })

  it('second-moment ξ (Cooper–Freedman–Preston) on the 4×4 torus; a K off by 0.02 would fail', () => {
    const model = uniformModel(torus(4), { K: 0.35 })
    const exact = exactAverages(model, true, true)
    const shifted = exactAverages(withShiftedCouplings(model, 0.02), true, true)
    const sampler = createSampler(model, 'wolff', xoshiro128ss(77))
    for (let s = 0; s < 500; s++) sampler.sweep()
    const meas = createMeasurements(model.lattice, 40_000, { correlations: false })
    for (let s = 0; s < 40_000; s++) {
      sampler.sweep()
      recordSample(meas, sampler.spins, sampler.energy())
    }
    const { xi, xiX, xiY } = secondMomentCorrelationLength(meas)
    expect(xi).not.toBeNull()
    const text = `ξ = ${xi!.value} ± ${xi!.error}, exact ${exact.xi}, with |K| + 0.02 ${shifted.xi}`
    expect(Math.abs(xi!.value - exact.xi) / xi!.error, text).toBeLessThan(N_SIGMA)
    expect(Math.abs(xi!.value - shifted.xi) / xi!.error, text).toBeGreaterThan(N_SIGMA)
    expect(Math.abs(xiX!.value - xiY!.value)).toBeLessThan(N_SIGMA * Math.hypot(xiX!.error, xiY!.error))
  })

  it('graphs have no axes: no C(r), no ξ', () => {
    const lattice = buildLattice({
      kind: 'graph',
      N: 4,
      bonds: [
        [0, 1],
        [1, 2],
        [2, 3]
      ]
    })
    const meas = createMeasurements(lattice, 10)
    recordSample(meas, Int8Array.of(1, 1, -1, 1), 0)
    expect(correlationFunction(meas)).toEqual({ x: null, y: null })
    expect(() => secondMomentCorrelationLength(meas)).toThrow(/periodic square lattice/)
    expect(measuredSeries(meas).M2[0]).toBe(4)
  })
})

describe('cluster samplers agree with Metropolis on a 16×16 torus at K = 0.44', () => {
  const model = uniformModel(torus(16), { K: 0.44 })
  const SWEEPS = 30_000
  const runs = new Map<string, ReturnType<typeof summarise>>()
  const summary = (m: IsingModel, algorithm: McAlgorithm, seed: number, key: string) => {
    if (!runs.has(key)) {
      const sampler = createSampler(m, algorithm, xoshiro128ss(seed))
      for (let s = 0; s < 2000; s++) sampler.sweep()
      const meas = createMeasurements(m.lattice, SWEEPS, { correlations: false })
      for (let s = 0; s < SWEEPS; s++) {
        sampler.sweep()
        recordSample(meas, sampler.spins, sampler.energy())
      }
      runs.set(key, summarise(measuredSeries(meas), m.lattice.N))
    }
    return runs.get(key)!
  }
  const compare = (a: ReturnType<typeof summarise>, b: ReturnType<typeof summarise>, key: 'e' | 'absM' | 'c') => {
    const z = (a[key].value - b[key].value) / Math.hypot(a[key].error, b[key].error)
    return {
      z,
      text: `${key}: ${a[key].value} ± ${a[key].error} vs ${b[key].value} ± ${b[key].error} (${z.toFixed(2)}σ)`
    }
  }
  for (const algorithm of ['wolff', 'sw'] as const) {
    it(`${algorithm} = Metropolis for e, |m| and c within ${N_SIGMA}σ`, () => {
      const metropolis = summary(model, 'metropolis', 1, 'metropolis')
      const cluster = summary(model, algorithm, 2, algorithm)
      for (const key of ['e', 'absM', 'c'] as const) {
        const d = compare(cluster, metropolis, key)
        expect(Math.abs(d.z), d.text).toBeLessThan(N_SIGMA)
      }
      // Critical slowing down: the cluster algorithm decorrelates |M| faster per sweep.
      expect(cluster.tauInt.absM.value).toBeLessThan(metropolis.tauInt.absM.value)
    })
  }
  it('and Metropolis at K = 0.46 is distinguishable from Wolff at 0.44 (the comparison can fail)', () => {
    const wolff = summary(model, 'wolff', 2, 'wolff')
    const wrong = summary(withShiftedCouplings(model, 0.02), 'metropolis', 3, 'metropolis-0.46')
    expect(Math.abs(compare(wolff, wrong, 'e').z)).toBeGreaterThan(N_SIGMA)
    expect(Math.abs(compare(wolff, wrong, 'absM').z)).toBeGreaterThan(N_SIGMA)
  })
})
