import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clusterCommand } from '../../src-main/cli/cluster'
import { fromBundleJson } from '@shared/cluster/json'
import { encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'

/**
 * A dataset shard, an MCRG chain and a training stopped part-way inside `blockspin cluster task`
 * (SIGUSR1, as Slurm signals before the time limit) keep their state in the checkpoint, end with
 * status 75 and, run again, resume from it to the result an uninterrupted task gives.
 */

const ENTRY = fileURLToPath(new URL('../helpers/clusterCli.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cluster-resume-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; log: string; err: string }> {
  const log: string[] = []
  const err: string[] = []
  const code = await clusterCommand(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}

const readJson = <T>(path: string): T => fromBundleJson(readFileSync(path, 'utf8')) as T

type Unit = { unit: number; seconds: number; result: unknown }
type Kept = { units: Unit[]; partial?: { unit: number; state: Record<string, unknown> } }

/**
 * Exports `item` twice, runs task 0 of one straight, then task 0 of the other in a process of its
 * own, signalled with SIGUSR1 `fraction` of the straight unit's time into its first unit, and run
 * again to the end. Returns both results and the checkpoint the stop left.
 */
async function stopAndResume(doc: ProjectDoc, item: string, args: string[], fraction = 0.6) {
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  const straight = join(dir, 'straight')
  const stopped = join(dir, 'stopped')
  for (const out of [straight, stopped])
    expect((await cli('export', file, '--item', item, '--out', out, ...args)).code).toBe(0)
  const whole = await cli('task', join(straight, 'tasks', '0.json'))
  expect(whole.code, whole.err).toBe(0)
  const a = readJson<Kept>(join(straight, 'results', '0.json'))
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'task', join(stopped, 'tasks', '0.json')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let log = ''
  child.stdout.on('data', (d: Buffer) => (log += d.toString()))
  child.stderr.on('data', (d: Buffer) => (log += d.toString()))
  const deadline = Date.now() + 60_000
  while (!log.includes('unit 0,') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
  // The unit's seconds include starting its worker, which takes about as long again here.
  await new Promise((r) => setTimeout(r, 1000 * fraction * a.units[0]!.seconds))
  child.kill('SIGUSR1')
  const code = await new Promise<number | null>((r) => child.on('exit', r))
  expect(code, log).toBe(75)
  const kept = readJson<Kept>(join(stopped, 'checkpoints', '0.json'))
  const again = await cli('task', join(stopped, 'tasks', '0.json'))
  expect(again.code, again.err).toBe(0)
  expect(again.log).toContain('unit 0 part-way')
  const b = readJson<Kept & { resumed: number }>(join(stopped, 'results', '0.json'))
  expect(b.resumed).toBe(1)
  return { a, b, kept }
}

describe('a unit stopped part-way inside a cluster task', () => {
  it('a dataset shard resumes from its chain, samples and sums so far, and ends as an uninterrupted shard', async () => {
    const doc = clusterKindsProject()
    doc.project.datasets[0]!.samples = 6000
    doc.project.datasets[0]!.thin = 40
    const { a, b, kept } = await stopAndResume(doc, 'data1', ['--shards', '1'])
    expect(kept.units).toHaveLength(0)
    const state = kept.partial!.state as { stored: number; samples: Int8Array }
    expect(kept.partial!.unit).toBe(0)
    expect(state.stored).toBeGreaterThan(0)
    expect(state.stored).toBeLessThan(6000)
    expect(state.samples.length).toBe(state.stored * 64)
    expect(b.units[0]!.result).toEqual(a.units[0]!.result)
  }, 120_000)

  it('an MCRG chain resumes from its configurations so far and gives the sums of an uninterrupted chain', async () => {
    const doc = clusterKindsProject({ count: 16_000 })
    const { a, b, kept } = await stopAndResume(doc, 'mcrg1', ['--shards', '2', '--per-task', '2'])
    const state = kept.partial!.state as { taken: number; done: number }
    expect(kept.partial!.unit).toBe(0)
    expect(state.taken).toBeGreaterThan(0)
    expect(state.taken).toBeLessThan(8000)
    expect(b.units.map((u) => u.result)).toEqual(a.units.map((u) => u.result))
  }, 120_000)

  it('a training resumes from its last epoch and ends with the network of an uninterrupted training', async () => {
    const doc = clusterKindsProject({ epochs: 800 })
    const { a, b, kept } = await stopAndResume(doc, 'train1', [])
    const state = kept.partial!.state as { trainer: { epoch: number } }
    expect(kept.partial!.unit).toBe(0)
    expect(state.trainer.epoch).toBeGreaterThan(0)
    expect(state.trainer.epoch).toBeLessThan(800)
    expect(b.units[0]!.result).toEqual(a.units[0]!.result)
  }, 120_000)
})
