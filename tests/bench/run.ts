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
 * Writes reports/bench.json and prints a table.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { JobBroker } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../../src-main/services/nodeWorker'
import { KC } from '@core/ising/onsager'
import type { IsingChainResult, IsingChainSpec } from '@core/ising/types'
import { measureMetropolisFlipsPerSecond } from './metropolisKernel'
import { measureHeatBathFlipsPerSecond, measureWasmFlipsPerSecond } from './singleSpinKernels'
import { measureLiveViewFps } from './liveViewFps'
import { type ClusterRate, measureSwendsenWang, measureWolff, type SwKernel, type WolffKernel } from './clusterKernels'
import { PAPER_K, timePaperDataset } from './paperDataset'
import { benchDenseKernels } from './gemm'
import { benchRbmEpoch } from './rbmEpoch'
import { benchRg } from './rg'
import { benchUnitTimings } from './unitTimings'
import { benchProjectSaveOpen } from './projectSaveOpen'
import { benchPaperTemplate } from './paperTemplate'
import { benchComparePaint } from './comparePaint'

const root = fileURLToPath(new URL('../..', import.meta.url))
const SECONDS = Number(process.env['BENCH_SECONDS'] ?? 3)

interface Row {
  name: string
  value: number | null
  unit: string
  reference?: number | null
  ratio?: number | null
  note?: string
  /** Machine-readable details of the row (cluster rows, dataset rows). */
  extra?: Record<string, number | string | null>
}
const rows: Row[] = []

function compileC(program: 'metropolis' | 'heatbath' | 'wolff' | 'sw'): string | null {
  const gcc = spawnSync('gcc', ['--version'])
  if (gcc.status !== 0) return null
  const out = join(mkdtempSync(join(tmpdir(), 'blockspin-bench-')), program)
  execFileSync('gcc', [
    '-O3',
    '-march=native',
    '-o',
    out,
    fileURLToPath(new URL(`./c/${program}.c`, import.meta.url)),
    '-lm'
  ])
  return out
}

function ratioRow(name: string, value: number | null, c: number | null, note?: string): Row {
  return { name, value, unit: 'flips/s', reference: c, ratio: c && value !== null ? value / c : null, note }
}

/**
 * The best of ROUNDS alternating measurements of the C reference and a kernel, each about
 * SECONDS/ROUNDS long, so both see the same machine load (other processes on a shared machine
 * only ever slow a measurement down, so the best round is the least disturbed one).
 */
const ROUNDS = 3
function interleavedBest(
  L: number,
  cBin: string | null,
  kernel: (seconds: number) => number | null
): { c: number | null; kernel: number | null } {
  let c: number | null = null
  let best: number | null = null
  for (let round = 0; round < ROUNDS; round++) {
    if (cBin) c = Math.max(c ?? 0, cFlipsPerSecond(cBin, L, SECONDS / ROUNDS))
    const value = kernel(SECONDS / ROUNDS)
    if (value !== null) best = Math.max(best ?? 0, value)
  }
  return { c, kernel: best }
}

function cFlipsPerSecond(bin: string, L: number, seconds = SECONDS): number {
  // Calibrate the sweep count to about `seconds` of work.
  const probe = JSON.parse(execFileSync(bin, [String(L), '20', String(KC)], { encoding: 'utf8' })) as {
    flipsPerSecond: number
  }
  const sweeps = Math.max(20, Math.round((probe.flipsPerSecond * seconds) / (L * L)))
  const r = JSON.parse(execFileSync(bin, [String(L), String(sweeps), String(KC)], { encoding: 'utf8' })) as {
    flipsPerSecond: number
  }
  return r.flipsPerSecond
}

async function workerFlipsPerSecond(broker: JobBroker, L: number): Promise<number> {
  const sweepsPerFrame = Math.max(1, Math.round(200_000 / (L * L)))
  const run = async (targetSweeps: number) => {
    const spec: IsingChainSpec = {
      L,
      K: KC,
      h: 0,
      algorithm: 'metropolis',
      sweepsPerFrame,
      seed: 1,
      start: 'hot',
      targetSweeps,
      maxFps: 0
    }
    const t0 = performance.now()
    const jobId = broker.start({ kind: 'ising.chain', title: `bench ${L}`, interactive: false, spec, seed: 1 })
    const outcome = await broker.wait(jobId)
    if (outcome.status !== 'done') throw new Error(`bench job ended ${outcome.status}`)
    return { seconds: (performance.now() - t0) / 1000, result: outcome.result as IsingChainResult }
  }
  // Calibrate with a short run (includes process start), then time a run long enough that
  // start-up is a small part; subtract the short run's fixed cost by a two-point fit.
  const short = await run(sweepsPerFrame * 5)
  const guess = Math.max(sweepsPerFrame * 10, Math.round((4e7 * SECONDS) / (L * L)))
  const long = await run(guess)
  const sweeps = long.result.sweep - short.result.sweep
  return (sweeps * L * L) / Math.max(1e-6, long.seconds - short.seconds)
}

