import type { BlockspinApi } from '../../../src-main/shared/contract'
import type { JobEvent } from './liveChain'

/**
 * Routes job events (frames, status updates, results) to the runs whose jobs they belong to.
 * Events can race ahead of the reply to `jobs.start`: while a start is in flight, events of
 * unknown jobs are kept and delivered once the job is bound to its run.
 */
export function createJobRouter(deliver: (runId: string, event: JobEvent) => void) {
  const jobRuns = new Map<string, string>()
  let startsInFlight = 0
  let early: JobEvent[] = []
  let subscribed = false

  function route(event: JobEvent): void {
    const runId = jobRuns.get(event.jobId)
    if (!runId) {
      if (startsInFlight > 0 && early.length < 1000) early.push(event)
      return
    }
    if (event.kind === 'result') jobRuns.delete(event.jobId)
    deliver(runId, event)
  }

  return {
    /** Listens to the job events once. */
    subscribe(api: BlockspinApi): void {
      if (subscribed) return
      subscribed = true
      api.on('jobs.frame', ({ jobId, frame }) => route({ kind: 'frame', jobId, frame }))
      api.on('jobs.update', (info) => route({ kind: 'update', jobId: info.id, info }))
      api.on('jobs.result', ({ jobId, result }) => route({ kind: 'result', jobId, result }))
    },
    /** A job now belongs to a run: its events, including any that arrived early, go there. */
    bind(jobId: string, runId: string): void {
      jobRuns.set(jobId, runId)
      const waiting = early.filter((e) => e.jobId === jobId)
      early = early.filter((e) => e.jobId !== jobId)
      waiting.forEach(route)
    },
    unbind(jobId: string): void {
      jobRuns.delete(jobId)
    },
    beginStart(): void {
      startsInFlight++
    },
    endStart(): void {
      if (--startsInFlight === 0) early = []
    }
  }
}
