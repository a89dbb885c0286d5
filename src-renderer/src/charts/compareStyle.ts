import { formatNumber } from '../logic/format'
import { LEVEL_COLORS } from './rgOptions'

// What the comparison's charts (compareOptions.ts, compareLevelOptions.ts) share: axis numbers,
// margins, the two sides' colours and the dashed marker lines.

export const axisNumber = (v: number): string => formatNumber(v, 3)
export const GRID = { left: 62, right: 18, top: 40, bottom: 46 }
export const RG_COLOR = LEVEL_COLORS[0]!
export const DBN_COLOR = LEVEL_COLORS[1]!
export const dashedLine = (label: string, at: { xAxis: number } | { yAxis: number }) => ({
  silent: true,
  symbol: 'none',
  lineStyle: { type: 'dashed' as const, width: 1 },
  // Outside the plot, where it covers no data: a vertical line's label above its top end, a
  // horizontal one's past its right end, in the grid's right margin.
  label: { formatter: label, position: 'end' as const },
  data: [at]
})