/** C cluster rates for about `seconds`: Wolff spins added to clusters/s, SW sweeps/s; both with clusters/s. */
function cClusterRate(bin: string, program: 'wolff' | 'sw', L: number, K: number, seconds: number): ClusterRate {
  type Out = { clusterUpdatesPerSecond: number; spinsPerSecond: number; sweepsPerSecond?: number }
  const call = (count: number) =>
    JSON.parse(execFileSync(bin, [String(L), String(count), String(K)], { encoding: 'utf8' })) as Out
  const probe = call(program === 'wolff' ? 2000 : 5)
  const perSecond = program === 'wolff' ? probe.clusterUpdatesPerSecond : probe.sweepsPerSecond!
  const r = call(Math.max(program === 'wolff' ? 100 : 5, Math.round(perSecond * seconds)))
  return {
    rate: program === 'wolff' ? r.spinsPerSecond : r.sweepsPerSecond!,
    clustersPerSecond: r.clusterUpdatesPerSecond
  }
}

const WOLFF_KERNELS: [WolffKernel, string][] = [
  ['general', 'general sampler (createSampler)'],
  // createTorusWolff as the app runs it: WebAssembly where available (datasets, MCRG and the RG flow, live chain).
  ['torus', 'torus kernel (dataset, MCRG, live chain)'],
  ['torus-ts', 'torus kernel, TypeScript fallback']
]
const SW_KERNELS: [SwKernel, string][] = [
  ['general', 'general sampler (createSampler)'],
  ['torus', 'torus kernel (dataset)']
]

/** Wolff and SW rows: C and every kernel in alternating rounds, best of ROUNDS each. */
function clusterRows(program: 'wolff' | 'sw', cBin: string | null): void {
  const kernels = program === 'wolff' ? WOLFF_KERNELS : SW_KERNELS
  for (const L of [40, 256]) {
    for (const [K, kName] of [
      [KC, 'Kc'],
      [PAPER_K, 'K=0.408']
    ] as const) {
      let c: ClusterRate | null = null
      const best = kernels.map(() => null as ClusterRate | null)
      for (let round = 0; round < ROUNDS; round++) {
        if (cBin) {
          const r = cClusterRate(cBin, program, L, K, SECONDS / ROUNDS)
          if (!c || r.rate > c.rate) c = r
        }
        kernels.forEach(([kernel], k) => {
          const r =
            program === 'wolff'
              ? measureWolff(kernel as WolffKernel, L, K, SECONDS / ROUNDS)
              : measureSwendsenWang(kernel as SwKernel, L, K, SECONDS / ROUNDS)
          if (!best[k] || r.rate > best[k]!.rate) best[k] = r
        })
      }
      kernels.forEach(([kernel, label], k) => {
        const v = best[k]!
        const goal = program === 'wolff' && kernel === 'torus' ? 'goal ≥ 0.9× C; ' : ''
        const unit = program === 'wolff' ? 'spins/s' : 'sweeps/s'
        const clusters =
          `${v.clustersPerSecond.toExponential(2)} clusters/s` +
          (c ? ` (C ${c.clustersPerSecond.toExponential(2)})` : '')
        const build = v.build ? `${v.build === 'wasm' ? 'WebAssembly' : 'TypeScript'} build; ` : ''
        const what =
          program === 'wolff'
            ? `${build}spins added to clusters; ${clusters}, ⟨|C|⟩ ${(v.rate / v.clustersPerSecond).toFixed(0)}`
            : `spins/s = N·sweeps/s = ${(v.rate * L * L).toExponential(2)}; ${clusters}`
        rows.push({
          name: `${program === 'wolff' ? 'Wolff' : 'SW'} ${L}², ${kName}, ${label}`,
          value: v.rate,
          unit,
          reference: c?.rate ?? null,
          ratio: c ? v.rate / c.rate : null,
          note: c ? `${goal}${what}; C ${program}.c best of ${ROUNDS} alternating rounds` : `${what}; gcc not found`,
          extra: {
            L,
            K,
            clustersPerSecond: v.clustersPerSecond,
            cClustersPerSecond: c?.clustersPerSecond ?? null,
            build: v.build ?? null
          }
        })
      })
    }
  }
}

