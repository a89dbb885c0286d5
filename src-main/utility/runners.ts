import { runIsingChain } from '@core/jobs/isingChain'
import { runDatasetShard } from '@core/jobs/datasetShard'
import { runIsingDataset } from '@core/jobs/isingDataset'
import { runIsingExact } from '@core/jobs/isingExact'
import { runIsingSweep } from '@core/jobs/isingSweep'
import { runCompareRgDbnWith } from '@core/jobs/compareRgDbn'
import { runMapping } from '@core/jobs/mapping'
import { runRbmTrainingWith } from '@core/jobs/rbmTrain'
import { runRgCascade } from '@core/jobs/rgCascade'
import { runRgFlow } from '@core/jobs/rgFlow'
import { runRgMcrg } from '@core/jobs/rgMcrg'
import { runRgMcrgSums } from '@core/jobs/rgMcrgSums'
import { runSweepPoint } from '@core/jobs/sweepPoint'
import { createWasmDenseKernels } from '@core/rbm/kernelsWasm'
import { tsDenseKernels } from '@core/rbm/kernelsTs'
import type { JobRunnerRegistry, ProductionJobKind } from '@shared/jobKinds'
import { nodeDenseThreadHost } from './denseThreads'
import type { RunnerTable } from './host'
import { testRunners } from './testRunners'

/** The job kinds a worker runs, by protocol `kind`; each runner has its kind's types (shared/jobKinds.ts). */
export const productionRunners: Pick<JobRunnerRegistry, ProductionJobKind> = {
  'ising.chain': runIsingChain,
  'ising.dataset': runIsingDataset,
  'ising.datasetShard': runDatasetShard,
  'ising.sweep': runIsingSweep,
  'ising.sweepPoint': runSweepPoint,
  'ising.exact': runIsingExact,
  // The WASM SIMD kernels, with fused multiply-add (relaxed SIMD) where the runtime has it (the
  // worker enables it on Node 20, worker.ts); the TypeScript kernels where WASM is missing. Two
  // threads where there are two cores (the same bits as one thread).
  'rbm.train': (spec, rng, sink, signal) =>
    runRbmTrainingWith(createWasmDenseKernels({ threadHost: nodeDenseThreadHost }) ?? tsDenseKernels)(
      spec,
      rng,
      sink,
      signal
    ),
  'rg.cascade': runRgCascade,
  'rg.mcrg': runRgMcrg,
  'rg.mcrgSums': runRgMcrgSums,
  'rg.flow': runRgFlow,
  'mapping.exact': runMapping,
  // The network's passes over the dataset run on the trainer's kernels (WASM SIMD, two threads).
  'compare.rgDbn': (spec, rng, sink, signal) =>
    runCompareRgDbnWith(createWasmDenseKernels({ threadHost: nodeDenseThreadHost }) ?? tsDenseKernels)(
      spec,
      rng,
      sink,
      signal
    )
}

/**
 * The registry a worker serves: the production kinds, plus the 'test.*' kinds when
 * BLOCKSPIN_TEST_RUNNERS=1 (the job-system tests run them through real processes).
 */
export function jobRunners(env: Record<string, string | undefined> = process.env): RunnerTable {
  return env.BLOCKSPIN_TEST_RUNNERS === '1' ? { ...productionRunners, ...testRunners } : { ...productionRunners }
}
