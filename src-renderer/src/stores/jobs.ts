import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobInfo } from '../../../src-main/shared/protocol'
import { getApi } from '../api'
import { useJobEvents } from '../composables/useJobEvents'

/** Every job the services know of, for the jobs strip. */
export const useJobsStore = defineStore('jobs', () => {
  /** Jobs by id, in the order they were first seen. */
  const jobs = ref<Record<string, JobInfo>>({})
  /** Titles given here after a job started (its item was renamed), by job id. */
  const titles = ref<Record<string, string>>({})
  let subscribed = false

  const list = computed(() =>
    Object.values(jobs.value)
      .map((info) => (titles.value[info.id] ? { ...info, title: titles.value[info.id]! } : info))
      .sort((a, b) => a.queuedAt - b.queuedAt)
  )
  const active = computed(() => list.value.filter((j) => j.status === 'running' || j.status === 'paused' || j.status === 'queued'))

  async function init(): Promise<void> {
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

  /** Shows a job under a new title (the item it computes was renamed while it ran). */
  function retitle(jobId: string, title: string): void {
    titles.value = { ...titles.value, [jobId]: title }
  }

  return { jobs, list, active, init, control, dismiss, retitle }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useJobsStore, import.meta.hot))
