import { spawnSync } from 'node:child_process'
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { kaufmanTorus } from '@core/ising/exact/kaufman'
import { fromBundleJson } from '@shared/cluster/json'
import { decodeProject, encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { clusterProject } from '../shared/clusterFixtures'
import { type LocalSlurm, slurmNotRunnable, startLocalSlurm, stopLocalSlurm } from '../helpers/localSlurm'
import { clusterCli as cli } from '../helpers/cli'

/**
 * A real one-node Slurm cluster (scripts/slurm-local.sh): exported bundles run as job arrays,
 * their results merge into the project and agree with Kaufman's exact values within error
 * bars, and a task signalled with SIGUSR1 is requeued and resumes from its checkpoint. Skips,
 * saying why, where Slurm is not installed or cannot start (it needs root).
 */

const notRunnable = slurmNotRunnable('Slurm integration test')

let dir = ''
let started: string | null = null
let env: NodeJS.ProcessEnv = {}
let cluster: LocalSlurm | null = null

beforeAll(() => {
  if (notRunnable) return
  cluster = startLocalSlurm('blockspin-slurm-')
  ;({ dir, env, problem: started } = cluster)
}, 90_000)

afterAll(() => {
  if (cluster) stopLocalSlurm(cluster)
})

function slurm(cmd: string, args: string[], cwd = dir): string {
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', timeout: 30_000 })
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.stderr}`)
  return r.stdout.trim()
}

async function until(what: string, done: () => boolean, seconds: number): Promise<void> {
  const deadline = Date.now() + seconds * 1000
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 500))
  }
}

/** Exports the item and submits its array; returns the bundle folder and the job id. */
async function submit(
  file: string,
  item: string,
  name: string,
  ...more: string[]
): Promise<{ out: string; job: string }> {
  const out = join(dir, name)
  const r = await cli('export', file, '--item', item, '--out', out, '--time', '00:20:00', '--mem', '300M', ...more)
  expect(r.code, r.err).toBe(0)
  return { out, job: slurm('sbatch', ['--parsable', 'blockspin-array.sbatch'], out).split(';')[0]! }
}

const finished = (job: string) => () => slurm('squeue', ['-h', '-j', job, '-o', '%i']) === ''
const logsOf = (out: string): string =>
  readdirSync(join(out, 'logs'))
    .map((f) => readFileSync(join(out, 'logs', f), 'utf8'))
    .join('\n')

function save(doc: ProjectDoc): string {
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  return file
}

function reopen(file: string): ProjectDoc {
  const decoded = decodeProject(new Uint8Array(readFileSync(file)))
  if (!decoded.ok) throw new Error('the merged project does not open')
  return decoded.doc
}

describe.skipIf(notRunnable !== null)('a one-node Slurm cluster', () => {
  it('runs an exported sweep and a sharded dataset, merges them, and requeues a signalled task', async (ctx) => {
    if (started) ctx.skip(`Slurm could not start here: ${started}`)
    const doc = clusterProject({ Ls: [4], Ks: [0.2, 0.4407, 0.6], sweeps: 20_000, samples: 400 })
    doc.project.analyses.push({
      ...doc.project.analyses[0]!,
      id: 'long',
      spec: {
        Ls: [16],
        Ks: [0.3, 0.35, 0.4, 0.45],
        h: 0,
        algorithm: 'metropolis',
        burnIn: 100,
        sweeps: 150_000,
        start: 'random',
        seed: 3
      }
    })
    const file = save(doc)
    const sweep = await submit(file, 'sweep1', 'sweep')
    const data = await submit(file, 'data1', 'data', '--shards', '4')
    const long = await submit(file, 'long', 'long', '--per-task', '4')

    // The long task: once a unit is in its checkpoint, Slurm's warning signal; the script passes it
    // on, the task keeps its checkpoint and ends with 75, the script requeues it, and it resumes.
    await until(
      'the first checkpoint',
      () => {
        if (finished(long.job)()) throw new Error(`the long task ended early:\n${logsOf(long.out)}`)
        return existsSync(join(long.out, 'checkpoints', '0.json'))
      },
      240
    )
    // scancel delivers the signal at once but may go on retrying, and then fail ("Job can not be
    // altered now"), while the task ends and is requeued: its exit status says nothing; the log does.
    spawnSync('scancel', ['--batch', '--signal=USR1', `${long.job}_0`], { cwd: dir, env, timeout: 30_000 })
    await until('the sweep and dataset arrays', () => finished(sweep.job)() && finished(data.job)(), 300)
    await until('the requeued task', finished(long.job), 400)

    for (const [b, n] of [
      [sweep, 3],
      [data, 4],
      [long, 1]
    ] as const)
      for (let k = 0; k < n; k++) expect(existsSync(join(b.out, 'results', `${k}.json`)), logsOf(b.out)).toBe(true)
    const longLog = logsOf(long.out)
    expect(longLog).toContain('SIGUSR1, stopping with the finished units kept')
    expect(longLog).toContain('requeueing it')
    expect(longLog).toMatch(/resuming from its checkpoint, [1-3] of 4 units done/)
    const longResult = fromBundleJson(readFileSync(join(long.out, 'results', '0.json'), 'utf8')) as { resumed: number }
    expect(longResult.resumed).toBe(1)

    for (const b of [sweep, data, long]) expect((await cli('merge', file, b.out)).code).toBe(0)
    const merged = reopen(file)
    const points = merged.project.analyses.find((a) => a.id === 'sweep1-cluster1')!.result!['points'] as {
      K: number
      e: { value: number; error: number }
    }[]
    expect(points.map((p) => p.K)).toEqual([0.2, 0.4407, 0.6])
    for (const p of points) {
      const exact = kaufmanTorus(4, 4, p.K).e!
      expect(Math.abs(p.e.value - exact), `K = ${p.K}: ${p.e.value} ± ${p.e.error}, exact ${exact}`).toBeLessThan(
        4 * p.e.error + 1e-9
      )
    }
    const dataset = merged.project.datasets.find((d) => d.id === 'data1-cluster1')!
    expect(dataset.samples).toBe(400)
    const e = (dataset.summary!['summary'] as { e: { value: number; error: number } }).e
    expect(Math.abs(e.value - kaufmanTorus(8, 8, 0.3).e!)).toBeLessThan(4 * e.error)
    expect(merged.project.analyses.find((a) => a.id === 'long-cluster1')!.result!['points']).toHaveLength(4)

    // Merging again changes nothing.
    const bytes = readFileSync(file)
    for (const b of [sweep, data, long]) expect((await cli('merge', file, b.out)).log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  }, 900_000)
})
