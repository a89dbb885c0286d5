import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextTick } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import { setApi } from '../../src-renderer/src/api'
import { inferUniform, useModelsStore } from '../../src-renderer/src/stores/models'
import { buildLattice } from '@core/lattice/build'
import { uniformModel } from '@core/lattice/model'
import { BOND_X, type IsingModel, type LatticeSpec } from '@core/lattice/types'
import { modelDataFromProject } from '@shared/project/model'
import type { ProjectModel } from '@shared/project/types'
import { createFakeApi } from './fakeApi'
import { graphModel, triangularModel } from './generalFixtures'
import { setupProject } from './projectHelpers'

let fake: ReturnType<typeof createFakeApi>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] })
  fake = createFakeApi()
  setApi(fake.api)
  setActivePinia(createPinia())
})
afterEach(() => {
  setApi(null)
  vi.useRealTimers()
})

const square = (id: string, uniform: ProjectModel['uniform'] = { K: 0.3, h: 0 }): ProjectModel => ({
  id,
  name: `Square ${id}`,
  lattice: { kind: 'square', Lx: 4, Ly: 3, periodicX: true, periodicY: true },
  uniform,
  arrays: {}
})
const modelOf = (spec: LatticeSpec, c: Parameters<typeof uniformModel>[1]): IsingModel =>
  uniformModel(buildLattice(spec), c)

describe('models store: docFor', () => {
  it('builds a graph model from its record and arrays: bonds, couplings, fields and painted spins', () => {
    const models = useModelsStore()
    const g = graphModel()
    models.load(g.arrays)
    const doc = models.docFor(g.record)
    expect(doc.model.lattice.N).toBe(5)
    expect(Array.from(doc.model.lattice.bondI)).toEqual([0, 1, 2, 3, 0])
    expect(Array.from(doc.model.lattice.bondJ)).toEqual([1, 2, 3, 0, 4])
    expect(Array.from(doc.model.couplings)).toEqual([0.1, -0.2, 0.3, 0.45, -1.5])
    expect(Array.from(doc.model.fields)).toEqual([0, 0.5, -0.5, 0.125, 2])
    expect(Array.from(doc.spins)).toEqual([1, -1, 1, -1, -1])
    // The document owns copies: editing it never changes the loaded arrays.
    doc.spins[0] = -1
    doc.model.couplings[0] = 9
    expect(g.arrays['g1.v']!.data[0]).toBe(1)
    expect(g.arrays['g1.K']!.data[0]).toBe(0.1)
  })

  it('fills unedited values from `uniform` and keeps edited couplings of a grid', () => {
    const models = useModelsStore()
    const t = triangularModel()
    models.load(t.arrays)
    const { model } = models.docFor(t.record)
    expect(model.couplings).toHaveLength(27)
    expect(model.couplings[5]).toBe(-0.75)
    expect(model.couplings.filter((k) => k === 0.2)).toHaveLength(26)
    expect(Array.from(model.fields)).toEqual(new Array(9).fill(0.05))
  })

  it('is lazy and cached: nothing is built on load, the same document comes back', () => {
    const models = useModelsStore()
    const g = graphModel()
    models.load(g.arrays)
    expect(models.docs).toEqual({})
    const first = models.docFor(g.record)
    expect(Object.keys(models.docs)).toEqual(['g1'])
    expect(models.docFor({ ...g.record, uniform: { K: 0.9, h: 0 } })).toBe(first)
    // A new project forgets the documents of the previous one.
    models.load({})
    expect(models.docs).toEqual({})
  })

  it('starts a model without painted spins from reproducible random spins', () => {
    const a = useModelsStore().docFor(square('m1')).spins
    expect(a).toHaveLength(12)
    expect(a.every((s) => s === 1 || s === -1)).toBe(true)
    expect(new Set(a).size).toBe(2)
    setActivePinia(createPinia())
    expect(Array.from(useModelsStore().docFor(square('m1')).spins)).toEqual(Array.from(a))
    // Painted spins of the wrong length are not trusted.
    const models = useModelsStore()
    models.load({ 'm2.v': { dtype: '|i1', shape: [3], data: new Int8Array([1, 1, 1]) } })
    expect(models.docFor({ ...square('m2'), arrays: { spins: 'm2.v' } }).spins).toHaveLength(12)
  })

  it('throws a sentence for a damaged record and caches nothing', () => {
    const models = useModelsStore()
    const g = graphModel()
    const { 'g1.K': _dropped, ...rest } = g.arrays
    void _dropped
    models.load(rest)
    expect(() => models.docFor(g.record)).toThrow(
      'the couplings of model “Ring with a chord” are missing or not float64'
    )
    const { 'g1.pairs': _bonds, ...noBonds } = g.arrays
    void _bonds
    models.load(noBonds)
    expect(() => models.docFor(g.record)).toThrow(
      'the bonds of graph model “Ring with a chord” are missing or not an int32 [bonds, 2] array'
    )
    models.load({ ...g.arrays, 'g1.h': { dtype: '<f4', shape: [5], data: new Float32Array(5) } })
    expect(() => models.docFor(g.record)).toThrow(/fields of model .* missing or not float64/)
    expect(() => models.dataOf(g.record)).toThrow(/fields of model/)
    expect(models.docs).toEqual({})
  })
})