/** The paper's dataset for wolff, sw and metropolis (fast kernels), and wolff on the general sampler for comparison. */
async function paperDatasetRows(): Promise<void> {
  const runs: [Parameters<typeof timePaperDataset>[0], 'auto' | 'general'][] = [
    ['wolff', 'auto'],
    ['sw', 'auto'],
    ['metropolis', 'auto'],
    ['wolff', 'general']
  ]
  for (const [algorithm, kernel] of runs) {
    const t = await timePaperDataset(algorithm, kernel)
    const e = `e = ${t.e.value.toFixed(5)} ± ${t.e.error.toFixed(5)} (Onsager ∞: ${t.eOnsager.toFixed(5)})`
    const tau = t.tauIntSweeps === null ? 'fixed thin' : `τ_int ${t.tauIntSweeps.toFixed(2)} sweeps (pilot)`
    rows.push({
      name: `Paper dataset 20,000 × 40², ${algorithm}${kernel === 'general' ? ', general sampler' : ''}`,
      value: t.seconds,
      unit: 's',
      reference: 10,
      ratio: t.seconds / 10,
      note: `goal < 10 s (ratio < 1) on ${availableParallelism()} cores; kernel ${t.kernel}; ${tau}, thin ${t.thin}, ${t.totalSweeps} sweeps; ${e}; CPU ${t.cpuSeconds.toFixed(2)} s`,
      extra: {
        algorithm,
        kernel: t.kernel,
        cpuSeconds: t.cpuSeconds,
        tauIntSweeps: t.tauIntSweeps,
        thin: t.thin,
        totalSweeps: t.totalSweeps,
        e: t.e.value,
        eError: t.e.error,
        eOnsager: t.eOnsager
      }
    })
  }
}

async function main(): Promise<void> {
  mkdirSync(join(root, 'reports'), { recursive: true })
  const cBin = compileC('metropolis')
  const cHeatBath = compileC('heatbath')
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: 1
  })
  try {
    for (const L of [40, 256]) {
      const { c, kernel: wasm } = interleavedBest(L, cBin, (seconds) =>
        measureWasmFlipsPerSecond(L, seconds, 'metropolis')
      )
      const inWorker = await workerFlipsPerSecond(broker, L)
      rows.push({
        name: `Metropolis flips/s, ${L}², job worker process`,
        value: inWorker,
        unit: 'flips/s',
        reference: c,
        ratio: c ? inWorker / c : null,
        note: c
          ? 'reference: C, gcc -O3 -march=native, same algorithm; the chain runs the WASM kernel'
          : 'gcc not found: no C reference'
      })
      const inProcess = measureMetropolisFlipsPerSecond(L, SECONDS)
      rows.push(ratioRow(`Metropolis flips/s, ${L}², kernel alone`, inProcess, c, 'TypeScript kernel (fallback)'))
      rows.push(
        ratioRow(
          `Metropolis flips/s, ${L}², WASM kernel`,
          wasm,
          c,
          wasm === null ? 'WebAssembly unavailable' : `goal ≥ 0.9× C; C and WASM best of ${ROUNDS} alternating rounds`
        )
      )
    }
    for (const L of [40, 256]) {
      const { c, kernel: wasm } = interleavedBest(L, cHeatBath, (seconds) =>
        measureWasmFlipsPerSecond(L, seconds, 'heatBath')
      )
      rows.push(
        ratioRow(
          `Heat bath flips/s, ${L}², TS kernel`,
          measureHeatBathFlipsPerSecond(L, SECONDS),
          c,
          c ? 'reference: C heat bath, gcc -O3 -march=native' : 'gcc not found'
        )
      )
      rows.push(
        ratioRow(`Heat bath flips/s, ${L}², WASM kernel`, wasm, c, `C and WASM best of ${ROUNDS} alternating rounds`)
      )
    }
  } finally {
    await broker.shutdown()
  }
  clusterRows('wolff', compileC('wolff'))
  clusterRows('sw', compileC('sw'))
  await paperDatasetRows()
  for (const L of [256, 1024]) {
    try {
      const fps = await measureLiveViewFps(L, Math.max(3, SECONDS))
      rows.push({
        name: `Live view frames/s, ${L}²`,
        value: fps.fps,
        unit: 'frames/s',
        reference: 30,
        ratio: fps.fps / 30,
        note: `goal ≥ 30 frames/s; chain ran ${fps.sweepsPerSecond.toFixed(0)} sweeps/s`
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
