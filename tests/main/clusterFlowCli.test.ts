import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runRgFlow, type RgFlowSpec } from '@core/jobs/rgFlow'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { fromBundleJson } from '@shared/cluster/json'
import { jsonOf } from '@shared/project/rgRecords'
import { decodeProject, encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'
import { clusterProject } from '../shared/clusterFixtures'
import { clusterCli as cli } from '../helpers/cli'

const ENTRY = fileURLToPath(new URL('../helpers/clusterCli.ts', import.meta.url))
const ROOT = fileURLToPath(new URL('../..', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cluster-flow-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const SPEC: RgFlowSpec = {
  L: 8,
  Ks: [0.5, 0.3, 0.4],
  rule: 'majority',
  b: 2,
  levels: 1,
  count: 40,
  between: 1,
  burnIn: 20,
  couplings: ['nearest', 'diagonal']
}

function writeProject(spec: RgFlowSpec = SPEC): string {
  const doc = clusterProject()
  doc.project.analyses.push({
    id: 'flow1',
    name: 'RG flow, 8²',
    kind: 'rg.flow',
    sourceId: null,
    spec: { ...spec, seed: 4 },
    createdAt: '2025-01-01T00:00:00.000Z',
    arrays: {},
    result: { points: [] }
  })
  const file = join(dir, 'p.blockspin')
  writeFileSync(file, encodeProject(doc, '0.0.0-test'))
  return file
}

function project(file: string): ProjectDoc {
  const decoded = decodeProject(new Uint8Array(readFileSync(file)))
  if (!decoded.ok) throw new Error('unreadable')
  return decoded.doc
}

type FlowTask = { units: { unit: number; spec: RgFlowSpec; stream: { state: number[] } }[] }

describe('an RG flow through blockspin cluster', () => {
  it('exports one unit per K, runs each as the rg.flow job on its stream, and merges them by K, once', async () => {
    const usage = await cli('help')
    expect(usage.log.replace(/\s+/g, ' ')).toContain('an RG flow (one unit per starting K)')
    const file = writeProject()
    const out = join(dir, 'b')
    const exported = await cli('export', file, '--item', 'flow1', '--out', out, '--per-task', '2')
    expect(exported.code, exported.err).toBe(0)
    expect(exported.log).toContain('2 tasks of 3 units')
    expect(readFileSync(join(out, 'README.md'), 'utf8')).toContain('The RG flow “RG flow, 8²”')
    // Task 1 (K = 0.4) first: nothing to merge from task 0 yet, which merge names.
    expect((await cli('task', join(out, 'tasks', '1.json'))).code).toBe(0)
    const part = await cli('merge', file, out)
    expect(part.err).toBe('Task 0 (2 units) has no result yet.')
    expect(project(file).project.analyses.find((a) => a.id === 'flow1-cluster1')!.spec['Ks']).toEqual([0.4])
    expect((await cli('task', join(out, 'tasks', '0.json'))).code).toBe(0)
    const merged = await cli('merge', file, out)
    expect(merged.code, merged.err).toBe(0)
    expect(merged.log).toContain('Merged 3 of 3 units of “RG flow, 8²” as “RG flow, 8² (cluster)” (flow1-cluster1)')
    const a = project(file).project.analyses.find((x) => x.id === 'flow1-cluster1')!
    expect(a).toMatchObject({ kind: 'rg.flow', spec: { Ks: [0.3, 0.4, 0.5], seed: 4, cluster: { units: 3 } } })
    // Each point is the one the rg.flow job gives at its K on its unit's stream.
    const units = [0, 1].flatMap(
      (k) => (fromBundleJson(readFileSync(join(out, 'tasks', `${k}.json`), 'utf8')) as FlowTask).units
    )
    const points = []
    for (const K of [0.3, 0.4, 0.5]) {
      const u = units.find((x) => x.spec.Ks[0] === K)!
      const host = new FakeJobHost()
      const r = await runRgFlow(u.spec, xoshiro128ssFromState(Uint32Array.from(u.stream.state)), host.sink, host.signal)
      points.push(r!.points[0]!)
    }
    expect(a.result!['points']).toEqual(jsonOf({ points })['points'])
    const bytes = readFileSync(file)
    expect((await cli('merge', file, out)).log).toContain('nothing changed')
    expect(readFileSync(file).equals(bytes)).toBe(true)
  })

  it('a task stopped mid-way keeps its finished K, and run again starts the stopped one afresh with the same numbers', async () => {
    const file = writeProject({ ...SPEC, L: 32, Ks: [0.4, 0.45], levels: 2, count: 1500 })
    const straight = join(dir, 'straight')
    const stopped = join(dir, 'stopped')
    for (const out of [straight, stopped])
      expect((await cli('export', file, '--item', 'flow1', '--out', out, '--per-task', '2')).code).toBe(0)
    expect((await cli('task', join(straight, 'tasks', '0.json'))).code).toBe(0)
    const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, 'task', join(stopped, 'tasks', '0.json')], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let log = ''
    child.stdout.on('data', (d: Buffer) => (log += d.toString()))
    child.stderr.on('data', (d: Buffer) => (log += d.toString()))
    const deadline = Date.now() + 60_000
    while (!log.includes('unit 0,') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    child.kill('SIGUSR1')
    const code = await new Promise<number | null>((r) => child.on('exit', r))
    expect(code, log).toBe(75)
    const kept = fromBundleJson(readFileSync(join(stopped, 'checkpoints', '0.json'), 'utf8')) as Record<string, unknown>
    expect((kept['units'] as unknown[]).length).toBeLessThan(2)
    expect(kept['partial']).toBeUndefined()
    const again = await cli('task', join(stopped, 'tasks', '0.json'))
    expect(again.code, again.err).toBe(0)
    expect(again.log).toContain('resuming from its checkpoint')
    expect(again.log).not.toContain('part-way')
    const points = (out: string) =>
      (
        fromBundleJson(readFileSync(join(out, 'results', '0.json'), 'utf8')) as { units: { result: unknown }[] }
      ).units.map((u) => u.result)
    expect(points(stopped)).toEqual(points(straight))
  })
})
