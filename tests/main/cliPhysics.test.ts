import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../helpers/cli'
import { decodeProject } from '@shared/project/codec'
import { enumerateIsingDensityOfStates, exactIsingAverages } from '../core/reference/squareEnumeration'
import { createSquareLattice } from '@core/ising/square/lattice'

/** The `exact` and `sample` commands, against SCIENCE.md values and an independent enumeration. */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-physics-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const exact4x4 = (K: number, h: number) =>
  exactIsingAverages(enumerateIsingDensityOfStates(createSquareLattice(4)), K, h)

describe('blockspin exact', () => {
  it('gives SCIENCE.md’s ln Z for the 4×4 torus at K = 0.4 (Kaufman) with per-site e and c', async () => {
    const r = await cli('exact', '--lattice', 'square:4x4', '--K', '0.4', '--json')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.log) as Record<string, number | string>
    expect(j.method).toBe('kaufman')
    expect(j.lnZ as number).toBeCloseTo(14.56109302384404, 11)
    expect(j.f as number).toBeCloseTo(-14.56109302384404 / 16, 11)
    const ref = exact4x4(0.4, 0)
    expect(j.e as number).toBeCloseTo(ref.energyPerSpin, 11)
    expect(j.c as number).toBeCloseTo(ref.specificHeat, 10)
  })

  it('solves the periodic chain by transfer matrix (SCIENCE.md §3) and a field on a square lattice by strip', async () => {
    const chain = JSON.parse(
      (await cli('exact', '--lattice', 'chain:10', '--K', '0.5', '--h', '0.1', '--json')).log
    ) as Record<string, number | string>
    expect(chain.method).toBe('transfer-matrix-1d')
    expect(chain.lnZ as number).toBeCloseTo(8.26655436256034, 12)
    const field = JSON.parse(
      (await cli('exact', '--lattice', 'square:4x4', '--K', '0.3', '--h', '0.1', '--json')).log
    ) as Record<string, number | string>
    const ref = exact4x4(0.3, 0.1)
    expect(field.method).toBe('strip-transfer-matrix')
    expect(field.lnZ as number).toBeCloseTo(ref.logZ, 11)
    expect(field.m as number).toBeCloseTo(ref.magnetisation, 11)
  })

  it('returns |m|, m², χ and χ′ for small lattices whatever method leads, and names who supplied them', async () => {
    const j = JSON.parse((await cli('exact', '--lattice', 'square:4x4', '--K', '0.4', '--json')).log) as Record<
      string,
      unknown
    >
    const ref = exact4x4(0.4, 0)
    expect(j.method).toBe('kaufman')
    expect(j.absM as number).toBeCloseTo(ref.absMagnetisation, 11)
    expect(j.chi as number).toBeCloseTo(16 * (j.m2 as number), 11) // χ = N(⟨m²⟩ − ⟨m⟩²), ⟨m⟩ = 0
    expect(j.chiAbs as number).toBeCloseTo(16 * ((j.m2 as number) - ref.absMagnetisation ** 2), 10)
    expect(j.supplementedBy).toEqual({
      absM: 'enumeration',
      m2: 'enumeration',
      chi: 'enumeration',
      chiAbs: 'enumeration'
    })
    const chain = JSON.parse(
      (await cli('exact', '--lattice', 'chain:10', '--K', '0.5', '--h', '0.1', '--json')).log
    ) as Record<string, unknown>
    const chainEnum = JSON.parse(
      (await cli('exact', '--lattice', 'chain:10', '--K', '0.5', '--h', '0.1', '--method', 'enumeration', '--json')).log
    ) as Record<string, unknown>
    expect(chainEnum.method).toBe('enumeration')
    expect(chain.absM as number).toBe(chainEnum.absM)
    expect(chain.chiAbs as number).toBe(chainEnum.chiAbs)
    const text = await cli('exact', '--lattice', 'square:4x4', '--K', '0.4')
    expect(text.log).toMatch(/chiAbs +\d\.\d+ +\(by enumeration\)/)
  })

  it('--method forces a method, reports only what it gives, and is refused where it does not apply', async () => {
    const kaufman = JSON.parse(
      (await cli('exact', '--lattice', 'square:4x4', '--K', '0.4', '--method', 'kaufman', '--json')).log
    ) as Record<string, unknown>
    expect(kaufman.method).toBe('kaufman')
    expect(kaufman.lnZ as number).toBeCloseTo(14.56109302384404, 11)
    expect(kaufman.m2).toBeUndefined()
    const transfer = JSON.parse(
      (await cli('exact', '--lattice', 'square:4x4', '--K', '0.4', '--method', 'transfer', '--json')).log
    ) as Record<string, unknown>
    expect(transfer.method).toBe('strip-transfer-matrix')
    expect(transfer.lnZ as number).toBeCloseTo(14.56109302384404, 11)
    const chain = await cli('exact', '--lattice', 'chain:30', '--open', '--K', '0.2', '--method', 'kaufman')
    expect(chain.code).toBe(2)
    expect(chain.err).toBe(
      "Cannot use kaufman for an open chain of 30 sites: Kaufman's formula needs a square lattice without diagonal bonds."
    )
    const big = await cli('exact', '--lattice', 'triangular:6x6', '--K', '0.2', '--method', 'enumeration')
    expect(big.code).toBe(2)
    expect(big.err).toMatch(/^Cannot use enumeration for a 6×6 triangular lattice: enumeration needs N ≤ 24\.$/)
    const unknown = await cli('exact', '--lattice', 'chain:10', '--K', '0.2', '--method', 'monte-carlo')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toBe('--method must be one of auto, enumeration, transfer, kaufman, not "monte-carlo".')
  })

  it('prints its usage for --help', async () => {
    const help = await cli('exact', '--help')
    expect(help.code).toBe(0)
    expect(help.err).toBe('')
    expect(help.log).toMatch(/^Usage: blockspin exact .*--method auto\|enumeration\|transfer\|kaufman/)
    expect(help.log).toMatch(/chiAbs = N\(⟨m²⟩ − ⟨\|m\|⟩²\)/)
  })

  it('enumerates small lattices nothing else covers, and says when nothing applies', async () => {
    const tri = JSON.parse((await cli('exact', '--lattice', 'triangular:4x4', '--K', '0.2', '--json')).log) as Record<
      string,
      number | string
    >
    expect(tri.method).toBe('enumeration')
    expect(tri.absM).toBeDefined()
    const big = await cli('exact', '--lattice', 'triangular:30x30', '--K', '0.2')
    expect(big.code).toBe(1)
    expect(big.err).toMatch(/^No exact method for a 30×30 triangular lattice/)
    const bad = await cli('exact', '--lattice', 'hexagon:4', '--K', '0.2')
    expect(bad.code).toBe(2)
    expect(bad.err).toMatch(/--lattice must look like chain:10/)
    expect((await cli('exact', '--lattice', 'square:4x4')).err).toMatch(/--K is required/)
  })
})

