/**
 * The live view's layout from its size. The lattice is as large as the height left by the
 * charts' row (35 % of the view, 180 to 340 px) and the width left by the controls' column
 * allow; the square lattice's colour legend sits in the controls' column (a general model's
 * drawing keeps its legend below it), so the charts get that height. A wide view (at least 7:5, such as 1920×1080 beside the tree and inspector) gives the
 * lattice the whole height and stacks the charts under the controls. Computed here and set as
 * a pixel size, not with CSS container queries, whose re-evaluation on every frame's text
 * change cost the page several milliseconds of style work per frame.
 */

export interface LiveLayout {
  /** Side of the lattice's square in CSS pixels. */
  side: number
  /** Lattice over the whole height, charts stacked under the controls. */
  wide: boolean
}

/** Widths and heights in rem (the root font size), as the stylesheet has them. */
export const LAYOUT_REM = { pad: 0.75, gap: 0.75, legend: 1.9, controls: 26, controlsWide: 34, minSide: 12 }
export const WIDE_ASPECT = 7 / 5

/** Share of the view's height the charts' row takes when the lattice is not beside the whole height. */
export const CHARTS_SHARE = 0.35

export function liveLayout(width: number, height: number, remPx = 16, legendBelow = false): LiveLayout {
  const r = (v: number): number => v * remPx
  const wide = height > 0 && width / height >= WIDE_ASPECT
  const inner = { w: width - 2 * r(LAYOUT_REM.pad), h: height - 2 * r(LAYOUT_REM.pad) }
  const charts = Math.min(340, Math.max(180, CHARTS_SHARE * height))
  const legend = legendBelow ? r(LAYOUT_REM.legend) : 0
  const byHeight = wide ? inner.h - legend : inner.h - charts - r(LAYOUT_REM.gap) - legend
  const byWidth = inner.w - r(LAYOUT_REM.gap) - r(wide ? LAYOUT_REM.controlsWide : LAYOUT_REM.controls)
  return { side: Math.floor(Math.max(r(LAYOUT_REM.minSide), Math.min(byHeight, byWidth))), wide }
}
