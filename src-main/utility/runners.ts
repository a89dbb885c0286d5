import type { JobRunner } from '../../src-core/jobs/types'
import { runIsingChain } from '../../src-core/jobs/isingChain'
import { runIsingDataset } from '../../src-core/jobs/isingDataset'
import { runIsingExact } from '../../src-core/jobs/isingExact'
import { runIsingSweep } from '../../src-core/jobs/isingSweep'
import { runRbmTrainingWith } from '../../src-core/jobs/rbmTrain'
import { createWasmDenseKernels } from '../../src-core/rbm/kernelsWasm'
import { tsDenseKernels } from '../../src-core/rbm/kernelsTs'
import { nodeDenseThreadHost } from './denseThreads'
import { testRunners } from './testRunners'

/** The job kinds a worker runs, by protocol `kind`. */
export const productionRunners: Record<string, JobRunner> = {
  'ising.chain': runIsingChain as unknown as JobRunner,
  'ising.dataset': runIsingDataset as unknown as JobRunner,
  'ising.sweep': runIsingSweep as unknown as JobRunner,
  'ising.exact': runIsingExact as unknown as JobRunner,
  // The WASM SIMD kernels, with fused multiply-add (relaxed SIMD) where the runtime has it (the
  // worker enables it on Node 20, worker.ts); the TypeScript kernels where WASM is missing. Two
  // threads where there are two cores (the same bits as one thread).
  'rbm.train': ((spec, rng, sink, signal) =>
    runRbmTrainingWith(createWasmDenseKernels({ threadHost: nodeDenseThreadHost }) ?? tsDenseKernels)(spec as never, rng, sink as never, signal)) as JobRunner
}

/**
 * The registry a worker serves: the production kinds, plus the 'test.*' kinds when
 * BLOCKSPIN_TEST_RUNNERS=1 (the job-system tests run them through real processes).
 */
export function jobRunners(
  env: Record<string, string | undefined> = process.env
): Record<string, JobRunner> {
  return env.BLOCKSPIN_TEST_RUNNERS === '1'
    ? { ...productionRunners, ...testRunners }
    : { ...productionRunners }
}
