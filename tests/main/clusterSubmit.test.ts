import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { clusterCommand } from '../../src-main/cli/cluster'
import { statusCommand } from '../../src-main/cli/clusterSubmit'
import type { BundleStatus } from '../../src-main/cluster/slurm'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { clusterProject } from '../shared/clusterFixtures'
import {
  CLI_ENTRY,
  type LocalSlurm,
  slurmNotRunnable,
  startLocalSlurm,
  stopLocalSlurm,
  TSX
} from '../helpers/localSlurm'

/**
 * `blockspin cluster submit` and `cluster status` against a real one-node Slurm cluster
 * (scripts/slurm-local.sh): a small exported sweep is submitted by the CLI, followed with
 * status until every task is done, and merged. Skips, saying why, where Slurm is not installed
 * or cannot start (it needs root).
 */

/** A port of its own, so this test and clusterSlurm.test.ts can run side by side. */
const PORT = '16827'
const notRunnable = slurmNotRunnable('Slurm submission test')

let dir = ''
let started: string | null = null
let env: NodeJS.ProcessEnv = {}
let cluster: LocalSlurm | null = null

beforeAll(() => {
  if (notRunnable) return
  cluster = startLocalSlurm('blockspin-submit-slurm-', PORT)
  ;({ dir, env, problem: started } = cluster)
}, 90_000)

afterAll(() => {
  if (cluster) stopLocalSlurm(cluster)
})

/** `blockspin cluster …` as a process of its own, in the cluster's environment. */
function blockspin(...argv: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, ['--import', TSX, CLI_ENTRY, 'cluster', ...argv], {
    cwd: dir,
    env,
    encoding: 'utf8',
    timeout: 120_000
  })
  return { code: r.status, out: r.stdout.trim(), err: r.stderr.trim() }
}

async function statusOf(out: string): Promise<BundleStatus> {
  const log: string[] = []
  const code = await statusCommand([out, '--json'], { log: (s) => log.push(s), err: (s) => log.push(s) }, { env })
  if (code !== 0) throw new Error(log.join('\n'))
  return JSON.parse(log.join('\n')) as BundleStatus
}

describe.skipIf(notRunnable !== null)('blockspin cluster submit on a one-node Slurm cluster', () => {
  it('submits an exported sweep, follows it with status until done, and merges it', async (ctx) => {
    if (started) ctx.skip(`Slurm could not start here: ${started}`)
    const file = join(dir, 'p.blockspin')
    writeFileSync(file, encodeProject(clusterProject({ Ls: [4], Ks: [0.2, 0.3, 0.4, 0.5], sweeps: 2000 }), '0.0.0'))
    const out = join(dir, 'bundle')
    const log: string[] = []
    const sink = { log: (s: string) => log.push(s), err: (s: string) => log.push(s) }
    const exported = await clusterCommand(['export', file, '--item', 'sweep1', '--out', out, '--mem', '300M'], sink)
    expect(exported, log.join('\n')).toBe(0)

    const submitted = blockspin('submit', out)
    expect(submitted.code, submitted.err).toBe(0)
    const jobId = /as job (\d+)/.exec(submitted.out)?.[1]
    expect(jobId, submitted.out).toBeDefined()
    const record = JSON.parse(readFileSync(join(out, 'submitted.json'), 'utf8')) as { jobId: string }
    expect(record.jobId).toBe(jobId)
    const again = blockspin('submit', out)
    expect(again.code).toBe(2)
    expect(again.err).toContain(`was already submitted as job ${jobId}`)

    const seen = new Set<string>()
    const deadline = Date.now() + 240_000
    let s = await statusOf(out)
    while (!s.settled) {
      for (const c of s.counts) seen.add(c.state)
      if (Date.now() > deadline) throw new Error(`the array did not finish:\n${JSON.stringify(s.counts)}`)
      await new Promise((r) => setTimeout(r, 1000))
      s = await statusOf(out)
    }
    // While the array ran, status saw its tasks queued or running (squeue); at the end, all done.
    expect([...seen].some((state) => state === 'pending' || state === 'running')).toBe(true)
    expect(s.counts, s.notes.join(' ')).toEqual([{ state: 'done', count: 4, tasks: [0, 1, 2, 3] }])
    const final = blockspin('status', out)
    expect(final.code, final.err).toBe(0)
    expect(final.out).toContain(`job ${jobId} submitted`)
    expect(final.out).toContain('  done              4  tasks 0-3')

    log.length = 0
    expect(await clusterCommand(['merge', file, out], sink), log.join('\n')).toBe(0)
    const decoded = decodeProject(new Uint8Array(readFileSync(file)))
    if (!decoded.ok) throw new Error('the merged project does not open')
    const merged = decoded.doc.project.analyses.find((a) => a.id === 'sweep1-cluster1')!
    expect((merged.result!['points'] as { K: number }[]).map((p) => p.K)).toEqual([0.2, 0.3, 0.4, 0.5])
  }, 420_000)
})
