import { runDataset, type DatasetResult, type DatasetSpec } from './isingDataset'
import type { DatasetCheckpoint } from './datasetCheckpoint'
import { DEFAULT_CHECKPOINT_MS } from './sweepPoint'
import type { JobRunner } from './types'

/**
 * One shard of a dataset as a job that can stop half-way and continue (a cluster bundle's unit),
 * as ising.sweepPoint does for a sweep's point: the dataset job's chain (runDataset), which on
 * cancel returns where it stopped (`checkpoint`: spins, generator state, the samples and
 * measurement sums so far) and every `checkpointMs` of host time sends that state in a frame;
 * `resume` continues from such a checkpoint, the job started from the same stream as before, and
 * the shard is then bit for bit the shard of an uninterrupted run.
 */
export interface DatasetShardSpec extends DatasetSpec {
  resume?: DatasetCheckpoint
  /** Least host time between checkpoint frames (default 60 s); 0: none. */
  checkpointMs?: number
}

export interface DatasetShardResult {
  complete: boolean
  result: DatasetResult | null
  /** Where a cancelled job stopped (null when it stopped before anything worth keeping). */
  checkpoint: DatasetCheckpoint | null
}

export const runDatasetShard: JobRunner<DatasetShardSpec, DatasetShardResult> = async (spec, rng, sink, signal) => {
  const { resume, checkpointMs, ...dataset } = spec
  const run = await runDataset(dataset, rng, sink, signal, {
    ...(resume ? { resume } : {}),
    checkpointMs: checkpointMs ?? DEFAULT_CHECKPOINT_MS
  })
  return run.result
    ? { complete: true, result: run.result, checkpoint: null }
    : { complete: false, result: null, checkpoint: run.checkpoint }
}
