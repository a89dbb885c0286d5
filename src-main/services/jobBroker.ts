import type { JobCommand } from '@core/jobs/types'
import { jobSpecProblem } from '@shared/jobKinds'
import { JOB_PROTOCOL_VERSION, type HostToWorker, type JobInfo } from '@shared/protocol'
import { applyWorkerMessage } from './jobMessages'
import {
  newJobRecord,
  settleInfo,
  type JobBrokerEvents,
  type JobOutcome,
  type JobRecord,
  type SnapshotOutcome,
  type StartJobRequest
} from './jobRecord'
import { createListeners, type Listeners } from './listeners'
import { exitSentence, workerLogPrefix, type WorkerExitInfo, type WorkerHandle } from './workerSupervisor'

export type { JobBrokerEvents, JobOutcome, SnapshotOutcome, StartJobRequest } from './jobRecord'
export type { WorkerExitInfo, WorkerHandle } from './workerSupervisor'

/**
 * The job broker (plain Node; the Electron main process and the web host both own one). It
 * starts one worker process per job through an injected `spawn`, queues batch jobs behind a
 * core budget, forwards control and commands, throttles progress and frames for the UI, and
 * turns a dead worker into a failed job with one sentence (workerSupervisor.ts supervises each
 * process; here a job is cancelled first and its worker killed only after a grace period).
 */

export interface JobBrokerOptions {
  spawn: (jobId: string) => WorkerHandle
  maxBatchJobs: number
  frameHz?: number
  log?: (line: string) => void
}

const CANCEL_GRACE_MS = 5000
const SHUTDOWN_GRACE_MS = 2000
const LINGER_KILL_MS = 2000

export class JobBroker {
  private readonly jobs = new Map<string, JobRecord>()
  private readonly queue: JobRecord[] = []
  private seq = 0
  private closed = false
  private readonly frameIntervalMs: number
  private readonly log: (line: string) => void

  constructor(private readonly options: JobBrokerOptions) {
    if (!(options.maxBatchJobs >= 1)) throw new RangeError(`maxBatchJobs must be ≥ 1, got ${options.maxBatchJobs}`)
    this.frameIntervalMs = 1000 / (options.frameHz ?? 60)
    this.log = options.log ?? (() => {})
    const listeners = createListeners<JobBrokerEvents>(['update', 'frame', 'result', 'reply'], (event, error) =>
      this.log(`[jobs] a '${event}' listener threw: ${String(error)}`)
    )
    this.on = listeners.on
    this.emit = listeners.emit
  }

  /** Subscribes to one of the broker's events; returns the unsubscribe function. */
  readonly on: Listeners<JobBrokerEvents>['on']
  private readonly emit: Listeners<JobBrokerEvents>['emit']

  start(request: StartJobRequest): string {
    if (this.closed) throw new Error('The job broker has shut down; no new jobs can start.')
    // A spec is checked against its kind's schema before anything starts (shared/jobKinds.ts).
    const problem = jobSpecProblem(request.kind, request.spec)
    if (problem) throw new RangeError(problem)
    const id = `job-${(++this.seq).toString(36)}-${Math.random().toString(36).slice(2, 6)}`
    const rec = newJobRecord(
      id,
      request,
      this.frameIntervalMs,
      (frame) => this.emit('frame', { jobId: id, frame }),
      (info) => this.emit('update', info)
    )
    this.jobs.set(id, rec)
    if (request.interactive) this.launch(rec)
    else {
      this.queue.push(rec)
      this.changed(rec)
      this.pump()
    }
    return id
  }

  control(jobId: string, action: 'pause' | 'resume' | 'cancel'): boolean {
    const rec = this.jobs.get(jobId)
    if (!rec || rec.outcome) return false
    if (rec.info.status === 'queued') {
      if (action !== 'cancel') return false
      this.queue.splice(this.queue.indexOf(rec), 1)
      this.finish(rec, { status: 'cancelled', result: null })
      return true
    }
    if (!this.send(rec, { v: JOB_PROTOCOL_VERSION, type: 'control', action })) return false
    if (action === 'cancel') {
      rec.cancelRequested = true
      // A runner that never yields cannot see the cancel: stop its process after a grace period.
      rec.cancelTimer ??= setTimeout(() => rec.handle?.kill(), CANCEL_GRACE_MS)
    } else {
      rec.info.status = action === 'pause' ? 'paused' : 'running'
      rec.rate.from = null
      this.changed(rec)
    }
    return true
  }

  command(jobId: string, command: JobCommand): boolean {
    const rec = this.jobs.get(jobId)
    if (!rec || rec.outcome || !rec.handle) return false
    return this.send(rec, { v: JOB_PROTOCOL_VERSION, type: 'command', command })
  }

