import { inject, provide, ref, watch, type InjectionKey } from 'vue'
import { echarts, type EChartsOption } from '../charts/echarts'
import { chartTheme, type ChartColors } from '../logic/chartTheme'
import { dataUrlToBlob, downloadBlob } from '../logic/download'
import {
  CAPTION_LINE,
  CAPTION_SIZE,
  canvasFigureLayout,
  FIGURE_FONT,
  FIGURE_PAD,
  figureOption,
  LIGHT_FIGURE_COLORS,
  TITLE_SIZE,
  type Figure,
  type FigureBackground
} from '../logic/figureExport'
import type { Mosaic } from '../logic/imageExport'

/**
 * The one place figures are exported from, for every view: charts as SVG or PNG and canvas-drawn
 * images (receptive fields, reconstructions, samples, lattices) as PNG, each with its title and
 * a caption of its parameters, on the background chosen once for all figures. A view states its
 * parameters with `provideFigureCaption`; each chart and image under it uses that caption.
 */

const STORAGE = 'blockspin.figureBackground'
function storedBackground(): FigureBackground {
  try {
    return localStorage.getItem(STORAGE) === 'transparent' ? 'transparent' : 'white'
  } catch {
    return 'white'
  }
}
/** White (the default) or transparent, shared by every export. */
export const figureBackground = ref<FigureBackground>(storedBackground())
watch(figureBackground, (b) => {
  try {
    localStorage.setItem(STORAGE, b)
  } catch {
    // Without storage the choice lasts for this page.
  }
})

const CAPTION: InjectionKey<() => string> = Symbol('figure caption')

/** The parameters of the figures of this view (and the components under it), as a sentence. */
export function provideFigureCaption(caption: () => string): void {
  provide(CAPTION, caption)
}

/** The caption provided by the enclosing view ('' where none is). */
export function useFigureCaption(): () => string {
  return inject(CAPTION, () => '')
}

/** The colours an export draws with: the screen's on a transparent figure, dark on white otherwise. */
const exportColors = (screen: ChartColors, background: FigureBackground): ChartColors =>
  background === 'white' ? { ...LIGHT_FIGURE_COLORS, reference: '#6e7781' } : screen

/** A chart's option drawn off screen with its title and caption, saved as SVG or PNG. */
export function downloadChartFigure(
  format: 'svg' | 'png',
  option: EChartsOption,
  figure: Figure,
  size: { width: number; height: number },
  screen: ChartColors,
  filename: string
): void {
  const background = figureBackground.value
  const { option: exported, height } = figureOption(option, figure, size.width, size.height, background)
  const theme = chartTheme(exportColors(screen, background), (n) => n)
  if (format === 'svg') {
    const chart = echarts.init(null, theme, { renderer: 'svg', ssr: true, width: size.width, height })
    try {
      chart.setOption(exported)
      downloadBlob(new Blob([chart.renderToSVGString()], { type: 'image/svg+xml' }), filename)
    } finally {
      chart.dispose()
    }
    return
  }
  const box = document.createElement('div')
  const chart = echarts.init(box, theme, { renderer: 'canvas', width: size.width, height })
  try {
    chart.setOption(exported)
    const url = chart.getDataURL({
      type: 'png',
      pixelRatio: 2,
      backgroundColor: background === 'white' ? '#ffffff' : 'transparent'
    })
    downloadBlob(dataUrlToBlob(url), filename)
  } finally {
    chart.dispose()
  }
}

/**
 * A canvas-drawn image (a mosaic of lattice-shaped tiles) as a PNG figure: its title above,
 * the image at `scale` pixels per pixel, the caption's lines under it. Nothing without a 2D canvas.
 */
export function downloadCanvasFigure(mosaic: Mosaic, figure: Figure, filename: string, screenFg = '#1f2328'): void {
  const image = document.createElement('canvas')
  image.width = mosaic.width
  image.height = mosaic.height
  const ictx = image.getContext('2d')
  const canvas = document.createElement('canvas')
  const ctx = canvas.getContext('2d')
  if (!ictx || !ctx) return
  const data = ictx.createImageData(mosaic.width, mosaic.height)
  new Uint32Array(data.data.buffer).set(mosaic.pixels)
  ictx.putImageData(data, 0, 0)

  const background = figureBackground.value
  ctx.font = `${CAPTION_SIZE}px ${FIGURE_FONT}`
  const layout = canvasFigureLayout(
    mosaic.width,
    mosaic.height,
    figure.title,
    figure.caption,
    (s) => ctx.measureText(s).width
  )
  canvas.width = layout.width
  canvas.height = layout.height
  if (background === 'white') {
    ctx.fillStyle = '#ffffff'
    ctx.fillRect(0, 0, canvas.width, canvas.height)
  }
  const fg = background === 'white' ? LIGHT_FIGURE_COLORS.fg : screenFg
  ctx.fillStyle = fg
  ctx.textBaseline = 'top'
  ctx.textAlign = 'center'
  ctx.font = `bold ${TITLE_SIZE}px ${FIGURE_FONT}`
  ctx.fillText(figure.title, layout.width / 2, FIGURE_PAD)
  ctx.imageSmoothingEnabled = false
  ctx.drawImage(image, layout.imageX, layout.imageY)
  ctx.textAlign = 'left'
  ctx.font = `${CAPTION_SIZE}px ${FIGURE_FONT}`
  layout.lines.forEach((line, i) => ctx.fillText(line, FIGURE_PAD, layout.captionY + i * CAPTION_LINE))
  canvas.toBlob((blob) => blob && downloadBlob(blob, filename), 'image/png')
}