describe('blockspin sample', () => {
  it('agrees with the exact 4×4 averages within 4σ and reports τ_int', async () => {
    const r = await cli(
      'sample',
      '--lattice',
      'square:4x4',
      '--K',
      '0.3',
      '--h',
      '0.1',
      '--algorithm',
      'metropolis',
      '--samples',
      '3000',
      '--seed',
      '9',
      '--json'
    )
    expect(r.code).toBe(0)
    const j = JSON.parse(r.log) as Record<string, { value: number; error: number }> & {
      tauInt: Record<string, number>
      thin: number
      thinning: unknown
    }
    const ref = exact4x4(0.3, 0.1)
    expect(Math.abs(j.e.value - ref.energyPerSpin)).toBeLessThan(4 * j.e.error)
    expect(Math.abs(j.absM.value - ref.absMagnetisation)).toBeLessThan(4 * j.absM.error)
    expect(Math.abs(j.c.value - ref.specificHeat)).toBeLessThan(4 * j.c.error)
    expect(j.tauInt.H).toBeGreaterThan(0)
    expect(j.thin).toBeGreaterThanOrEqual(1)
    expect(j.thinning).toMatchObject({ reliable: true, setBy: expect.stringMatching(/^(e|m|absM)$/) })
    expect(r.err).not.toMatch(/not reliable/)
  })

  it('stores datasets in a project, appending to one that exists, and leaves an unreadable file alone', async () => {
    const out = join(dir, 'data.blockspin')
    expect(
      (
        await cli(
          'sample',
          '--lattice',
          'chain:12',
          '--K',
          '0.5',
          '--samples',
          '50',
          '--algorithm',
          'wolff',
          '--out',
          out
        )
      ).code
    ).toBe(0)
    expect(
      (
        await cli(
          'sample',
          '--lattice',
          'square:3x5',
          '--open',
          '--K',
          '0.2',
          '--samples',
          '40',
          '--algorithm',
          'heatbath',
          '--thin',
          '2',
          '--out',
          out
        )
      ).code
    ).toBe(0)
    const decoded = decodeProject(new Uint8Array(readFileSync(out)))
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))
    const p = decoded.doc.project
    expect(p.datasets.map((d) => [d.samples, d.algorithm, d.thin])).toEqual([
      [50, 'wolff', expect.any(Number)],
      [40, 'heatbath', 2]
    ])
    expect(p.models.map((m) => m.lattice.kind)).toEqual(['chain', 'square'])
    expect(decoded.doc.arrays[p.datasets[1]!.arrays.samples!]!.shape).toEqual([40, 5, 3])
    expect(decoded.doc.arrays[p.datasets[0]!.arrays.samples!]!.shape).toEqual([50, 12])
    // The pilot that chose the automatic thinning is recorded; a fixed thinning has none.
    const pilot = p.datasets[0]!.thinning!
    expect(pilot).toMatchObject({ pilotSweeps: expect.any(Number), pilotMaxSweeps: 512_000, reliable: true })
    expect(p.datasets[0]!.thin).toBe(Math.ceil(2 * pilot.tauSweeps[pilot.setBy]))
    expect(p.datasets[0]!.tauInt).toBe(Math.max(pilot.tauSweeps.e, pilot.tauSweeps.m, pilot.tauSweeps.absM))
    expect(p.datasets[1]!.thinning).toBeUndefined()

    const broken = join(dir, 'broken.blockspin')
    writeFileSync(broken, 'not a project')
    const r = await cli('sample', '--lattice', 'chain:12', '--K', '0.5', '--samples', '40', '--out', broken)
    expect(r.code).toBe(1)
    expect(r.err).toMatch(/exists but could not be read, so it was left alone/)
    expect(readFileSync(broken, 'utf8')).toBe('not a project')
  })

  it('refuses frustrated models for cluster algorithms, and too few samples, with a sentence', async () => {
    const r = await cli('sample', '--lattice', 'square:4x4', '--K', '-0.3', '--algorithm', 'wolff', '--samples', '100')
    expect(r.code).toBe(1)
    const few = await cli('sample', '--lattice', 'square:4x4', '--K', '0.3', '--samples', '10')
    expect(few.code).toBe(1)
  })
})
