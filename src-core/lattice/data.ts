import { buildLattice } from './build'
import { checkModel, uniformModel, type UniformCouplings } from './model'
import type { IsingModel, LatticeSpec } from './types'

/**
 * A model as plain data — what crosses process boundaries and what a project stores: the
 * lattice spec plus the field and coupling arrays (or the uniform values they came from).
 * Receivers rebuild the lattice (neighbour tables are cheap and never sent).
 */
export interface ModelData {
  lattice: LatticeSpec
  uniform: UniformCouplings & { h: number }
  /** K_i per site; absent → uniform.h everywhere. */
  fields?: Float64Array
  /** K_ij per bond in buildLattice's bond order; absent → uniform values by bond direction. */
  couplings?: Float64Array
}

/** Rebuilds an IsingModel; throws a RangeError naming the first bad value. */
export function modelFromData(data: ModelData): IsingModel {
  const lattice = buildLattice(data.lattice)
  const model = uniformModel(lattice, data.uniform)
  const fields = data.fields ?? model.fields
  const couplings = data.couplings ?? model.couplings
  const built: IsingModel = { lattice, fields: Float64Array.from(fields), couplings: Float64Array.from(couplings) }
  checkModel(built)
  return built
}

/** The data of a model, with arrays only where they differ from the uniform values. */
export function dataFromModel(model: IsingModel, uniform: ModelData['uniform']): ModelData {
  const base = uniformModel(model.lattice, uniform)
  const same = (a: Float64Array, b: Float64Array) => a.length === b.length && a.every((v, i) => v === b[i])
  const data: ModelData = { lattice: model.lattice.spec, uniform }
  if (!same(model.fields, base.fields)) data.fields = Float64Array.from(model.fields)
  if (!same(model.couplings, base.couplings)) data.couplings = Float64Array.from(model.couplings)
  return data
}
