import { JOB_PROTOCOL_VERSION, type WorkerToHost } from '@shared/protocol'
import { measureProgress, type JobOutcome, type JobRecord } from './jobRecord'

/** What the broker (jobBroker.ts) does for one job when its worker says something. */
export interface JobMessageHooks {
  /** Ends the job with this outcome (once; later calls are ignored). */
  finish(outcome: JobOutcome): void
  /** Emits the job's update now. */
  changed(): void
  /** Logs a line under the job's prefix. */
  log(line: string): void
  /** Passes on a reply nobody in the broker waits for. */
  reply(requestId: string, data: unknown): void
}

/**
 * One message from a job's worker applied to its record: progress and frames into their
 * throttles, replies to the snapshot waiting for them, and the end of the job. A worker of
 * another protocol version fails the job and is stopped.
 */
export function applyWorkerMessage(rec: JobRecord, message: WorkerToHost, hooks: JobMessageHooks): void {
  if (rec.outcome) return
  if (message.v !== JOB_PROTOCOL_VERSION) {
    const error = `The worker speaks job protocol version ${String(message.v)}; this app speaks version ${JOB_PROTOCOL_VERSION}.`
    hooks.finish({ status: 'failed', error })
    rec.handle?.kill()
    return
  }
  switch (message.type) {
    case 'ready':
      rec.info.pid = message.pid
      return hooks.changed()
    case 'progress':
      measureProgress(rec, message.progress, performance.now())
      return rec.updates.push(true)
    case 'frame':
      return rec.frames.push(message.frame)
    case 'reply': {
      const pending = rec.snapshots.get(message.requestId)
      if (pending) return pending({ ok: true, data: message.data })
      return hooks.reply(message.requestId, message.data)
    }
    case 'log':
      return hooks.log(message.message)
    case 'done':
      return hooks.finish({ status: message.cancelled ? 'cancelled' : 'done', result: message.result })
    case 'failed':
      if (message.error.stack) hooks.log(message.error.stack)
      return hooks.finish({ status: 'failed', error: message.error.message })
  }
}
