import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import type { SweepPoint } from '@core/jobs/isingSweep'
import { splitItem } from '@shared/cluster/split'
import type { ClusterState } from '@shared/clusterContract'
import { createApiHandlers } from '../../src-main/services/api'
import { appCommand } from '../../src-main/services/clusterSlurm'
import type { JobBroker } from '../../src-main/services/jobBroker'
import { packageInfo } from '../../src-main/services/packageInfo'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { createWebApi, type WebApi } from '../../src-renderer/src/api/webClient'
import { planMerge } from '../../src-renderer/src/logic/clusterMerge'
import { clusterProject } from '../shared/clusterFixtures'

/**
 * The app's Submit against a real one-node Slurm cluster (scripts/slurm-local.sh): a sweep's
 * bundle written, submitted and followed through the web host's socket as the page makes the
 * calls, its tasks run by the command the web host passes the nodes (its Node and the package's
 * bin/blockspin.mjs; no BLOCKSPIN set, no blockspin on PATH), then read back and merged by the
 * page's merge. Skips, saying why, where Slurm is not installed or cannot start (it needs root).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh')
/** A port of its own, beside clusterSlurm.test.ts's, clusterSubmit.test.ts's and the bench's. */
const PORT = '16847'

const installed = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every(existsSync)
const notRunnable = !installed
  ? 'Slurm is not installed (Debian: slurmctld slurmd slurm-client munge; .ci/run installs them)'
  : process.getuid?.() !== 0
    ? 'a local Slurm cluster needs root'
    : null
if (notRunnable) console.warn(`Slurm test of the app's Submit skipped: ${notRunnable}.`)

let dir = ''
let state = ''
let started: string | null = null
let host: WebHost | undefined
let api: WebApi | undefined
let files: ProjectFiles | undefined
const saved = { conf: process.env['SLURM_CONF'], blockspin: process.env['BLOCKSPIN'] }
/** What web/index.ts passes: this Node and the package's own CLI. */
const command = appCommand(process.execPath, packageInfo().root)

beforeAll(async () => {
  if (notRunnable) return
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-app-slurm-')))
  state = join(dir, 'slurm')
  const r = spawnSync(SCRIPT, ['start', state], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BLOCKSPIN_SLURM_PORT: PORT }
  })
  if (r.status !== 0) return void (started = (r.stderr || r.stdout || 'the start script failed').trim())
  // The app's sbatch and squeue talk to this cluster; the tasks get no BLOCKSPIN but the app's.
  process.env['SLURM_CONF'] = join(state, 'slurm.conf')
  delete process.env['BLOCKSPIN']
  const root = join(dir, 'projects')
  mkdirSync(root)
  writeFileSync(join(dir, 'index.html'), '<!doctype html>')
  files = new ProjectFiles({ appVersion: 'test', stateDir: join(dir, 'state'), projectsRoot: root })
  host = await startWebHost({
    handlers: createApiHandlers({
      host: 'web',
      appVersion: 'test',
      files,
      broker: {} as JobBroker,
      projectsRoot: root,
      blockspinCommand: command
    }),
    subscribe: () => () => {},
    rendererDir: dir,
    log: () => {}
  })
  const origin = `http://127.0.0.1:${host.port}`
  api = createWebApi(new URL(host.url), {
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url, { origin })
      }
    },
    storage: null,
    minDelayMs: 20,
    maxDelayMs: 100
  })
}, 90_000)

afterAll(async () => {
  api?.dispose()
  await host?.close()
  await files?.close()
  for (const [key, value] of [
    ['SLURM_CONF', saved.conf],
    ['BLOCKSPIN', saved.blockspin]
  ] as const)
    if (value === undefined) delete process.env[key]
    else process.env[key] = value
  if (!state) return
  spawnSync(SCRIPT, ['stop', state], { timeout: 30_000 })
  rmSync(dir, { recursive: true, force: true })
})

describe.skipIf(notRunnable !== null)('Submit from the app on a one-node Slurm cluster', () => {
  it('submits a written sweep, follows it until its tasks are done, and merges what they made', async (ctx) => {
    if (started) ctx.skip(`Slurm could not start here: ${started}`)
    expect(command).toBe(`${process.execPath} ${join(ROOT, 'bin', 'blockspin.mjs')}`)
    // The command works here (and builds out/ now if it must, once rather than in every task).
    const version = spawnSync('/bin/sh', ['-c', `${command} --version`], { encoding: 'utf8', timeout: 300_000 })
    expect(version.stdout.trim(), version.stderr).toBe(packageInfo().version)
    expect(spawnSync('/bin/sh', ['-c', 'command -v blockspin']).status, 'a blockspin on PATH').not.toBe(0)

    const doc = clusterProject({ Ls: [4], Ks: [0.2, 0.3, 0.4, 0.5], sweeps: 2000 })
    const split = splitItem(doc, 'sweep1')
    if ('error' in split) throw new Error(split.error)
    const slurm = { time: '00:10:00', mem: '300M', cpus: 1 }
    const written = await api!['cluster.export']({
      parent: '',
      name: 'fss',
      manifest: split.manifest,
      tasks: split.tasks,
      slurm
    })
    if (!written.ok) throw new Error(written.error)
    expect(written.slurm).toEqual({ available: true })

    const submitted = await api!['cluster.submit']({ dir: 'fss' })
    if (!submitted.ok) throw new Error(submitted.message)
    expect(submitted.message).toContain(`(4 tasks, each running ${command} cluster task)`)
    const record = JSON.parse(readFileSync(join(written.fullPath, 'submitted.json'), 'utf8')) as { command: string }
    expect(record.command).toBe(command)

    const deadline = Date.now() + 240_000
    let s: ClusterState
    for (;;) {
      const out = await api!['cluster.status']({ dir: 'fss' })
      if (!out.ok) throw new Error(out.error)
      s = out.state
      if (s.settled) break
      if (Date.now() > deadline) throw new Error(`the array did not finish: ${JSON.stringify(s.counts)}`)
      await new Promise((r) => setTimeout(r, 1000))
    }
    expect(s, JSON.stringify(s)).toMatchObject({
      jobId: submitted.jobId,
      results: 4,
      complete: true,
      counts: [{ state: 'done', count: 4, tasks: '0-3' }],
      failed: []
    })
    // Each task's log: the array script started it, and the command ran (no "not found").
    const logs = readdirSync(join(written.fullPath, 'logs')).map((f) =>
      readFileSync(join(written.fullPath, 'logs', f), 'utf8')
    )
    expect(logs).toHaveLength(4)
    for (const log of logs) {
      expect(log).toMatch(/^Task \d on /)
      expect(log).not.toMatch(/not found|error/i)
    }

    const read = await api!['cluster.read']({ dir: 'fss' })
    if (!read.ok) throw new Error(read.error)
    expect(read.notes).toEqual([])
    const plan = planMerge(doc.project, doc.arrays, read)
    expect(plan.report.summary).toBe('Merged 4 of 4 units of “Sweep” as “Sweep (cluster)”.')
    const points = (plan.changes[0]!.record as unknown as { result: { points: SweepPoint[] } }).result.points
    expect(points.map((p) => p.K)).toEqual([0.2, 0.3, 0.4, 0.5])
    // |m| grows with K on a 4×4 lattice (about 0.53 at K = 0.2, 0.94 at K = 0.5).
    const absM = points.map((p) => p.absM.value)
    expect(absM[0]).toBeLessThan(absM[3]!)
  }, 420_000)
})
