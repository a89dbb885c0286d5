import { acceptHMRUpdate, defineStore } from 'pinia'
import { markRaw, ref, type Ref } from 'vue'
import { getApi } from '../api'
import type { ChainSpecV1 } from '@shared/project/types'
import type { ChainStart, IsingChainResult, IsingParams } from '@core/ising/types'
import { checkStructural, mergeParams, type Checked } from '../logic/liveParams'
import {
  clearChain,
  isChainResult,
  loadState,
  newChain,
  newRuntime,
  setupFromSpec,
  specFromSetup,
  type LiveChain,
  type Runtime
} from '../logic/liveChain'
import { createChainSources, type ChainSourceProvider } from '../logic/liveSource'
import { createChainJobs } from './liveJobs'

export type { LiveChain, LiveStatus } from '../logic/liveChain'

export const useLiveStore = defineStore('live', () => {
  /** Open live chains by run id. */
  const chains = ref({}) as Ref<Record<string, LiveChain>>
  /** Increments on every user-visible change (the project store watches it for the dirty marker). */
  const revision = ref(0)

  const runtimes = new Map<string, Runtime>()
  const sources = createChainSources()
  /** Registers where chains get their model data and painted spins (the project store does). */
  const setChainSource = (provider: ChainSourceProvider | null): void => sources.set(provider)

  const touch = (): void => void revision.value++
  const { need, ask, detach, sendEdit, flushEdit, startJob, snapshot } = createChainJobs(
    chains,
    runtimes,
    sources,
    touch
  )

  /**
   * Opens a chain for `runId`. Opening an open chain again returns it unchanged, except that a
   * given `saved` state (a finished batch run, say) replaces its setup and state when no job runs.
   */
  function open(runId: string, spec: ChainSpecV1, saved?: IsingChainResult | null): LiveChain {
    const existing = chains.value[runId]
    const rt0 = runtimes.get(runId)
    if (existing && rt0) {
      if (saved && isChainResult(saved) && !existing.jobId && rt0.startingGen === null) {
        Object.assign(existing, setupFromSpec(spec), { status: 'idle', error: null })
        loadState(existing, saved, true)
        touch()
      }
      return existing
    }
    chains.value[runId] = newChain(runId, setupFromSpec(spec))
    runtimes.set(
      runId,
      newRuntime(() => sendEdit(runId))
    )
    const c = chains.value[runId]
    if (saved && isChainResult(saved) && saved.L === spec.L) loadState(c, saved, true)
    return c
  }

  /** Runs the chain: resumes its paused job, or starts one (continuing the saved state if any). */
  async function play(runId: string): Promise<void> {
    const [c, rt] = need(runId)
    if (rt.startingGen === rt.generation) {
      rt.wantPaused = false
      c.status = 'running'
      return
    }
    if (!c.jobId) return startJob(runId, 'run')
    rt.wantPaused = false
    if (c.status === 'running') return
    if (sources.changed(runId, c, rt)) return restartWithSource(runId, c, rt)
    flushEdit(runId)
    c.status = 'running'
    await ask(c, getApi()['jobs.control']({ jobId: c.jobId, action: 'resume' }))
  }

  /** The model was edited while the job was paused: continue its exact state in a new job that takes the edits. */
  async function restartWithSource(runId: string, c: LiveChain, rt: Runtime): Promise<void> {
    const state = await snapshot(runId)
    if (chains.value[runId] !== c) return
    detach(c, rt)
    if (state) c.saved = markRaw(state)
    await startJob(runId, 'run')
  }

  /** Pauses the chain's job (applied after it starts if a start is in flight). */
  async function pause(runId: string): Promise<void> {
    const [c, rt] = need(runId)
    rt.wantPaused = true
    if (c.status === 'running') c.status = 'paused'
    if (c.jobId) await ask(c, getApi()['jobs.control']({ jobId: c.jobId, action: 'pause' }))
  }

  /** One frame (sweepsPerFrame sweeps) while paused; pauses a running chain; starts paused when idle. */
  async function step(runId: string): Promise<void> {
    const [c, rt] = need(runId)
    if (rt.startingGen === rt.generation) return
    if (!c.jobId) return startJob(runId, 'step')
    if (c.status === 'running') return pause(runId)
    flushEdit(runId)
    await ask(c, getApi()['jobs.command']({ jobId: c.jobId, command: { type: 'step', count: 1 } }))
  }

  /**
   * Sets spins by hand. The picture changes at once; a running or paused job receives the
   * painted sites and continues from them; a chain without a job keeps them in its state, which
   * the next Play continues from.
   */
  async function paint(runId: string, sites: Int32Array, values: Int8Array): Promise<void> {
    const [c] = need(runId)
    if (!c.spins || sites.length === 0) return
    const next = Int8Array.from(c.spins)
    for (let k = 0; k < sites.length; k++) next[sites[k]!] = values[k]!
    c.spins = markRaw(next)
    if (c.saved) c.saved = markRaw({ ...c.saved, spins: next })
    touch()
    if (c.jobId) await ask(c, getApi()['jobs.command']({ jobId: c.jobId, command: { type: 'paint', sites, values } }))
  }

  /** Back to sweep 0 from the configured start, forgetting any saved state. */
  async function reset(runId: string): Promise<void> {
    const [c, rt] = need(runId)
    const wasRunning = c.status === 'running'
    c.saved = null
    touch()
    if (c.jobId && !rt.resumed && !sources.changed(runId, c, rt)) {
      // A job that began at sweep 0 can reset itself; frames still in flight are dropped.
      rt.pendingReset = true
      clearChain(c)
      await ask(c, getApi()['jobs.command']({ jobId: c.jobId, command: { type: 'reset' } }))
      return
    }
    detach(c, rt)
    clearChain(c)
    c.status = 'idle'
    c.error = null
    if (wasRunning) await startJob(runId, 'run')
  }

  /** Changes K, h, algorithm or sweeps per frame; a running job gets them within ~16 ms. */
  function setParams(runId: string, edit: Partial<IsingParams>): Checked<IsingParams> {
    const [c, rt] = need(runId)
    const merged = mergeParams(c.params, edit)
    if (!merged.ok) return merged
    c.params = merged.value
    touch()
    if (c.jobId) rt.edits.request()
    return merged
  }

  /** Changes L, seed or start: a new chain from sweep 0 (restarted if it was running). */
  async function setStructural(
    runId: string,
    change: { L?: number; seed?: number; start?: ChainStart }
  ): Promise<Checked<ChainSpecV1>> {
    const [c, rt] = need(runId)
    const checked = checkStructural(c, change)
    if (!checked.ok) return checked
    const next = checked.value
    if (next.L === c.L && next.seed === c.seed && next.start === c.start) return { ok: true, value: specFromSetup(c) }
    const wasRunning = c.status === 'running'
    detach(c, rt)
    Object.assign(c, next, { saved: null, status: 'idle', error: null })
    clearChain(c)
    touch()
    if (wasRunning) await startJob(runId, 'run')
    return { ok: true, value: specFromSetup(c) }
  }

  /** Cancels the chain's job and forgets the chain. */
  function close(runId: string): void {
    const c = chains.value[runId]
    const rt = runtimes.get(runId)
    if (c && rt) detach(c, rt)
    delete chains.value[runId]
    runtimes.delete(runId)
  }

  /** The chain of `runId`, if open. */
  const chain = (runId: string): LiveChain | undefined => chains.value[runId]
  /** The run's spec as it stands now (for saving). */
  const specOf = (runId: string): ChainSpecV1 | null =>
    chains.value[runId] ? specFromSetup(chains.value[runId]) : null

  return {
    chains,
    revision,
    chain,
    specOf,
    setChainSource,
    open,
    play,
    pause,
    step,
    paint,
    reset,
    setParams,
    setStructural,
    snapshot,
    close
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useLiveStore, import.meta.hot))
