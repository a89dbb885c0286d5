import type { EChartsOption } from '../charts/echarts'

/**
 * Figures as exported (SVG and PNG of charts, PNG of canvas-drawn images): a title above, a
 * caption stating the figure's parameters below, a white or transparent background, and a
 * legend without pages. Pure layout here; the drawing is in composables/useFigureExport.ts.
 */

export type FigureBackground = 'white' | 'transparent'

export interface Figure {
  title: string
  /** The figure's parameters in a sentence ("Receptive fields of layer 2 of DBN 1600→400→100→25, …"). */
  caption: string
}

export const FIGURE_FONT = 'DejaVu Sans, Helvetica, Arial, sans-serif'
export const TITLE_SIZE = 16
export const CAPTION_SIZE = 12
export const CAPTION_LINE = 17
/** Margin around the title and the caption, in pixels. */
export const FIGURE_PAD = 12
/** Height of the title's band above the figure. */
export const TITLE_BAND = TITLE_SIZE + 2 * FIGURE_PAD

/** Average advance of a caption character, for layouts that cannot measure text (chart exports). */
const CAPTION_CHAR = CAPTION_SIZE * 0.56

/** Words of `text` on lines no wider than `width` by `measure` (a longer word gets a line of its own). */
export function wrapText(
  text: string,
  width: number,
  measure: (s: string) => number = (s) => [...s].length * CAPTION_CHAR
): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word
    if (line && measure(next) > width) {
      lines.push(line)
      line = word
    } else line = next
  }
  if (line) lines.push(line)
  return lines
}

/** Height of the caption's band under the figure for that many lines. */
export const captionBand = (lines: number): number => (lines ? lines * CAPTION_LINE + 2 * FIGURE_PAD : 0)

/** The chart's colours on a white figure: dark text whatever the app's theme. */
export const LIGHT_FIGURE_COLORS = {
  fg: '#1f2328',
  muted: '#57606a',
  border: '#d0d7de',
  panel: '#ffffff',
  accent: '#2f6feb'
}

type Box = { top?: unknown; bottom?: unknown }
const shift = <T extends Box>(box: T, top: number, bottom: number): T => ({
  ...box,
  ...(typeof box.top === 'number' ? { top: box.top + top } : {}),
  ...(typeof box.bottom === 'number' ? { bottom: box.bottom + bottom } : {})
})
const each = <T>(v: T | T[] | undefined, f: (x: T) => T): T | T[] | undefined =>
  v === undefined ? v : Array.isArray(v) ? v.map(f) : f(v)

/**
 * The option as exported at `width` × `height` (the chart's own size): taller by the title's and
 * the caption's bands, the plot and legends moved to keep their place, legends plain (a paged
 * legend exports its arrows and hides entries), the title and caption as ECharts titles.
 * Returns the option and the exported height.
 */
export function figureOption(
  option: EChartsOption,
  figure: Figure,
  width: number,
  height: number,
  background: FigureBackground
): { option: EChartsOption; height: number } {
  const lines = wrapText(figure.caption, width - 2 * FIGURE_PAD)
  const bottom = captionBand(lines.length)
  const o = option as Record<string, unknown>
  const grid = o.grid as Box | Box[] | undefined
  const legend = o.legend as (Box & { type?: string }) | (Box & { type?: string })[] | undefined
  // A grid given without numbers (ECharts' defaults) gets them, so the bands do not cover it.
  const grids = grid ?? { top: 60, bottom: 60 }
  const out = {
    ...option,
    animation: false,
    backgroundColor: background === 'white' ? '#ffffff' : 'transparent',
    grid: each(grids, (g) => shift(g, TITLE_BAND, bottom)),
    legend: each(legend ?? undefined, (l) => ({ ...shift(l, TITLE_BAND, bottom), type: 'plain' })),
    title: [
      {
        text: figure.title,
        left: 'center',
        top: FIGURE_PAD,
        textStyle: { fontSize: TITLE_SIZE, fontWeight: 'bold', fontFamily: FIGURE_FONT }
      },
      {
        text: lines.join('\n'),
        left: FIGURE_PAD,
        bottom: FIGURE_PAD,
        textStyle: { fontSize: CAPTION_SIZE, fontWeight: 'normal', lineHeight: CAPTION_LINE, fontFamily: FIGURE_FONT }
      }
    ]
  } as EChartsOption
  return { option: out, height: height + TITLE_BAND + bottom }
}

/** Where a canvas-drawn figure's parts go: the title, the image (centred), the caption's lines. */
export function canvasFigureLayout(
  imageWidth: number,
  imageHeight: number,
  title: string,
  caption: string,
  measure: (s: string) => number,
  minWidth = 480
): { width: number; height: number; imageX: number; imageY: number; lines: string[]; captionY: number } {
  const width = Math.max(imageWidth + 2 * FIGURE_PAD, minWidth, Math.min(measure(title) + 2 * FIGURE_PAD, 1200))
  const lines = wrapText(caption, width - 2 * FIGURE_PAD, measure)
  const imageY = TITLE_BAND
  return {
    width: Math.ceil(width),
    height: Math.ceil(imageY + imageHeight + captionBand(lines.length)),
    imageX: Math.round((width - imageWidth) / 2),
    imageY,
    lines,
    captionY: imageY + imageHeight + FIGURE_PAD
  }
}
