import type { JobFrame } from './types'

/**
 * The one merge of job frames, by the JobFrame contract (types.ts): fields under `series` are
 * appended, every other field is replaced by the newest value. A runner holding back frames
 * (rbmTrain.ts), the broker throttling them for the UI (frameCoalescer.ts) and the web host
 * queueing them for a slow socket (web/frameQueue.ts) all merge with it, so dropping frames
 * anywhere loses no data point of a plotted series.
 */

/** `a` followed by `b`, as a new array (neither input is modified). */
export function concatFloat64(a: Float64Array, b: Float64Array): Float64Array {
  const out = new Float64Array(a.length + b.length)
  out.set(a, 0)
  out.set(b, a.length)
  return out
}

function asFloat64(values: unknown, key: string): Float64Array {
  if (values instanceof Float64Array) return values
  if (ArrayBuffer.isView(values) || Array.isArray(values)) {
    return Float64Array.from(values as ArrayLike<number>)
  }
  throw new TypeError(`frame.series["${key}"] must be a Float64Array, got ${typeof values}`)
}

/**
 * Each series of `older` followed by the same series of `newer` (a series present in only one
 * is kept). Pure: returns a new record and leaves both inputs untouched.
 */
export function appendSeries(
  older: Readonly<Record<string, Float64Array>> | undefined,
  newer: Readonly<Record<string, Float64Array>> | undefined
): Record<string, Float64Array> {
  const series: Record<string, Float64Array> = {}
  for (const [key, values] of Object.entries(older ?? {})) series[key] = asFloat64(values, key)
  for (const [key, values] of Object.entries(newer ?? {})) {
    const tail = asFloat64(values, key)
    const head = series[key]
    series[key] = head === undefined ? tail : concatFloat64(head, tail)
  }
  return series
}

/**
 * Merges a newer frame into an older one: `next`'s plain fields win (a field only `prev` has
 * is kept, as a viewer that saw both frames would still show it), and each `series[k]` is
 * `prev.series[k]` followed by `next.series[k]`. Pure: returns a new frame (or `next` itself
 * when nothing is pending) and leaves both inputs untouched.
 */
export function coalesceFrames<F extends JobFrame>(prev: F | null, next: F): F {
  if (prev === null) return next
  const merged: F = { ...prev, ...next }
  if (prev.series === undefined && next.series === undefined) return merged
  merged.series = appendSeries(prev.series, next.series)
  return merged
}
