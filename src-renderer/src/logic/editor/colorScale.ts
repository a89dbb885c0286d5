import { parseCssColor, type Rgba } from '../colors'

/**
 * Colours of the editor. Couplings K_ij and fields K_i share one diverging scale, zero in the
 * middle and symmetric limits ±limit: ColorBrewer RdBu (Brewer, colorbrewer2.org; listed there as
 * colour-blind safe), blue for negative (antiferromagnetic / field favouring −1), red for positive
 * (ferromagnetic / field favouring +1), near-white for zero. Its lightness is symmetric about
 * zero (CIE L* of ±v agree within 4), so |K| reads the same on both sides.
 */
export type Rgb = [number, number, number]

/** RdBu, 11 classes, from −limit to +limit. */
export const DIVERGING_STOPS: readonly Rgb[] = [
  '053061',
  '2166ac',
  '4393c3',
  '92c5de',
  'd1e5f0',
  'f7f7f7',
  'fddbc7',
  'f4a582',
  'd6604d',
  'b2182b',
  '67001f'
].map((h) => [parseInt(h.slice(0, 2), 16), parseInt(h.slice(2, 4), 16), parseInt(h.slice(4, 6), 16)] as Rgb)

/** Colour of `value` on the scale [−limit, limit] (clamped; NaN → the zero colour). */
export function divergingColor(value: number, limit: number): Rgb {
  if (!(limit > 0)) throw new RangeError(`colour scale limit must be > 0, got ${limit}`)
  const t = Number.isNaN(value) ? 0.5 : Math.min(1, Math.max(0, (value / limit + 1) / 2))
  const pos = t * (DIVERGING_STOPS.length - 1)
  const k = Math.min(DIVERGING_STOPS.length - 2, Math.floor(pos))
  const f = pos - k
  const a = DIVERGING_STOPS[k]
  const b = DIVERGING_STOPS[k + 1]
  return [0, 1, 2].map((c) => Math.round(a[c] + (b[c] - a[c]) * f)) as Rgb
}

export const cssRgb = ([r, g, b]: Rgb): string => `rgb(${r}, ${g}, ${b})`

/** The scale as a CSS gradient, left = −limit, right = +limit (for the legend's colour bar). */
export function colorBarGradient(): string {
  const n = DIVERGING_STOPS.length - 1
  return `linear-gradient(to right, ${DIVERGING_STOPS.map((c, k) => `${cssRgb(c)} ${((100 * k) / n).toFixed(1)}%`).join(', ')})`
}

/** The smallest of 1, 2, 2.5, 5 × 10^k at or above `maxAbs` (1 when everything is zero). */
export function niceLimit(maxAbs: number): number {
  if (!(maxAbs > 0) || !Number.isFinite(maxAbs)) return 1
  const p = 10 ** Math.floor(Math.log10(maxAbs))
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= maxAbs * (1 - 1e-12)) return m * p
  return 10 * p
}

/** Symmetric limit covering every field and coupling of a model. */
export function modelColorLimit(fields: Float64Array, couplings: Float64Array): number {
  let m = 0
  for (let i = 0; i < fields.length; i++) m = Math.max(m, Math.abs(fields[i]))
  for (let b = 0; b < couplings.length; b++) m = Math.max(m, Math.abs(couplings[b]))
  return niceLimit(m)
}

export interface SpinColors {
  up: Rgba
  down: Rgba
}

/** Used when --spin-up / --spin-down are missing or unreadable (the dark theme's values). */
export const SPIN_FALLBACK: SpinColors = { up: [244, 239, 230, 255], down: [31, 59, 99, 255] }

/**
 * Spin colours from the theme's CSS variables. `read(name)` returns a variable's value (e.g.
 * from getComputedStyle); `normalise` may turn any CSS colour into #rrggbb/rgb() (a canvas
 * context does that), otherwise only those forms are understood.
 */
export function spinColors(read: (name: string) => string, normalise: (css: string) => string = (c) => c): SpinColors {
  const pick = (name: string, fallback: Rgba): Rgba => {
    const value = read(name).trim()
    if (!value) return fallback
    return parseCssColor(normalise(value)) ?? parseCssColor(value) ?? fallback
  }
  return { up: pick('--spin-up', SPIN_FALLBACK.up), down: pick('--spin-down', SPIN_FALLBACK.down) }
}

export const cssRgba = ([r, g, b, a]: Rgba): string => `rgba(${r}, ${g}, ${b}, ${+(a / 255).toFixed(3)})`
