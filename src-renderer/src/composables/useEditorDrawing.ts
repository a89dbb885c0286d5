import { onBeforeUnmount, onMounted, watch, type Ref, type ShallowRef } from 'vue'
import type { IsingModel } from '@core/lattice/types'
import { packRgba } from '../logic/colors'
import { SPIN_FALLBACK, type SpinColors } from '../logic/editor/colorScale'
import { drawLattice } from '../logic/editor/draw'
import type { View } from '../logic/editor/geometry'
import { useCanvas2d } from './useCanvas2d'

export interface EditorDrawingDeps {
  canvas: Ref<HTMLCanvasElement | null>
  /** The element whose size the canvas takes. */
  box: Ref<HTMLElement | null>
  size: Ref<{ width: number; height: number }>
  view: ShallowRef<View>
  /** The colour scale's limit for fields and couplings. */
  limit: Ref<number>
  hover: Ref<{ site: number | null; bond: number | null }>
  /** Bumped by the editor after each edit it emits (the arrays change in place). */
  localRevision: Ref<number>
  source: () => { model: IsingModel; spins: Int8Array; revision?: number }
  /** Fits the view to the lattice (on a resize). */
  fit: () => void
}

/**
 * The lattice editor's drawing: one frame per change (requestAnimationFrame), a one-pixel-per-site
 * bitmap for zoomed-out grids repainted only when the spins change, the theme's colours re-read
 * when the document's theme changes, and the canvas sized to its box (a refit when it resizes).
 * Returns `schedule`, which the editor calls after anything it changes.
 */
export function useEditorDrawing(deps: EditorDrawingDeps): { schedule: () => void } {
  const { canvas, box, size, view, limit, hover, localRevision, fit } = deps
  const src = deps.source
  let colors: SpinColors = SPIN_FALLBACK
  let accent = '#5aa9ff'
  let bitmap: { canvas: HTMLCanvasElement; ctx: CanvasRenderingContext2D; image: ImageData; key: unknown[] } | null =
    null
  let frame: number | null = null
  let observer: ResizeObserver | null = null
  let themeObserver: MutationObserver | null = null
  const onTheme = (): void => {
    readTheme()
    schedule()
  }

  const { context, themeColors } = useCanvas2d(canvas)

  function readTheme(): void {
    const theme = themeColors()
    if (!theme) return
    colors = theme.spins
    accent = theme.extra || accent
  }

  /** One pixel per site (grids only), for the zoomed-out path. */
  function spinBitmap(): CanvasImageSource | null {
    const { Lx, Ly, N, spec } = src().model.lattice
    if (spec.kind === 'graph' || Lx * Ly !== N) return null
    if (!bitmap || bitmap.image.width !== Lx || bitmap.image.height !== Ly) {
      const el = document.createElement('canvas')
      Object.assign(el, { width: Lx, height: Ly })
      const c = el.getContext('2d')
      if (!c) return null
      bitmap = { canvas: el, ctx: c, image: c.createImageData(Lx, Ly), key: [] }
    }
    // Repaint only when the spins (or their colours) changed, not on hover or pan.
    const key = [src().spins, src().revision, localRevision.value, colors]
    if (key.every((k, n) => k === bitmap!.key[n])) return bitmap.canvas
    bitmap.key = key
    const pixels = new Uint32Array(bitmap.image.data.buffer)
    const [up, down] = [packRgba(colors.up), packRgba(colors.down)]
    for (let i = 0; i < N; i++) pixels[i] = src().spins[i] > 0 ? up : down
    bitmap.ctx.putImageData(bitmap.image, 0, 0)
    return bitmap.canvas
  }

  function draw(): void {
    frame = null
    const el = canvas.value
    const c = context()
    if (!el || !c) return
    const dpr = window.devicePixelRatio || 1
    const { width, height } = size.value
    if (el.width !== Math.round(width * dpr) || el.height !== Math.round(height * dpr))
      Object.assign(el, { width: Math.round(width * dpr), height: Math.round(height * dpr) })
    drawLattice(c, {
      model: src().model,
      spins: src().spins,
      view: view.value,
      width,
      height,
      dpr,
      colors,
      limit: limit.value,
      spinImage: view.value.scale < 8 ? spinBitmap() : null,
      hoverSite: hover.value.site,
      hoverBond: hover.value.bond,
      accent
    })
  }

  function schedule(): void {
    if (frame === null)
      frame = typeof requestAnimationFrame === 'function' ? requestAnimationFrame(draw) : window.setTimeout(draw, 16)
  }

  function measure(): void {
    const el = box.value
    if (!el || el.clientWidth === 0 || el.clientHeight === 0) return
    const refit = size.value.width !== el.clientWidth || size.value.height !== el.clientHeight
    size.value = { width: el.clientWidth, height: el.clientHeight }
    if (refit) fit()
    schedule()
  }

  watch(() => [src().model, src().spins, src().revision, view.value], schedule)
  onMounted(() => {
    readTheme()
    measure()
    schedule()
    if (typeof ResizeObserver !== 'undefined' && box.value) {
      observer = new ResizeObserver(measure)
      observer.observe(box.value)
    }
    if (typeof MutationObserver !== 'undefined') {
      themeObserver = new MutationObserver(onTheme)
      themeObserver.observe(document.documentElement, {
        attributes: true,
        attributeFilter: ['class', 'data-theme', 'style']
      })
    }
  })
  onBeforeUnmount(() => {
    observer?.disconnect()
    themeObserver?.disconnect()
    if (frame !== null) (typeof cancelAnimationFrame === 'function' ? cancelAnimationFrame : window.clearTimeout)(frame)
  })

  return { schedule }
}
