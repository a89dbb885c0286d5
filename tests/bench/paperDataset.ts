import type { McAlgorithm } from '@core/ising/mc'
import { onsagerEnergyPerSpin } from '@core/ising/onsager'
import { runIsingDataset, silentSink, type DatasetSpec } from '@core/jobs/isingDataset'
import type { JobSignal } from '@core/jobs/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * The paper's dataset (Mehta & Schwab, Fig. 3; the app's PAPER_DATASET: 40×40 torus, K = 0.408,
 * h = 0, 20,000 samples, burn-in 2000, thin 'auto', samples kept, seed 1410), generated in this
 * process by runIsingDataset, timed wall-clock and in CPU time (the CPU time is what the run cost
 * on a machine shared with other work).
 */
export const PAPER_K = 0.408
const PAPER_SEED = 1410

export interface PaperDatasetTiming {
  seconds: number
  cpuSeconds: number
  kernel: string
  tauIntSweeps: number | null
  thin: number
  totalSweeps: number
  e: { value: number; error: number }
  /** Onsager's infinite-lattice e = K·u(K) (the 40×40 value differs by finite-size corrections). */
  eOnsager: number
}

const signal: JobSignal = {
  cancelled: false,
  paused: false,
  next: async () => [],
  sleep: async () => {},
  now: () => performance.now()
}

export async function timePaperDataset(
  algorithm: McAlgorithm,
  kernel: 'auto' | 'general' = 'auto'
): Promise<PaperDatasetTiming> {
  const spec: DatasetSpec = {
    model: {
      lattice: { kind: 'square', Lx: 40, Ly: 40, periodicX: true, periodicY: true },
      uniform: { K: PAPER_K, h: 0 }
    },
    algorithm,
    samples: 20_000,
    burnIn: 2000,
    thin: 'auto',
    start: 'random',
    keepSamples: true,
    kernel
  }
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const r = await runIsingDataset(spec, xoshiro128ss(PAPER_SEED), silentSink, signal)
  const seconds = (performance.now() - t0) / 1000
  const cpu = process.cpuUsage(cpu0)
  if (!r) throw new Error('the dataset run was cancelled')
  return {
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    kernel: r.kernel,
    tauIntSweeps: r.tauIntSweeps,
    thin: r.thin,
    totalSweeps: r.totalSweeps,
    e: { value: r.summary.e.value, error: r.summary.e.error },
    eOnsager: PAPER_K * onsagerEnergyPerSpin(PAPER_K)
  }
}
