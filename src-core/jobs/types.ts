import type { Rng } from '../random/rng'

/**
 * Job runners are pure functions `(spec, rng, sink, signal) → result` (ARCHITECTURE.md, Jobs).
 * The host (utility process, child process, test) supplies sink and signal; the runner never
 * touches processes, timers or I/O itself.
 */

/** Commands a running job receives from its owner, applied at the next safe point. */
export type JobCommand =
  | { type: 'edit'; params: Record<string, unknown> }
  | { type: 'step'; count: number }
  | { type: 'reset' }
  | { type: 'snapshot'; requestId: string }
  /** Set spins by hand (painting); site indices and values ±1. */
  | { type: 'paint'; sites: Int32Array; values: Int8Array }

export interface JobProgress {
  /** Work done so far, in `unit`. */
  done: number
  /** Total work, or null when open-ended (a live chain). */
  total: number | null
  unit?: string
  note?: string
}

/**
 * A frame is what a live view draws. Fields under `series` are appended to what the viewer
 * already has (the host concatenates them when it coalesces frames); every other field
 * replaces the previous value. So a throttled host may drop frames without losing data points.
 */
export interface JobFrame {
  series?: Record<string, Float64Array>
  [key: string]: unknown
}

export interface JobSink<Frame extends JobFrame = JobFrame> {
  progress(progress: JobProgress): void
  frame(frame: Frame): void
  /** Answer to a `snapshot` command. */
  reply(requestId: string, data: unknown): void
  log(message: string): void
}

export interface JobSignal {
  readonly cancelled: boolean
  readonly paused: boolean
  /**
   * Yields to the host. Resolves at once with any queued commands while running; while paused
   * it waits until a command arrives, or the job is resumed or cancelled.
   */
  next(): Promise<JobCommand[]>
  /** Waits `ms` milliseconds of host time (frame pacing). Resolves early on cancel. */
  sleep(ms: number): Promise<void>
  /** Host clock in milliseconds. */
  now(): number
}

export type JobRunner<Spec = unknown, Result = unknown, Frame extends JobFrame = JobFrame> = (
  spec: Spec,
  rng: Rng,
  sink: JobSink<Frame>,
  signal: JobSignal
) => Promise<Result>
