import { physicalEpoch } from '@core/jobs/rbmTrain'
import { jobMonitors } from './trainingSpec'
import { STAGES, type PaperParameters, type StageName, type StageState } from './paperPipeline'

/**
 * How long the paper template's stages take, for the progress bar and ETA before a stage's job
 * reports its own. A cost model per stage, calibrated on the reference 2-core machine (the
 * per-stage rows of `npm run bench`): the dataset by spin updates, the training by the
 * multiply-adds of CD-k plus the monitors' fixed cost per epoch, the comparison by blocked spins.
 * Once a job runs, its own ETA (from its progress) replaces the estimate of its stage.
 */

/** Seconds per multiply-add of a CD-k epoch (two-thread WASM SIMD kernels). */
const SECONDS_PER_MAC = 5.8e-11
/**
 * Monitors: a fixed part per epoch (reconstruction, pseudo-likelihood, free energies on 500
 * rows) and layer 1's physical monitors (Gibbs chains, about 0.3 s at 1600 visible units) on the
 * epochs jobMonitors schedules (about 20 per layer).
 */
const MONITOR_SECONDS = { fixed: 0.1, physicalPerVisible: 1.9e-4 }
/** The exact log-likelihood where the smaller side has ≤ 20 units: 2^min configurations × the larger side. */
const EXACT_LL_SECONDS_PER_TERM = 3e-8
/** Wolff near Kc, thinned by 2τ: seconds per stored spin. */
const DATASET_SECONDS_PER_SPIN = 9e-8
const COMPARE_SECONDS_PER_SPIN = 7e-7

export function stageEstimates(p: PaperParameters): Record<StageName, number> {
  const N = p.L * p.L
  const sizes = [N, ...p.layers]
  const rows = Math.round(p.samples * 0.9)
  let training = 0
  const every = jobMonitors({ logLikelihood: 'auto', physical: true }, null, p.epochs).physicalEvery
  for (let l = 0; l < p.layers.length; l++) {
    const macs = rows * sizes[l]! * sizes[l + 1]! * 3
    let physicalEpochs = 0
    for (let e = 1; e <= p.epochs; e++) if (physicalEpoch(e, p.epochs, every)) physicalEpochs++
    const physical = l === 0 ? physicalEpochs * MONITOR_SECONDS.physicalPerVisible * N : 0
    const small = Math.min(sizes[l]!, sizes[l + 1]!)
    const exact = small <= 20 ? 2 ** small * Math.max(sizes[l]!, sizes[l + 1]!) * EXACT_LL_SECONDS_PER_TERM : 0
    training += p.epochs * (macs * SECONDS_PER_MAC + MONITOR_SECONDS.fixed + exact) + physical
  }
  return {
    mapping: 0.5,
    dataset: 0.5 + DATASET_SECONDS_PER_SPIN * p.samples * N,
    training,
    compare: 1 + COMPARE_SECONDS_PER_SPIN * p.samples * N
  }
}

export interface CurrentStage {
  name: StageName
  /** The running job's own ETA, when it has one. */
  etaSeconds: number | null
  /** The running job's progress in [0, 1], when known. */
  fraction: number | null
}

/**
 * Seconds left: the running stage's own ETA (or its estimate scaled by what is left of it) plus
 * the estimates of the stages after it. Null when nothing is left.
 */
export function pipelineEta(p: PaperParameters, stages: StageState[], current: CurrentStage | null): number | null {
  const estimates = stageEstimates(p)
  let left = 0
  let any = false
  for (const name of STAGES) {
    const s = stages.find((x) => x.name === name)
    if (!s || s.status === 'done') continue
    any = true
    if (current && current.name === name) {
      left += current.etaSeconds ?? estimates[name] * (1 - (current.fraction ?? 0))
    } else left += estimates[name]
  }
  return any ? left : null
}

/** Share of the whole reproduction done, in [0, 1], weighting the stages by their estimates. */
export function pipelineFraction(p: PaperParameters, stages: StageState[], current: CurrentStage | null): number {
  const estimates = stageEstimates(p)
  const total = STAGES.reduce((s, name) => s + estimates[name], 0)
  let done = 0
  for (const name of STAGES) {
    const s = stages.find((x) => x.name === name)
    if (s?.status === 'done') done += estimates[name]
    else if (current && current.name === name) done += estimates[name] * (current.fraction ?? 0)
  }
  return total > 0 ? Math.min(1, done / total) : 0
}
