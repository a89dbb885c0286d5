import { computed, type Ref } from 'vue'
import { uniformCouplingsOf } from '@core/ising/mc/chain'
import { modelFromData } from '@core/lattice/data'
import type { IsingModel } from '@core/lattice/types'
import { useModelsStore } from '../stores/models'
import { useProjectStore } from '../stores/project'
import type { LiveChain } from '../logic/liveChain'

/** What the live view needs to know about the model a general chain samples. */
export interface LiveModelInfo {
  /** The model as edited now (what the next Play or Reset sends), for drawing and hit tests. */
  model: IsingModel
  /** K and h edits apply (one K and one h everywhere); otherwise the view offers β only. */
  uniform: boolean
  /** Some K_ij < 0: the cluster algorithms cannot run. */
  frustrated: boolean
}

/** The model of a general chain's run, or null for a square chain (or a model that cannot be built). */
export function useLiveModel(runId: () => string, chain: Ref<LiveChain | undefined>) {
  const project = useProjectStore()
  const models = useModelsStore()
  return computed((): LiveModelInfo | null => {
    if (!chain.value?.general) return null
    const run = project.project.runs.find((r) => r.id === runId())
    const record = project.project.models.find((m) => m.id === run?.modelId)
    if (!record) return null
    try {
      const data = models.dataOf(record)
      const model = modelFromData(data)
      return { model, uniform: uniformCouplingsOf(data) !== null, frustrated: model.couplings.some((k) => k < 0) }
    } catch {
      return null
    }
  })
}
