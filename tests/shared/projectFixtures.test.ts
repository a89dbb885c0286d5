import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeProject } from '../../src-main/shared/project/codec'
import { describeProjectError } from '../../src-main/shared/project/errors'

/**
 * Every format version ever shipped keeps a fixture that must open forever. The expected values
 * are the closed forms documented in each fixture's make-fixture.ts, re-derived here.
 */
const fixture = (path: string): Uint8Array => readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)))

describe('format 1 fixture (tests/fixtures/project-v1/basic.blockspin)', () => {
  const result = decodeProject(fixture('project-v1/basic.blockspin'))
  if (!result.ok) throw new Error(`the format 1 fixture no longer opens: ${describeProjectError(result.error)}`)
  const { project, arrays } = result.doc

  it('opens as format 1 content', () => {
    expect(project.name).toBe('Basic 16×16')
    expect(project.appVersion).toBe('0.1.0')
    expect(project.models).toHaveLength(1)
    expect(project.models[0].lattice).toEqual({ kind: 'square', L: 16, periodic: true })
    expect(project.runs).toHaveLength(1)
    expect(project.runs[0]).toMatchObject({ id: 'run1', modelId: 'model1', status: 'done', sweep: 8 })
    expect(project.runs[0].spec).toMatchObject({ L: 16, K: 0.4407, algorithm: 'metropolis', seed: 12345, targetSweeps: 8 })
  })

  it('holds the run spins as |i1 (16, 16)', () => {
    const spins = arrays[project.runs[0].arrays.spins!]
    expect(spins.dtype).toBe('|i1')
    expect(spins.shape).toEqual([16, 16])
    for (let i = 0; i < 16; i++) {
      for (let j = 0; j < 16; j++) {
        const expected = (i < 8 ? 1 : -1) * ((i * 16 + j) % 7 === 0 ? -1 : 1)
        expect(spins.data[i * 16 + j], `spin (${i}, ${j})`).toBe(expected)
      }
    }
  })

  it('holds energy and |M| as <f8 series and the RNG state as <u4 (4,)', () => {
    const run = project.runs[0].arrays
    expect(arrays[run.energy!]).toMatchObject({ dtype: '<f8', shape: [8] })
    expect(Array.from(arrays[run.energy!].data)).toEqual([-1.5, -1.5625, -1.625, -1.6875, -1.75, -1.8125, -1.875, -1.9375])
    expect(arrays[run.absM!]).toMatchObject({ dtype: '<f8', shape: [8] })
    expect(Array.from(arrays[run.absM!].data)).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875])
    expect(arrays[run.rngState!]).toMatchObject({ dtype: '<u4', shape: [4] })
    expect(Array.from(arrays[run.rngState!].data)).toEqual([0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321])
  })
})
