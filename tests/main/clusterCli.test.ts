import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/index'
import { fromBundleJson, toBundleJson } from '@shared/cluster/json'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { clusterProject } from '../shared/clusterFixtures'
import { clusterCli as cli } from '../helpers/cli'

const ENTRY = fileURLToPath(new URL('../helpers/clusterCli.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cluster-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function writeProject(opts: Parameters<typeof clusterProject>[0] = {}): string {
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(clusterProject(opts), '0.0.0-test'))
  return file
}

const readJson = (path: string): Record<string, unknown> =>
  fromBundleJson(readFileSync(path, 'utf8')) as Record<string, unknown>

describe('blockspin cluster', () => {
  it('is a command of blockspin, with its own usage', async () => {
    const log: string[] = []
    const sink = { log: (s: string) => log.push(s), err: (s: string) => log.push(s) }
    expect(await main(['cluster', '--help'], sink)).toBe(0)
    expect(log.join('\n')).toContain('cluster export PROJECT --item ID --out DIR')
    expect(await main(['cluster', 'launch'], sink)).toBe(2)
    expect(log.join('\n')).toContain('Unknown cluster command "launch".')
  })
})

describe('blockspin cluster export', () => {
  it('writes the tasks, a commented array script with the user’s choices and a README', async () => {
    const file = writeProject()
    const out = join(dir, 'b')
    const r = await cli(
      'export',
      file,
      '--item',
      'sweep1',
      '--out',
      out,
      '--per-task',
      '4',
      '--time',
      '00:10:00',
      '--mem',
      '500M',
      '--cpus',
      '2',
      '--partition',
      'short'
    )
    expect(r.code, r.err).toBe(0)
    expect(existsSync(join(out, 'tasks', '0.json')) && existsSync(join(out, 'tasks', '1.json'))).toBe(true)
    expect(existsSync(join(out, 'tasks', '2.json'))).toBe(false)
    const script = readFileSync(join(out, 'blockspin-array.sbatch'), 'utf8')
    for (const line of [
      '#SBATCH --array=0-1',
      '#SBATCH --time=00:10:00',
      '#SBATCH --mem=500M',
      '#SBATCH --cpus-per-task=2',
      '#SBATCH --partition=short',
      '#SBATCH --signal=B:USR1@120',
      '#SBATCH --requeue'
    ])
      expect(script).toContain(line)
    expect(script).toContain('cluster task "$task"')
    expect(statSync(join(out, 'blockspin-array.sbatch')).mode & 0o111).not.toBe(0)
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('blockspin cluster merge')
    // Exporting again gives the same files; another item's bundle is not written over it.
    const before = readFileSync(join(out, 'tasks', '1.json'), 'utf8')
    expect((await cli('export', file, '--item', 'sweep1', '--out', out, '--per-task', '4')).code).toBe(0)
    expect(readFileSync(join(out, 'tasks', '1.json'), 'utf8')).toBe(before)
    const other = await cli('export', file, '--item', 'data1', '--out', out)
    expect(other).toMatchObject({
      code: 2,
      err: `${out} holds another bundle; it was left alone (choose another folder).`
    })
  })

  it('refuses Slurm options that are not plain values, in one sentence', async () => {
    const file = writeProject()
    const r = await cli('export', file, '--item', 'sweep1', '--out', join(dir, 'b'), '--time', '1:00:00; rm -rf ~')
    expect(r).toMatchObject({
      code: 2,
      err: '--time takes a Slurm time such as 90, 01:30:00 or 2-00:00:00, not "1:00:00; rm -rf ~".'
    })
    expect(existsSync(join(dir, 'b'))).toBe(false)
  })
})

