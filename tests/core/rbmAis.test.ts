import { describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { aisBetas, annealedImportanceLogZ, baseRateVisibleBiases } from '@core/rbm/ais'
import { allConfigurations, exactLogPartition } from '@core/rbm/exact'
import { createGibbsChains, gibbsSteps } from '@core/rbm/sampling'
import type { Rbm } from '@core/rbm/types'
import { randomRbm } from './reference/rbmReference'

/**
 * AIS against exact ln Z on 12 × 10 RBMs with strong weights W ~ N(0, 1) (every hidden unit
 * couples to every visible one with |w| ~ 1, so p(v) is far from the base-rate model).
 * Tolerance: 3 standard errors, the estimator's own error bar.
 */

const INTERMEDIATE = 3000

function describeRun(exact: number, logZ: number, stderr: number): string {
  return `exact ${exact}, AIS ${logZ} ± ${stderr}, (AIS − exact)/σ = ${((logZ - exact) / stderr).toFixed(2)}`
}

describe('AIS ln Z within 3σ of exact ln Z (12 × 10, W ~ N(0,1))', () => {
  for (const [vu, hu] of [
    ['01', '01'],
    ['pm1', 'pm1'],
    ['01', 'pm1']
  ] as const) {
    for (const seed of [1, 2, 3]) {
      it(`${vu}/${hu}, seed ${seed}`, () => {
        const rbm = randomRbm(12, 10, vu, hu, 600 + seed, 1)
        const exact = exactLogPartition(rbm)
        const result = annealedImportanceLogZ(rbm, {
          rng: xoshiro128ss(seed),
          schedule: { kind: 'linear', intermediate: INTERMEDIATE }
        })
        const message = describeRun(exact, result.logZ, result.stderr)
        expect(Math.abs(result.logZ - exact), message).toBeLessThanOrEqual(3 * result.stderr)
        // A sane error bar: positive, small against ln Z and the gap to the base model.
        expect(result.stderr, message).toBeGreaterThan(0)
        expect(result.stderr, message).toBeLessThan(0.1)
        expect(Math.abs(exact - result.logZBase), message).toBeGreaterThan(50 * result.stderr)
        expect(result.effectiveSampleSize).toBeGreaterThan(10)
        expect(result.effectiveSampleSize).toBeLessThanOrEqual(100 + 1e-9)
      })
    }
  }

  it('the error bar matches the scatter of independent runs', () => {
    const rbm = randomRbm(12, 10, '01', '01', 610, 1)
    const exact = exactLogPartition(rbm)
    const estimates: number[] = []
    const stderrs: number[] = []
    for (let seed = 0; seed < 8; seed++) {
      const r = annealedImportanceLogZ(rbm, {
        rng: xoshiro128ss(1000 + seed),
        chains: 50,
        schedule: { kind: 'linear', intermediate: 300 }
      })
      estimates.push(r.logZ)
      stderrs.push(r.stderr)
    }
    const mean = estimates.reduce((s, x) => s + x, 0) / estimates.length
    const scatter = Math.sqrt(estimates.reduce((s, x) => s + (x - mean) ** 2, 0) / (estimates.length - 1))
    const typical = stderrs.reduce((s, x) => s + x, 0) / stderrs.length
    const message = `scatter ${scatter}, mean stderr ${typical}, estimates ${estimates.join(', ')}, exact ${exact}`
    expect(scatter / typical, message).toBeGreaterThan(1 / 3)
    expect(scatter / typical, message).toBeLessThan(3)
    expect(Math.abs(mean - exact), message).toBeLessThan(
      (3 * scatter) / Math.sqrt(estimates.length) + (3 * typical) / Math.sqrt(8)
    )
  })

  it('a base-rate model from data marginals: ln Z_A exact and ln Z within 3σ', () => {
    const rbm = randomRbm(12, 10, '01', '01', 620, 1)
    // "Data": samples of the model itself, so the marginals are informative.
    const chains = createGibbsChains(rbm, 500)
    gibbsSteps(rbm, chains, 50, xoshiro128ss(3))
    const data = { rows: 500, cols: 12, data: chains.v }
    const biases = baseRateVisibleBiases(data, '01')
    const baseRbm: Rbm = { ...rbm, W: new Float32Array(120), a: biases, b: new Float32Array(10) }
    const result = annealedImportanceLogZ(rbm, {
      rng: xoshiro128ss(4),
      base: { data },
      schedule: { kind: 'linear', intermediate: INTERMEDIATE }
    })
    expect(Math.abs(result.logZBase - exactLogPartition(baseRbm))).toBeLessThan(1e-4)
    const exact = exactLogPartition(rbm)
    expect(Math.abs(result.logZ - exact), describeRun(exact, result.logZ, result.stderr)).toBeLessThanOrEqual(
      3 * result.stderr
    )
  })
})

describe('AIS bookkeeping', () => {
  it('is deterministic for a seed and returns the log weights when asked', () => {
    const rbm = randomRbm(6, 5, 'pm1', '01', 630, 1)
    const run = (seed: number) =>
      annealedImportanceLogZ(rbm, {
        rng: xoshiro128ss(seed),
        chains: 20,
        schedule: { kind: 'linear', intermediate: 50 },
        returnLogWeights: true
      })
    const a = run(1)
    expect(run(1)).toEqual(a)
    expect(run(2).logZ).not.toBe(a.logZ)
    expect(a.logWeights?.length).toBe(20)
    const w = a.logWeights as Float64Array
    const max = Math.max(...w)
    const logMean = max + Math.log(w.reduce((s, x) => s + Math.exp(x - max), 0) / 20)
    expect(a.logZ).toBeCloseTo(a.logZBase + logMean, 12)
  })
  it('with W = 0 and the base biases equal to the model’s, every weight is 1 and ln Z is exact', () => {
    const rbm: Rbm = { ...randomRbm(5, 4, '01', '01', 640, 0), b: new Float32Array(4) }
    const result = annealedImportanceLogZ(rbm, {
      rng: xoshiro128ss(1),
      chains: 10,
      schedule: { kind: 'linear', intermediate: 20 },
      base: { visibleBiases: rbm.a }
    })
    expect(result.stderr).toBeLessThan(1e-12)
    expect(Math.abs(result.logZ - exactLogPartition(rbm))).toBeLessThan(1e-5)
  })
  it('validates schedules and base-rate biases', () => {
    expect([...aisBetas({ kind: 'linear', intermediate: 3 })]).toEqual([0, 0.25, 0.5, 0.75, 1])
    expect(() => aisBetas({ kind: 'custom', betas: [0, 0.5, 0.5, 1] })).toThrow(/increase strictly/)
    expect(() => aisBetas({ kind: 'custom', betas: [0, 0.5] })).toThrow(/from 0 to 1/)
    // Marginals 3/4 on, smoothed to (3 + 1)/(4 + 2) = 2/3: logit ln 2; ±1 units take half of it.
    const data = allConfigurations(2, '01')
    const b01 = baseRateVisibleBiases({ rows: 4, cols: 1, data: Float32Array.of(1, 1, 1, 0) }, '01')
    expect(b01[0]).toBeCloseTo(Math.LN2, 6)
    const bpm = baseRateVisibleBiases({ rows: 4, cols: 1, data: Float32Array.of(1, 1, 1, -1) }, 'pm1')
    expect(bpm[0]).toBeCloseTo(Math.LN2 / 2, 6)
    expect(baseRateVisibleBiases(data, '01')[0]).toBeCloseTo(0, 12)
  })
})
