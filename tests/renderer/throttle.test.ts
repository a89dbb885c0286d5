import { afterEach, describe, expect, it, vi } from 'vitest'
import { createThrottle } from '../../src-renderer/src/logic/throttle'

describe('createThrottle', () => {
  afterEach(() => vi.useRealTimers())

  it('runs at once, then at most once per interval with every request in between merged into one run', () => {
    vi.useFakeTimers()
    const runs: number[] = []
    const throttle = createThrottle(100, () => void runs.push(Date.now()))
    const t0 = Date.now()
    throttle.request()
    expect(runs).toEqual([t0])
    vi.advanceTimersByTime(30)
    throttle.request()
    throttle.request()
    expect(throttle.pending).toBe(true)
    vi.advanceTimersByTime(69)
    expect(runs).toHaveLength(1)
    vi.advanceTimersByTime(1)
    expect(runs).toEqual([t0, t0 + 100])
    vi.advanceTimersByTime(500)
    throttle.request()
    expect(runs).toEqual([t0, t0 + 100, t0 + 600])
  })

  it('flush runs now and drops the pending run; cancel drops it without running', () => {
    vi.useFakeTimers()
    let runs = 0
    const throttle = createThrottle(100, () => void runs++)
    throttle.request()
    throttle.request()
    throttle.flush()
    expect(runs).toBe(2)
    throttle.request()
    throttle.cancel()
    vi.advanceTimersByTime(1000)
    expect(runs).toBe(2)
    expect(throttle.pending).toBe(false)
  })

  it('a run that did nothing (false) does not start an interval; lastRunAt starts one', () => {
    vi.useFakeTimers()
    let runs = 0
    const idle = createThrottle(100, () => (runs++, false))
    idle.request()
    idle.request()
    expect(runs).toBe(2)
    const started = createThrottle(100, () => void runs++, undefined, Date.now())
    started.request()
    expect(runs).toBe(2)
    vi.advanceTimersByTime(100)
    expect(runs).toBe(3)
  })
})
