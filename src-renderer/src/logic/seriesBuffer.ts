/**
 * A growable Float64Array for series that only ever get longer (energy and |m| after every
 * sweep of a live chain). Appending is amortised O(1) (the capacity doubles); `view()` is a
 * zero-copy window onto the filled part, valid until the next append or clear.
 */
export class SeriesBuffer {
  private data: Float64Array
  private size = 0

  constructor(initialCapacity = 1024) {
    if (!Number.isInteger(initialCapacity) || initialCapacity < 1) {
      throw new RangeError(`SeriesBuffer: initial capacity must be a positive integer, got ${initialCapacity}`)
    }
    this.data = new Float64Array(initialCapacity)
  }

  /** A buffer holding a copy of `values`. */
  static from(values: ArrayLike<number>): SeriesBuffer {
    const buffer = new SeriesBuffer(Math.max(1024, values.length))
    buffer.append(values)
    return buffer
  }

  get length(): number {
    return this.size
  }

  get capacity(): number {
    return this.data.length
  }

  /** Appends every value of `values` (copied). */
  append(values: ArrayLike<number>): void {
    const n = values.length
    if (n === 0) return
    this.reserve(this.size + n)
    if (values instanceof Float64Array) this.data.set(values, this.size)
    else for (let i = 0; i < n; i++) this.data[this.size + i] = values[i]
    this.size += n
  }

  push(value: number): void {
    this.reserve(this.size + 1)
    this.data[this.size++] = value
  }

  at(index: number): number | undefined {
    const i = index < 0 ? this.size + index : index
    return i >= 0 && i < this.size ? this.data[i] : undefined
  }

  /** Zero-copy view of the filled part; invalidated by the next append or clear. */
  view(): Float64Array {
    return this.data.subarray(0, this.size)
  }

  /** An independent copy of the filled part (for saving). */
  toArray(): Float64Array {
    return this.data.slice(0, this.size)
  }

  clear(): void {
    this.size = 0
  }

  private reserve(needed: number): void {
    if (needed <= this.data.length) return
    let capacity = this.data.length
    while (capacity < needed) capacity *= 2
    const grown = new Float64Array(capacity)
    grown.set(this.data.subarray(0, this.size))
    this.data = grown
  }
}

/**
 * [x, y] pairs for a chart from two equally long series, at most `maxPoints` of them.
 * Short series are passed through. Long ones are cut into buckets and each bucket keeps its
 * minimum and maximum (in x order), so spikes survive; the last point is always kept.
 */
export function toChartPairs(x: ArrayLike<number>, y: ArrayLike<number>, maxPoints = 4000): [number, number][] {
  const n = Math.min(x.length, y.length)
  if (maxPoints < 2) throw new RangeError(`toChartPairs: maxPoints must be at least 2, got ${maxPoints}`)
  const out: [number, number][] = []
  if (n <= maxPoints) {
    for (let i = 0; i < n; i++) out.push([x[i], y[i]])
    return out
  }
  // Two points per bucket, and one slot reserved for the final point.
  const buckets = Math.floor((maxPoints - 1) / 2)
  const width = (n - 1) / buckets
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * width)
    const end = Math.min(n - 1, Math.floor((b + 1) * width))
    let lo = start
    let hi = start
    for (let i = start + 1; i < end; i++) {
      if (y[i] < y[lo]) lo = i
      if (y[i] > y[hi]) hi = i
    }
    const first = Math.min(lo, hi)
    const second = Math.max(lo, hi)
    out.push([x[first], y[first]])
    if (second !== first) out.push([x[second], y[second]])
  }
  out.push([x[n - 1], y[n - 1]])
  return out
}
