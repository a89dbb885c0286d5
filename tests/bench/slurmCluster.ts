import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { status } from '../../src-main/cluster/slurm'
import { JobBroker } from '../../src-main/services/jobBroker'
import { spawnNodeWorker } from '../../src-main/services/nodeWorker'
import { fromBundleJson } from '@shared/cluster/json'
import { encodeProject } from '@shared/project/codec'
import type { SweepSpec } from '@core/jobs/isingSweep'
import { clusterProject } from '../shared/clusterFixtures'
import { BENCH_SECONDS, type Row } from './row'

/**
 * Cluster rows of `npm run bench`, on the local one-node Slurm cluster (scripts/slurm-local.sh):
 *   - a sweep of 16 points exported, submitted (`blockspin cluster submit`), waited for
 *     (`cluster status`) and merged, against the same sweep run as the app runs it (one
 *     'ising.sweep' job in a worker process); both run the built code (out/main);
 *   - the merge of its 16 results alone (`blockspin cluster merge`, a process as the user runs it);
 *   - the overhead of one array task: a near-empty task through `blockspin cluster task`
 *     (start-up, worker, reading the task, writing checkpoint and result) as a fraction of a
 *     minute-long task, and the overhead per task inside the cluster run (wall time × slots − the
 *     units' own seconds, per task), which adds Slurm's scheduling.
 * Where Slurm cannot start, the rows say why and the bench goes on.
 */

const root = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = join(root, 'scripts', 'slurm-local.sh')
const CLI = join(root, 'out', 'main', 'cli.js')
const WORKER = join(root, 'out', 'main', 'worker.js')
/** A port apart from the integration tests' (16817, 16827). */
const PORT = '16837'
const POINTS = 16
const MINUTE = 60

const NAMES = {
  wall: `Cluster sweep ${POINTS} points, local Slurm vs app`,
  merge: `Cluster merge of ${POINTS} results`,
  overhead: 'Cluster task overhead (near-empty task)'
}

/** Why the cluster rows cannot be measured here, or null. */
export function whyNot(): string | null {
  const installed = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every(existsSync)
  if (!installed) return 'Slurm is not installed (Debian: slurmctld slurmd slurm-client munge)'
  if (process.getuid?.() !== 0) return 'a local Slurm cluster needs root'
  if (!existsSync(CLI) || !existsSync(WORKER)) return 'the CLI is not built (npm run build)'
  return null
}

const seconds = (t0: number): number => (performance.now() - t0) / 1000

/** The sweep's spec: 16 points at L = 32, its work scaled by BENCH_SECONDS (about 2 s a point in the app at 3). */
function sweepSpec(): SweepSpec {
  const Ks = Array.from({ length: POINTS }, (_, i) => Number((0.3 + (0.25 * i) / (POINTS - 1)).toFixed(4)))
  return {
    Ls: [32],
    Ks,
    h: 0,
    algorithm: 'wolff',
    burnIn: 200,
    sweeps: Math.max(1000, Math.round(2000 * BENCH_SECONDS)),
    start: 'random'
  }
}

async function appSweep(spec: SweepSpec): Promise<number> {
  const broker = new JobBroker({ spawn: () => spawnNodeWorker({ entry: WORKER, execArgv: [] }), maxBatchJobs: 1 })
  try {
    const t0 = performance.now()
    const id = broker.start({ kind: 'ising.sweep', title: 'bench sweep', interactive: false, spec, seed: 7 })
    const outcome = await broker.wait(id)
    if (outcome.status !== 'done') throw new Error(`the app's sweep ended ${outcome.status}`)
    return seconds(t0)
  } finally {
    await broker.shutdown()
  }
}

/** The cluster rows; `script` starts and stops the cluster (scripts/slurm-local.sh; tests give another). */
export async function benchSlurmCluster(rows: Row[], script = SCRIPT): Promise<void> {
  const reason = whyNot()
  if (reason) return notMeasured(rows, reason)
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-bench-slurm-'))
  const state = join(dir, 'slurm')
  try {
    const up = spawnSync(script, ['start', state], {
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, BLOCKSPIN_SLURM_PORT: PORT }
    })
    if (up.status !== 0) return notMeasured(rows, `Slurm could not start: ${(up.stderr || up.stdout).trim()}`)
    await measure(rows, dir, join(state, 'slurm.conf'))
  } catch (e) {
    notMeasured(rows, (e as Error).message)
  } finally {
    spawnSync(script, ['stop', state], { timeout: 30_000 })
    rmSync(dir, { recursive: true, force: true })
  }
}

/** A row saying why for each cluster row not yet measured. */
function notMeasured(rows: Row[], reason: string): void {
  for (const name of [NAMES.wall, NAMES.merge, NAMES.overhead])
    if (!rows.some((r) => r.name === name)) rows.push({ name, value: null, unit: 's', note: `not measured: ${reason}` })
}

