import type { BlockspinApi } from '@shared/contract'
import { getApi } from '../api'
import { createJobEvents, type JobEvents } from '../logic/jobEvents'

const byApi = new WeakMap<BlockspinApi, JobEvents>()

/**
 * The job-event dispatcher (logic/jobEvents.ts) of the services the renderer talks to: one per
 * API, so every store hears each job's events through the same one, and a test that installs a
 * fresh API gets a fresh dispatcher.
 */
export function useJobEvents(): JobEvents {
  const api = getApi()
  let events = byApi.get(api)
  if (!events) {
    events = createJobEvents(api)
    byApi.set(api, events)
  }
  return events
}
