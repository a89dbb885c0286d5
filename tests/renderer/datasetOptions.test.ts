import { describe, expect, it } from 'vitest'
import {
  autocorrelationCsv,
  autocorrelationCurve,
  autocorrelationOption,
  correlationCsv,
  correlationOption
} from '../../src-renderer/src/charts/datasetCorrelations'
import {
  detectQuantum,
  energyHistogram,
  histogram,
  histogramCsv,
  histogramOption,
  magnetisationHistogram
} from '../../src-renderer/src/charts/datasetHistograms'
import { readDatasetSummary, thinningFacts } from '../../src-renderer/src/charts/datasetSummary'
import { integratedAutocorrelationTime, summarise } from '@core/stats'

/** A reproducible AR(1) series x_{t+1} = a x_t + noise (uniform noise from a small LCG). */
function ar1(n: number, a: number, seed = 1): Float64Array {
  let s = seed >>> 0
  const rand = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5
  const x = new Float64Array(n)
  for (let t = 1; t < n; t++) x[t] = a * x[t - 1]! + rand()
  return x
}
const sum = (a: number[]) => a.reduce((p, q) => p + q, 0)

describe('histograms', () => {
  it('count every finite sample once', () => {
    const x = ar1(1000, 0.5)
    const h = histogram(x)
    expect(sum(h.counts)).toBe(1000)
    expect(h.total).toBe(1000)
    expect(h.counts.length).toBe(32)
    expect(h.low[0]).toBe(Math.min(...x))
    expect(h.high[h.high.length - 1]).toBeCloseTo(Math.max(...x), 12)
    expect(sum(histogram([1, 2, Number.NaN, Infinity, 3]).counts)).toBe(3)
    expect(histogram([]).counts).toEqual([])
    expect(histogram([2, 2, 2]).counts).toEqual([3])
  })

  it('bin m = M/N in whole multiples of 2/N, centred on the allowed values', () => {
    const N = 16
    const M = Float64Array.from({ length: 500 }, (_, i) => 2 * ((i * 7) % 17) - 16) // M ∈ {−16, −14, …, 16}
    const h = magnetisationHistogram(M, N)
    expect(sum(h.counts)).toBe(500)
    expect(h.counts).toHaveLength(17) // one bin per allowed value: 17 ≤ the 23 bins √500 asks for
    h.low.forEach((lo, b) => {
      expect(h.high[b]! - lo).toBeCloseTo(2 / N, 12)
      expect(lo + 1 / N).toBeCloseTo(-1 + (b * 2) / N, 12) // the bin centre is an allowed m
    })
    const coarse = magnetisationHistogram(M, N, 5)
    expect(sum(coarse.counts)).toBe(500)
    expect(coarse.high[0]! - coarse.low[0]!).toBeCloseTo(8 / N, 12)
  })

  it('finds the energy grid and bins on it', () => {
    const N = 64
    const K = 0.4
    const H = Float64Array.from({ length: 300 }, (_, i) => -K * (2 * N - 4 * ((i * 5) % 13)))
    expect(detectQuantum(Float64Array.from(H, (v) => v / N))).toBeCloseTo((4 * K) / N, 12)
    const h = energyHistogram(H, N)
    expect(sum(h.counts)).toBe(300)
    expect(h.counts.every((c) => c > 0)).toBe(true) // no aliasing gaps
    expect(detectQuantum([0.1, 0.25, 0.7331])).toBeNull()
  })

  it('draws bars on a value axis and exports their edges', () => {
    const h = histogram([0, 1, 1, 2], { bins: 2 })
    const option = histogramOption(h, 'm = M/N') as {
      series: { type: string; data: number[][]; encode: object }[]
      yAxis: { min: number }
    }
    expect(option.series[0]!.type).toBe('custom')
    expect(option.series[0]!.data).toEqual([
      [0, 1, 1],
      [1, 2, 3]
    ])
    expect(option.yAxis.min).toBe(0)
    expect(histogramCsv(h, 'm')).toEqual({
      header: ['m_low', 'm_high', 'count'],
      rows: [
        [0, 1, 1],
        [1, 2, 3]
      ]
    })
  })
})

