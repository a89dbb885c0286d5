import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPinia, setActivePinia } from 'pinia'
import { unzipSync, strFromU8 } from 'fflate'
import { setApi } from '../../src-renderer/src/api'
import { useTrainingsStore } from '../../src-renderer/src/stores/trainings'
import { reconstructionCurves } from '../../src-renderer/src/charts/trainingOptions'
import { decodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import { createFakeApi } from './fakeApi'
import fixtureUrl from '../fixtures/project-v2/cli-training.blockspin?url&inline'

/**
 * A network trained by `blockspin rbm train` before trainings had one module, whose history is
 * per-layer series (tests/fixtures/project-v2/make-cli-training-fixture.ts), opens in the app
 * with its curves: decoded as the app decodes a file, loaded as the trainings store loads it.
 */
const bytes = Uint8Array.from(atob(fixtureUrl.slice(fixtureUrl.indexOf(',') + 1)), (c) => c.charCodeAt(0))
/** The series exactly as the command wrote them, read from the ZIP without Blockspin's codec. */
const written = JSON.parse(strFromU8(unzipSync(new Uint8Array(bytes))['project.json']!)) as {
  trainings: { history: Record<string, number[]> }[]
}
const series = written.trainings[0]!.history

beforeEach(() => {
  setApi(createFakeApi().api)
  setActivePinia(createPinia())
})
afterEach(() => setApi(null))

describe('a training written by the command line (format 2 fixture)', () => {
  it('was written as per-layer series (the shape this fixture pins)', () => {
    expect(Object.keys(series)).toContain('layer1:reconstructionError')
    expect(Object.keys(series)).toContain('layer2:reconstructionError')
    expect(series['records' as keyof typeof series]).toBeUndefined()
  })

  it('opens in the trainings store as done, with its monitor records per layer and epoch', () => {
    const decoded = decodeProject(new Uint8Array(bytes))
    if (!decoded.ok) throw new Error(describeProjectError(decoded.error))
    const { project, arrays } = decoded.doc
    const store = useTrainingsStore()
    store.load(project.trainings!, arrays)
    const run = store.of('train1')
    expect(run.error).toBeNull()
    expect(run.phase).toBe('done')
    expect(run.dbn!.layers.map((l) => [l.nv, l.nh])).toEqual([
      [16, 6],
      [6, 3]
    ])
    expect(run.history.map((h) => [h.layer, h.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2],
      [1, 3]
    ])
    // Every value the command wrote is in its record, and nothing else but the (empty) notes.
    for (const h of run.history) {
      const expected: Record<string, unknown> = { notes: [] }
      for (const [key, values] of Object.entries(series)) {
        const [layer, name] = key.replace(/^layer/, '').split(':')
        if (Number(layer) === h.layer + 1) expected[name!] = values[h.epoch - 1]
      }
      expect(h.monitors).toEqual(expected)
    }
    // The charts draw one reconstruction-error curve per layer from them.
    const curves = reconstructionCurves(run.history)
    expect(curves.map((c) => c.name)).toEqual(['layer 1', 'layer 2'])
    expect(curves[1]!.points.map((p) => [p.x, p.y])).toEqual(
      series['layer2:reconstructionError']!.map((y, k) => [k + 1, y])
    )
  })
})
