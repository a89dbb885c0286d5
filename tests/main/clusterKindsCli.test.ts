import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runSweepPoint } from '@core/jobs/sweepPoint'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { fromBundleJson } from '@shared/cluster/json'
import { decodeProject, encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'
import { clusterProject } from '../shared/clusterFixtures'
import { clusterKindsProject } from '../shared/clusterKindsFixtures'
import { clusterCli as cli } from '../helpers/cli'

const ENTRY = fileURLToPath(new URL('../helpers/clusterCli.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cluster-kinds-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function writeProject(doc: ProjectDoc): string {
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  return file
}

const readJson = <T>(path: string): T => fromBundleJson(readFileSync(path, 'utf8')) as T

function project(file: string): ProjectDoc {
  const decoded = decodeProject(new Uint8Array(readFileSync(file)))
  if (!decoded.ok) throw new Error('unreadable')
  return decoded.doc
}

type SweepResultFile = {
  units: {
    unit: number
    stream: { state: number[] }
    result: { points: unknown[]; finalSpins: Int8Array; warmFrom: number | null }
  }[]
}

describe('cluster bundles of an MCRG and of a training grid', () => {
  it('runs an MCRG as independent chains and merges them into one rg.mcrg analysis, once', async () => {
    const file = writeProject(clusterKindsProject())
    const out = join(dir, 'b')
    const exported = await cli('export', file, '--item', 'mcrg1', '--out', out, '--shards', '4', '--per-task', '2')
    expect(exported.code, exported.err).toBe(0)
    for (const k of [0, 1]) expect((await cli('task', join(out, 'tasks', `${k}.json`))).code).toBe(0)
    const merged = await cli('merge', file, out)
    expect(merged.code, merged.err).toBe(0)
    const bytes = readFileSync(file)
    const a = project(file).project.analyses.find((x) => x.id === 'mcrg1-cluster1')!
    expect(a.kind).toBe('rg.mcrg')
    expect(a.spec).toMatchObject({ L: 16, count: 200, seed: 5, cluster: { units: 4 } })
    const result = a.result as { samples: number; blocks: number; levels: { yt: number; ytError: number }[] }
    expect(result.samples).toBe(200)
    expect(result.blocks).toBe(4)
    expect(result.levels).toHaveLength(2)
    expect(result.levels.every((l) => Number.isFinite(l.yt) && l.ytError > 0)).toBe(true)
    expect((await cli('merge', file, out)).log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('runs a grid of trainings on the packed dataset and merges each as a done training', async () => {
    const file = writeProject(clusterKindsProject({ epochs: 2 }))
    const out = join(dir, 'b')
    const grid = ['--grid', 'lr=0.05,0.1', 'hidden=4', 'seeds=2']
    const exported = await cli('export', file, '--item', 'train1', '--out', out, ...grid, '--per-task', '4')
    expect(exported.code, exported.err).toBe(0)
    expect(exported.log).toContain('1 task of 4 units')
    const run = await cli('task', join(out, 'tasks', '0.json'))
    expect(run.code, run.err).toBe(0)
    const merged = await cli('merge', file, out)
    expect(merged.code, merged.err).toBe(0)
    const doc = project(file)
    const made = (doc.project.trainings ?? []).filter((t) => t.id.startsWith('train1-cluster1-'))
    expect(made).toHaveLength(4)
    expect(made.map((t) => [t.options.learningRate, t.layers[0]!.nh, t.status])).toEqual([
      [0.05, 4, 'done'],
      [0.05, 4, 'done'],
      [0.1, 4, 'done'],
      [0.1, 4, 'done']
    ])
    const W = made.map((t) => Array.from(doc.arrays[t.arrays['W1'] ?? '']?.data ?? []))
    expect(W[0]!.length).toBe(64 * 4)
    // The two replicas drew from their own streams.
    expect(W[0]).not.toEqual(W[1])
    const bytes = readFileSync(file)
    expect((await cli('merge', file, out)).log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('refuses a grid it cannot read, in one sentence', async () => {
    const file = writeProject(clusterKindsProject())
    const r = await cli('export', file, '--item', 'train1', '--out', join(dir, 'b'), '--grid', 'lr=fast')
    expect(r.code).toBe(2)
    expect(r.err).toBe('--grid lr= takes positive learning rates separated by commas, as in lr=0.01,0.05.')
  })
})

describe('sweep points in a cluster task', () => {
  it('start from the previous point’s final spins within a task, as the app’s sweep does, and say so', async () => {
    const file = writeProject(clusterProject({ Ls: [6], Ks: [0.3, 0.4, 0.45], sweeps: 300 }))
    const out = join(dir, 'b')
    expect((await cli('export', file, '--item', 'sweep1', '--out', out, '--per-task', '3')).code).toBe(0)
    expect((await cli('task', join(out, 'tasks', '0.json'))).code).toBe(0)
    const r = readJson<SweepResultFile>(join(out, 'results', '0.json'))
    expect(r.units.map((u) => u.result.warmFrom)).toEqual([null, 0, 1])
    // Point 1 is the point its stream gives when started from point 0's final spins.
    const host = new FakeJobHost()
    const again = await runSweepPoint(
      {
        L: 6,
        K: 0.4,
        h: 0,
        algorithm: 'wolff',
        burnIn: 100,
        sweeps: 300,
        start: 'random',
        startSpins: r.units[0]!.result.finalSpins
      },
      xoshiro128ssFromState(Uint32Array.from(r.units[1]!.stream.state)),
      host.sink,
      host.signal
    )
    expect(r.units[1]!.result.points[0]).toEqual(again.point)
    expect((await cli('merge', file, out)).code).toBe(0)
    const sweep = project(file).project.analyses.find((a) => a.id === 'sweep1-cluster1')!
    expect(sweep.result!['cluster']).toMatchObject({ warmStart: true, startedFrom: [null, 0, 1] })
    expect(JSON.stringify(sweep.result)).not.toContain('finalSpins')
    // --no-warm-start: each point from the sweep's start.
    const cold = join(dir, 'c')
    expect(
      (await cli('export', file, '--item', 'sweep1', '--out', cold, '--per-task', '3', '--no-warm-start')).code
    ).toBe(0)
    expect((await cli('task', join(cold, 'tasks', '0.json'))).code).toBe(0)
    const c = readJson<SweepResultFile>(join(cold, 'results', '0.json'))
    expect(c.units.map((u) => u.result.warmFrom)).toEqual([null, null, null])
  })

  it('a long point stopped half-way resumes from its chain state and ends as an uninterrupted run', async () => {
    const file = writeProject(clusterProject({ Ls: [16], Ks: [0.42], sweeps: 150_000 }))
    const straight = join(dir, 'straight')
    const stopped = join(dir, 'stopped')
    for (const out of [straight, stopped])
      expect((await cli('export', file, '--item', 'sweep1', '--out', out)).code).toBe(0)
    expect((await cli('task', join(straight, 'tasks', '0.json'))).code).toBe(0)

    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'task', join(stopped, 'tasks', '0.json')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 60_000
    while (!log.includes('unit 0,') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    await new Promise((r) => setTimeout(r, 1500))
    child.kill('SIGUSR1')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code, log).toBe(75)
    const kept = readJson<{ units: unknown[]; partial: { unit: number; state: { done: number } } }>(
      join(stopped, 'checkpoints', '0.json')
    )
    expect(kept.units).toHaveLength(0)
    expect(kept.partial.unit).toBe(0)
    expect(kept.partial.state.done).toBeGreaterThan(0)
    expect(kept.partial.state.done).toBeLessThan(100 + 150_000)
    const again = await cli('task', join(stopped, 'tasks', '0.json'))
    expect(again.log).toContain('resuming from its checkpoint, 0 of 1 units done, unit 0 part-way')
    const a = readJson<SweepResultFile>(join(straight, 'results', '0.json'))
    const b = readJson<SweepResultFile & { resumed: number }>(join(stopped, 'results', '0.json'))
    expect(b.resumed).toBe(1)
    expect(b.units[0]!.result.points).toEqual(a.units[0]!.result.points)
    expect(Array.from(b.units[0]!.result.finalSpins)).toEqual(Array.from(a.units[0]!.result.finalSpins))
  })
})
