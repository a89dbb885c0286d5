import { describe, expect, it } from 'vitest'
import { buildLattice, MAX_GRAPH_BONDS, MAX_SITES } from '@core/lattice/build'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import { emptyProject, modelDataFromProject, projectModelFromData } from '@shared/project/model'
import type { ModelV2, ProjectDoc } from '@shared/project/types'
import { nodeCodecEngine } from '../../src-main/services/nodeCodecEngine'
import { editProjectJson } from './projectTestUtils'

/**
 * A graph model's bonds stay typed arrays (Int32Array endpoints, Float64Array couplings) from the
 * file to the solvers, and their number is bounded before anything is allocated.
 */
const graphModel = (N: number): ModelV2 => ({
  id: 'g',
  name: 'Ring',
  lattice: { kind: 'graph', N, bonds: 'g.bonds' },
  uniform: { K: 0.5, h: 0 },
  arrays: {}
})

/** A project whose graph of N sites lists `count` bonds (all of them 0–1 when `count` is large). */
function graphDoc(N: number, count: number): ProjectDoc {
  const bonds = new Int32Array(2 * count)
  for (let k = 0; k < count; k++) {
    bonds[2 * k] = k % N
    bonds[2 * k + 1] = (k + 1) % N
  }
  const project = { ...emptyProject('0.0.0', new Date('2026-01-01T00:00:00Z')), models: [graphModel(N)] }
  return { project, arrays: { 'g.bonds': { dtype: '<i4', shape: [count, 2], data: bonds } } }
}

describe('graph bonds as typed arrays', () => {
  it('a model read from a file keeps the file’s Int32Array of endpoints, not pairs', () => {
    const doc = graphDoc(5, 5)
    const read = modelDataFromProject(doc.project.models[0]!, doc.arrays)
    expect(read.ok).toBe(true)
    if (!read.ok || read.data.lattice.kind !== 'graph') return
    expect(read.data.lattice.bonds).toBe(doc.arrays['g.bonds']!.data)
    // Built from the endpoints, the lattice is the one the pairs give.
    const fromPairs = buildLattice({
      kind: 'graph',
      N: 5,
      bonds: [0, 1, 2, 3, 4].map((k) => [k, (k + 1) % 5] as const)
    })
    const fromFile = buildLattice(read.data.lattice)
    expect(fromFile.bondI).toEqual(fromPairs.bondI)
    expect(fromFile.bondJ).toEqual(fromPairs.bondJ)
    expect(fromFile.adjSite).toEqual(fromPairs.adjSite)
    expect(fromFile.bondKind).toEqual(fromPairs.bondKind)
    // And it is written back as it is.
    const back = projectModelFromData('g', 'Ring', read.data, null)
    expect(back.arrays['g.bonds']).toEqual({ dtype: '<i4', shape: [5, 2], data: doc.arrays['g.bonds']!.data })
  })

  it('buildLattice checks the endpoints and refuses more bonds than the sites allow, before allocating', () => {
    expect(() => buildLattice({ kind: 'graph', N: 3, bonds: Int32Array.of(0, 3) })).toThrow(/bond 0 must join/)
    expect(() => buildLattice({ kind: 'graph', N: 3, bonds: Int32Array.of(0, 1, 2) })).toThrow(/in pairs/)
    expect(() => buildLattice({ kind: 'graph', N: 4, bonds: new Int32Array(2 * 65) })).toThrow(
      'a graph of 4 sites has at most 64 bonds, got 65'
    )
    // A bond listed twice is allowed (a multigraph: the couplings add).
    expect(buildLattice({ kind: 'graph', N: 2, bonds: Int32Array.of(0, 1, 1, 0) }).bondI.length).toBe(2)
    const before = process.memoryUsage().heapUsed
    const t0 = performance.now()
    // 2²² + 1 pairs of a hole-filled list: refused from its length, nothing built.
    const many = new Array<readonly [number, number]>(MAX_GRAPH_BONDS + 1)
    expect(() => buildLattice({ kind: 'graph', N: MAX_SITES, bonds: many })).toThrow(/at most 4194304 bonds/)
    expect(performance.now() - t0).toBeLessThan(1000)
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(64 * 1024 ** 2)
  })
})

describe('a project whose graph lists too many bonds', () => {
  it('is refused with one sentence before its bonds are unpacked (20 million bonds of a 10-site graph)', () => {
    const bytes = encodeProject(graphDoc(10, 20_000_000), '0.0.0', nodeCodecEngine)
    expect(bytes.length).toBeLessThan(4 * 1024 ** 2)
    const before = process.memoryUsage()
    const t0 = performance.now()
    const read = decodeProject(bytes, {}, nodeCodecEngine)
    const seconds = (performance.now() - t0) / 1000
    const after = process.memoryUsage()
    expect(read.ok).toBe(false)
    if (read.ok) return
    const sentence = describeProjectError(read.error)
    expect(sentence).toBe(
      "The project's contents are invalid: graph model “Ring” lists 20000000 bonds, more than the 160 a graph of 10 sites may have."
    )
    expect(sentence).not.toContain('\n')
    expect(seconds).toBeLessThan(1)
    // The 160 MB of bonds were never unpacked.
    expect(after.arrayBuffers - before.arrayBuffers).toBeLessThan(32 * 1024 ** 2)
  })

  it('~100 million bonds declared: refused in a moment, in bounded memory, with one sentence', () => {
    const bytes = editProjectJson(encodeProject(graphDoc(10, 7), '0.0.0'), (json) => {
      json.arrays['g.bonds'].shape = [100_000_000, 2]
    })
    const before = process.memoryUsage()
    const t0 = performance.now()
    const read = decodeProject(bytes)
    expect(performance.now() - t0).toBeLessThan(500)
    expect(process.memoryUsage().arrayBuffers - before.arrayBuffers).toBeLessThan(16 * 1024 ** 2)
    expect(read.ok).toBe(false)
    if (read.ok) return
    expect(describeProjectError(read.error)).toMatch(
      /^The project's contents are invalid: graph model “Ring” lists 100000000 bonds, more than the 160 a graph of 10 sites may have\.$/
    )
  })
})