describe('models store: update', () => {
  it('bumps the revision and makes the project dirty', async () => {
    const { project } = await setupProject(fake)
    const models = useModelsStore()
    expect(project.dirty).toBe(false)
    const doc = models.docFor(project.project.models[0]!)
    const before = models.revision
    models.update('model1', { ...doc, spins: doc.spins.map((s) => -s) })
    expect(models.revision).toBe(before + 1)
    await nextTick()
    expect(project.dirty).toBe(true)
    expect(project.title).toBe('Untitled ● — Blockspin')
  })
})

describe('models store: collect', () => {
  it('writes a model never opened with exactly the arrays it was loaded with', () => {
    const models = useModelsStore()
    const g = graphModel()
    const t = triangularModel()
    const runArray = { dtype: '<f8' as const, shape: [1], data: new Float64Array([1]) }
    models.load({ ...g.arrays, ...t.arrays, 'run1.energy': runArray })
    const out = models.collect([g.record, t.record])
    expect(out.models).toEqual([g.record, t.record])
    expect(Object.keys(out.arrays).sort()).toEqual(['g1.K', 'g1.h', 'g1.pairs', 'g1.v', 'tri.couplings'])
    for (const [id, array] of Object.entries(out.arrays)) expect(array).toBe({ ...g.arrays, ...t.arrays }[id])
  })

  it('writes an edited uniform model without field or coupling arrays, with Kx ≠ Ky detected', () => {
    const models = useModelsStore()
    const record = { ...square('m1'), preset: 'ferromagnet' }
    const doc = models.docFor(record)
    const couplings = doc.model.couplings.map((_, b) => (doc.model.lattice.bondKind[b] === BOND_X ? 0.5 : 0.25))
    const fields = new Float64Array(12).fill(-0.125)
    models.update('m1', { model: { ...doc.model, couplings, fields }, spins: doc.spins })
    const out = models.collect([record])
    expect(out.models[0]).toEqual({
      id: 'm1',
      name: 'Square m1',
      preset: 'ferromagnet',
      lattice: record.lattice,
      uniform: { K: 0.5, Ky: 0.25, h: -0.125 },
      arrays: { spins: 'm1.spins' }
    })
    expect(Object.keys(out.arrays)).toEqual(['m1.spins'])
    expect(out.arrays['m1.spins']).toMatchObject({ dtype: '|i1', shape: [12] })
    expect(Array.from(out.arrays['m1.spins']!.data)).toEqual(Array.from(doc.spins))
  })

  it('writes an edited non-uniform model with exact field and coupling arrays that load back', () => {
    const models = useModelsStore()
    const t = triangularModel()
    models.load(t.arrays)
    const doc = models.docFor(t.record)
    const couplings = Float64Array.from(doc.model.couplings)
    couplings[0] = 1.0625
    const fields = Float64Array.from(doc.model.fields)
    fields[8] = -0.3
    models.update('tri', { model: { ...doc.model, couplings, fields }, spins: new Int8Array(9).fill(-1) })
    const out = models.collect([t.record])
    const saved = out.models[0]!
    expect(saved.uniform).toEqual({ K: 0.2, h: 0.05 })
    expect(saved.arrays).toEqual({ couplings: 'tri.couplings', fields: 'tri.fields', spins: 'tri.spins' })
    const K = Array.from(out.arrays['tri.couplings']!.data)
    expect(K.slice(0, 6)).toEqual([1.0625, 0.2, 0.2, 0.2, 0.2, -0.75])
    expect(K.filter((k) => k === 0.2)).toHaveLength(25)
    expect(out.arrays['tri.fields']).toMatchObject({ dtype: '<f8', shape: [9] })
    expect(Array.from(out.arrays['tri.fields']!.data)).toEqual([0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, 0.05, -0.3])
    const back = modelDataFromProject(saved, out.arrays)
    expect(back.ok && Array.from(back.spins!)).toEqual(new Array(9).fill(-1))
    expect(back.ok && Array.from(back.data.couplings!)).toEqual(K)
  })

  it('writes an opened graph model with its bonds under the model’s own id', () => {
    const models = useModelsStore()
    const g = graphModel()
    models.load(g.arrays)
    models.docFor(g.record)
    const out = models.collect([g.record])
    expect(out.models[0]!.lattice).toEqual({ kind: 'graph', N: 5, bonds: 'g1.bonds' })
    expect(Array.from(out.arrays['g1.bonds']!.data)).toEqual([0, 1, 1, 2, 2, 3, 3, 0, 0, 4])
    expect(out.arrays['g1.bonds']!.shape).toEqual([5, 2])
    expect(Array.from(out.arrays['g1.couplings']!.data)).toEqual([0.1, -0.2, 0.3, 0.45, -1.5])
  })
})

