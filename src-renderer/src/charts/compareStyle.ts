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
  // A vertical line's label sits above its end, upright; a horizontal one's along it, at the right.
  label: { formatter: label, position: 'xAxis' in at ? ('end' as const) : ('insideEndTop' as const) },
  data: [at]
})
