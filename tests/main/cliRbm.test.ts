import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { zipSync } from 'fflate'
import { cli } from '../helpers/cli'
import { encodeNpy } from '@shared/project/npy'
import { xoshiro128ss } from '@core/random/xoshiro128ss'

/** `blockspin rbm logz` against brute force over every (v, h), and on a file NumPy wrote. */
let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-rbm-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function randomRbm(nv: number, nh: number, scale: number, seed: number) {
  const rng = xoshiro128ss(seed)
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.nextFloat())) * Math.cos(2 * Math.PI * rng.nextFloat())
  return {
    nv,
    nh,
    W: Float64Array.from({ length: nv * nh }, () => scale * normal()),
    a: Float64Array.from({ length: nv }, () => 0.3 * normal()),
    b: Float64Array.from({ length: nh }, () => 0.3 * normal())
  }
}

function writeNpz(name: string, r: ReturnType<typeof randomRbm>): string {
  const path = join(dir, name)
  writeFileSync(
    path,
    zipSync({
      'W.npy': encodeNpy({ dtype: '<f8', shape: [r.nv, r.nh], data: r.W }),
      'a.npy': encodeNpy({ dtype: '<f8', shape: [r.nv], data: r.a }),
      'b.npy': encodeNpy({ dtype: '<f8', shape: [r.nh], data: r.b })
    })
  )
  return path
}

/** ln Σ_{v,h} e^{aᵀv + bᵀh + vᵀWh} by brute force, of the float64 parameters or of their float32 roundings. */
function bruteLogZ(
  r: ReturnType<typeof randomRbm>,
  units: '01' | 'pm1',
  precision: 'float64' | 'float32' = 'float64'
): number {
  const round = (x: Float64Array) => (precision === 'float32' ? Float64Array.from(Float32Array.from(x)) : x)
  const W = round(r.W)
  const a = round(r.a)
  const b = round(r.b)
  const val = (bits: number, i: number) => ((bits >> i) & 1 ? 1 : units === '01' ? 0 : -1)
  const terms: number[] = []
  for (let v = 0; v < 1 << r.nv; v++) {
    for (let h = 0; h < 1 << r.nh; h++) {
      let x = 0
      for (let i = 0; i < r.nv; i++) x += a[i]! * val(v, i)
      for (let j = 0; j < r.nh; j++) x += b[j]! * val(h, j)
      for (let i = 0; i < r.nv; i++) for (let j = 0; j < r.nh; j++) x += W[i * r.nh + j]! * val(v, i) * val(h, j)
      terms.push(x)
    }
  }
  const max = Math.max(...terms)
  return max + Math.log(terms.reduce((s, x) => s + Math.exp(x - max), 0))
}

