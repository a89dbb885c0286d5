import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobInfo } from '@shared/protocol'
import { getApi } from '../api'
import { useJobEvents } from '../composables/useJobEvents'

/** Order in the strip: what still needs attention first, finished jobs last. */
const STATUS_RANK: Record<string, number> = { running: 0, paused: 1, queued: 2, failed: 3, cancelled: 4, done: 5 }
export const isFinished = (j: JobInfo): boolean =>
  j.status === 'done' || j.status === 'failed' || j.status === 'cancelled'

/**
 * The jobs of this window's project, for the jobs strip: the services list every job of every
 * window, so only jobs started here since the project was opened are shown.
 */
export const useJobsStore = defineStore('jobs', () => {
  /** Jobs by id, in the order they were first seen. */
  const jobs = ref<Record<string, JobInfo>>({})
  /** Titles given here after a job started (its item was renamed), by job id. */
  const titles = ref<Record<string, string>>({})
  /** Jobs started here, by id, with the project they were started for (see `forgetProject`). */
  const owned = ref<Record<string, number>>({})
  let projectEpoch = 0
  let subscribed = false

  const list = computed(() =>
    Object.values(jobs.value)
      .filter((info) => owned.value[info.id] === projectEpoch)
      .map((info) => (titles.value[info.id] ? { ...info, title: titles.value[info.id]! } : info))
      .sort((a, b) => (STATUS_RANK[a.status] ?? 9) - (STATUS_RANK[b.status] ?? 9) || a.queuedAt - b.queuedAt)
  )
  const finished = computed(() => list.value.filter(isFinished))
  const active = computed(() =>
    list.value.filter((j) => j.status === 'running' || j.status === 'paused' || j.status === 'queued')
  )

  /** Hears this window's job starts from the store's creation on (a job may start before init). */
  let hearingStarts = false
  function hearStarts(): void {
    if (hearingStarts) return
    try {
      const events = useJobEvents()
      events.everyStart(adopt)
      // Jobs this window started before the store existed are this project's too.
      for (const id of events.started()) adopt(id)
      hearingStarts = true
    } catch {
      // no services yet: init() subscribes
    }
  }
  hearStarts()

  async function init(): Promise<void> {
    hearStarts()
    const api = getApi()
    if (!subscribed) {
      subscribed = true
      useJobEvents().everyUpdate((info) => {
        jobs.value = { ...jobs.value, [info.id]: info }
      })
    }
    for (const info of await api['jobs.list']()) jobs.value = { ...jobs.value, [info.id]: info }
  }

  async function control(jobId: string, action: 'pause' | 'resume' | 'cancel'): Promise<void> {
    await getApi()['jobs.control']({ jobId, action })
  }

  async function dismiss(jobId: string): Promise<void> {
    await getApi()['jobs.dismiss']({ jobId })
    const next = { ...jobs.value }
    delete next[jobId]
    jobs.value = next
    const names = { ...titles.value }
    delete names[jobId]
    titles.value = names
  }

  /** Counts a job as this project's (it was started here). */
  function adopt(jobId: string): void {
    owned.value = { ...owned.value, [jobId]: projectEpoch }
  }

  /** Another project replaced this one: its jobs leave the strip (its chains and runs were cancelled). */
  function forgetProject(): void {
    projectEpoch++
    owned.value = {}
  }

  /** Dismisses every finished job of this project at once. */
  async function clearFinished(): Promise<void> {
    await Promise.all(finished.value.map((j) => dismiss(j.id)))
  }

  /** Shows a job under a new title (the item it computes was renamed while it ran). */
  function retitle(jobId: string, title: string): void {
    titles.value = { ...titles.value, [jobId]: title }
  }

  return { jobs, list, active, finished, init, control, dismiss, retitle, adopt, forgetProject, clearFinished }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useJobsStore, import.meta.hot))
