import type { BlockspinApi } from '@shared/contract'
import type { FrameOf, KnownJobKind, ResultOf, SnapshotOf, SpecOf } from '@shared/jobKinds'
import type { JobInfo } from '@shared/protocol'

/**
 * The renderer's one job-event dispatcher: stores start jobs and hear of their frames, status
 * updates and results through it, each job's events going to the handlers of the one who
 * started it. Typed by the job kinds map (shared/jobKinds.ts): a kind's spec is what `start`
 * takes, its frames and result are what the handlers get.
 *
 * Events can race ahead of the reply to `jobs.start`: while a start is in flight, events of
 * jobs nobody watches yet are kept and delivered once the job is watched. Otherwise they are
 * dropped (jobs of an earlier page, or of a project closed since). A job's handlers are removed
 * when it ends: after its result, or after the update saying it failed (a failed job sends no
 * result); the broker's last status update, which follows a result, goes to no one.
 */

export interface JobHandlers<K extends KnownJobKind> {
  frame?(frame: FrameOf<K>): void
  update?(info: JobInfo): void
  /** The job's last event; `cancelled` when it stopped on request (a job stopped before it could answer gives null). */
  result?(result: ResultOf<K> | null, cancelled: boolean): void
}

export interface JobStart<K extends KnownJobKind> {
  kind: K
  title: string
  interactive: boolean
  spec: SpecOf<K>
  seed: number
  /** Continue a saved generator instead of seeding a fresh one. */
  rngState?: Uint32Array
}

type JobEvent =
  | { type: 'frame'; jobId: string; frame: unknown }
  | { type: 'update'; jobId: string; info: JobInfo }
  | { type: 'result'; jobId: string; result: unknown; cancelled: boolean }

/** Events kept while starts are in flight, at most this many (a runaway job must not fill memory). */
const EARLY_LIMIT = 1000

export interface JobEvents {
  /**
   * Starts a job and watches it with the handlers `bind` gives once its id is known; events that
   * arrive before then are delivered first. `bind` returns null when the job is no longer
   * wanted (the caller then cancels it); its events are dropped.
   */
  start<K extends KnownJobKind>(request: JobStart<K>, bind: (jobId: string) => JobHandlers<K> | null): Promise<string>
  /** Sends the events of a job to `handlers` until it ends or the returned function is called. */
  watch<K extends KnownJobKind>(jobId: string, kind: K, handlers: JobHandlers<K>): () => void
  /** The job's current state, as its kind answers a snapshot; null when it could not answer. */
  snapshot<K extends KnownJobKind>(jobId: string, kind: K): Promise<SnapshotOf<K> | null>
  /** Stops sending a job's events anywhere (its owner let it go). */
  unwatch(jobId: string): void
  /** Hears every job's status updates (the jobs strip lists them all); returns the unsubscribe function. */
  everyUpdate(listener: (info: JobInfo) => void): () => void
  /** Hears the id of every job started through `start` here (the jobs strip shows only those). */
  everyStart(listener: (jobId: string) => void): () => void
  /** Ids of the jobs started here so far (for a listener that came later). */
  started(): string[]
  /** Jobs watched now (for tests and diagnostics). */
  watched(): string[]
}

export function createJobEvents(api: BlockspinApi): JobEvents {
  const watchers = new Map<string, JobHandlers<KnownJobKind>>()
  let startsInFlight = 0
  let early: JobEvent[] = []
  const updateListeners = new Set<(info: JobInfo) => void>()
  const startListeners = new Set<(jobId: string) => void>()
  const startedIds = new Set<string>()

  function route(event: JobEvent): void {
    const handlers = watchers.get(event.jobId)
    if (!handlers) {
      if (startsInFlight > 0 && early.length < EARLY_LIMIT) early.push(event)
      return
    }
    const ends = event.type === 'result' || (event.type === 'update' && event.info.status === 'failed')
    if (ends) watchers.delete(event.jobId)
    // The broker checked the spec against the kind's schema, and the worker's runner is typed by
    // the same map: the payload is the kind's frame or result.
    if (event.type === 'frame') handlers.frame?.(event.frame as FrameOf<KnownJobKind>)
    else if (event.type === 'update') handlers.update?.(event.info)
    else handlers.result?.(event.result as ResultOf<KnownJobKind>, event.cancelled)
  }

  api.on('jobs.frame', ({ jobId, frame }) => route({ type: 'frame', jobId, frame }))
  api.on('jobs.update', (info) => {
    for (const listener of [...updateListeners]) listener(info)
    route({ type: 'update', jobId: info.id, info })
  })
  api.on('jobs.result', ({ jobId, result, cancelled }) => route({ type: 'result', jobId, result, cancelled }))

  function watch<K extends KnownJobKind>(jobId: string, _kind: K, handlers: JobHandlers<K>): () => void {
    watchers.set(jobId, handlers as JobHandlers<KnownJobKind>)
    const waiting = early.filter((e) => e.jobId === jobId)
    early = early.filter((e) => e.jobId !== jobId)
    waiting.forEach(route)
    return () => {
      if (watchers.get(jobId) === handlers) watchers.delete(jobId)
    }
  }

  async function start<K extends KnownJobKind>(
    request: JobStart<K>,
    bind: (jobId: string) => JobHandlers<K> | null
  ): Promise<string> {
    startsInFlight++
    try {
      const { jobId } = await api['jobs.start'](request)
      startedIds.add(jobId)
      for (const listener of [...startListeners]) listener(jobId)
      const handlers = bind(jobId)
      if (handlers) watch(jobId, request.kind, handlers)
      else early = early.filter((e) => e.jobId !== jobId)
      return jobId
    } finally {
      if (--startsInFlight === 0) early = []
    }
  }

  /** The reply's data is what the kind's runner answers a snapshot with (typed by the same map). */
  async function snapshot<K extends KnownJobKind>(jobId: string, _kind: K): Promise<SnapshotOf<K> | null> {
    const reply = await api['jobs.snapshot']({ jobId })
    return reply.ok ? (reply.data as SnapshotOf<K>) : null
  }

  return {
    start,
    watch,
    snapshot,
    unwatch: (jobId) => void watchers.delete(jobId),
    everyUpdate(listener) {
      updateListeners.add(listener)
      return () => void updateListeners.delete(listener)
    },
    everyStart(listener) {
      startListeners.add(listener)
      return () => void startListeners.delete(listener)
    },
    started: () => [...startedIds],
    watched: () => [...watchers.keys()]
  }
}
