import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { main } from '../../src-main/cli/index'
import { decodeProject } from '../../src-main/shared/project/codec'
import { enumerateIsingDensityOfStates, exactIsingAverages } from '../../src-core/ising/enumerate'
import { createSquareLattice } from '../../src-core/ising/square'

/** The `exact` and `sample` commands, against SCIENCE.md values and an independent enumeration. */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-physics-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]) {
  const log: string[] = []
  const err: string[] = []
  const code = await main(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}

const exact4x4 = (K: number, h: number) => exactIsingAverages(enumerateIsingDensityOfStates(createSquareLattice(4)), K, h)

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
    const chain = JSON.parse((await cli('exact', '--lattice', 'chain:10', '--K', '0.5', '--h', '0.1', '--json')).log) as Record<string, number | string>
    expect(chain.method).toBe('transfer-matrix-1d')
    expect(chain.lnZ as number).toBeCloseTo(8.26655436256034, 12)
    const field = JSON.parse((await cli('exact', '--lattice', 'square:4x4', '--K', '0.3', '--h', '0.1', '--json')).log) as Record<string, number | string>
    const ref = exact4x4(0.3, 0.1)
    expect(field.method).toBe('strip-transfer-matrix')
    expect(field.lnZ as number).toBeCloseTo(ref.logZ, 11)
    expect(field.m as number).toBeCloseTo(ref.magnetisation, 11)
  })

  it('enumerates small lattices nothing else covers, and says when nothing applies', async () => {
    const tri = JSON.parse((await cli('exact', '--lattice', 'triangular:4x4', '--K', '0.2', '--json')).log) as Record<string, number | string>
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
    const r = await cli('sample', '--lattice', 'square:4x4', '--K', '0.3', '--h', '0.1', '--algorithm', 'metropolis', '--samples', '3000', '--seed', '9', '--json')
    expect(r.code).toBe(0)
    const j = JSON.parse(r.log) as Record<string, { value: number; error: number }> & { tauInt: Record<string, number>; thin: number }
    const ref = exact4x4(0.3, 0.1)
    expect(Math.abs(j.e.value - ref.energyPerSpin)).toBeLessThan(4 * j.e.error)
    expect(Math.abs(j.absM.value - ref.absMagnetisation)).toBeLessThan(4 * j.absM.error)
    expect(Math.abs(j.c.value - ref.specificHeat)).toBeLessThan(4 * j.c.error)
    expect(j.tauInt.H).toBeGreaterThan(0)
    expect(j.thin).toBeGreaterThanOrEqual(1)
  })

  it('stores datasets in a project, appending to one that exists, and leaves an unreadable file alone', async () => {
    const out = join(dir, 'data.blockspin')
    expect((await cli('sample', '--lattice', 'chain:12', '--K', '0.5', '--samples', '50', '--algorithm', 'wolff', '--out', out)).code).toBe(0)
    expect((await cli('sample', '--lattice', 'square:3x5', '--open', '--K', '0.2', '--samples', '40', '--algorithm', 'heatbath', '--thin', '2', '--out', out)).code).toBe(0)
    const decoded = decodeProject(new Uint8Array(readFileSync(out)))
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))
    const p = decoded.doc.project
    expect(p.datasets.map((d) => [d.samples, d.algorithm, d.thin])).toEqual([[50, 'wolff', expect.any(Number)], [40, 'heatbath', 2]])
    expect(p.models.map((m) => m.lattice.kind)).toEqual(['chain', 'square'])
    expect(decoded.doc.arrays[p.datasets[1]!.arrays.samples!]!.shape).toEqual([40, 5, 3])
    expect(decoded.doc.arrays[p.datasets[0]!.arrays.samples!]!.shape).toEqual([50, 12])

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