  snapshot(jobId: string, timeoutMs = 5000): Promise<SnapshotOutcome> {
    const rec = this.jobs.get(jobId)
    if (!rec || rec.outcome || !rec.handle) return Promise.resolve({ ok: false, error: `Job ${jobId} is not running.` })
    const requestId = `snap-${++this.seq}`
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        rec.snapshots.delete(requestId)
        resolve({ ok: false, error: `Job ${jobId} did not answer the snapshot request within ${timeoutMs} ms.` })
      }, timeoutMs)
      rec.snapshots.set(requestId, (outcome) => {
        clearTimeout(timer)
        rec.snapshots.delete(requestId)
        resolve(outcome)
      })
      if (!this.command(jobId, { type: 'snapshot', requestId })) {
        rec.snapshots.get(requestId)?.({ ok: false, error: `Job ${jobId} is not running.` })
      }
    })
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map((rec) => ({ ...rec.info }))
  }

  get(jobId: string): JobInfo | null {
    const info = this.jobs.get(jobId)?.info
    return info ? { ...info } : null
  }

  /** Forgets a finished job; false when it is unknown or still queued/running. */
  dismiss(jobId: string): boolean {
    const rec = this.jobs.get(jobId)
    if (!rec || !rec.outcome) return false
    return this.jobs.delete(jobId)
  }

  wait(jobId: string): Promise<JobOutcome> {
    const rec = this.jobs.get(jobId)
    if (!rec) return Promise.reject(new Error(`Unknown job id "${jobId}"`))
    if (rec.outcome) return Promise.resolve(rec.outcome)
    return new Promise((resolve) => rec.waiters.push(resolve))
  }

  /** Cancels everything, waits up to 2 s for workers to finish, then kills the rest. */
  async shutdown(): Promise<void> {
    this.closed = true
    const open = [...this.jobs.values()].filter((rec) => !rec.outcome)
    for (const rec of open) this.control(rec.info.id, 'cancel')
    const all = Promise.all(open.map((rec) => this.wait(rec.info.id)))
    let timer: ReturnType<typeof setTimeout> | undefined
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, SHUTDOWN_GRACE_MS)))])
    clearTimeout(timer)
    for (const rec of open.filter((r) => !r.outcome)) {
      this.finish(rec, { status: 'cancelled', result: null })
      rec.handle?.kill()
    }
  }

  private launch(rec: JobRecord): void {
    const { info, request } = rec
    info.status = 'running'
    info.startedAt = Date.now()
    let handle: WorkerHandle
    try {
      handle = rec.handle = this.options.spawn(info.id)
    } catch (error) {
      return this.finish(rec, {
        status: 'failed',
        error: `The worker process could not be started: ${errorText(error)}.`
      })
    }
    info.pid = handle.pid
    handle.port.onMessage((message) =>
      applyWorkerMessage(rec, message, {
        finish: (outcome) => this.finish(rec, outcome),
        changed: () => this.changed(rec),
        log: (line) => this.log(`${this.prefix(rec)} ${line}`),
        reply: (requestId, data) => this.emit('reply', { jobId: rec.info.id, requestId, data })
      })
    )
    handle.onExit((exit) => this.onExit(rec, exit))
    handle.onOutput?.((line) => this.log(`${this.prefix(rec)} ${line}`))
    this.log(`${this.prefix(rec)} started ${request.kind} "${request.title}"`)
    this.changed(rec)
    const { kind, spec, seed, rngState } = request
    this.send(rec, {
      v: JOB_PROTOCOL_VERSION,
      type: 'start',
      jobId: info.id,
      kind,
      spec,
      seed,
      rngState,
      background: !request.interactive
    })
  }

  private onExit(rec: JobRecord, exit: WorkerExitInfo): void {
    rec.exited = true
    if (rec.outcome) return
    // The worker's stderr lines have already been logged as they came (onOutput).
    const sentence = exitSentence(exit)
    this.finish(
      rec,
      rec.cancelRequested ? { status: 'cancelled', result: null } : { status: 'failed', error: sentence }
    )
  }

  private finish(rec: JobRecord, outcome: JobOutcome): void {
    if (rec.outcome) return
    rec.outcome = outcome
    const { info } = rec
    settleInfo(info, outcome)
    if (rec.cancelTimer) clearTimeout(rec.cancelTimer)
    rec.frames.flush()
    rec.frames.dispose()
    for (const resolve of [...rec.snapshots.values()]) {
      resolve({ ok: false, error: `Job ${info.id} ended before answering the snapshot request.` })
    }
    if (outcome.status !== 'failed') {
      this.emit('result', { jobId: info.id, result: outcome.result, cancelled: outcome.status === 'cancelled' })
    }
    this.changed(rec)
    rec.updates.dispose()
    this.log(`${this.prefix(rec)} ${outcome.status}${info.error ? `: ${info.error}` : ''}`)
    for (const resolve of rec.waiters.splice(0)) resolve(outcome)
    // The worker exits by itself after its last message; make sure one that lingers goes.
    if (rec.handle && !rec.exited) {
      const handle = rec.handle
      setTimeout(() => rec.exited || handle.kill(), LINGER_KILL_MS).unref?.()
    }
    this.pump()
  }

  /** Starts queued batch jobs, oldest first, while batch slots are free. */
  private pump(): void {
    const busy = (): number =>
      [...this.jobs.values()].filter((r) => !r.request.interactive && r.handle && !r.outcome).length
    while (this.queue.length > 0 && busy() < this.options.maxBatchJobs) {
      this.launch(this.queue.shift() as JobRecord)
    }
  }

  private send(rec: JobRecord, message: HostToWorker): boolean {
    try {
      rec.handle?.port.postMessage(message)
      return rec.handle !== null
    } catch (error) {
      this.log(`${this.prefix(rec)} could not send '${message.type}': ${errorText(error)}`)
      return false
    }
  }

  /** Emits an update now (status and pid changes are never throttled). */
  private changed(rec: JobRecord): void {
    rec.updates.push(true)
    rec.updates.flush()
  }

  private prefix(rec: JobRecord): string {
    return workerLogPrefix(rec.info.id, rec.info.pid)
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
