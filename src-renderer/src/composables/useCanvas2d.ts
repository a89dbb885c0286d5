import type { Ref } from 'vue'
import { spinColors, type SpinColors } from '../logic/editor/colorScale'

/**
 * The 2D context of a canvas, made once (null where there is none: tests), and the theme's
 * colours as that context resolves them (CSS variables and named colours included).
 */
export function useCanvas2d(canvas: Ref<HTMLCanvasElement | null>) {
  let ctx: CanvasRenderingContext2D | null = null

  function context(): CanvasRenderingContext2D | null {
    if (!ctx && canvas.value) {
      try {
        ctx = canvas.value.getContext('2d')
      } catch {
        ctx = null
      }
    }
    return ctx
  }

  /** Spin colours and a CSS variable, read from the canvas's computed style; null without a context. */
  function themeColors(extra = '--accent'): { spins: SpinColors; extra: string } | null {
    const c = context()
    if (!c || !canvas.value) return null
    const style = getComputedStyle(canvas.value)
    const normalise = (css: string): string => {
      c.fillStyle = '#000000'
      c.fillStyle = css
      return String(c.fillStyle)
    }
    return {
      spins: spinColors((name) => style.getPropertyValue(name), normalise),
      extra: style.getPropertyValue(extra).trim()
    }
  }

  return { context, themeColors }
}