describe('blockspin rbm logz', () => {
  it('gives the exact ln Z for both unit types', async () => {
    const r = randomRbm(7, 5, 1, 3)
    const file = writeNpz('small.npz', r)
    for (const units of ['01', 'pm1'] as const) {
      const out = await cli('rbm', 'logz', '--weights', file, '--units', units, '--method', 'exact', '--json')
      expect(out.code).toBe(0)
      expect(JSON.parse(out.log).logZ).toBeCloseTo(bruteLogZ(r, units), 9)
    }
  })

  it('keeps float64 parameters for exact ln Z, and says which precision it used', async () => {
    // 3.1 is 3.0999999046… in float32: over 48 couplings of one sign, ln Z moves by about −4.6e-6.
    const r = {
      nv: 8,
      nh: 6,
      W: new Float64Array(48).fill(3.1),
      a: new Float64Array(8).fill(-4.7),
      b: new Float64Array(6).fill(-12.3)
    }
    const file = writeNpz('wide.npz', r)
    const wide = bruteLogZ(r, '01')
    const rounded = bruteLogZ(r, '01', 'float32')
    expect(Math.abs(wide - rounded)).toBeGreaterThan(1e-6)
    const exact = JSON.parse((await cli('rbm', 'logz', '--weights', file, '--json')).log) as {
      logZ: number
      stored: string
      precision: string
    }
    expect(Math.abs(exact.logZ - wide)).toBeLessThan(1e-9)
    expect([exact.stored, exact.precision]).toEqual(['float64', 'float64'])
    expect((await cli('rbm', 'logz', '--weights', file)).log).toMatch(
      /\(exact, 8 visible × 6 hidden, 01 units, float64 parameters\)$/
    )
    // AIS runs in float32 and says so.
    const ais = await cli('rbm', 'logz', '--weights', file, '--method', 'ais', '--chains', '4', '--steps', '10')
    expect(ais.log).toMatch(/float64 parameters rounded to float32\)$/)
    // float32 files are used as they are.
    const narrow = join(dir, 'narrow.npz')
    writeFileSync(
      narrow,
      zipSync({
        'W.npy': encodeNpy({ dtype: '<f4', shape: [8, 6], data: Float32Array.from(r.W) }),
        'a.npy': encodeNpy({ dtype: '<f4', shape: [8], data: Float32Array.from(r.a) }),
        'b.npy': encodeNpy({ dtype: '<f4', shape: [6], data: Float32Array.from(r.b) })
      })
    )
    const single = JSON.parse((await cli('rbm', 'logz', '--weights', narrow, '--json')).log) as {
      logZ: number
      precision: string
    }
    expect(Math.abs(single.logZ - rounded)).toBeLessThan(1e-9)
    expect(single.precision).toBe('float32')
  })

  it('AIS lands within three error bars of the exact value on a 12 × 10 RBM with strong weights', async () => {
    const r = randomRbm(12, 10, 1, 11)
    const file = writeNpz('ais.npz', r)
    const exact = JSON.parse((await cli('rbm', 'logz', '--weights', file, '--method', 'exact', '--json')).log)
      .logZ as number
    const ais = JSON.parse(
      (
        await cli(
          'rbm',
          'logz',
          '--weights',
          file,
          '--method',
          'ais',
          '--chains',
          '100',
          '--steps',
          '2000',
          '--seed',
          '5',
          '--json'
        )
      ).log
    ) as { logZ: number; stderr: number }
    expect(ais.stderr).toBeGreaterThan(0)
    expect(Math.abs(ais.logZ - exact)).toBeLessThan(3 * ais.stderr + 1e-9)
  })

  it('reads an archive written by NumPy itself', async () => {
    const path = join(dir, 'numpy.npz')
    const py = spawnSync(
      '/usr/bin/python3',
      [
        '-c',
        `
import numpy as np
rng = np.random.default_rng(0)
np.savez(${JSON.stringify(path)}, W=rng.normal(size=(6, 4)), a=np.zeros(6), b=np.zeros(4))
`
      ],
      { encoding: 'utf8' }
    )
    if (py.status !== 0 && process.env['BLOCKSPIN_SKIP_INTEROP'] === '1') return
    expect(py.status, `python3 with numpy is needed (apt-get install python3-numpy): ${py.stderr}`).toBe(0)
    const out = await cli('rbm', 'logz', '--weights', path, '--json')
    expect(out.code).toBe(0)
    const j = JSON.parse(out.log) as { nv: number; nh: number; logZ: number }
    expect([j.nv, j.nh]).toEqual([6, 4])
    expect(Number.isFinite(j.logZ)).toBe(true)
  })

  it('explains bad input', async () => {
    expect((await cli('rbm', 'logz', '--weights', join(dir, 'missing.npz'))).err).toMatch(/no such file/)
    writeFileSync(join(dir, 'bad.npz'), 'junk')
    expect((await cli('rbm', 'logz', '--weights', join(dir, 'bad.npz'))).code).toBe(2)
    const r = randomRbm(3, 2, 1, 1)
    const path = join(dir, 'mismatch.npz')
    writeFileSync(
      path,
      zipSync({
        'W.npy': encodeNpy({ dtype: '<f8', shape: [3, 2], data: r.W }),
        'a.npy': encodeNpy({ dtype: '<f8', shape: [2], data: Float64Array.of(0, 0) }),
        'b.npy': encodeNpy({ dtype: '<f8', shape: [2], data: r.b })
      })
    )
    expect((await cli('rbm', 'logz', '--weights', path)).err).toMatch(/a has 2 entries but W has 3 visible rows/)
    expect((await cli('rbm', 'logz', '--weights', path, '--units', 'pm2')).err).toMatch(/--units must be 01 or pm1/)
    expect((await cli('rbm', '--help')).log).toMatch(/E\(v, h\) = −aᵀv − bᵀh − vᵀWh/)
  })
})

