import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { runRgFlow, type RgFlowSpec } from '@core/jobs/rgFlow'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { clusterCommand } from '../../src-main/cli/cluster'
import { fromBundleJson } from '@shared/cluster/json'
import { jsonOf } from '@shared/project/rgRecords'
import { decodeProject, encodeProject } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { FakeJobHost } from '../core/fakeJobHost'
import { clusterProject } from '../shared/clusterFixtures'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cluster-flow-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; log: string; err: string }> {
  const log: string[] = []
  const err: string[] = []
  const code = await clusterCommand(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}

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

function writeProject(): string {
  const doc = clusterProject()
  doc.project.analyses.push({
    id: 'flow1',
    name: 'RG flow, 8²',
    kind: 'rg.flow',
    sourceId: null,
    spec: { ...SPEC, seed: 4 },
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
})
