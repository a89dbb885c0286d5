import { describe, expect, it } from 'vitest'
import { SeriesBuffer, toChartPairs } from '../../src-renderer/src/logic/seriesBuffer'

describe('SeriesBuffer', () => {
  it('appends, grows past its capacity and keeps every value in order', () => {
    const b = new SeriesBuffer(4)
    b.append(new Float64Array([1, 2, 3]))
    b.append([4, 5, 6, 7])
    b.push(8)
    expect(b.length).toBe(8)
    expect(b.capacity).toBeGreaterThanOrEqual(8)
    expect(Array.from(b.view())).toEqual([1, 2, 3, 4, 5, 6, 7, 8])
    expect(b.at(-1)).toBe(8)
    expect(b.at(0)).toBe(1)
    expect(b.at(8)).toBeUndefined()
  })

  it('toArray is an independent copy; view is a window', () => {
    const b = SeriesBuffer.from([1, 2])
    const copy = b.toArray()
    b.append([3])
    expect(Array.from(copy)).toEqual([1, 2])
    expect(b.view().length).toBe(3)
  })

  it('clear empties without shrinking and accepts new data', () => {
    const b = SeriesBuffer.from(new Float64Array(5000).fill(1))
    const capacity = b.capacity
    b.clear()
    expect(b.length).toBe(0)
    expect(b.capacity).toBe(capacity)
    b.append([9])
    expect(Array.from(b.view())).toEqual([9])
  })

  it('rejects a bad capacity, naming it', () => {
    expect(() => new SeriesBuffer(0)).toThrow(/got 0/)
  })

  it('handles 10^6 appends of frame-sized chunks', () => {
    const b = new SeriesBuffer()
    const chunk = new Float64Array(100).map((_, i) => i)
    for (let k = 0; k < 10_000; k++) b.append(chunk)
    expect(b.length).toBe(1_000_000)
    expect(b.at(-1)).toBe(99)
  })
})

describe('toChartPairs', () => {
  it('passes short series through as [x, y] pairs', () => {
    expect(toChartPairs([1, 2, 3], [0.1, 0.2, 0.3], 10)).toEqual([
      [1, 0.1],
      [2, 0.2],
      [3, 0.3]
    ])
  })

  it('thins long series to at most maxPoints, keeping the ends, extremes and x order', () => {
    const n = 100_000
    const x = new Float64Array(n).map((_, i) => i + 1)
    const y = new Float64Array(n).map((_, i) => Math.sin(i / 500))
    y[54321] = 7
    y[77777] = -7
    const pairs = toChartPairs(x, y, 4000)
    expect(pairs.length).toBeLessThanOrEqual(4000)
    expect(pairs.length).toBeGreaterThan(3000)
    expect(pairs[0]).toEqual([1, y[0]])
    expect(pairs[pairs.length - 1]).toEqual([n, y[n - 1]])
    expect(pairs.some(([, v]) => v === 7)).toBe(true)
    expect(pairs.some(([, v]) => v === -7)).toBe(true)
    for (let i = 1; i < pairs.length; i++) expect(pairs[i][0]).toBeGreaterThan(pairs[i - 1][0])
  })
})
