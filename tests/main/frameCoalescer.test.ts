import { describe, expect, it } from 'vitest'
import { coalesceFrames } from '@core/jobs/frames'
import {
  CoalescingThrottle,
  estimateProgress,
  rateTimeConstant,
  type ThrottleClock
} from '../../src-main/services/frameCoalescer'
import type { JobFrame } from '@core/jobs/types'

const f64 = (...values: number[]): Float64Array => Float64Array.from(values)

/** A clock the test advances by hand; timers fire in `advance`. */
function manualClock(): ThrottleClock & { advance(ms: number): void } {
  let now = 0
  let timers: Array<{ at: number; fn: () => void; id: number }> = []
  let nextId = 1
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = nextId++
      timers.push({ at: now + ms, fn, id })
      return id
    },
    clearTimeout(handle) {
      timers = timers.filter((t) => t.id !== handle)
    },
    advance(ms) {
      const until = now + ms
      for (;;) {
        const due = timers.filter((t) => t.at <= until).sort((a, b) => a.at - b.at)[0]
        if (!due) break
        timers = timers.filter((t) => t !== due)
        now = due.at
        due.fn()
      }
      now = until
    }
  }
}

describe('CoalescingThrottle', () => {
  it('emits the first value at once, merges the burst after it, and loses nothing', () => {
    const clock = manualClock()
    const out: JobFrame[] = []
    const throttle = new CoalescingThrottle<JobFrame>(100, coalesceFrames, (f) => out.push(f), clock)
    for (let i = 1; i <= 10; i++) {
      throttle.push({ i, series: { x: f64(i) } })
      clock.advance(15)
    }
    clock.advance(200)
    expect(out.length).toBeGreaterThanOrEqual(2)
    expect(out.length).toBeLessThanOrEqual(3)
    expect(out[0].i).toBe(1)
    expect(out[out.length - 1].i).toBe(10)
    const all = out.flatMap((f) => Array.from(f.series?.x ?? []))
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('flush emits pending work immediately; dispose drops it', () => {
    const clock = manualClock()
    const out: number[] = []
    const throttle = new CoalescingThrottle<number>(
      1000,
      (_p, n) => n,
      (n) => out.push(n),
      clock
    )
    throttle.push(1)
    throttle.push(2)
    throttle.push(3)
    expect(out).toEqual([1])
    throttle.flush()
    expect(out).toEqual([1, 3])
    throttle.push(4)
    throttle.dispose()
    clock.advance(5000)
    expect(out).toEqual([1, 3])
  })
})

describe('estimateProgress', () => {
  it('measures a steady rate and derives fraction and ETA', () => {
    let state = { rate: null as number | null, from: null as { at: number; done: number } | null }
    let estimate = estimateProgress(state, { done: 0, total: 1000 }, 0)
    expect(estimate.rate).toBeNull()
    expect(estimate.etaSeconds).toBeNull()
    for (let t = 1; t <= 20; t++) {
      state = estimate
      estimate = estimateProgress(state, { done: 25 * t, total: 1000 }, t * 250)
    }
    // 25 units per 250 ms = 100/s exactly, so the average is exact too.
    expect(estimate.rate).toBeCloseTo(100, 9)
    expect(estimate.fraction).toBeCloseTo(0.5, 12)
    expect(estimate.etaSeconds).toBeCloseTo(5, 9)
  })

  it('smooths a change of speed over the time constant', () => {
    let s = estimateProgress({ rate: 100, from: { at: 0, done: 0 } }, { done: 200, total: null }, 1000, 3)
    // One second at 200/s: weight 1 − e^(−1/3) on the new rate.
    expect(s.rate).toBeCloseTo(100 + (1 - Math.exp(-1 / 3)) * 100, 9)
    expect(s.fraction).toBeNull()
    expect(s.etaSeconds).toBeNull()
    // Samples closer than 50 ms do not move the estimate.
    s = estimateProgress(s, { done: 1e6, total: null }, 1010, 3)
    expect(s.from).toEqual({ at: 1000, done: 200 })
  })
})

describe('the ETA of a long job with periodic stalls (a training with monitors every few epochs)', () => {
  // 4.5 s of work at 160/3 units/s, then 1.5 s of nothing, over and over: 40 units/s on average.
  const total = 40 * 600
  const doneAt = (t: number): number => 240 * Math.floor(t / 6) + (160 / 3) * Math.min(4.5, t % 6)
  /** The worst relative error of the ETA after the first minute, while more than 30 s are left. */
  function worstError(tau?: number): number {
    let s = estimateProgress({ rate: null, from: null }, { done: 0, total }, 0, tau)
    let worst = 0
    for (let ms = 50; ms <= 600_000; ms += 50) {
      s = estimateProgress(s, { done: doneAt(ms / 1000), total }, ms, tau)
      const left = (total - doneAt(ms / 1000)) / 40
      if (ms >= 60_000 && left > 30) worst = Math.max(worst, Math.abs(s.etaSeconds! - left) / left)
    }
    return worst
  }

  it('stays within 20 % of the time left after the first minute', () => {
    expect(worstError()).toBeLessThan(0.2)
  })
  it('which a fixed 3-second average does not: it swings with every stall', () => {
    expect(worstError(3)).toBeGreaterThan(0.3)
    expect(rateTimeConstant(0)).toBe(3)
    expect(rateTimeConstant(60)).toBe(15)
    expect(rateTimeConstant(3600)).toBe(60)
  })
})
