/**
 * The ECharts theme of every chart, from the app's colours (CSS variables on screen; dark text
 * on white for an exported white figure), with type sized by `px` (presenter mode enlarges it).
 */

export interface ChartColors {
  fg: string
  muted: string
  border: string
  panel: string
  accent: string
  /** Colour of reference lines (defaults to muted). */
  reference?: string
}

export function chartTheme(c: ChartColors, px: (n: number) => number): Record<string, unknown> {
  const axis = {
    axisLine: { lineStyle: { color: c.muted } },
    axisTick: { lineStyle: { color: c.muted } },
    axisLabel: { color: c.fg, fontSize: px(13) },
    splitLine: { lineStyle: { color: c.border } },
    nameTextStyle: { color: c.fg, fontSize: px(14) }
  }
  return {
    color: [c.accent, '#d9480f', '#2b8a3e', '#862e9c'],
    backgroundColor: 'transparent',
    textStyle: { color: c.fg, fontSize: px(14) },
    title: { textStyle: { color: c.fg }, subtextStyle: { color: c.muted } },
    valueAxis: axis,
    categoryAxis: axis,
    // ECharts' default line width and symbol sizes, written out so presenter mode can scale them.
    scatter: { symbolSize: px(10) },
    line: {
      lineStyle: { width: px(2) },
      symbolSize: px(4),
      markLine: {
        lineStyle: { color: c.reference ?? c.muted },
        // On a plate of the panel colour, readable where the data line crosses the label.
        label: { color: c.fg, fontSize: px(13), backgroundColor: c.panel, padding: [1, 4], borderRadius: 3 }
      }
    },
    tooltip: { backgroundColor: c.panel, borderColor: c.border, textStyle: { color: c.fg } },
    // ECharts' default legend text is dark grey, unreadable on the dark panel.
    legend: { textStyle: { color: c.fg, fontSize: px(13) }, inactiveColor: c.muted },
    dataZoom: { borderColor: c.border, textStyle: { color: c.muted }, fillerColor: 'rgba(128,128,128,0.15)' }
  }
}
