import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileSync } from 'node:fs'
import { zipSync } from 'fflate'
import { cli } from '../helpers/cli'
import { encodeNpy } from '@shared/project/npy'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/** blockspin rg … and blockspin mapping …, with the exact shapes scripts depend on. */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-rg-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('blockspin rg decimate', () => {
  it('gives one {K, h, lnA} per step after the input, equal to SCIENCE.md at h = 0', async () => {
    const r = await cli('rg', 'decimate', '--K', '1.0', '--steps', '3', '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.log) as { steps: { K: number; h: number; lnA: number }[] }
    expect(json.steps).toHaveLength(3)
    expect(json.steps.map((s) => s.K)).toEqual([
      expect.closeTo(0.662501373678932, 13),
      expect.closeTo(0.350061138945253, 13),
      expect.closeTo(0.113672067460211, 13)
    ])
    expect(Object.keys(json.steps[0]!).sort()).toEqual(['K', 'h', 'lnA'])
  })
  it('takes --x=v and a field, and prints a table without --json', async () => {
    const r = await cli('rg', 'decimate', '--K=0.8', '--h', '-0.3', '--steps=2')
    expect(r.code).toBe(0)
    expect(r.log).toMatch(/K′/)
    expect(r.log.split('\n')).toHaveLength(4)
  })
  it('refuses bad arguments with one sentence and exit code 2', async () => {
    for (const argv of [
      ['rg', 'decimate'],
      ['rg', 'decimate', '--K', 'abc'],
      ['rg', 'decimate', '--K', '0.5', '--steps', '0'],
      ['rg', 'decimate', '--K', '0.5', '--wat'],
      ['rg', 'flip']
    ]) {
      const r = await cli(...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err.split('\n')[0]).toMatch(/\.$/)
    }
  })
})

describe('blockspin mapping', () => {
  it('decimation-1d: traceResidual and deltaF of the δ-kernel vanish, maxHDiff compares the RBM with the recursion', async () => {
    const r = await cli('mapping', '--preset', 'decimation-1d', '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.log) as Record<string, number>
    expect(json.traceResidual).toBeLessThan(1e-12)
    expect(Math.abs(json.deltaF!)).toBeLessThan(1e-10)
    expect(json.maxHDiff).toBeLessThan(1e-10)
  })
  it('lin-tegmark: ΔF = 0 with a trace residual above 0.1', async () => {
    const r = await cli('mapping', '--preset=lin-tegmark', '--json')
    const json = JSON.parse(r.log) as Record<string, number>
    expect(Math.abs(json.deltaF!)).toBeLessThan(1e-10)
    expect(json.traceResidual).toBeGreaterThan(0.1)
  })
  it('block-2x2: an RBM is involved, so maxHDiff is reported', async () => {
    const r = await cli('mapping', '--preset', 'block-2x2', '--epochs', '10', '--json')
    expect(r.code).toBe(0)
    const json = JSON.parse(r.log) as Record<string, number>
    expect(json.maxHDiff).toBeLessThan(1e-10)
    expect(json.kl).toBeGreaterThan(0)
    expect(typeof json.traceResidual).toBe('number')
  })
  it('rbm: any machine over a small model, read from a NumPy .npz', async () => {
    const rng = xoshiro128ss(5)
    const r = (n: number, scale: number) => Float64Array.from({ length: n }, () => scale * (rng.nextFloat() - 0.5))
    const file = join(dir, 'rbm.npz')
    writeFileSync(
      file,
      zipSync({
        'W.npy': encodeNpy({ dtype: '<f8', shape: [9, 3], data: r(27, 1.5) }),
        'a.npy': encodeNpy({ dtype: '<f8', shape: [9], data: r(9, 1) }),
        'b.npy': encodeNpy({ dtype: '<f8', shape: [3], data: r(3, 1) })
      })
    )
    const out = await cli(
      'mapping',
      '--preset',
      'rbm',
      '--weights',
      file,
      '--units',
      'pm1',
      '--lattice',
      'square:3x3',
      '--K',
      '0.4',
      '--json'
    )
    expect(out.code, out.err).toBe(0)
    const json = JSON.parse(out.log) as Record<string, number>
    expect(json.maxHDiff).toBeLessThan(1e-10)
    expect(json.maxEq22).toBeLessThan(1e-10)
    expect(json.kl).toBeGreaterThan(0)
    const wrong = await cli('mapping', '--preset', 'rbm', '--weights', file, '--lattice', 'square:4x4', '--K', '0.4')
    expect(wrong.code).toBe(2)
    expect(wrong.err.split('\n')[0]).toMatch(/9 visible units, the model 16 spins/)
  })

  it('prints a readable summary and refuses an unknown preset', async () => {
    expect((await cli('mapping', '--preset', 'decimation-1d')).log).toMatch(/trace residual/)
    const bad = await cli('mapping', '--preset', 'wat')
    expect(bad.code).toBe(2)
    expect(bad.err.split('\n')[0]).toMatch(/--preset must be/)
  })
})

describe('blockspin rg couplings and mcrg (through a job worker)', () => {
  it('fits each level of a stored dataset; level 0 returns the model’s K', async () => {
    const file = join(dir, 'data.blockspin')
    const made = await cli(
      'sample',
      '--lattice',
      'square:16x16',
      '--K',
      '0.3',
      '--algorithm',
      'wolff',
      '--samples',
      '600',
      '--seed',
      '3',
      '--out',
      file
    )
    expect(made.code, made.err).toBe(0)
    const r = await cli('rg', 'couplings', '--data', file, '--levels', '2', '--couplings', 'nearest,diagonal', '--json')
    expect(r.code, r.err).toBe(0)
    const json = JSON.parse(r.log) as { levels: { level: number; fit: { K: number[]; errors: number[] } }[] }
    expect(json.levels.map((l) => l.level)).toEqual([0, 1, 2])
    const l0 = json.levels[0]!.fit
    expect(Math.abs(l0.K[0]! - 0.3)).toBeLessThan(4 * l0.errors[0]!)
  })
  it('rg block stores each level as a coarse dataset with the cascade as an analysis; info lists them', async () => {
    const file = join(dir, 'data.blockspin')
    expect(
      (
        await cli(
          'sample',
          '--lattice',
          'square:16x16',
          '--K',
          '0.3',
          '--algorithm',
          'wolff',
          '--samples',
          '50',
          '--seed',
          '3',
          '--out',
          file
        )
      ).code
    ).toBe(0)
    const out = join(dir, 'coarse.blockspin')
    const r = await cli('rg', 'block', '--data', file, '--rule', 'average', '--levels', '2', '--out', out, '--json')
    expect(r.code, r.err).toBe(0)
    const json = JSON.parse(r.log) as { analysis: string; datasets: { id: string; level: number; shape: number[] }[] }
    expect(json.datasets.map((d) => [d.level, d.shape])).toEqual([
      [1, [50, 8, 8]],
      [2, [50, 4, 4]]
    ])
    const info = JSON.parse((await cli('info', out, '--json')).log) as {
      datasets: { id: string }[]
      arrays: Record<string, { dtype: string }>
    }
    expect(info.datasets.map((d) => d.id)).toEqual(['data1', ...json.datasets.map((d) => d.id)])
    expect(info.arrays[`${json.datasets[0]!.id}.samples`]!.dtype).toBe('<f4')
    const bad = await cli('rg', 'block', '--data', file, '--levels', '9')
    expect(bad.code).toBe(2)
    expect(bad.err.split('\n')[0]).toMatch(/allows 4 levels/)
  })

  it('MCRG reports ν per level with its error', async () => {
    const r = await cli('rg', 'mcrg', '--lattice', 'square:16x16', '--samples', '400', '--levels', '2', '--json')
    expect(r.code, r.err).toBe(0)
    const json = JSON.parse(r.log) as { levels: { nu: number; nuError: number }[] }
    expect(json.levels).toHaveLength(2)
    for (const l of json.levels) expect(l.nuError).toBeGreaterThan(0)
    const bad = await cli('rg', 'mcrg', '--lattice', 'square:16x16', '--levels', '3')
    expect(bad.code).toBe(2)
    expect(bad.err.split('\n')[0]).toMatch(/allows 2 MCRG levels/)
  })
})
