/**
 * `npm run bench`: speed goals as measured ratios, never timed unit tests.
 *   1. Metropolis attempted flips/s at 40² and 256² inside a job worker process (the same
 *      worker entry the app uses), against the C reference compiled with gcc in this run.
 *   2. The same kernels measured in-process (no job machinery), to show the overhead: the
 *      TypeScript Metropolis kernel (the fallback) and the WebAssembly one the chain uses.
 *   3. Heat bath, TypeScript and WebAssembly, against tests/bench/c/heatbath.c.
 *   4. Cluster updates: Wolff (spins added to clusters per second, cluster updates/s in the note)
 *      and Swendsen–Wang (sweeps per second) at K = Kc and K = 0.408 on 40² and 256², for the
 *      general samplers (what createSampler runs) and the torus kernels the dataset runner, the
 *      RG jobs and the live square chain use, against tests/bench/c/wolff.c and sw.c. The Wolff
 *      torus row is createTorusWolff as the app runs it (the WebAssembly build where available,
 *      goal ≥ 0.9× C); its TypeScript fallback has a row of its own.
 *   5. The paper's dataset (20,000 samples of the 40×40 torus at K = 0.408) for wolff, sw and
 *      metropolis: seconds, τ_int, thinning, e ± error beside Onsager's infinite-lattice e.
 *   6. Frames per second the live view sustains at 256² and 1024² in Chromium via the web host.
 *   7. Dense GEMM GFLOP/s against NumPy, and one RBM CD-1 epoch against scikit-learn's BernoulliRBM.
 *   8. A 10 MB project saved and opened end to end through the web host (page client, WebSocket,
 *      worker threads, disk), against NumPy's savez_compressed / np.load and node:zlib alone.
 *   9. The paper template end to end, per stage and per layer, against the 10-minute goal and the
 *      ETA's estimates; the monitors' share of an epoch; the small template from the UI.
 *  10. The comparison view at 40×40: milliseconds from painting a spin until every panel updated,
 *      against the 100 ms goal.
 *  11. A sweep of 16 points on the local one-node Slurm cluster (export, submit, wait, merge) against
 *      the app's sweep, the merge alone, and a cluster task's overhead against a minute-long task.
 * Writes reports/bench.json and prints a table.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { benchKernels, benchPaperDataset } from './kernelRows'
import { measureLiveViewFps } from './liveViewFps'
import { benchDenseKernels } from './gemm'
import { benchRbmEpoch } from './rbmEpoch'
import { benchRg } from './rg'
import { benchUnitTimings } from './unitTimings'
import { benchProjectSaveOpen } from './projectSaveOpen'
import { benchPaperTemplate } from './paperTemplate'
import { benchComparePaint } from './comparePaint'
import { BENCH_SECONDS as SECONDS, type Row } from './row'
import { benchSlurmCluster } from './slurmCluster'

const root = fileURLToPath(new URL('../..', import.meta.url))
const rows: Row[] = []

async function main(): Promise<void> {
  mkdirSync(join(root, 'reports'), { recursive: true })
  await benchKernels(rows) // Metropolis, heat bath, Wolff and SW against C (tests/bench/kernelRows.ts)
  await benchPaperDataset(rows)
  for (const L of [256, 1024]) {
    try {
      const fps = await measureLiveViewFps(L, Math.max(3, SECONDS))
      rows.push({
        name: `Live view frames/s, ${L}²`,
        value: fps.fps,
        unit: 'frames/s',
        reference: 30,
        ratio: fps.fps / 30,
        note:
          `goal ≥ 30 frames/s; page received ${fps.framesReceivedPerSecond.toFixed(0)} frames/s; ` +
          `chain ran ${fps.sweepsPerSecond.toFixed(0)} sweeps/s`
      })
      rows.push({
        name: `Live chain sweeps/s in the app, ${L}²`,
        value: fps.sweepsPerSecond,
        unit: 'sweeps/s',
        reference: fps.kernelSweepsPerSecond,
        ratio: fps.sweepsPerSecond / fps.kernelSweepsPerSecond,
        note: 'reference: the same kernel in the bench process, no view (frames are capped at 60/s)'
      })
    } catch (e) {
      rows.push({
        name: `Live view frames/s, ${L}²`,
        value: null,
        unit: 'frames/s',
        note: `not measured: ${(e as Error).message}`
      })
    }
  }
  await benchDenseKernels(rows) // dense GEMM GFLOP/s vs NumPy (tests/bench/gemm.ts)
  await benchRbmEpoch(rows) // one CD-1 epoch vs scikit-learn's BernoulliRBM (tests/bench/rbmEpoch.ts)
  await benchRg(rows, SECONDS <= 1) // cascade of the paper's dataset, MCRG at 64², exact 4×6 → 2×3 (tests/bench/rg.ts)
  benchUnitTimings(rows) // limits that unit tests used to time (tests/bench/unitTimings.ts)
  await benchProjectSaveOpen(rows) // a 10 MB project saved and opened through the web host (tests/bench/projectSaveOpen.ts)
  await benchPaperTemplate(rows) // the paper template end to end, per stage, CLI and UI (tests/bench/paperTemplate.ts)
  await benchComparePaint(rows) // the comparison view's panels after a paint at 40×40 (tests/bench/comparePaint.ts)
  await benchSlurmCluster(rows) // a 16-point sweep on the local Slurm cluster against the app (tests/bench/slurmCluster.ts)
  const report = { date: new Date().toISOString(), node: process.version, seconds: SECONDS, rows }
  writeFileSync(join(root, 'reports', 'bench.json'), JSON.stringify(report, null, 2) + '\n')
  console.log('\nBenchmark                                         value            reference        ratio')
  for (const r of rows) {
    const v = r.value === null ? 'n/a' : r.value.toExponential(3)
    const ref = r.reference == null ? '' : r.reference.toExponential(3)
    const ratio = r.ratio == null ? '' : `${r.ratio.toFixed(2)}×`
    console.log(
      `${r.name.padEnd(50)}${v.padStart(10)} ${r.unit.padEnd(9)}${ref.padStart(10)}  ${ratio.padStart(7)}  ${r.note ?? ''}`
    )
  }
  console.log(`\nReport written to reports/bench.json`)
  if (!existsSync(join(root, 'out', 'main', 'worker.js')))
    console.log(
      '(The worker ran from TypeScript sources through tsx; run `npm run build` to measure the built worker.)'
    )
}

main().catch((e: unknown) => {
  console.error(`The benchmark failed: ${(e as Error).stack ?? e}`)
  process.exit(1)
})
