import { compare, mapping, rbmSamples, training } from './learning'
import { dataset, exact, live, model, sweep } from './ising'
import { paper } from './paper'
import { coarseDataset, mcrg, rg, rgFlow } from './rg'
import type { ExplainedView, Explanation } from './types'
import { cluster, clusterDataset } from './cluster'

export { EXPLAINED_VIEWS, type ExplainedView, type Explanation, type Equation } from './types'

/** Every view's explanation, by view; the type makes a missing view a compile error. */
export const EXPLANATIONS: Record<ExplainedView, Explanation> = {
  live,
  model,
  exact,
  sweep,
  dataset,
  coarseDataset,
  training,
  rbmSamples,
  rg,
  rgFlow,
  mcrg,
  mapping,
  compare,
  paper,
  cluster,
  clusterDataset
}
