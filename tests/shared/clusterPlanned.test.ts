import { describe, expect, it } from 'vitest'
import { mergeInto } from '@shared/cluster/merge'
import { isPlanned, plannedAnalysis } from '@shared/cluster/planned'
import { splitItem, type SplitBundle } from '@shared/cluster/split'
import type { TaskResult } from '@shared/cluster/bundle'
import { clusterProject } from './clusterFixtures'

/** An analysis planned for a cluster from a launch dialog: its bundle fills the item itself. */

const ok = (x: SplitBundle | { error: string }): SplitBundle => {
  if ('error' in x) throw new Error(x.error)
  return x
}

function plannedProject() {
  const doc = clusterProject({ Ls: [4], Ks: [0.3, 0.4] })
  const { seed, ...spec } = doc.project.analyses[0]!.spec
  doc.project.analyses[0] = plannedAnalysis({
    id: 'sweep1',
    name: 'Sweep K 0.3…0.4, L = 4',
    kind: 'sweep',
    spec,
    seed: seed as number,
    now: new Date('2025-01-01T00:00:00Z')
  })
  return doc
}

const point = (K: number) => ({ L: 4, K, e: -K, eErr: 0.01, m: 0.5, mErr: 0.01, c: 1, chi: 2, u4: 0.6, tauInt: 1 })

describe('an analysis planned for a cluster', () => {
  it('is told from one with a result, and keeps the spec and seed a run here would have', () => {
    const doc = plannedProject()
    const a = doc.project.analyses[0]!
    expect(isPlanned(a)).toBe(true)
    expect(a.spec).toMatchObject({ Ls: [4], Ks: [0.3, 0.4], seed: 7 })
    expect(isPlanned(clusterProject().project.analyses[0]!)).toBe(false)
    expect(isPlanned({ result: { planned: 'yes' } })).toBe(false)
  })

  it('receives its bundle’s results itself, once; an item of another bundle is still refused', () => {
    const doc = plannedProject()
    const b = ok(splitItem(doc, 'sweep1'))
    expect(b.manifest.target).toEqual({ id: 'sweep1', name: 'Sweep K 0.3…0.4, L = 4' })
    const units = b.tasks.flatMap((t) =>
      t.units.map((u) => ({
        unit: u.unit,
        stream: u.stream,
        seconds: 1,
        result: { points: [point(0.3 + 0.1 * u.unit)] }
      }))
    ) as unknown as TaskResult['units']
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: true, merged: 2 })
    expect(doc.project.analyses).toHaveLength(1)
    const merged = doc.project.analyses[0]!
    expect(isPlanned(merged)).toBe(false)
    expect(merged).toMatchObject({ id: 'sweep1', name: 'Sweep K 0.3…0.4, L = 4', kind: 'sweep' })
    expect((merged.result!['points'] as unknown[]).length).toBe(2)
    expect(mergeInto(doc, b.manifest, b.tasks, units)).toEqual({ changed: false, merged: 2 })
    // A second bundle of the (no longer planned) sweep makes its own item beside it.
    const again = ok(splitItem(doc, 'sweep1', { seed: 99 }))
    expect(again.manifest.target.id).not.toBe('sweep1')
    // A bundle whose target is taken by an item of another bundle is refused, as before.
    const other = ok(splitItem(plannedProject(), 'sweep1', { seed: 5 }))
    expect(mergeInto(doc, other.manifest, other.tasks, units).problem).toBe(
      `The project already has an item "sweep1" that is not this bundle's.`
    )
  })
})
