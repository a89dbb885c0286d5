import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { fromBundleJson } from '@shared/cluster/json'
import { encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { clusterCli as cli } from '../helpers/cli'

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

const readJson = <T>(path: string): T => fromBundleJson(readFileSync(path, 'utf8')) as T

type Unit = { unit: number; seconds: number; result: unknown }
type Kept = { units: Unit[]; partial?: { unit: number; state: Record<string, unknown> } }

/** Where a stop landed in unit 0: before it took anything, inside it, or after it ended. */
type Landing = 'early' | 'inside' | 'late'

/**
 * Exports `item`, runs its task 0 straight, then runs task 0 of a fresh export in a process of its
 * own, signalled with SIGUSR1 part of the straight unit's time into its first unit, and runs it
 * again to the end. How long a unit takes here depends on the machine's load, so a stop that
 * lands before the unit took anything or after it ended (as `progress` of the kept state tells)
 * is tried again with the signal moved, up to four times; the assertions stay those of a stop
 * inside the unit. Returns both results and the checkpoint the stop left.
 */
async function stopAndResume(
  doc: ProjectDoc,
  item: string,
  args: string[],
  progress: (state: Record<string, unknown>) => Landing
) {
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  const straight = join(dir, 'straight')
  expect((await cli('export', file, '--item', item, '--out', straight, ...args)).code).toBe(0)
  const whole = await cli('task', join(straight, 'tasks', '0.json'))
  expect(whole.code, whole.err).toBe(0)
  const a = readJson<Kept>(join(straight, 'results', '0.json'))
  let fraction = 0.6
  for (let attempt = 1; ; attempt++) {
    const stopped = join(dir, `stopped-${attempt}`)
    expect((await cli('export', file, '--item', item, '--out', stopped, ...args)).code).toBe(0)
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'task', join(stopped, 'tasks', '0.json')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const exited = new Promise<number | null>((r) => child.on('exit', r))
    const deadline = Date.now() + 60_000
    while (!log.includes('unit 0,') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    // The unit's seconds include starting its worker, which takes about as long again here.
    await new Promise((r) => setTimeout(r, 1000 * fraction * a.units[0]!.seconds))
    child.kill('SIGUSR1')
    const code = await exited
    const kept = code === 75 ? readJson<Kept>(join(stopped, 'checkpoints', '0.json')) : null
    const landing: Landing =
      code !== 75
        ? 'late'
        : kept?.partial?.unit === 0
          ? progress(kept.partial.state)
          : kept?.units.length
            ? 'late'
            : 'early'
    if (landing === 'inside' || attempt === 4) {
      expect(code, log).toBe(75)
      expect(landing, `the stop landed ${landing} of unit 0 in all four tries`).toBe('inside')
      const again = await cli('task', join(stopped, 'tasks', '0.json'))
      expect(again.code, again.err).toBe(0)
      expect(again.log).toContain('unit 0 part-way')
      const b = readJson<Kept & { resumed: number }>(join(stopped, 'results', '0.json'))
      expect(b.resumed).toBe(1)
      return { a, b, kept: kept! }
    }
    fraction = landing === 'late' ? fraction / 2 : Math.min(2, fraction * 1.6)
  }
}

describe('a unit stopped part-way inside a cluster task', () => {
  it('a dataset shard resumes from its chain, samples and sums so far, and ends as an uninterrupted shard', async () => {
    const doc = clusterKindsProject()
    doc.project.datasets[0]!.samples = 6000
    doc.project.datasets[0]!.thin = 40
    const { a, b, kept } = await stopAndResume(doc, 'data1', ['--shards', '1'], (st) =>
      (st['stored'] as number) === 0 ? 'early' : (st['stored'] as number) >= 6000 ? 'late' : 'inside'
    )
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
    const { a, b, kept } = await stopAndResume(doc, 'mcrg1', ['--shards', '2', '--per-task', '2'], (st) =>
      (st['taken'] as number) === 0 ? 'early' : (st['taken'] as number) >= 8000 ? 'late' : 'inside'
    )
    const state = kept.partial!.state as { taken: number; done: number }
    expect(kept.partial!.unit).toBe(0)
    expect(state.taken).toBeGreaterThan(0)
    expect(state.taken).toBeLessThan(8000)
    expect(b.units.map((u) => u.result)).toEqual(a.units.map((u) => u.result))
  }, 120_000)

  it('a training resumes from its last epoch and ends with the network of an uninterrupted training', async () => {
    const doc = clusterKindsProject({ epochs: 800 })
    const { a, b, kept } = await stopAndResume(doc, 'train1', [], (st) => {
      const epoch = (st['trainer'] as { epoch: number }).epoch
      return epoch === 0 ? 'early' : epoch >= 800 ? 'late' : 'inside'
    })
    const state = kept.partial!.state as { trainer: { epoch: number } }
    expect(kept.partial!.unit).toBe(0)
    expect(state.trainer.epoch).toBeGreaterThan(0)
    expect(state.trainer.epoch).toBeLessThan(800)
    expect(b.units[0]!.result).toEqual(a.units[0]!.result)
  }, 120_000)
})
