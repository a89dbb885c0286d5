import type { LineSeriesOption } from 'echarts'
import type { CsvTable } from '../logic/download'
import { formatNumber } from '../logic/format'
import type { CompareLevelView } from './compareData'
import { axisNumber, dashedLine, DBN_COLOR, GRID, RG_COLOR } from './compareStyle'
import type { EChartsOption } from './echarts'
import { errorBarSeries } from './errorBars'
import { histogramCentres } from './rgOptions'

// Chart options and CSVs of one level of the RG vs DBN comparison: m histograms, C(r) and the
// receptive-field sizes (the flow and the similarity per level are in compareOptions.ts).

/** What one configuration gives at a level: its m on both sides and its correlations by distance. */
export interface SampleAtLevel {
  mBlocks: number
  /** m of the units as their mean spin 2p − 1 (the histogram counts them thresholded at ½). */
  mUnits: number
  /** Per-configuration C(r) of the block spins, r in sites of the data lattice. */
  blocks: { r: number; c: number }[]
  units: { r: number; c: number }[]
}

/** The histograms of m of the block spins and of the layer, with this configuration's m marked (dashed, labelled by its value). */
export function mHistogramsOption(level: CompareLevelView, sample?: SampleAtLevel | null): EChartsOption {
  const rg = level.rg.observables?.mHistogram ?? []
  const step = (name: string, color: string, h: number[], at?: number): LineSeriesOption => {
    const x = histogramCentres(h.length)
    return {
      type: 'line',
      name,
      color,
      step: 'middle',
      symbol: 'none',
      animation: false,
      data: h.map((f, k) => [x[k]!, f]),
      ...(at !== undefined && Number.isFinite(at)
        ? { markLine: dashedLine(`${formatNumber(at, 2)}`, { xAxis: at }) }
        : {})
    }
  }
  return {
    animation: false,
    grid: GRID,
    legend: { top: 4, data: ['block spins', 'DBN units'] },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 3) : '—') },
    xAxis: { type: 'value', name: 'm', nameLocation: 'middle', nameGap: 26, min: -1, max: 1 },
    yAxis: {
      type: 'value',
      name: 'fraction',
      nameLocation: 'middle',
      nameGap: 44,
      axisLabel: { formatter: axisNumber }
    },
    series: [
      step('block spins', RG_COLOR, rg, sample?.mBlocks),
      step('DBN units', DBN_COLOR, level.dbn.mHistogram, sample?.mUnits)
    ]
  }
}

/** C(r) of the block spins (with error bars) and the units' correlation by centroid distance; this configuration's dashed. */
export function correlationOption(level: CompareLevelView, sample?: SampleAtLevel | null): EChartsOption {
  const b = level.blockSide
  const blocks = (level.rg.observables?.correlation ?? [])
    .map((e, r) => ({ x: r * b, y: e.value, error: e.error }))
    .filter((p) => Number.isFinite(p.y))
  const units = level.dbn.correlationByDistance.filter((p) => Number.isFinite(p.c))
  const line = (name: string, color: string, data: number[][], dashed = false): LineSeriesOption => ({
    type: 'line',
    name,
    color,
    symbol: dashed ? 'none' : 'circle',
    symbolSize: 5,
    animation: false,
    data,
    ...(dashed ? { lineStyle: { type: 'dashed', width: 1 } } : {})
  })
  const series: (LineSeriesOption | ReturnType<typeof errorBarSeries>)[] = [
    line(
      'block spins',
      RG_COLOR,
      blocks.map((p) => [p.x, p.y, p.error])
    ),
    errorBarSeries('block spins', blocks, { color: RG_COLOR }),
    line(
      'DBN units',
      DBN_COLOR,
      units.map((p) => [p.r, p.c, p.pairs])
    )
  ]
  if (sample) {
    series.push(
      line(
        'this sample: blocks',
        RG_COLOR,
        sample.blocks.map((p) => [p.r, p.c]),
        true
      )
    )
    series.push(
      line(
        'this sample: units (2p − 1)',
        DBN_COLOR,
        sample.units.map((p) => [p.r, p.c]),
        true
      )
    )
  }
  return {
    animation: false,
    grid: GRID,
    // The dashed curves (this sample) are named in the panel's title, not the legend.
    legend: { top: 4, data: ['block spins', 'DBN units'] },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 3) : '—') },
    xAxis: { type: 'value', name: 'distance (sites of the data lattice)', nameLocation: 'middle', nameGap: 26, min: 0 },
    yAxis: {
      type: 'value',
      name: 'C(r)',
      nameLocation: 'middle',
      nameGap: 44,
      scale: true,
      axisLabel: { formatter: axisNumber }
    },
    series
  }
}

/** RMS radius of a uniform b × b block of sites about its centre: √((b² − 1)/6). */
export const uniformBlockSize = (b: number): number => Math.sqrt((b * b - 1) / 6)

/** Histogram of receptive-field sizes (10 bins over [0, bˡ√2]) against the size of a uniform bˡ × bˡ block. */
export function sizeHistogramOption(level: CompareLevelView): EChartsOption {
  const h = level.dbn.sizeHistogram
  const top = level.blockSide * Math.SQRT2
  const w = top / (h.length || 1)
  // Bars on a value axis as a filled step line over the bin edges (each bin drawn [k·w, (k + 1)·w]).
  const bars: LineSeriesOption = {
    type: 'line',
    name: 'units',
    color: DBN_COLOR,
    step: 'end',
    symbol: 'none',
    animation: false,
    areaStyle: { opacity: 0.5 },
    data: [...h.map((n, k) => [k * w, n]), [top, h[h.length - 1] ?? 0]],
    markLine: dashedLine(`uniform ${level.blockSide}×${level.blockSide} block`, {
      xAxis: uniformBlockSize(level.blockSide)
    })
  }
  return {
    animation: false,
    grid: GRID,
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? formatNumber(v, 3) : '—') },
    xAxis: {
      type: 'value',
      name: 'RMS radius of the field (sites; last bin: all larger)',
      nameLocation: 'middle',
      nameGap: 26,
      min: 0,
      max: top
    },
    yAxis: { type: 'value', name: 'units', nameLocation: 'middle', nameGap: 44, minInterval: 1 },
    series: [bars]
  }
}

export const mHistogramsCsv = (level: CompareLevelView): CsvTable => {
  const rg = level.rg.observables?.mHistogram ?? []
  const x = histogramCentres(rg.length)
  return {
    header: ['m', 'block_spins', 'dbn_units'],
    rows: x.map((m, k) => [m, rg[k]!, level.dbn.mHistogram[k] ?? Number.NaN])
  }
}
export const correlationCsv = (level: CompareLevelView): CsvTable => ({
  header: ['units', 'r_sites', 'C', 'C_error', 'pairs'],
  rows: [
    ...(level.rg.observables?.correlation ?? []).map((e, r) => [0, r * level.blockSide, e.value, e.error, Number.NaN]),
    ...level.dbn.correlationByDistance.map((p) => [1, p.r, p.c, Number.NaN, p.pairs])
  ]
})
export const sizeHistogramCsv = (level: CompareLevelView): CsvTable => {
  const h = level.dbn.sizeHistogram
  const top = level.blockSide * Math.SQRT2
  return {
    header: ['size_from', 'size_to', 'units'],
    rows: h.map((n, k) => [(k * top) / h.length, ((k + 1) * top) / h.length, n])
  }
}
