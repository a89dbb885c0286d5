import { coalesceFrames } from '@core/jobs/frames'
import type { JobFrame, JobProgress } from '@core/jobs/types'
import type { JobInfo, JobKind } from '@shared/protocol'
import { CoalescingThrottle, estimateProgress, type RateState } from './frameCoalescer'
import type { WorkerHandle } from './workerSupervisor'

/** One job as the broker (jobBroker.ts) keeps it: what was asked, its worker, its state. */

export interface StartJobRequest {
  kind: JobKind
  title: string
  interactive: boolean
  spec: unknown
  seed: number
  rngState?: Uint32Array
}

export type JobOutcome = { status: 'done' | 'cancelled'; result: unknown } | { status: 'failed'; error: string }

export type SnapshotOutcome = { ok: true; data: unknown } | { ok: false; error: string }

export interface JobBrokerEvents {
  update: JobInfo
  frame: { jobId: string; frame: JobFrame }
  result: { jobId: string; result: unknown; cancelled: boolean }
  /** A reply to a 'snapshot' command sent through `command()` rather than `snapshot()`. */
  reply: { jobId: string; requestId: string; data: unknown }
}

export interface JobRecord {
  info: JobInfo
  request: StartJobRequest
  handle: WorkerHandle | null
  exited: boolean
  outcome: JobOutcome | null
  waiters: Array<(outcome: JobOutcome) => void>
  snapshots: Map<string, (outcome: SnapshotOutcome) => void>
  frames: CoalescingThrottle<JobFrame>
  updates: CoalescingThrottle<true>
  /** `rate.from` is reset on pause/resume so paused time does not count as slow progress. */
  rate: RateState
  cancelRequested: boolean
  /** Kills a worker that has not honoured a cancel in time. */
  cancelTimer: ReturnType<typeof setTimeout> | null
}

/** Progress updates reach the UI at most this often (status changes go at once). */
const UPDATE_INTERVAL_MS = 200

/** A queued job; its frames and updates go out through `emitFrame` and `emitUpdate`, throttled. */
export function newJobRecord(
  id: string,
  request: StartJobRequest,
  frameIntervalMs: number,
  emitFrame: (frame: JobFrame) => void,
  emitUpdate: (info: JobInfo) => void
): JobRecord {
  const { kind, title, interactive } = request
  const info: JobInfo = {
    id,
    kind,
    title,
    interactive,
    status: 'queued',
    progress: null,
    fraction: null,
    etaSeconds: null,
    rate: null,
    error: null,
    queuedAt: Date.now(),
    startedAt: null,
    finishedAt: null,
    pid: null
  }
  return {
    info,
    request,
    handle: null,
    exited: false,
    outcome: null,
    waiters: [],
    snapshots: new Map(),
    frames: new CoalescingThrottle<JobFrame>(frameIntervalMs, coalesceFrames, emitFrame),
    updates: new CoalescingThrottle<true>(
      UPDATE_INTERVAL_MS,
      () => true,
      () => emitUpdate({ ...info })
    ),
    rate: { rate: null, from: null },
    cancelRequested: false,
    cancelTimer: null
  }
}

/** Folds a progress report into the job's info: the report, its smoothed rate, fraction and ETA. */
export function measureProgress(rec: JobRecord, progress: JobProgress, nowMs: number): void {
  const estimate = estimateProgress(rec.rate, progress, nowMs)
  rec.rate = { rate: estimate.rate, from: estimate.from, elapsed: estimate.elapsed ?? 0 }
  const { rate, fraction, etaSeconds } = estimate
  Object.assign(rec.info, { progress, rate, fraction, etaSeconds })
}

/** The info of a job that has ended: status, end time, error sentence, and a done job's ETA 0. */
export function settleInfo(info: JobInfo, outcome: JobOutcome): void {
  info.status = outcome.status
  info.finishedAt = Date.now()
  info.error = outcome.status === 'failed' ? outcome.error : null
  if (outcome.status === 'done') {
    info.etaSeconds = 0
    if (info.progress?.total != null) info.fraction = 1
  } else info.etaSeconds = null
}