describe('blockspin rbm train', () => {
  it('trains a DBN on a stored dataset and saves its weights in the project', async () => {
    const file = join(dir, 'train.blockspin')
    expect(
      (
        await cli(
          'sample',
          '--lattice',
          'square:4x4',
          '--K',
          '0.3',
          '--samples',
          '400',
          '--algorithm',
          'wolff',
          '--seed',
          '2',
          '--out',
          file
        )
      ).code
    ).toBe(0)
    const r = await cli(
      'rbm',
      'train',
      '--data',
      file,
      '--layers',
      '8,4',
      '--epochs',
      '3',
      '--batch',
      '50',
      '--seed',
      '4',
      '--json'
    )
    expect(r.code, r.err).toBe(0)
    const { decodeProject } = await import('@shared/project/codec')
    const { readFileSync } = await import('node:fs')
    const decoded = decodeProject(new Uint8Array(readFileSync(file)))
    if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))
    const t = decoded.doc.project.trainings![0]!
    expect(t).toMatchObject({
      datasetId: 'data1',
      status: 'done',
      passUp: 'probabilities',
      layers: [{ nh: 8 }, { nh: 4 }]
    })
    expect(decoded.doc.arrays[t.arrays['W1']!]!.shape).toEqual([16, 8])
    expect(decoded.doc.arrays[t.arrays['W2']!]!.shape).toEqual([8, 4])
    // The history is records, as the app writes and reads them, with the arithmetic that trained it.
    expect(Object.keys(t.history!).sort()).toEqual(['arithmetic', 'records'])
    expect(t.history!.records.map((h) => [h.layer, h.epoch])).toEqual([
      [0, 1],
      [0, 2],
      [0, 3],
      [1, 1],
      [1, 2],
      [1, 3]
    ])
    for (const h of t.history!.records) expect(h.monitors.reconstructionError).toBeGreaterThan(0)
    expect(t.history!.arithmetic!.length).toBeGreaterThan(0)
    // A uniform periodic torus at h = 0: the physical monitors of layer 1 against the data.
    expect(t.monitors).toEqual({ logLikelihood: 'auto', physical: true })
    expect(t.history!.records.filter((h) => h.monitors.physical).map((h) => h.layer)).toEqual([0, 0, 0])
    expect((await cli('info', file)).log).toMatch(/Trainings \(1\)/)
  })

  it('takes the physical monitors only where e = −KΣss/N is ⟨H⟩/N: not at h ≠ 0, nor with edited fields', async () => {
    const { decodeProject, encodeProject } = await import('@shared/project/codec')
    const { readFileSync } = await import('node:fs')
    const read = (file: string) => {
      const decoded = decodeProject(new Uint8Array(readFileSync(file)))
      if (!decoded.ok) throw new Error(JSON.stringify(decoded.error))
      return decoded.doc
    }
    const inField = join(dir, 'field.blockspin')
    expect(
      (
        await cli(
          'sample',
          '--lattice',
          'square:4x4',
          '--K',
          '0.3',
          '--h',
          '0.2',
          '--samples',
          '60',
          '--seed',
          '2',
          '--out',
          inField
        )
      ).code
    ).toBe(0)
    const painted = join(dir, 'painted.blockspin')
    expect(
      (await cli('sample', '--lattice', 'square:4x4', '--K', '0.3', '--samples', '60', '--seed', '2', '--out', painted))
        .code
    ).toBe(0)
    const doc = read(painted)
    doc.arrays['model1.fields'] = { dtype: '<f8', shape: [16], data: new Float64Array(16).fill(0.1) }
    doc.project.models[0]!.arrays.fields = 'model1.fields'
    writeFileSync(painted, encodeProject(doc, '0.2.0'))
    for (const file of [inField, painted]) {
      const r = await cli(
        'rbm',
        'train',
        '--data',
        file,
        '--layers',
        '4',
        '--epochs',
        '2',
        '--batch',
        '20',
        '--seed',
        '1'
      )
      expect(r.code, r.err).toBe(0)
      const t = read(file).project.trainings![0]!
      expect(t.monitors).toEqual({ logLikelihood: 'auto', physical: false })
      expect(t.history!.records).toHaveLength(2)
      expect(t.history!.records.filter((h) => h.monitors.physical)).toEqual([])
    }
  })

  it('explains what is missing', async () => {
    expect((await cli('rbm', 'train', '--layers', '8')).err).toMatch(/--data FILE\.blockspin/)
    const file = join(dir, 'empty.blockspin')
    expect((await cli('sample', '--lattice', 'chain:6', '--K', '0.3', '--samples', '50', '--json')).code).toBe(0)
    expect((await cli('rbm', 'train', '--data', file, '--layers', '8')).code).toBe(2)
    expect((await cli('rbm', 'train', '--data', file, '--layers', 'x')).err).toMatch(
      /--layers must list hidden layer sizes/
    )
  })
})
