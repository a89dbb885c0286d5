import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'

/**
 * Every format version ever shipped keeps a fixture that must open forever. The expected values
 * are the closed forms documented in each fixture's make-fixture.ts, re-derived here.
 */
const fixture = (path: string): Uint8Array =>
  readFileSync(fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url)))

describe('format 1 fixture (tests/fixtures/project-v1/basic.blockspin)', () => {
  const result = decodeProject(fixture('project-v1/basic.blockspin'))
  if (!result.ok) throw new Error(`the format 1 fixture no longer opens: ${describeProjectError(result.error)}`)
  const { project, arrays } = result.doc

  it('opens, upgraded from format 1 to the current format', () => {
    expect(project.name).toBe('Basic 16×16')
    expect(project.appVersion).toBe('0.1.0')
    expect(project.models).toHaveLength(1)
    // Format 1's uniform L×L torus becomes a square lattice spec with the same K and h.
    expect(project.models[0].lattice).toEqual({ kind: 'square', Lx: 16, Ly: 16, periodicX: true, periodicY: true })
    expect(project.models[0].uniform).toEqual({ K: 0.4407, h: 0 })
    expect(project.models[0].arrays).toEqual({})
    expect(project.datasets).toEqual([])
    expect(project.analyses).toEqual([])
    expect(project.runs).toHaveLength(1)
    expect(project.runs[0]).toMatchObject({ id: 'run1', modelId: 'model1', status: 'done', sweep: 8 })
    expect(project.runs[0].spec).toMatchObject({
      L: 16,
      K: 0.4407,
      algorithm: 'metropolis',
      seed: 12345,
      targetSweeps: 8
    })
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
    expect(Array.from(arrays[run.energy!].data)).toEqual([
      -1.5, -1.5625, -1.625, -1.6875, -1.75, -1.8125, -1.875, -1.9375
    ])
    expect(arrays[run.absM!]).toMatchObject({ dtype: '<f8', shape: [8] })
    expect(Array.from(arrays[run.absM!].data)).toEqual([0, 0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875])
    expect(arrays[run.rngState!]).toMatchObject({ dtype: '<u4', shape: [4] })
    expect(Array.from(arrays[run.rngState!].data)).toEqual([0x12345678, 0x9abcdef0, 0x0fedcba9, 0x87654321])
  })
})

describe('format 2 fixture (tests/fixtures/project-v2/general.blockspin)', () => {
  const result = decodeProject(fixture('project-v2/general.blockspin'))
  if (!result.ok) throw new Error(`the format 2 fixture no longer opens: ${describeProjectError(result.error)}`)
  const { project, arrays } = result.doc

  it('opens, upgraded from format 2, with its models, dataset and analysis', () => {
    expect(result.migratedFrom).toBe(2)
    expect(project.formatVersion).toBe(3)
    expect(project.models.map((m) => m.lattice)).toEqual([
      { kind: 'triangular', Lx: 6, Ly: 6 },
      { kind: 'graph', N: 5, bonds: 'model2.bonds' }
    ])
    expect(project.models[1]!.uniform).toEqual({ K: 1, h: 0.25 })
    expect(project.datasets[0]).toMatchObject({
      id: 'data1',
      modelId: 'model1',
      algorithm: 'heatbath',
      seed: 99,
      samples: 3,
      thin: 4,
      tauInt: 1.75
    })
    expect(project.analyses[0]).toMatchObject({
      id: 'analysis1',
      kind: 'exact',
      sourceId: 'model2',
      result: { lnZ: 4.5 }
    })
  })

  it('holds the edited couplings and fields, the graph bonds and the samples', () => {
    const couplings = arrays['model1.couplings']!.data
    expect(couplings.length).toBe(108)
    couplings.forEach((k, b) => expect(k).toBe(b % 3 === 0 ? -0.25 : 0.5))
    arrays['model1.fields']!.data.forEach((h, i) => expect(h).toBe(i % 2 === 0 ? 0.125 : -0.125))
    expect(Array.from(arrays['model2.bonds']!.data)).toEqual([0, 1, 1, 2, 2, 3, 3, 4, 4, 0, 0, 2])
    const samples = arrays['data1.samples']!
    expect(samples).toMatchObject({ dtype: '|i1', shape: [3, 6, 6] })
    samples.data.forEach((v, n) => expect(v).toBe(((n % 36) + Math.floor(n / 36)) % 3 === 0 ? 1 : -1))
  })
})