describe('inferUniform', () => {
  const sq = { kind: 'square', Lx: 4, Ly: 4, periodicX: true, periodicY: true } as const
  it('reads K and h of a uniform model and drops stale direction overrides', () => {
    expect(inferUniform(modelOf(sq, { K: 0.3, h: 0.1 }), { K: 1, h: 0, Ky: 2, Kd: 3 })).toStrictEqual({
      K: 0.3,
      h: 0.1
    })
  })
  it('detects Ky and Kd', () => {
    expect(inferUniform(modelOf(sq, { K: 0.4, Kx: 0.4, Ky: 0.2 }), { K: 0, h: 0 })).toStrictEqual({
      K: 0.4,
      h: 0,
      Ky: 0.2
    })
    expect(inferUniform(modelOf({ ...sq, diagonals: true }, { K: 0.4, Kd: 0.1 }), { K: 0, h: 0 })).toStrictEqual({
      K: 0.4,
      h: 0,
      Kd: 0.1
    })
    expect(
      inferUniform(modelOf({ kind: 'triangular', Lx: 3, Ly: 3 }, { K: -0.5, Kd: 0.5, h: -1 }), { K: 0, h: 0 })
    ).toStrictEqual({ K: -0.5, h: -1, Kd: 0.5 })
  })
  it('reads a graph’s single coupling; an empty graph keeps the previous K', () => {
    expect(
      inferUniform(
        modelOf(
          {
            kind: 'graph',
            N: 3,
            bonds: [
              [0, 1],
              [1, 2]
            ]
          },
          { K: 0.7 }
        ),
        { K: 0, h: 0 }
      )
    ).toStrictEqual({ K: 0.7, h: 0 })
    expect(
      inferUniform(modelOf({ kind: 'graph', N: 2, bonds: [] }, { K: 0.7, h: 0.5 }), { K: 0.2, h: 0 })
    ).toStrictEqual({ K: 0.2, h: 0.5 })
  })
  it('returns a copy of the previous values for a model that is not uniform', () => {
    const model = modelOf(sq, { K: 0.3 })
    model.couplings[3] = 0.31
    const fallback = { K: 0.3, h: 0, Ky: 0.1 }
    const got = inferUniform(model, fallback)
    expect(got).toStrictEqual(fallback)
    expect(got).not.toBe(fallback)
    const fieldy = modelOf(sq, { K: 0.3 })
    fieldy.fields[0] = 0.5
    expect(inferUniform(fieldy, { K: 9, h: 9 })).toStrictEqual({ K: 9, h: 9 })
  })
})