describe('autocorrelation and correlation charts', () => {
  it('use ρ(t) of integratedAutocorrelationTime up to the window, continue it, and mark the window', () => {
    const x = ar1(4000, 0.8)
    const a = integratedAutocorrelationTime(x)
    const c = autocorrelationCurve('H', 'H', x)!
    expect(c.rho.slice(0, a.rho.length)).toEqual(Array.from(a.rho))
    expect(c.rho.length).toBe(Math.max(3 * a.window, 20) + 1)
    expect(c.rho[0]).toBe(1)
    expect(c.window).toBe(a.window)
    expect(c.tau).toBe(a.tauInt)
    const option = autocorrelationOption([c]) as {
      series: { data: number[][]; markLine: { data: { xAxis: number }[]; lineStyle: { type: string } } }[]
    }
    expect(option.series[0]!.markLine.data[0]!.xAxis).toBe(a.window)
    expect(option.series[0]!.markLine.lineStyle.type).toBe('dashed')
    expect(option.series[0]!.data[3]).toEqual([3, c.rho[3]])
    const csv = autocorrelationCsv([c, autocorrelationCurve('absM', '|M|', x.map(Math.abs))!])
    expect(csv.header).toEqual(['lag', 'rho_H', 'rho_absM'])
    expect(csv.rows[0]!.slice(0, 3)).toEqual([0, 1, 1])
    expect(autocorrelationCurve('H', 'H', [1])).toBeNull()
  })

  it('draw C(r) along x and y and export both columns', () => {
    const c = { x: [1, 0.5, 0.25], y: [1, 0.4] }
    const option = correlationOption(c) as { series: { name: string; data: number[][] }[] }
    expect(option.series.map((s) => s.name)).toEqual(['along x', 'along y'])
    expect(option.series[1]!.data).toEqual([
      [0, 1],
      [1, 0.4]
    ])
    const csv = correlationCsv(c)
    expect(csv.header).toEqual(['r', 'C_x', 'C_y'])
    expect(csv.rows[2]).toEqual([2, 0.25, Number.NaN])
  })
})

describe('reading a saved summary', () => {
  it('takes whatever parts exist', () => {
    const H = ar1(200, 0.3, 3).map((v) => -100 + v)
    const M = ar1(200, 0.3, 5).map((v) => 10 * v)
    const summary = summarise({ H, M, absM: M.map(Math.abs), M2: M.map((m) => m * m) }, 64)
    const full = readDatasetSummary(
      JSON.parse(
        JSON.stringify({
          summary,
          correlation: { x: { 0: 1, 1: 0.3 }, y: null },
          xi: { value: 1.2, error: 0.1 },
          tauIntSweeps: 3.5,
          totalSweeps: 9000
        })
      )
    )
    expect(full.estimates.e).toEqual(summary.e)
    expect(full.estimates.chiAbs).toEqual(summary.chiAbs)
    expect(full.tau.H!.value).toBe(summary.tauInt.H.value)
    expect(full.ess.M2).toBe(summary.ess.M2)
    expect(full.equilibration).toEqual({ ok: summary.equilibration.ok, message: summary.equilibration.message })
    expect(full.correlation).toEqual({ x: [1, 0.3], y: null })
    expect(full.xi).toEqual({ value: 1.2, error: 0.1 })
    expect(full).toMatchObject({ n: 200, tauIntSweeps: 3.5, totalSweeps: 9000 })
    expect(readDatasetSummary(JSON.parse(JSON.stringify(summary))).estimates.u4).toEqual(summary.u4)
    const empty = readDatasetSummary(undefined)
    expect(empty).toMatchObject({ n: null, estimates: {}, tau: {}, equilibration: null, correlation: null, xi: null })
    expect(readDatasetSummary({ summary: { e: { value: 'x' }, c: { value: 1.5 } } }).estimates).toEqual({
      c: { value: 1.5, error: Number.NaN }
    })
  })
})

describe('the thinning facts', () => {
  it('read a recorded pilot, an older record with τ_int only, and a fixed thinning', () => {
    const pilot = {
      pilotSweeps: 8000,
      pilotMaxSweeps: 512_000,
      reliable: true,
      tauSweeps: { e: 2.5, m: 41.25, absM: 3 },
      setBy: 'm'
    }
    expect(thinningFacts({ tauInt: 41.25, thinning: pilot }, null)).toEqual([
      { key: 'tau', label: 'τ_int of the pilot (sweeps)', text: '41.3 of m (sets thin); e 2.50, |m| 3.00' },
      {
        key: 'pilot',
        label: 'pilot (sweeps)',
        text: '8\u202f000 of at most 512\u202f000: τ_int reliable (≥ 100 τ_int)',
        warn: false
      }
    ])
    expect(thinningFacts({ tauInt: 4.5 }, null)).toEqual([
      { key: 'tau', label: 'τ_int of the pilot (sweeps)', text: '4.50' }
    ])
    expect(thinningFacts({ tauInt: null }, 2.25)[0]!.text).toBe('2.25')
    expect(thinningFacts({ tauInt: null }, null)[0]!.text).toBe('not measured (thin fixed)')
    // A malformed record (a newer or hand-edited file) falls back to τ_int.
    expect(thinningFacts({ tauInt: 4.5, thinning: { setBy: 'q' } }, null)).toHaveLength(1)
  })
})
