/**
 * The renderer's one throttle: `run` at most once every `ms`. A request runs it at once when the
 * last run is at least `ms` ago, else once at the end of the interval, however many requests
 * came in between (so the latest state is what gets shown or sent). A run that returns false did
 * nothing and does not start a new interval. `lastRunAt`: when it last ran, if it already has.
 */
export interface Throttle {
  /** Runs now, or at the end of the current interval. */
  request(): void
  /** Runs now, dropping any pending run. */
  flush(): void
  /** Drops a pending run. */
  cancel(): void
  /** True while a run waits for the end of the interval. */
  readonly pending: boolean
}

export function createThrottle(
  ms: number,
  run: () => boolean | void,
  now: () => number = () => Date.now(),
  lastRunAt = -Infinity
): Throttle {
  let last = lastRunAt
  let timer: ReturnType<typeof setTimeout> | null = null
  const cancel = (): void => {
    if (timer !== null) clearTimeout(timer)
    timer = null
  }
  const flush = (): void => {
    cancel()
    const at = now()
    if (run() !== false) last = at
  }
  return {
    request(): void {
      if (timer !== null) return
      const wait = last + ms - now()
      if (wait <= 0) flush()
      else timer = setTimeout(flush, wait)
    },
    flush,
    cancel,
    get pending() {
      return timer !== null
    }
  }
}
