import { describe, expect, it } from 'vitest'
import { buildLattice } from '@core/lattice/build'
import { dataFromModel, modelFromData, type ModelData } from '@core/lattice/data'
import { uniformModel } from '@core/lattice/model'
import { decodeProject, encodeProject } from '@shared/project/codec'
import {
  emptyProject,
  modelDataFromProject,
  projectModelFromData,
  describeLattice,
  describeCouplings
} from '@shared/project/model'

/** A general model survives the trip model → project file → model, arrays and all. */
function roundTrip(data: ModelData, spins: Int8Array | null) {
  const { model, arrays } = projectModelFromData('m1', 'Model', data, spins)
  const project = emptyProject('0.2.0')
  project.models.push(model)
  const decoded = decodeProject(encodeProject({ project, arrays }, '0.2.0'))
  if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))
  const back = modelDataFromProject(decoded.doc.project.models[0]!, decoded.doc.arrays)
  if (!back.ok) throw new Error(back.error)
  return { back, stored: decoded.doc.project.models[0]! }
}

describe('models in the project file', () => {
  it('stores a uniform model as its spec and values alone', () => {
    const lattice = buildLattice({ kind: 'square', Lx: 6, Ly: 4, periodicX: true, periodicY: false })
    const data = dataFromModel(uniformModel(lattice, { K: 0.3, Kx: 0.3, Ky: 0.1, h: 0.05 }), {
      K: 0.3,
      Kx: 0.3,
      Ky: 0.1,
      h: 0.05
    })
    expect(data.fields).toBeUndefined()
    expect(data.couplings).toBeUndefined()
    const { back, stored } = roundTrip(data, null)
    expect(stored.arrays).toEqual({})
    expect(describeLattice(stored.lattice)).toBe('square 6×4 periodic in x, open in y')
    expect(describeCouplings(stored)).toBe('Kx = 0.3, Ky = 0.1, h = 0.05')
    const model = modelFromData(back.data)
    expect(model.couplings.filter((k) => k === 0.1).length).toBe(6 * 3)
  })

  it('keeps edited couplings, fields, painted spins and a graph’s bonds exactly', () => {
    const data: ModelData = {
      lattice: {
        kind: 'graph',
        N: 4,
        bonds: [
          [0, 1],
          [1, 2],
          [2, 3],
          [3, 0],
          [0, 2]
        ]
      },
      uniform: { K: 1, h: 0 },
      couplings: Float64Array.of(1, -0.5, 0.25, 1, 2),
      fields: Float64Array.of(0, 0.1, -0.1, 0.3)
    }
    const { back, stored } = roundTrip(data, Int8Array.of(1, -1, -1, 1))
    expect(stored.lattice).toEqual({ kind: 'graph', N: 4, bonds: 'm1.bonds' })
    expect(describeCouplings(stored)).toBe('K = 1, h = 0 (edited: couplings, fields)')
    const model = modelFromData(back.data)
    expect(Array.from(model.lattice.bondI)).toEqual([0, 1, 2, 3, 0])
    expect(Array.from(model.lattice.bondJ)).toEqual([1, 2, 3, 0, 2])
    expect(Array.from(model.couplings)).toEqual([1, -0.5, 0.25, 1, 2])
    expect(Array.from(model.fields)).toEqual([0, 0.1, -0.1, 0.3])
    expect(Array.from(back.spins!)).toEqual([1, -1, -1, 1])
  })

  it('says what is wrong when an array is missing or has the wrong type', () => {
    const { model } = projectModelFromData(
      'm1',
      'Broken',
      { lattice: { kind: 'chain', N: 4, periodic: false }, uniform: { K: 1, h: 0 }, fields: new Float64Array(4) },
      null
    )
    expect(modelDataFromProject(model, {})).toEqual({
      ok: false,
      error: 'the fields of model “Broken” are missing or not float64'
    })
    const bad = modelDataFromProject(model, { 'm1.fields': { dtype: '<f4', shape: [4], data: new Float32Array(4) } })
    expect(bad.ok).toBe(false)
  })

  it('refuses data that does not fit its lattice', () => {
    expect(() =>
      modelFromData({
        lattice: { kind: 'chain', N: 4, periodic: false },
        uniform: { K: 1, h: 0 },
        fields: new Float64Array(3)
      })
    ).toThrow(/expected 4 fields, got 3/)
    expect(() =>
      modelFromData({
        lattice: { kind: 'chain', N: 4, periodic: false },
        uniform: { K: 1, h: 0 },
        couplings: Float64Array.of(1, Number.NaN, 1)
      })
    ).toThrow(/bond 1/)
  })
})
