import type {
  CustomSeriesOption,
  CustomSeriesRenderItemAPI,
  CustomSeriesRenderItemParams,
  CustomSeriesRenderItemReturn
} from 'echarts'

/**
 * Error bars for ECharts: a custom series that draws one I-beam (a vertical stroke from
 * value − error to value + error with short caps) per point. Each datum is
 * [x, value, value − error, value + error], so the axis extent includes the whole bar.
 * The bars are drawn silent and share their series name with the points they belong to, so a
 * legend click hides a curve and its bars together.
 */

export interface ErrorPoint {
  x: number
  y: number
  error: number
}

/** [x, y, y − error, y + error]. */
export type ErrorBarDatum = [number, number, number, number]

/** Half-width of a cap in pixels. */
export const ERROR_BAR_CAP = 4

/** Data for `errorBarSeries`: points without a finite value are left out; a missing error draws no bar. */
export function errorBarData(points: readonly ErrorPoint[]): ErrorBarDatum[] {
  const out: ErrorBarDatum[] = []
  for (const p of points) {
    if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue
    const err = Number.isFinite(p.error) && p.error > 0 ? p.error : 0
    out.push([p.x, p.y, p.y - err, p.y + err])
  }
  return out
}

/** Draws one I-beam in pixel space; exported so tests can check the geometry with a fake api. */
export function renderErrorBar(cap: number, color?: string) {
  return (_params: CustomSeriesRenderItemParams, api: CustomSeriesRenderItemAPI): CustomSeriesRenderItemReturn => {
    const x = Number(api.value(0))
    const low = Number(api.value(2))
    const high = Number(api.value(3))
    if (!(high > low)) return { type: 'group', children: [] }
    const [px, pLow] = api.coord([x, low])
    const [, pHigh] = api.coord([x, high])
    const stroke = color ?? (api.visual('color') as string)
    const style = { stroke, lineWidth: 1.2 }
    return {
      type: 'group',
      children: [
        { type: 'line', shape: { x1: px, y1: pLow, x2: px, y2: pHigh }, style },
        { type: 'line', shape: { x1: px - cap, y1: pLow, x2: px + cap, y2: pLow }, style },
        { type: 'line', shape: { x1: px - cap, y1: pHigh, x2: px + cap, y2: pHigh }, style }
      ]
    }
  }
}

export interface ErrorBarOptions {
  color?: string
  cap?: number
  z?: number
}

/** The custom series of I-beams for `points`, named like the series of the points themselves. */
export function errorBarSeries(
  name: string,
  points: readonly ErrorPoint[],
  options: ErrorBarOptions = {}
): CustomSeriesOption {
  return {
    type: 'custom',
    name,
    silent: true,
    animation: false,
    z: options.z ?? 1,
    renderItem: renderErrorBar(options.cap ?? ERROR_BAR_CAP, options.color),
    // Both ends of every bar count for the y extent, so no bar is cut off.
    encode: { x: 0, y: [2, 3] },
    ...(options.color ? { itemStyle: { color: options.color } } : {}),
    tooltip: { show: false },
    data: errorBarData(points)
  }
}
