import type { ChainSource } from '@shared/project/runs'
import { sameSource, sourceNeeds, type LiveChain, type Runtime } from './liveChain'

/** Gives a run's model data and painted spins; the project store, which knows each run's model, provides it. */
export type ChainSourceProvider = (runId: string, needs: { model: boolean; painted: boolean }) => ChainSource

/**
 * Where live chains get their model and painted spins. Asked at every job start (Play, Step,
 * Reset), so edits made in the model editor since the last start are used.
 */
export function createChainSources() {
  let provider: ChainSourceProvider | null = null

  /** The model data and painted spins a chain's job needs now (empty for a hot or cold square chain). */
  function current(runId: string, c: LiveChain): ChainSource {
    const needs = sourceNeeds(c)
    if (!needs.model && !needs.painted) return {}
    if (!provider) throw new Error('no project is open to take the model from')
    return provider(runId, needs)
  }

  return {
    set(next: ChainSourceProvider | null): void {
      provider = next
    },
    current,
    /** True when the model or painted spins changed since the chain's job started (a new job must take them). */
    changed(runId: string, c: LiveChain, rt: Runtime): boolean {
      try {
        return !sameSource(current(runId, c), rt.sentSource)
      } catch {
        return false
      }
    }
  }
}
