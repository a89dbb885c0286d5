import type { JobCommand, JobFrame, JobProgress } from '@core/jobs/types'
import type { KnownJobKind } from './jobKinds'

/**
 * The job protocol between the broker (main process / web host) and a job worker
 * (Electron utility process or Node child process). One protocol, two transports: both sides
 * speak through the minimal `Port` below. Messages are structured-cloned; typed arrays travel
 * as copies, never in transfer lists (electron#34905).
 */
export const JOB_PROTOCOL_VERSION = 1

/** A job kind of the map in jobKinds.ts; the contract refuses other names, and a worker refuses by name any that reach it. */
export type JobKind = KnownJobKind | (string & {})

export type HostToWorker =
  | {
      v: typeof JOB_PROTOCOL_VERSION
      type: 'start'
      jobId: string
      kind: JobKind
      spec: unknown
      seed: number
      /** Continue a saved generator instead of seeding a fresh one. */
      rngState?: Uint32Array
      /** A batch job: the worker lowers its scheduling priority so the interface keeps its cores. */
      background?: boolean
    }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'control'; action: 'pause' | 'resume' | 'cancel' }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'command'; command: JobCommand }

export type WorkerToHost =
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'ready'; pid: number }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'progress'; progress: JobProgress }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'frame'; frame: JobFrame }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'reply'; requestId: string; data: unknown }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'log'; message: string }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'done'; result: unknown; cancelled: boolean }
  | { v: typeof JOB_PROTOCOL_VERSION; type: 'failed'; error: { message: string; stack?: string } }

/** The smallest thing both Electron's parentPort/UtilityProcess and Node's process IPC can be. */
export interface Port<In, Out> {
  postMessage(message: Out): void
  onMessage(listener: (message: In) => void): () => void
}

export type JobStatus = 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled'

/** What the UI's jobs strip shows about one job. */
export interface JobInfo {
  id: string
  kind: JobKind
  title: string
  /** Interactive jobs (live chains) start at once; batch jobs wait for a free core. */
  interactive: boolean
  status: JobStatus
  progress: JobProgress | null
  /** Fraction in [0,1] when the total is known. */
  fraction: number | null
  /** Seconds remaining, estimated from the rate so far; null when unknown. */
  etaSeconds: number | null
  /** Units of work per second, smoothed. */
  rate: number | null
  /** One sentence saying why the job failed. */
  error: string | null
  queuedAt: number
  startedAt: number | null
  finishedAt: number | null
  pid: number | null
}