async function measure(rows: Row[], dir: string, slurmConf: string): Promise<void> {
  // The built CLI without bin/blockspin.mjs's build check (sources edited meanwhile must not start a build).
  const wrapper = join(dir, 'blockspin.mjs')
  writeFileSync(
    wrapper,
    `import { main } from ${JSON.stringify(pathToFileURL(CLI).href)}\nprocess.exitCode = await main(process.argv.slice(2))\n`
  )
  const env = { ...process.env, SLURM_CONF: slurmConf, BLOCKSPIN: `${process.execPath} ${wrapper}` }
  const cli = (...argv: string[]): string => {
    const r = spawnSync(process.execPath, [wrapper, 'cluster', ...argv], { cwd: dir, env, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`blockspin cluster ${argv[0]} failed: ${(r.stderr || r.stdout).trim()}`)
    return r.stdout
  }
  const spec = sweepSpec()
  const doc = clusterProject()
  doc.project.analyses[0]!.spec = { ...spec, seed: 7 }
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-bench'))

  const app = await appSweep(spec)
  const out = join(dir, 'sweep')
  const t0 = performance.now()
  cli('export', file, '--item', 'sweep1', '--out', out, '--mem', '400M')
  const exported = seconds(t0)
  cli('submit', out)
  const submitted = seconds(t0)
  let s = await status(out, { env })
  while (s.ok && !s.status.settled) {
    await new Promise((r) => setTimeout(r, 250))
    s = await status(out, { env })
  }
  if (!s.ok) throw new Error(s.problem)
  if (!s.status.complete) throw new Error(`the array ended with ${s.status.lines.slice(1).join('; ')}`)
  const ran = seconds(t0)
  cli('merge', file, out)
  const total = seconds(t0)
  const merge = total - ran
  const unitSeconds = Array.from({ length: POINTS }, (_, i) => {
    const r = fromBundleJson(readFileSync(join(out, 'results', `${i}.json`), 'utf8')) as {
      units: { seconds: number }[]
    }
    return r.units.reduce((a, u) => a + u.seconds, 0)
  }).reduce((a, b) => a + b, 0)
  const slots = Number(/CPUs=(\d+)/.exec(readFileSync(slurmConf, 'utf8'))?.[1] ?? 1)
  const inCluster = Math.max(0, ((ran - submitted) * slots - unitSeconds) / POINTS)
  rows.push({
    name: NAMES.wall,
    value: total,
    unit: 's',
    reference: app,
    ratio: total / app,
    note:
      `export + submit + wait + merge on ${slots} slots; the app ${app.toFixed(1)} s in one worker; ` +
      `export ${exported.toFixed(1)} s, submit ${(submitted - exported).toFixed(1)} s, tasks ${(ran - submitted).toFixed(1)} s, merge ${merge.toFixed(1)} s; ` +
      `units' own work ${unitSeconds.toFixed(1)} s; L = ${spec.Ls[0]}, ${spec.sweeps} sweeps a point`,
    extra: { app, export: exported, submit: submitted - exported, tasks: ran - submitted, merge, unitSeconds, slots }
  })
  rows.push({
    name: NAMES.merge,
    value: merge,
    unit: 's',
    note: `blockspin cluster merge as a process (start-up, reading and checking ${POINTS} results, saving the project)`
  })
  rows.push(overheadRow(dir, file, cli, inCluster))
}

/** A near-empty task through `blockspin cluster task`, best of 3, as a fraction of a minute. */
function overheadRow(dir: string, file: string, cli: (...argv: string[]) => string, inCluster: number): Row {
  const doc = clusterProject()
  doc.project.analyses[0]!.spec = {
    Ls: [4],
    Ks: [0.3],
    h: 0,
    algorithm: 'wolff',
    burnIn: 10,
    sweeps: 50,
    start: 'random',
    seed: 1
  }
  writeFileSync(file, encodeProject(doc, '0.0.0-bench'))
  const out = join(dir, 'empty')
  cli('export', file, '--item', 'sweep1', '--out', out)
  let best = Infinity
  for (let i = 0; i < 3; i++) {
    rmSync(join(out, 'results', '0.json'), { force: true })
    const t0 = performance.now()
    cli('task', join(out, 'tasks', '0.json'))
    best = Math.min(best, seconds(t0))
  }
  return {
    name: NAMES.overhead,
    value: best,
    unit: 's',
    reference: MINUTE,
    ratio: best / MINUTE,
    note:
      `goal small against a ${MINUTE} s task (ratio ≪ 1): start-up, worker, task and result files, best of 3; ` +
      `in the Slurm run above ${inCluster.toFixed(2)} s per task (${((100 * inCluster) / MINUTE).toFixed(1)} % of ${MINUTE} s) with Slurm's scheduling`,
    extra: { inSlurmPerTask: inCluster, inSlurmFraction: inCluster / MINUTE }
  }
}

// Run alone: node --import tsx tests/bench/slurmCluster.ts
if (import.meta.url === `file://${process.argv[1]}`) {
  const rows: Row[] = []
  await benchSlurmCluster(rows)
  console.log(JSON.stringify(rows, null, 1))
}
