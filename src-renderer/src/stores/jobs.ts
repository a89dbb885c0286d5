import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { JobInfo } from '../../../src-main/shared/protocol'
import { getApi } from '../api'

/** Every job the services know of, for the jobs strip. */
export const useJobsStore = defineStore('jobs', () => {
  /** Jobs by id, in the order they were first seen. */
  const jobs = ref<Record<string, JobInfo>>({})
  let subscribed = false

  const list = computed(() => Object.values(jobs.value).sort((a, b) => a.queuedAt - b.queuedAt))
  const active = computed(() => list.value.filter((j) => j.status === 'running' || j.status === 'paused' || j.status === 'queued'))

  async function init(): Promise<void> {
    const api = getApi()
    if (!subscribed) {
      subscribed = true
      api.on('jobs.update', (info) => {
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
  }

  return { jobs, list, active, init, control, dismiss }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useJobsStore, import.meta.hot))
