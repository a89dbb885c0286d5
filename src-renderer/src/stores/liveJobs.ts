import type { Ref } from 'vue'
import { getApi } from '../api'
import type { IsingChainResult } from '@core/ising/types'
import type { ChainSource } from '@shared/project/runs'
import { changedParams } from '../logic/liveParams'
import {
  buildJobSpec,
  chainJobHandlers,
  clearChain,
  isChainResult,
  loadState,
  type LiveChain,
  type Runtime
} from '../logic/liveChain'
import { useJobEvents } from '../composables/useJobEvents'
import type { createChainSources } from '../logic/liveSource'

/** Fire-and-forget calls: a dropped connection must not surface as an unhandled rejection. */
export const quietly = (call: Promise<unknown>): void => void call.catch(() => undefined)

/**
 * The live store's job machinery: starting a chain's job (continuing its saved state), sending
 * parameter edits, detaching from a job, and asking a job for its state. The store's actions
 * (play, pause, step, paint, reset, edits) are built on these.
 */
export function createChainJobs(
  chains: Ref<Record<string, LiveChain>>,
  runtimes: Map<string, Runtime>,
  sources: ReturnType<typeof createChainSources>,
  touch: () => void
) {
  const need = (runId: string): [LiveChain, Runtime] => {
    const c = chains.value[runId]
    const rt = runtimes.get(runId)
    if (!c || !rt) throw new Error(`live store: run "${runId}" is not open`)
    return [c, rt]
  }

  /** Awaits a job call; a failure becomes the chain's error sentence instead of a rejection. */
  async function ask(c: LiveChain, call: Promise<unknown>): Promise<void> {
    try {
      await call
      if (c.status !== 'failed') c.error = null
    } catch (err) {
      c.error = `The job service did not answer: ${err instanceof Error ? err.message : String(err)}`
    }
  }

  /** The chain and its bookkeeping, while it is open. */
  const current = (runId: string) => (): [LiveChain, Runtime] | null => {
    const c = chains.value[runId]
    const rt = runtimes.get(runId)
    return c && rt ? [c, rt] : null
  }

  /** Stops listening to the chain's job (cancelling it) so a new one can take its place. */
  function detach(c: LiveChain, rt: Runtime): void {
    rt.generation++
    rt.edits.cancel()
    rt.wantPaused = false
    rt.pendingReset = false
    rt.frameTimes = []
    rt.lastRngState = null
    if (c.jobId) {
      useJobEvents().unwatch(c.jobId)
      quietly(getApi()['jobs.control']({ jobId: c.jobId, action: 'cancel' }))
    }
    c.jobId = null
  }

  /** Sends the chain's parameters to its job when they differ from those it has; false when nothing was sent. */
  function sendEdit(runId: string): boolean {
    const c = chains.value[runId]
    const sent = runtimes.get(runId)?.sentParams
    if (!c?.jobId || !sent || Object.keys(changedParams(sent, c.params)).length === 0) return false
    runtimes.get(runId)!.sentParams = { ...c.params }
    quietly(getApi()['jobs.command']({ jobId: c.jobId, command: { type: 'edit', params: { ...c.params } } }))
    return true
  }
  /** Sends a pending edit now. */
  const flushEdit = (runId: string): void => runtimes.get(runId)?.edits.flush()

  /** Starts a job (continuing `saved` bit for bit when there is one); 'step' starts it paused and steps once. */
  async function startJob(runId: string, mode: 'run' | 'step'): Promise<void> {
    const paused = mode === 'step'
    const [c, rt] = need(runId)
    if (c.saved && c.sweep !== c.saved.sweep) loadState(c, c.saved, false)
    else if (!c.saved && c.sweep > 0) clearChain(c)
    let source: ChainSource
    try {
      source = sources.current(runId, c)
    } catch (err) {
      c.status = 'failed'
      c.error = `The chain could not start: ${err instanceof Error ? err.message : String(err)}`
      return
    }
    const spec = buildJobSpec(c, c.saved, source)
    const gen = rt.generation
    rt.startingGen = gen
    rt.wantPaused = paused
    rt.frameTimes = []
    c.status = paused ? 'paused' : 'running'
    c.error = null
    try {
      let wanted = false
      const jobId = await useJobEvents().start(
        {
          kind: 'ising.chain',
          title: c.general
            ? `Live chain on a model of ${spec.model?.lattice.kind ?? ''} lattice`
            : `Live Ising chain ${c.L}×${c.L}`,
          interactive: true,
          spec,
          seed: c.seed,
          ...(c.saved ? { rngState: c.saved.rngState } : {})
        },
        (jobId) => {
          if (gen !== rt.generation || chains.value[runId] !== c) return null
          wanted = true
          c.jobId = jobId
          rt.sentParams = {
            K: spec.K,
            h: spec.h,
            algorithm: spec.algorithm,
            sweepsPerFrame: spec.sweepsPerFrame,
            ...(spec.beta !== undefined ? { beta: spec.beta } : {})
          }
          rt.sentSource = source
          rt.resumed = spec.resume !== undefined
          return chainJobHandlers(jobId, current(runId), touch)
        }
      )
      if (!wanted) {
        quietly(getApi()['jobs.control']({ jobId, action: 'cancel' }))
        return
      }
      flushEdit(runId)
      if (rt.wantPaused && c.jobId === jobId) await ask(c, getApi()['jobs.control']({ jobId, action: 'pause' }))
      if (mode === 'step' && c.jobId === jobId)
        await ask(c, getApi()['jobs.command']({ jobId, command: { type: 'step', count: 1 } }))
    } catch (err) {
      if (gen !== rt.generation) return
      c.status = 'failed'
      c.error = `The chain could not start: ${err instanceof Error ? err.message : String(err)}`
    } finally {
      if (rt.startingGen === gen) rt.startingGen = null
    }
  }

  /** The chain's full state: asked of its job when one exists (authoritative), else the saved one. */
  async function snapshot(runId: string): Promise<IsingChainResult | null> {
    const c = chains.value[runId]
    if (!c) return null
    if (c.jobId) {
      try {
        const state = await useJobEvents().snapshot(c.jobId, 'ising.chain')
        if (isChainResult(state)) return state
      } catch {
        // Fall back to the last saved state below.
      }
    }
    return c.saved
  }

  return { need, ask, current, detach, sendEdit, flushEdit, startJob, snapshot }
}
