import type { ProjectJson } from '@shared/project/types'

/**
 * Presenter mode, as pure functions: which keys do what, the order the arrow keys step through
 * the project's views and a view's panels, and how a chart's own text and lines grow with the
 * room it is given on a projector.
 */

export type PresenterCommand = 'present' | 'leave' | 'nextItem' | 'prevItem' | 'nextPanel' | 'prevPanel'

export interface KeyLike {
  key: string
  ctrlKey?: boolean
  metaKey?: boolean
  altKey?: boolean
}

/**
 * F or P presents; while presenting, ← → step through the views, ↑ ↓ through the view's charts and
 * lattices, Escape (or F, P) leaves. Keys typed into a field are the field's (a slider keeps its arrows).
 */
export function presenterCommand(e: KeyLike, presenting: boolean, typing: boolean): PresenterCommand | null {
  if (e.ctrlKey || e.metaKey || e.altKey || typing) return null
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key
  if (key === 'f' || key === 'p') return presenting ? 'leave' : 'present'
  if (!presenting) return null
  if (key === 'Escape') return 'leave'
  if (key === 'ArrowRight' || key === 'PageDown') return 'nextItem'
  if (key === 'ArrowLeft' || key === 'PageUp') return 'prevItem'
  if (key === 'ArrowDown') return 'nextPanel'
  if (key === 'ArrowUp') return 'prevPanel'
  return null
}

/** Every item with a view, in the tree's order: models, live chains, datasets, trainings, analyses. */
export function projectItemOrder(p: ProjectJson): string[] {
  return [
    ...p.models.map((m) => m.id),
    ...p.runs.map((r) => r.id),
    ...p.datasets.map((d) => d.id),
    ...(p.trainings ?? []).map((t) => t.id),
    ...p.analyses.map((a) => a.id)
  ]
}

/** The views the arrow keys step through: the open tabs when there are several (the talk's slides), else every item. */
export function presentationSequence(tabs: readonly string[], items: readonly string[]): string[] {
  return tabs.length >= 2 ? [...tabs] : [...items]
}

/** The next (delta +1) or previous (−1) entry, stopping at the ends; the first when `current` is not in the list. */
export function stepThrough(sequence: readonly string[], current: string | null, delta: 1 | -1): string | null {
  if (sequence.length === 0) return null
  const at = current === null ? -1 : sequence.indexOf(current)
  if (at < 0) return sequence[0]!
  return sequence[Math.min(sequence.length - 1, Math.max(0, at + delta))]!
}

/**
 * How much a chart's text and lines grow in a presented box of width × height CSS pixels: a
 * chart is designed for about 800 × 450, so the factor follows the box's smaller ratio, from 1.25
 * (a small window still gets larger type) to 2.5.
 */
export function presenterScale(width: number, height: number): number {
  if (!(width > 0) || !(height > 0)) return 1.25
  return Math.min(2.5, Math.max(1.25, Math.min(width / 800, height / 450)))
}

/** Keys whose numeric values are sizes in pixels that a projector needs larger. */
const SIZE_KEYS = new Set([
  'fontSize',
  'width',
  'symbolSize',
  'borderWidth',
  'itemWidth',
  'itemHeight',
  'itemGap',
  'nameGap',
  'margin',
  'length'
])
/** Grid and legend offsets in pixels (not percentages) grow too, so larger labels keep their room. */
const OFFSET_KEYS = new Set(['left', 'right', 'top', 'bottom'])

/**
 * A copy of an ECharts option with its text sizes, line widths, symbol sizes and pixel offsets
 * multiplied by `factor` (percentages, functions, data and typed arrays untouched). Options
 * that leave a size unset get the theme's, which the chart scales separately.
 */
export function scaleChartOption<T>(option: T, factor: number): T {
  if (factor === 1) return option
  return scaleValue(option, factor, '', false) as T
}

function scaleValue(value: unknown, factor: number, key: string, inData: boolean): unknown {
  if (typeof value === 'number') {
    if (inData) return value
    if (SIZE_KEYS.has(key) || OFFSET_KEYS.has(key)) return round(value * factor)
    return value
  }
  if (Array.isArray(value)) {
    // Arrays under `data` are the chart's numbers; a [w, h] symbolSize or a padding array are sizes.
    const sizes = key === 'symbolSize' || key === 'padding'
    return value.map((v) => (sizes && typeof v === 'number' ? round(v * factor) : scaleValue(v, factor, '', inData)))
  }
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = scaleValue(v, factor, k, inData || k === 'data' || k === 'dimensions' || k === 'source')
  }
  return out
}

const round = (v: number): number => Math.round(v * 100) / 100
