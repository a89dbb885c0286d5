import type { LegendComponentOption } from 'echarts'

/**
 * A legend under the plot that wraps onto as many lines as its entries need, instead of a
 * paginated ("1/2") strip above it that cuts names off. The builders do not know the chart's
 * width, so the lines are counted for a narrow chart (the grids' ~420 px minimum) and the
 * plot's bottom margin leaves that much room; on a wider chart the legend takes fewer lines.
 */

/** Width in pixels the lines are counted for. */
export const LEGEND_WIDTH = 400
const ICON = 25 + 5
const GAP = 10
const LINE = 22
/** Average advance of a character of the legend's 13 px sans-serif text. */
const CHAR = 7.4

/** Estimated width in pixels of one legend entry (icon, text and the gap after it). */
export const legendItemWidth = (name: string): number => ICON + Math.ceil([...name].length * CHAR) + GAP

/** Lines the entries take when laid out left to right, wrapping at `width`. */
export function legendLines(names: readonly string[], width = LEGEND_WIDTH): number {
  if (!names.length) return 0
  let lines = 1
  let used = 0
  for (const name of names) {
    const w = legendItemWidth(name)
    if (used > 0 && used + w > width) {
      lines++
      used = 0
    }
    used += w
  }
  return lines
}

/**
 * The legend (plain, wrapping, centred under the plot) and the plot's bottom margin: the x axis
 * with its name (`axis` pixels) and the legend's lines.
 */
export function legendBelow(
  names: readonly string[],
  axis = 48,
  width = LEGEND_WIDTH
): { legend: LegendComponentOption; gridBottom: number } {
  const lines = legendLines(names, width)
  return {
    legend: { type: 'plain', bottom: 4, left: 'center', width: '92%', itemGap: GAP, data: [...names] },
    gridBottom: axis + (lines ? lines * LINE + 6 : 0)
  }
}
