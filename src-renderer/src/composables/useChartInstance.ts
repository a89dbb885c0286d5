import { nextTick, onBeforeUnmount, onMounted, ref, shallowRef, watch, type Ref } from 'vue'
import { echarts, type EChartsOption, type EChartsType } from '../charts/echarts'
import { chartTheme, type ChartColors } from '../logic/chartTheme'
import { presenterScale, scaleChartOption } from '../logic/presenter'

/**
 * An ECharts instance drawn into `el`: it follows the element's size, the app's theme (its CSS
 * variables, light or dark), presenter mode (text, lines and symbols scaled to the enlarged
 * panel), and draws `option` as it changes — off screen only the newest option is kept and drawn
 * when scrolled into view, so a page of streaming charts costs only what is on screen.
 */
export function useChartInstance(el: Ref<HTMLElement | null>, option: () => EChartsOption, presented: Ref<boolean>) {
  const chart = shallowRef<EChartsType | null>(null)
  const problem = ref<string | null>(null)
  /** Canvas when a 2D context exists (fast, PNG export); SVG otherwise (headless tests, odd hosts). */
  const renderer = ref<'canvas' | 'svg'>('canvas')
  const scale = ref(1)
  const shown = (o: EChartsOption): EChartsOption => scaleChartOption(o, scale.value)

  function cssVar(name: string, fallback: string): string {
    const value = el.value ? getComputedStyle(el.value).getPropertyValue(name).trim() : ''
    return value || fallback
  }

  /** The app's colours from its CSS variables, so charts follow light and dark themes. */
  function screenColors(): ChartColors {
    return {
      fg: cssVar('--fg', '#1f2328'),
      muted: cssVar('--muted', '#6e7781'),
      border: cssVar('--border', '#d0d7de'),
      panel: cssVar('--panel', '#ffffff'),
      accent: cssVar('--accent', '#2f6feb'),
      reference: cssVar('--reference', cssVar('--muted', '#6e7781'))
    }
  }

  /** The ECharts theme on screen; type follows the page's base size (presenter mode enlarges it). */
  function themeFromCss(): Record<string, unknown> {
    const base = el.value ? parseFloat(getComputedStyle(document.documentElement).fontSize) || 14 : 14
    return chartTheme(screenColors(), (n) => Math.round((n * base * scale.value) / 14))
  }

  function canvasWorks(): boolean {
    try {
      return !!document.createElement('canvas').getContext('2d')
    } catch {
      return false
    }
  }

  let onScreen = true
  let stale: EChartsOption | null = null
  let visibility: IntersectionObserver | null = null
  let resizeObserver: ResizeObserver | null = null
  let themeObserver: MutationObserver | null = null
  let colorScheme: MediaQueryList | null = null

  function dispose(): void {
    try {
      chart.value?.dispose()
    } catch {
      // A chart that never drew has nothing to release.
    }
    chart.value = null
  }

  function init(): void {
    if (!el.value) return
    dispose()
    renderer.value = canvasWorks() ? 'canvas' : 'svg'
    try {
      const instance = echarts.init(el.value, themeFromCss(), { renderer: renderer.value })
      instance.setOption(shown(option()))
      stale = null
      chart.value = instance
      problem.value = null
    } catch {
      problem.value = 'This chart cannot be drawn here: no canvas is available.'
    }
  }

  /** Draws the option kept while off screen; `now` draws it at once (before an export reads the chart). */
  function applyStale(now = false): void {
    if (stale && chart.value) chart.value.setOption(shown(stale), now ? undefined : { lazyUpdate: true })
    stale = null
  }
  watch(option, (o) => {
    if (onScreen) chart.value?.setOption(shown(o), { lazyUpdate: true })
    else stale = o
  })

  /** Entering or leaving presenter mode redraws at the scale the panel's new size calls for. */
  async function rescale(): Promise<void> {
    await nextTick()
    const box = el.value?.getBoundingClientRect()
    const next = presented.value ? presenterScale(box?.width ?? 0, box?.height ?? 0) : 1
    if (Math.abs(next - scale.value) > 0.04 || (next === 1) !== (scale.value === 1)) {
      scale.value = next
      init()
    } else chart.value?.resize()
  }
  watch(presented, () => void rescale())

  onMounted(() => {
    init()
    if (typeof ResizeObserver !== 'undefined' && el.value) {
      resizeObserver = new ResizeObserver(() => (presented.value ? void rescale() : chart.value?.resize()))
      resizeObserver.observe(el.value)
    }
    if (typeof MutationObserver !== 'undefined') {
      themeObserver = new MutationObserver(init)
      themeObserver.observe(document.documentElement, {
        attributes: true,
        attributeFilter: ['class', 'data-theme', 'style']
      })
    }
    if (typeof IntersectionObserver !== 'undefined' && el.value) {
      visibility = new IntersectionObserver((entries) => {
        onScreen = entries[entries.length - 1]!.isIntersecting
        if (onScreen) applyStale()
      })
      visibility.observe(el.value)
    }
    colorScheme = typeof matchMedia === 'function' ? matchMedia('(prefers-color-scheme: dark)') : null
    colorScheme?.addEventListener?.('change', init)
  })

  onBeforeUnmount(() => {
    resizeObserver?.disconnect()
    visibility?.disconnect()
    themeObserver?.disconnect()
    colorScheme?.removeEventListener?.('change', init)
    dispose()
  })

  return { chart, problem, renderer, screenColors, flush: () => applyStale(true) }
}
