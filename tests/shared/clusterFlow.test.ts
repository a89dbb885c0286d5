import { describe, expect, it } from 'vitest'
import { flowFixedPoint, runRgFlow, type RgFlowPoint, type RgFlowSpec } from '@core/jobs/rgFlow'
import { xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import type { TaskResult, TaskUnit } from '@shared/cluster/bundle'
import { fromBundleJson, toBundleJson } from '@shared/cluster/json'
import { mergeInto } from '@shared/cluster/merge'
import { isPlanned, plannedAnalysis } from '@shared/cluster/planned'
import { splitItem, type SplitBundle } from '@shared/cluster/split'
import { rgAnalysisRecord } from '@shared/project/rgRecords'
import type { ProjectDoc } from '@shared/project/types'
import { checkResultFor } from '../../src-main/services/clusterFiles'
import { FakeJobHost } from '../core/fakeJobHost'
import { clusterProject } from './clusterFixtures'

/** An RG flow as a cluster bundle: one unit per starting K, merged into one rg.flow analysis. */

const ok = (x: SplitBundle | { error: string }): SplitBundle => {
  if ('error' in x) throw new Error(x.error)
  return x
}

const SPEC: RgFlowSpec = {
  L: 8,
  Ks: [0.6, 0.3],
  rule: 'majority',
  b: 2,
  levels: 1,
  count: 40,
  between: 1,
  burnIn: 20,
  couplings: ['nearest', 'diagonal']
}

function flowProject(opts: { planned?: boolean; Ks?: number[] } = {}): ProjectDoc {
  const doc = clusterProject()
  const spec = { ...SPEC, Ks: opts.Ks ?? SPEC.Ks }
  doc.project.analyses.push(
    opts.planned
      ? plannedAnalysis({ id: 'flow1', name: 'RG flow, 8²', kind: 'rg.flow', spec, seed: 9 })
      : {
          id: 'flow1',
          name: 'RG flow, 8²',
          kind: 'rg.flow',
          sourceId: null,
          spec: { ...spec, seed: 9 },
          createdAt: '2025-01-01T00:00:00.000Z',
          arrays: {},
          result: { points: [] }
        }
  )
  return doc
}

/** Each unit run in this process by the rg.flow job on its stream, as a task would (its result file read back). */
async function runUnits(b: SplitBundle): Promise<TaskResult['units']> {
  const out: TaskResult['units'][number][] = []
  for (const task of b.tasks) {
    const units = []
    for (const u of task.units) {
      const host = new FakeJobHost()
      const r = await runRgFlow(
        u.spec as RgFlowSpec,
        xoshiro128ssFromState(Uint32Array.from(u.stream.state)),
        host.sink,
        host.signal
      )
      const { fixedPoint: _f, ...flow } = r!
      units.push({ unit: u.unit, stream: u.stream, seconds: 1, result: flow })
    }
    const file = { format: 'blockspin-cluster-result', version: 1, kind: 'rgflow', bundleId: b.manifest.id }
    const text = toBundleJson({ ...file, index: task.index, resumed: 0, host: 'n1', units })
    const checked = checkResultFor(task)(fromBundleJson(text))
    if (!checked.ok) throw new Error(checked.problem)
    out.push(...checked.value.units)
  }
  return out as TaskResult['units']
}

describe('an RG flow as a cluster bundle', () => {
  it('splits into one unit per starting K, each with its own stream, grouped per task', () => {
    const b = ok(splitItem(flowProject({ Ks: [0.3, 0.35, 0.4, 0.45, 0.5] }), 'flow1', { perTask: 2 }))
    expect(b.manifest).toMatchObject({ kind: 'rgflow', units: 5, tasks: 3, seed: 9, target: { id: 'flow1-cluster1' } })
    expect(b.tasks.map((t) => t.units.map((u) => (u.spec as RgFlowSpec).Ks))).toEqual([
      [[0.3], [0.35]],
      [[0.4], [0.45]],
      [[0.5]]
    ])
    expect(b.tasks.flatMap((t) => t.units.map((u) => u.label))).toEqual([
      'K = 0.3',
      'K = 0.35',
      'K = 0.4',
      'K = 0.45',
      'K = 0.5'
    ])
    const streams = b.tasks.flatMap((t) => t.units.map((u) => u.stream.state.join()))
    expect(new Set(streams).size).toBe(5)
    const { Ks: _Ks, ...rest } = SPEC
    expect(b.tasks[0]!.units[0]!.spec).toEqual({ ...rest, Ks: [0.3] })
    const bad = flowProject()
    bad.project.analyses.at(-1)!.spec['levels'] = 5
    expect(splitItem(bad, 'flow1')).toEqual({
      error: "The RG flow's spec is not valid (a 8² lattice allows 3 levels of 2×2 blocks, not 5)."
    })
  })

  it('merges into the rg.flow analysis a run of the same units in one process makes, once', async () => {
    const doc = flowProject()
    const b = ok(splitItem(doc, 'flow1'))
    const units = await runUnits(b)
    // The points by K (the spec listed 0.6 first), each the flow its unit's stream gives.
    const points: RgFlowPoint[] = []
    for (const K of [0.3, 0.6]) {
      const u = b.tasks.flatMap((t) => t.units as TaskUnit[]).find((x) => (x.spec as RgFlowSpec).Ks[0] === K)!
      const host = new FakeJobHost()
      const r = await runRgFlow(
        { ...SPEC, Ks: [K] },
        xoshiro128ssFromState(Uint32Array.from(u.stream.state)),
        host.sink,
        host.signal
      )
      points.push(r!.points[0]!)
    }
    const step = (p: RgFlowPoint) => ({ K: p.K, next: p.levels[1]!.matched!.K, error: p.levels[1]!.matched!.KError })
    const nearest = (p: RgFlowPoint) => ({ K: p.K, next: p.levels[1]!.fit!.K[0]!, error: p.levels[1]!.fit!.errors[0]! })
    const expected = rgAnalysisRecord({
      id: 'flow1-cluster1',
      name: 'RG flow, 8² (cluster)',
      kind: 'rg.flow',
      sourceId: null,
      spec: { ...SPEC, Ks: [0.3, 0.6] },
      seed: 9,
      result: {
        L: 8,
        rule: 'majority',
        b: 2,
        couplings: SPEC.couplings,
        points,
        fixedPoint: {
          matched: flowFixedPoint(points.map(step)),
          fitted: points.every((p) => p.levels[1]!.fit?.converged) ? flowFixedPoint(points.map(nearest)) : null
        }
      },
      now: new Date(b.manifest.createdAt)
    })
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: true, merged: 2 })
    const merged = doc.project.analyses.find((a) => a.id === 'flow1-cluster1')!
    const { cluster, ...result } = merged.result!
    expect(result).toEqual(expected.result)
    expect(cluster).toMatchObject({ bundleId: b.manifest.id, units: 2, merged: 2 })
    expect(merged.spec).toMatchObject({ ...expected.spec, cluster: { bundleId: b.manifest.id } })
    const before = JSON.stringify(doc.project)
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: false, merged: 2 })
    expect(JSON.stringify(doc.project)).toBe(before)
  })

  it('refuses a unit at another K, or with other levels, in one sentence', async () => {
    const b = ok(splitItem(flowProject({ Ks: [0.3] }), 'flow1'))
    const [unit] = await runUnits(b)
    const r = unit!.result as { points: RgFlowPoint[] }
    const file = {
      format: 'blockspin-cluster-result',
      version: 1,
      kind: 'rgflow',
      bundleId: b.manifest.id,
      index: 0,
      resumed: 0,
      host: 'n1'
    }
    const check = checkResultFor(b.tasks[0]!)
    const moved = { ...unit, result: { ...r, points: [{ ...r.points[0]!, K: 0.31 }] } }
    expect(check({ ...file, units: [moved] })).toEqual({
      ok: false,
      problem: 'its unit 0 is not what the task asked for (a 8² lattice at K = 0.31, majority 2×2)'
    })
    const short = { ...unit, result: { ...r, points: [{ ...r.points[0]!, levels: r.points[0]!.levels.slice(0, 1) }] } }
    expect(check({ ...file, units: [short] })).toEqual({
      ok: false,
      problem: 'its unit 0 is not what the task asked for (other couplings or levels)'
    })
    const hostile = { ...unit, result: { ...r, points: [{ K: 0.3, levels: [{ level: 0, side: 8, fit: 'x' }] }] } }
    expect(check({ ...file, units: [hostile] })).toMatchObject({ ok: false })
    expect(check({ ...file, units: [unit] })).toMatchObject({ ok: true })
  })

  it('planned for a cluster, receives its points itself', async () => {
    const doc = flowProject({ planned: true })
    const b = ok(splitItem(doc, 'flow1'))
    expect(b.manifest.target).toEqual({ id: 'flow1', name: 'RG flow, 8²' })
    expect(mergeInto(doc, b.manifest, b.tasks, await runUnits(b))).toEqual({ changed: true, merged: 2 })
    const a = doc.project.analyses.find((x) => x.id === 'flow1')!
    expect(isPlanned(a)).toBe(false)
    expect((a.result!['points'] as { K: number }[]).map((p) => p.K)).toEqual([0.3, 0.6])
  })
})
