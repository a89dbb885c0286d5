import { describe, expect, it } from 'vitest'
import { appendSeries, coalesceFrames, concatFloat64 } from '@core/jobs/frames'
import type { JobFrame } from '@core/jobs/types'

// The one merge of job frames (JobFrame contract: series appended, other fields replaced), used
// by the training runner, the broker's throttle and the web host's frame queue.

const f64 = (...values: number[]): Float64Array => Float64Array.from(values)

describe('coalesceFrames', () => {
  it('keeps the newest plain fields and concatenates every series in order', () => {
    const a: JobFrame = { sweep: 1, spins: new Int8Array([1, -1]), series: { e: f64(1), m: f64(10) } }
    const b: JobFrame = { sweep: 2, spins: new Int8Array([-1, -1]), series: { e: f64(2, 3), m: f64(20, 30) } }
    const c: JobFrame = { sweep: 3, note: 'x', series: { e: f64(4) } }
    const merged = coalesceFrames(coalesceFrames(a, b), c)
    expect(merged.sweep).toBe(3)
    expect(merged.note).toBe('x')
    expect(merged.spins).toEqual(new Int8Array([-1, -1]))
    expect(merged.series?.e).toEqual(f64(1, 2, 3, 4))
    // A series missing from the newest frame keeps what earlier frames had.
    expect(merged.series?.m).toEqual(f64(10, 20, 30))
  })

  it('does not modify its inputs', () => {
    const a: JobFrame = { k: 1, series: { e: f64(1, 2) } }
    const b: JobFrame = { k: 2, series: { e: f64(3) } }
    coalesceFrames(a, b)
    expect(a).toEqual({ k: 1, series: { e: f64(1, 2) } })
    expect(b).toEqual({ k: 2, series: { e: f64(3) } })
  })

  it('returns the frame itself when nothing is pending, and handles frames without series', () => {
    const a: JobFrame = { k: 1 }
    expect(coalesceFrames(null, a)).toBe(a)
    expect(coalesceFrames(a, { k: 2 })).toEqual({ k: 2 })
    expect(coalesceFrames({ k: 1, series: { e: f64(5) } }, { k: 2 }).series?.e).toEqual(f64(5))
  })

  it('rejects a series value that is not numeric', () => {
    expect(() => coalesceFrames({ series: { e: f64(1) } }, { series: { e: 'x' as never } })).toThrow(/series\["e"\]/)
  })

  it('concatFloat64 joins two arrays', () => {
    expect(concatFloat64(f64(1), f64(2, 3))).toEqual(f64(1, 2, 3))
    expect(concatFloat64(f64(), f64())).toEqual(f64())
  })
})

describe('appendSeries', () => {
  it('appends each series in order, keeps one-sided ones, and leaves its inputs alone', () => {
    const older = { e: f64(1, 2), m: f64(5) }
    const newer = { e: f64(3), c: f64(9) }
    expect(appendSeries(older, newer)).toEqual({ e: f64(1, 2, 3), m: f64(5), c: f64(9) })
    expect(older).toEqual({ e: f64(1, 2), m: f64(5) })
    expect(newer).toEqual({ e: f64(3), c: f64(9) })
    expect(appendSeries(undefined, newer)).toEqual(newer)
    expect(appendSeries(older, undefined)).toEqual(older)
  })

  it('holds a stream of one-point series as the sum of its chunks (a runner holding back frames)', () => {
    let pending: Record<string, Float64Array> = {}
    for (let epoch = 1; epoch <= 5; epoch++)
      pending = appendSeries(pending, { epoch: f64(epoch), loss: f64(1 / epoch) })
    expect(pending.epoch).toEqual(f64(1, 2, 3, 4, 5))
    expect(pending.loss).toEqual(f64(1, 1 / 2, 1 / 3, 1 / 4, 1 / 5))
  })
})