describe('blockspin cluster task and merge', () => {
  it('runs tasks, merges their points once, and leaves the file alone when merged again', async () => {
    const file = writeProject({ Ls: [4], Ks: [0.2, 0.3, 0.4], sweeps: 200 })
    const out = join(dir, 'b')
    expect((await cli('export', file, '--item', 'sweep1', '--out', out, '--per-task', '2')).code).toBe(0)
    const first = await cli('task', join(out, 'tasks', '0.json'))
    expect(first.code, first.err).toBe(0)
    expect(existsSync(join(out, 'checkpoints', '0.json'))).toBe(false)
    expect((await cli('task', join(out, 'tasks', '0.json'))).log).toContain('already done')

    // Task 1 has not run: the merge takes task 0's points and names task 1.
    const partial = await cli('merge', file, out)
    expect(partial.code).toBe(1)
    expect(partial.err).toBe('Task 1 (L = 4, K = 0.4) has no result yet.')
    expect((await cli('task', join(out, 'tasks', '1.json'))).code).toBe(0)
    const merged = await cli('merge', file, out)
    expect(merged.code, merged.err).toBe(0)
    const bytes = readFileSync(file)
    const decoded = decodeProject(new Uint8Array(bytes))
    if (!decoded.ok) throw new Error('unreadable')
    const sweep = decoded.doc.project.analyses.find((a) => a.id === 'sweep1-cluster1')!
    const points = sweep.result!['points'] as { L: number; K: number; e: { value: number; error: number } }[]
    expect(points.map((p) => [p.L, p.K])).toEqual([
      [4, 0.2],
      [4, 0.3],
      [4, 0.4]
    ])
    expect(sweep.spec).toMatchObject({ seed: 7, Ls: [4], cluster: { units: 3 } })
    // The stream each point used is in its result.
    const result = readJson(join(out, 'results', '1.json')) as { units: { stream: { index: number } }[] }
    expect(result.units[0]!.stream.index).toBe(2)

    const again = await cli('merge', file, out)
    expect(again.code).toBe(0)
    expect(again.log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('leaves out a truncated or foreign result with one sentence each', async () => {
    const file = writeProject({ Ls: [4], Ks: [0.2, 0.3], sweeps: 200 })
    const out = join(dir, 'b')
    await cli('export', file, '--item', 'sweep1', '--out', out)
    for (const k of [0, 1]) expect((await cli('task', join(out, 'tasks', `${k}.json`))).code).toBe(0)
    const text = readFileSync(join(out, 'results', '0.json'), 'utf8')
    writeFileSync(join(out, 'results', '0.json'), text.slice(0, text.length / 2))
    const foreign = readJson(join(out, 'results', '1.json'))
    writeFileSync(join(out, 'results', '1.json'), toBundleJson({ ...foreign, bundleId: '0123456789abcdef' }))
    const r = await cli('merge', file, out)
    expect(r.code).toBe(1)
    const lines = r.err.split('\n')
    expect(lines[0]).toMatch(
      /^results\/0\.json: left out, it is not complete bundle JSON \(truncated or damaged: .*\)\.$/
    )
    expect(lines[1]).toBe('results/1.json: left out, it belongs to task 1 of bundle 0123456789abcdef, not to this one.')
    expect(lines[2]).toMatch(/^No task of bundle [0-9a-f]{16} has a result to merge; the project was left as it was\.$/)
  })

  it('resumes from a checkpoint and gives the numbers an uninterrupted task gives', async () => {
    const file = writeProject({ samples: 120 })
    const out = join(dir, 'b')
    expect((await cli('export', file, '--item', 'data1', '--out', out, '--shards', '3', '--per-task', '3')).code).toBe(
      0
    )
    expect((await cli('task', join(out, 'tasks', '0.json'))).code).toBe(0)
    const whole = readFileSync(join(out, 'results', '0.json'), 'utf8')
    const r = readJson(join(out, 'results', '0.json')) as { units: unknown[] }
    writeFileSync(
      join(out, 'checkpoints', '0.json'),
      toBundleJson({ ...r, format: 'blockspin-cluster-checkpoint', units: r.units.slice(0, 1) })
    )
    rmSync(join(out, 'results', '0.json'))
    const resumed = await cli('task', join(out, 'tasks', '0.json'))
    expect(resumed.log).toContain('resuming from its checkpoint, 1 of 3 units done')
    const again = readJson(join(out, 'results', '0.json')) as { resumed: number; units: { result: unknown }[] }
    expect(again.resumed).toBe(1)
    const before = fromBundleJson(whole) as { units: { result: unknown }[] }
    expect(again.units.map((u) => u.result)).toEqual(before.units.map((u) => u.result))

    // The shards merge as one dataset of all samples, once.
    expect((await cli('merge', file, out)).code).toBe(0)
    const bytes = readFileSync(file)
    const decoded = decodeProject(new Uint8Array(bytes))
    if (!decoded.ok) throw new Error('unreadable')
    const d = decoded.doc.project.datasets.find((x) => x.id === 'data1-cluster1')!
    expect(d).toMatchObject({ samples: 120, thin: 2, burnIn: 100, seed: 11 })
    expect(decoded.doc.arrays['data1-cluster1.samples']!.shape).toEqual([120, 8, 8])
    expect((await cli('merge', file, out)).log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('on SIGUSR1 keeps its finished units, ends with status 75, and resumes when run again', async () => {
    const file = writeProject({ Ls: [8], Ks: [0.2, 0.3, 0.35, 0.4], sweeps: 20000 })
    const out = join(dir, 'b')
    expect((await cli('export', file, '--item', 'sweep1', '--out', out, '--per-task', '4')).code).toBe(0)
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'task', join(out, 'tasks', '0.json')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 60_000
    while (!log.includes('unit 0 done') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50))
    child.kill('SIGUSR1')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code, log).toBe(75)
    const kept = readJson(join(out, 'checkpoints', '0.json')) as { units: { unit: number }[] }
    expect(kept.units.length).toBeGreaterThanOrEqual(1)
    expect(kept.units.length).toBeLessThan(4)
    const again = await cli('task', join(out, 'tasks', '0.json'))
    expect(again.log).toContain(`resuming from its checkpoint, ${kept.units.length} of 4 units done`)
    expect((readJson(join(out, 'results', '0.json')) as { units: unknown[] }).units).toHaveLength(4)
  })
})
