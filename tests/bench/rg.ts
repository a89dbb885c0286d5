/**
 * RG rows of `npm run bench` (issue: RG engine):
 *   - the block-spin cascade of the paper's 20,000 × 40×40 dataset, 3 levels of 2×2 majority
 *     blocks, with every level's observables and pseudo-likelihood couplings (seconds);
 *   - MCRG at 64² and Kc (2×2 majority, 3 levels): seconds per 1,000 sweeps and ν ± error;
 *   - the exact coarse Hamiltonian of a 4×6 torus → 2×3 (2^24 visible states; seconds).
 * The runners are the job runners a worker runs (in this process, through a host stub).
 */
import { KC } from '@core/ising/onsager'
import { runRgCascade } from '@core/jobs/rgCascade'
import { runRgMcrg } from '@core/jobs/rgMcrg'
import { sampleTorus } from '@core/jobs/rgSampling'
import type { JobSignal, JobSink } from '@core/jobs/types'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { exactCoarseHamiltonian } from '@core/rg/coarseHamiltonian'
import { blockPartition, kadanoffKernel } from '@core/rg/kernels'

interface RgRow {
  name: string
  value: number | null
  unit: string
  note?: string
  extra?: Record<string, number | string | null>
}

const sink: JobSink = {
  progress: () => undefined,
  frame: () => undefined,
  reply: () => undefined,
  log: () => undefined
}
const signal: JobSignal = {
  cancelled: false,
  paused: false,
  next: async () => [],
  sleep: async () => undefined,
  now: () => performance.now()
}

export async function benchRg(rows: RgRow[], quick = false): Promise<void> {
  const count = quick ? 2000 : 20_000
  const samples = (await sampleTorus(
    { L: 40, K: 0.408, count, between: 1, burnIn: 200 },
    xoshiro128ss(1),
    signal,
    () => undefined
  ))!
  let t = performance.now()
  await runRgCascade(
    {
      samples,
      count,
      Lx: 40,
      Ly: 40,
      rule: 'majority',
      b: 2,
      levels: 3,
      couplings: ['nearest', 'diagonal', 'plaquette']
    },
    xoshiro128ss(2),
    sink,
    signal
  )
  rows.push({
    name: `RG cascade, ${count} × 40², 3 levels`,
    value: (performance.now() - t) / 1000,
    unit: 's',
    note: 'majority 2×2; observables and pseudo-likelihood fits of every level'
  })

  const sweeps = quick ? 1000 : 4000
  t = performance.now()
  const mcrg = (await runRgMcrg(
    { L: 64, K: KC, count: sweeps / 2, between: 2, burnIn: 200, rule: 'majority', b: 2, levels: 3 },
    xoshiro128ss(3),
    sink,
    signal
  ))!
  const seconds = (performance.now() - t) / 1000
  const last = mcrg.levels[mcrg.levels.length - 1]!
  rows.push({
    name: 'MCRG 64² at Kc, s per 1,000 sweeps',
    value: (seconds * 1000) / (sweeps + 200),
    unit: 's',
    note: `ν = ${mcrg.levels.map((l) => `${l.nu.toFixed(3)} ± ${l.nuError.toFixed(3)}`).join(', ')} (levels 1–${mcrg.levels.length}); Wolff on the torus kernel`,
    extra: { nu: last.nu, nuError: last.nuError, sweeps: sweeps + 200 }
  })

  const model = uniformModel(buildLattice({ kind: 'square', Lx: 4, Ly: 6, periodicX: true, periodicY: true }), {
    K: 0.4,
    h: 0
  })
  t = performance.now()
  exactCoarseHamiltonian(model, kadanoffKernel(blockPartition(4, 6, 2, 2), 1))
  rows.push({
    name: 'Exact coarse Hamiltonian, 4×6 → 2×3',
    value: (performance.now() - t) / 1000,
    unit: 's',
    note: 'Kadanoff λ = 1; 2^24 visible states'
  })
}

// Run alone: node --import tsx tests/bench/rg.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: RgRow[] = []
  await benchRg(rows, process.env['BENCH_SECONDS'] === '1')
  for (const r of rows) console.log(`${r.name.padEnd(44)} ${r.value?.toFixed(3) ?? 'n/a'} ${r.unit}  ${r.note ?? ''}`)
}
