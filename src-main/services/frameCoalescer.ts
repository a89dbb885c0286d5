import type { JobProgress } from '@core/jobs/types'

/**
 * How the job broker thins a worker's stream for the UI: a coalescing throttle (frames merged by
 * the one frame merge, src-core/jobs/frames.ts, at most `frameHz` a second; progress updates)
 * and the smoothed rate/ETA shown in the jobs strip.
 */

export interface ThrottleClock {
  now(): number
  setTimeout(fn: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const systemClock: ThrottleClock = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>)
}

/**
 * A leading-and-trailing throttle that merges what arrives in between: the first value after a
 * quiet period goes out at once, later ones within `intervalMs` are merged with `merge` and go
 * out together when the interval has passed. Nothing pushed is ever lost unless `dispose()`d.
 */
export class CoalescingThrottle<T> {
  private pending: T | null = null
  private hasPending = false
  private lastEmitAt = Number.NEGATIVE_INFINITY
  private timer: unknown = null

  constructor(
    private readonly intervalMs: number,
    private readonly merge: (prev: T | null, next: T) => T,
    private readonly emit: (value: T) => void,
    private readonly clock: ThrottleClock = systemClock
  ) {}

  push(value: T): void {
    this.pending = this.merge(this.hasPending ? this.pending : null, value)
    this.hasPending = true
    if (this.timer !== null) return
    const wait = this.lastEmitAt + this.intervalMs - this.clock.now()
    if (wait <= 0) this.flush()
    else this.timer = this.clock.setTimeout(() => this.flush(), wait)
  }

  /** Emits whatever is pending now (if anything) and restarts the interval. */
  flush(): void {
    if (this.timer !== null) {
      this.clock.clearTimeout(this.timer)
      this.timer = null
    }
    if (!this.hasPending) return
    const value = this.pending as T
    this.pending = null
    this.hasPending = false
    this.lastEmitAt = this.clock.now()
    this.emit(value)
  }

  /** Drops anything pending and stops the timer. */
  dispose(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
    this.pending = null
    this.hasPending = false
  }
}

/** Smoothed rate of a job's progress; `from` is the sample the next rate is measured from. */
export interface RateState {
  rate: number | null
  from: { at: number; done: number } | null
  /** Seconds of progress measured so far (pauses excluded); sets the time constant when none is given. */
  elapsed?: number
}

export interface ProgressEstimate extends RateState {
  /** done/total in [0,1] when the total is known. */
  fraction: number | null
  etaSeconds: number | null
}

/** Samples closer together than this are too noisy to measure a rate from. */
const MIN_RATE_SAMPLE_S = 0.05

/**
 * The time constant of the rate's average after `elapsed` seconds of progress: 3 s at first (a
 * new job's ETA settles quickly), then a quarter of the time so far up to a minute, so a long
 * job's ETA is not thrown about by its periodic slow moments (a training's monitors every few
 * epochs, a save) — it averages over many of them.
 */
export function rateTimeConstant(elapsed: number): number {
  return Math.min(60, Math.max(3, elapsed / 4))
}

/**
 * Folds one progress report into the rate estimate: an exponential moving average over
 * irregularly spaced samples, weight 1 − exp(−Δt/τ) for the newest rate, so the estimate
 * forgets on a time scale τ whatever the reporting frequency (τ given, or rateTimeConstant of
 * the time measured so far). Set `from` to null to restart measuring (after a pause, so the
 * paused time does not count as slow progress).
 */
export function estimateProgress(
  state: RateState,
  progress: JobProgress,
  nowMs: number,
  tauSeconds?: number
): ProgressEstimate {
  let { rate, from } = state
  let elapsed = state.elapsed ?? 0
  if (from === null || progress.done < from.done) from = { at: nowMs, done: progress.done }
  else {
    const dt = (nowMs - from.at) / 1000
    if (dt >= MIN_RATE_SAMPLE_S) {
      const instant = (progress.done - from.done) / dt
      elapsed += dt
      const tau = tauSeconds ?? rateTimeConstant(elapsed)
      rate = rate === null ? instant : rate + (1 - Math.exp(-dt / tau)) * (instant - rate)
      from = { at: nowMs, done: progress.done }
    }
  }
  const { done, total } = progress
  const fraction = total !== null && total > 0 ? Math.min(1, Math.max(0, done / total)) : null
  const etaSeconds = total !== null && rate !== null && rate > 0 ? Math.max(0, (total - done) / rate) : null
  return { rate, from, elapsed, fraction, etaSeconds }
}
