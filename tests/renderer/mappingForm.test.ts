import { describe, expect, it } from 'vitest'
import type { ModelData } from '@core/lattice/data'
import {
  defaultMappingForm,
  kernelModelProblem,
  mappingFromForm,
  parseLambdas,
  parseNumber,
  type MappingForm
} from '../../src-renderer/src/logic/mappingForm'

const chain = { id: 'm1', name: 'Ring', lattice: { kind: 'chain' as const, N: 8, periodic: true } }
const big = {
  id: 'm2',
  name: 'Big',
  lattice: { kind: 'square' as const, Lx: 6, Ly: 6, periodicX: true, periodicY: true }
}
const dataOf = (id: string): ModelData => {
  if (id !== 'm1') throw new Error('unexpected model')
  return { lattice: chain.lattice, uniform: { K: 0.5, h: 0 } }
}
const form = (patch: Partial<MappingForm>): MappingForm => ({ ...defaultMappingForm(11), ...patch })

describe('mapping form', () => {
  it('refuses a decimal comma with a sentence showing the form to use', () => {
    expect(parseNumber('K', '0,45')).toBe('K is “0,45”: write decimals with a point, as 0.45.')
    expect(parseNumber('K', '0.45')).toBe(0.45)
    expect(parseNumber('K', '−1e-2')).toBe(-0.01)
    expect(parseNumber('K', 'abc')).toBe('K must be a number such as 0.45, not “abc”.')
    expect(mappingFromForm(form({ K: '0,45' }), [], dataOf)).toBe('K is “0,45”: write decimals with a point, as 0.45.')
  })

  it('reads λ lists separated by spaces or “, ” and refuses a comma between digits', () => {
    expect(parseLambdas('0.5 1, 2; 4')).toEqual([0.5, 1, 2, 4])
    expect(parseLambdas('')).toEqual([])
    expect(parseLambdas('0,5 1')).toMatch(/comma between digits.*as 0\.5 1 2\.$/)
  })

  it('builds each preset’s spec, seed and name', () => {
    expect(mappingFromForm(form({}), [], dataOf)).toEqual({
      spec: { preset: 'decimation-1d', K: 0.8, h: 0.3, M: 6 },
      seed: 11,
      name: '1D decimation, K = 0.8, h = 0.3',
      sourceId: null
    })
    expect(mappingFromForm(form({ preset: 'lin-tegmark', K: '0.3' }), [], dataOf)).toMatchObject({
      spec: { preset: 'lin-tegmark', K: 0.3, a: 1, lambda: 1 }
    })
    expect(mappingFromForm(form({ preset: 'block-2x2', K: '0.3', epochs: '50' }), [], dataOf)).toMatchObject({
      spec: { preset: 'block-2x2', K: 0.3, epochs: 50 }
    })
    const kernel = mappingFromForm(form({ preset: 'kernel', modelId: 'm1', lambdas: '0.5 2' }), [chain, big], dataOf)
    expect(kernel).toMatchObject({
      spec: { preset: 'kernel', kernel: 'kadanoff', b: 2, lambda: 1, lambdas: [0.5, 2] },
      sourceId: 'm1'
    })
    const majority = mappingFromForm(
      form({ preset: 'kernel', modelId: 'm1', kernel: 'majority', lambdas: '1' }),
      [chain],
      dataOf
    )
    expect(majority).toMatchObject({ spec: { preset: 'kernel', kernel: 'majority' } })
    expect((majority as { spec: object }).spec).not.toHaveProperty('lambdas')
  })

  it('says what to fix: ranges, whole numbers, models too large to enumerate', () => {
    expect(mappingFromForm(form({ M: '20' }), [], dataOf)).toBe(
      'M (kept spins) must be a whole number from 3 to 12, not “20”.'
    )
    expect(mappingFromForm(form({ K: '50' }), [], dataOf)).toBe('K must be a number from -10 to 10, got 50.')
    expect(mappingFromForm(form({ seed: '-1' }), [], dataOf)).toBe(
      'The seed must be a whole number from 0 to 4294967295.'
    )
    expect(mappingFromForm(form({ preset: 'kernel', modelId: '' }), [chain], dataOf)).toMatch(/^Pick a model/)
    expect(mappingFromForm(form({ preset: 'kernel', modelId: 'm2' }), [chain, big], dataOf)).toBe(
      '“Big” cannot be mapped: it has 36 spins; exact enumeration stops at 24.'
    )
    expect(mappingFromForm(form({ preset: 'kernel', modelId: 'm1', b: '3' }), [chain], dataOf)).toBe(
      'The block size b = 3 must divide N = 8 of “Ring”.'
    )
    expect(kernelModelProblem({ kind: 'triangular', Lx: 3, Ly: 3 })).toMatch(/chain or a square lattice/)
    expect(kernelModelProblem(chain.lattice)).toBeNull()
  })
})