describe('format 2 fixture of a command-line training (tests/fixtures/project-v2/cli-training.blockspin)', () => {
  const result = decodeProject(fixture('project-v2/cli-training.blockspin'))
  if (!result.ok)
    throw new Error(`the command-line training fixture no longer opens: ${describeProjectError(result.error)}`)
  const { project, arrays } = result.doc

  it('opens, upgraded from format 2, its per-layer series read as monitor records', () => {
    expect(result.migratedFrom).toBe(2)
    const t = project.trainings![0]!
    expect(t).toMatchObject({ id: 'train1', datasetId: 'data1', status: 'done', layers: [{ nh: 6 }, { nh: 3 }] })
    expect(t.history!.records.map((h) => [h.layer, h.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2],
      [1, 3]
    ])
    expect(arrays[t.arrays['W2']!]).toMatchObject({ dtype: '<f4', shape: [6, 3] })
  })
})

describe('format 3 fixture (tests/fixtures/project-v3/rg.blockspin)', () => {
  const result = decodeProject(fixture('project-v3/rg.blockspin'))
  if (!result.ok) throw new Error(`the format 3 fixture no longer opens: ${describeProjectError(result.error)}`)
  const { project, arrays } = result.doc
  const L = 8
  const spin = (k: number, x: number, y: number) => ((x + 2 * y + k) % 5 < 2 ? 1 : -1)

  it('opens as format 3 with its coarse datasets and RG analyses', () => {
    expect(result.migratedFrom).toBeNull()
    expect(project.formatVersion).toBe(3)
    expect(project.datasets.map((d) => [d.id, d.coarse?.rule ?? null, d.coarse?.sourceId ?? null])).toEqual([
      ['data1', null, null],
      ['data2', 'majority', 'data1'],
      ['data3', 'average', 'data1']
    ])
    expect(project.analyses.map((a) => a.kind)).toEqual(['rg.cascade', 'rg.cascade', 'mapping'])
  })

  it('holds the samples and their 2×2 blocks: int8 majority, float32 averages', () => {
    const fine = arrays[project.datasets[0]!.arrays.samples!]!
    const majority = arrays[project.datasets[1]!.arrays.samples!]!
    const average = arrays[project.datasets[2]!.arrays.samples!]!
    expect([fine.dtype, majority.dtype, average.dtype]).toEqual(['|i1', '|i1', '<f4'])
    expect(average.shape).toEqual([4, 4, 4])
    for (let k = 0; k < 4; k++) {
      for (let Y = 0; Y < 4; Y++) {
        for (let X = 0; X < 4; X++) {
          const s =
            spin(k, 2 * X, 2 * Y) +
            spin(k, 2 * X + 1, 2 * Y) +
            spin(k, 2 * X, 2 * Y + 1) +
            spin(k, 2 * X + 1, 2 * Y + 1)
          const at = k * 16 + Y * 4 + X
          expect(fine.data[k * L * L + 2 * Y * L + 2 * X]).toBe(spin(k, 2 * X, 2 * Y))
          expect(average.data[at]).toBe(s / 4)
          if (s !== 0) expect(majority.data[at]).toBe(Math.sign(s))
          else expect(Math.abs(majority.data[at]!)).toBe(1)
        }
      }
    }
  })

  it('keeps the mapping analysis: the decimated ring’s nearest coupling is −K′ of SCIENCE.md §3', () => {
    const [K, h] = [0.8, 0.3]
    const Kp = 0.25 * Math.log((Math.cosh(2 * K + h) * Math.cosh(2 * K - h)) / Math.cosh(h) ** 2)
    const result = project.analyses[2]!.result as {
      couplings: { rbm: { shape: string; value: number }[] }
      summary: { maxHDiff: number }
    }
    expect(result.couplings.rbm.find((r) => r.shape === 'nearest')!.value).toBeCloseTo(-Kp, 12)
    expect(result.summary.maxHDiff).toBeLessThan(1e-10)
  })
})

describe('format 3 reference checks', () => {
  it('refuses a coarse dataset whose source or analysis does not exist', () => {
    const bytes = fixture('project-v3/rg.blockspin')
    const ok = decodeProject(bytes)
    if (!ok.ok) throw new Error('fixture')
    const doc = ok.doc
    doc.project.datasets[1]!.coarse!.sourceId = 'nowhere'
    const again = decodeProject(encodeProject(doc, '0.3.0'))
    expect(again.ok).toBe(false)
    if (!again.ok)
      expect(describeProjectError(again.error)).toMatch(/datasets\[1\]\.coarse\.sourceId: no dataset has id "nowhere"/)
  })
})
