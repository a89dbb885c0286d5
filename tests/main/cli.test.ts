import { accessSync, constants, existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { cli } from '../helpers/cli'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import { defaultModel, emptyProject, specFromModel } from '@shared/project/model'
import type { NpyArray, ProjectDoc, RunV1 } from '@shared/project/types'

const FIXTURE = fileURLToPath(new URL('../fixtures/project-v1/basic.blockspin', import.meta.url))
const BIN = fileURLToPath(new URL('../../bin/blockspin.mjs', import.meta.url))

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cli-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const K = 0.3
const H = 0.1
const L = 8
const SWEEPS = 200

/** A project with one pending 8×8 batch run that has not started (no arrays). */
function pendingProject(seed: number): ProjectDoc {
  const project = emptyProject('0.1.0', new Date('2025-02-01T00:00:00.000Z'))
  project.name = 'Pending batch'
  const model = {
    ...defaultModel('m1'),
    lattice: { kind: 'square' as const, Lx: L, Ly: L, periodicX: true, periodicY: true },
    uniform: { K, h: H }
  }
  const run: RunV1 = {
    id: 'r1',
    name: 'Batch',
    modelId: 'm1',
    kind: 'ising.chain',
    spec: specFromModel(model, seed, SWEEPS),
    status: 'pending',
    sweep: 0,
    arrays: {},
    createdAt: '2025-02-01T00:00:00.000Z'
  }
  project.models.push(model)
  project.runs.push(run)
  return { project, arrays: {} }
}

function write(name: string, doc: ProjectDoc): string {
  const path = join(dir, name)
  writeFileSync(path, encodeProject(doc, '0.1.0'))
  return path
}

function reopen(path: string): ProjectDoc {
  const decoded = decodeProject(new Uint8Array(readFileSync(path)))
  if (!decoded.ok) throw new Error(describeProjectError(decoded.error))
  return decoded.doc
}

function array(doc: ProjectDoc, id: string | undefined): NpyArray {
  const a = id === undefined ? undefined : doc.arrays[id]
  if (!a) throw new Error(`array ${id} is missing`)
  return a
}

describe('usage', () => {
  it('prints usage naming the commands for --help, -h and help, and returns 0', async () => {
    for (const flag of ['--help', '-h', 'help']) {
      const r = await cli(flag)
      expect(r.code).toBe(0)
      expect(r.log).toMatch(/^Usage: blockspin <command>/)
      expect(r.log).toMatch(/^ {2}info FILE/m)
      expect(r.log).toMatch(/^ {2}run FILE/m)
      expect(r.err).toBe('')
    }
  })

  it('returns 2 for an unknown command, option or missing file argument', async () => {
    const unknown = await cli('frobnicate')
    expect(unknown.code).toBe(2)
    expect(unknown.err).toMatch(/^Unknown command "frobnicate"\./)
    expect(await cli('info')).toMatchObject({ code: 2, err: expect.stringMatching(/^Name a \.blockspin file\./) })
    expect(await cli('info', FIXTURE, '--verbose')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^Unknown option "--verbose"\./)
    })
    expect(await cli('run', FIXTURE, '--out')).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^--out needs a value\./)
    })
  })

  it('reads --x=v as --x v in every command, and refuses unknown or repeated options with one sentence', async () => {
    const spaced = await cli('exact', '--lattice', 'square:4x4', '--K', '0.4', '--json')
    const joined = await cli('exact', '--lattice=square:4x4', '--K=0.4', '--json')
    expect(spaced.code).toBe(0)
    expect(joined).toEqual(spaced)
    // A negative value is a value, in either spelling.
    const antiSpaced = await cli('exact', '--lattice', 'chain:6', '--K', '-0.5', '--h', '-.1', '--json')
    expect(antiSpaced.code).toBe(0)
    expect(await cli('exact', '--lattice=chain:6', '--K=-0.5', '--h=-.1', '--json')).toEqual(antiSpaced)
    expect(await cli('info', `--json`, FIXTURE)).toEqual(await cli('info', FIXTURE, '--json'))
    const refusals: Array<[string[], string]> = [
      [['exact', '--lattice=chain:6', '--K=0.2', '--temperature=2'], 'Unknown option "--temperature".'],
      [['exact', '--lattice', 'chain:6', '--K', '0.2', '--K', '0.3'], '--K was given more than once.'],
      [['exact', '--lattice=chain:6', '--K=0.2', '--json=yes'], '--json takes no value.'],
      [['exact', '--lattice=chain:6', '--K'], '--K needs a value.'],
      [['exact', 'square:4x4'], 'Unexpected argument "square:4x4".'],
      [['sample', '--lattice=chain:6', '--K=0.2', '--samples=100', '--sweeps=9'], 'Unknown option "--sweeps".'],
      [['rbm', 'logz', '--weights=w.npz', '--chain=5'], 'Unknown option "--chain".'],
      [['rbm', 'train', '--data=p.blockspin', '--layers=4', '--epoch=5'], 'Unknown option "--epoch".'],
      [['info', FIXTURE, 'other.blockspin'], 'Unexpected argument "other.blockspin".'],
      [['run', FIXTURE, '--out=a.blockspin', '--out=b.blockspin'], '--out was given more than once.']
    ]
    for (const [samples, sentence] of [
      ['abc', '--samples must be a whole number ≥ 0, not "abc".'],
      ['0x40', '--samples must be a whole number ≥ 0, not "0x40".'],
      ['-5', '--samples must be a whole number ≥ 0, not "-5".']
    ]) {
      expect(await cli('sample', '--lattice=chain:6', '--K=0.2', `--samples=${samples}`)).toEqual({
        code: 2,
        log: '',
        err: sentence
      })
    }
    expect(await cli('exact', '--lattice=chain:6', '--K=0x1')).toEqual({
      code: 2,
      log: '',
      err: '--K must be a number, not "0x1".'
    })
    expect(await cli('exact', '--lattice=chain:6', '--K=0.2', '--h= 1')).toEqual({
      code: 2,
      log: '',
      err: '--h must be a number, not " 1".'
    })
    const numbers: Array<[string[], string]> = [
      [['rbm', 'logz', '--weights=w.npz', '--chains=abc'], '--chains must be a whole number ≥ 0, not "abc".'],
      [['rbm', 'logz', '--weights=w.npz', '--seed', '1.5'], '--seed must be a whole number ≥ 0, not "1.5".'],
      [
        ['rbm', 'train', '--data=p.blockspin', '--layers=4', '--epochs=0'],
        '--epochs must be a whole number ≥ 1, not "0".'
      ],
      [['rbm', 'train', '--data=p.blockspin', '--layers=4', '--lr', '-0.1'], '--lr must be a number ≥ 0, not "-0.1".'],
      [
        ['rbm', 'train', '--data=p.blockspin', '--layers=4', '--held-out=0.95'],
        '--held-out must be below 0.9, not "0.95".'
      ]
    ]
    for (const [argv, sentence] of numbers)
      expect(await cli(...argv), argv.join(' ')).toEqual({ code: 2, log: '', err: sentence })
    for (const [argv, sentence] of refusals) {
      const r = await cli(...argv)
      expect(r.code, argv.join(' ')).toBe(2)
      expect(r.err.split('\n')[0], argv.join(' ')).toBe(sentence)
      expect(r.err, argv.join(' ')).toMatch(/\n\nUsage: blockspin /)
    }
  })

  it('prints usage for --help or -h after any command, and returns 0', async () => {
    const general = (await cli('--help')).log
    for (const argv of [
      ['info', '--help'],
      ['run', 'x.blockspin', '-h'],
      ['sample', '--lattice=chain:6', '--help']
    ]) {
      expect(await cli(...argv), argv.join(' ')).toEqual({ code: 0, log: general, err: '' })
    }
    for (const argv of [
      ['rbm', 'logz', '--help'],
      ['rbm', 'train', '-h']
    ]) {
      const r = await cli(...argv)
      expect(r.code, argv.join(' ')).toBe(0)
      expect(r.log).toMatch(/^Usage: blockspin rbm logz[\s\S]*\nUsage: blockspin rbm train /)
    }
  })

  it('prints the package version', async () => {
    const { version } = JSON.parse(
      readFileSync(fileURLToPath(new URL('../../package.json', import.meta.url)), 'utf8')
    ) as { version: string }
    expect(await cli('--version')).toEqual({ code: 0, log: version, err: '' })
  })

  it('ships an executable bin script', () => {
    expect(existsSync(BIN)).toBe(true)
    expect(readFileSync(BIN, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true)
    if (process.platform !== 'win32') {
      expect(statSync(BIN).mode & 0o111).not.toBe(0)
      expect(() => accessSync(BIN, constants.X_OK)).not.toThrow()
    }
  })
})

describe('info', () => {
  it('summarises the format-1 fixture: name, models, runs and arrays', async () => {
    const r = await cli('info', FIXTURE)
    expect(r.code).toBe(0)
    expect(r.err).toBe('')
    const lines = r.log.split('\n')
    expect(lines[0]).toBe('Basic 16×16 — Blockspin project, format 1, written by Blockspin 0.1.0')
    expect(lines).toContain('Models (1)')
    expect(lines).toContain('  model1  Square 16: square 16×16 periodic, K = 0.4407, h = 0')
    expect(lines).toContain(
      '  run1  Metropolis at K_c: Metropolis (checkerboard), L = 16, K = 0.4407, h = 0, seed 12345, hot start, 8 sweeps; done, 8 sweeps done'
    )
    expect(lines).toContain('Arrays (4)')
    for (const line of [
      '  arrays/run1.spins.npy  |i1 [16, 16]',
      '  arrays/run1.energy.npy  <f8 [8]',
      '  arrays/run1.absM.npy  <f8 [8]',
      '  arrays/run1.rng.npy  <u4 [4]'
    ]) {
      expect(lines).toContain(line)
    }
  })

  it('marks an unfinished batch run as pending', async () => {
    const r = await cli('info', write('p.blockspin', pendingProject(7)))
    expect(r.code).toBe(0)
    expect(r.log).toContain(
      '  r1  Batch: Metropolis (checkerboard), L = 8, K = 0.3, h = 0.1, seed 7, hot start, 200 sweeps; pending, 0 sweeps done'
    )
    expect(r.log).toContain('Arrays (0)')
  })

  it('prints parseable JSON with --json', async () => {
    const r = await cli('info', FIXTURE, '--json')
    expect(r.code).toBe(0)
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a JSON document read field by field
    const json = JSON.parse(r.log) as Record<string, any>
    expect(json.name).toBe('Basic 16×16')
    expect(json.fileFormatVersion).toBe(1)
    expect(json.formatVersion).toBe(3)
    expect(json.models.map((m: { id: string }) => m.id)).toEqual(['model1'])
    expect(json.runs[0]).toMatchObject({ id: 'run1', status: 'done', sweep: 8 })
    expect(Object.keys(json.arrays).sort()).toEqual(['run1.absM', 'run1.energy', 'run1.rng', 'run1.spins'])
    expect(json.arrays['run1.spins']).toMatchObject({
      dtype: '|i1',
      shape: [16, 16],
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/)
    })
  })

  it('returns 2 and prints one sentence on the error stream for damaged or missing files', async () => {
    const fixture = new Uint8Array(readFileSync(FIXTURE))
    const cases: Array<[string, Uint8Array | null, string]> = [
      ['garbage.blockspin', new TextEncoder().encode('certainly not a zip archive'), 'not-zip'],
      ['truncated.blockspin', fixture.slice(0, Math.floor(fixture.length / 2)), 'not-zip'],
      ['missing.blockspin', null, 'io']
    ]
    for (const [name, bytes, tag] of cases) {
      const path = join(dir, name)
      let expected = `${name}: The file could not be read or written: no such file.`
      if (bytes) {
        writeFileSync(path, bytes)
        const decoded = decodeProject(bytes)
        if (decoded.ok) throw new Error(`${name} decoded`)
        expect(decoded.error.tag).toBe(tag)
        expected = `${name}: ${describeProjectError(decoded.error)}`
      }
      for (const argv of [
        ['info', path],
        ['info', path, '--json'],
        ['run', path]
      ]) {
        const r = await cli(...argv)
        expect(r, argv.join(' ')).toEqual({ code: 2, log: '', err: expected })
      }
    }
  })
})

describe('run', () => {
  it('runs a pending batch run in a worker process and saves the finished state to --out', async () => {
    const source = write('pending.blockspin', pendingProject(2024))
    const before = readFileSync(source)
    const out = join(dir, 'done.blockspin')
    const r = await cli('run', source, '--out', out)
    expect(r.err).toBe('')
    expect(r.code).toBe(0)
    expect(r.log).toBe(`Saved ${out} (1 run completed).`)
    expect(readFileSync(source)).toEqual(before)

    const doc = reopen(out)
    const run = doc.project.runs[0]!
    expect(run).toMatchObject({
      id: 'r1',
      status: 'done',
      sweep: SWEEPS,
      spec: { L, K, h: H, seed: 2024, targetSweeps: SWEEPS }
    })
    const spins = array(doc, run.arrays.spins)
    const energy = array(doc, run.arrays.energy)
    const absM = array(doc, run.arrays.absM)
    const rng = array(doc, run.arrays.rngState)
    expect([spins.dtype, spins.shape]).toEqual(['|i1', [L, L]])
    expect([energy.dtype, energy.shape, energy.data.length]).toEqual(['<f8', [SWEEPS], SWEEPS])
    expect([absM.dtype, absM.shape]).toEqual(['<f8', [SWEEPS]])
    expect([rng.dtype, rng.shape]).toEqual(['<u4', [4]])

    // The last recorded observables agree with the saved spins: E/N = −(K Σ⟨ij⟩ s_i s_j + h Σ s_i)/N.
    const s = spins.data
    expect(Array.from(s).every((v) => v === 1 || v === -1)).toBe(true)
    let bonds = 0
    let sum = 0
    for (let i = 0; i < L; i++) {
      for (let j = 0; j < L; j++) {
        const v = s[i * L + j]!
        sum += v
        bonds += v * s[i * L + ((j + 1) % L)]! + v * s[((i + 1) % L) * L + j]!
      }
    }
    expect(energy.data[SWEEPS - 1]).toBeCloseTo(-(K * bonds + H * sum) / (L * L), 12)
    expect(absM.data[SWEEPS - 1]).toBeCloseTo(Math.abs(sum) / (L * L), 12)
  })

  it('is deterministic: the same project gives bit-identical results, another seed does not', async () => {
    const results: ProjectDoc[] = []
    for (const [name, seed] of [
      ['a', 99],
      ['b', 99],
      ['c', 100]
    ] as const) {
      const source = write(`${name}.blockspin`, pendingProject(seed))
      expect((await cli('run', source)).code).toBe(0)
      results.push(reopen(source))
    }
    const bytesOf = (doc: ProjectDoc, key: 'spins' | 'energy' | 'rngState') => {
      const a = array(doc, doc.project.runs[0]!.arrays[key])
      return Buffer.from(a.data.buffer, a.data.byteOffset, a.data.byteLength)
    }
    for (const key of ['spins', 'energy', 'rngState'] as const) {
      expect(bytesOf(results[1]!, key).equals(bytesOf(results[0]!, key)), key).toBe(true)
      expect(bytesOf(results[2]!, key).equals(bytesOf(results[0]!, key)), key).toBe(false)
    }
  })

  it('resumes a half-done run from its saved state exactly where a straight run would be', async () => {
    const half = pendingProject(5)
    half.project.runs[0]!.spec.targetSweeps = SWEEPS / 2
    const resumed = write('resumed.blockspin', half)
    expect((await cli('run', resumed)).code).toBe(0)
    const midway = reopen(resumed)
    expect(midway.project.runs[0]).toMatchObject({ status: 'done', sweep: SWEEPS / 2 })
    midway.project.runs[0]!.spec.targetSweeps = SWEEPS
    write('resumed.blockspin', midway)
    expect((await cli('info', resumed)).log).toContain('200 sweeps; pending, 100 sweeps done')
    expect((await cli('run', resumed)).code).toBe(0)
    const straight = write('straight.blockspin', pendingProject(5))
    expect((await cli('run', straight)).code).toBe(0)
    const [a, b] = [reopen(resumed), reopen(straight)]
    expect(a.project.runs[0]).toMatchObject({ status: 'done', sweep: SWEEPS })
    for (const key of ['spins', 'energy', 'absM', 'rngState'] as const) {
      expect(Array.from(array(a, a.project.runs[0]!.arrays[key]).data), key).toEqual(
        Array.from(array(b, b.project.runs[0]!.arrays[key]).data)
      )
    }
  })

  it('returns 1 when a run fails, and still saves the runs that finished', async () => {
    const doc = pendingProject(11)
    const broken: RunV1 = {
      ...doc.project.runs[0]!,
      id: 'r2',
      name: 'Broken',
      arrays: { spins: 'r2.spins', energy: 'r2.energy', absM: 'r2.absM', rngState: 'r2.rng' }
    }
    doc.project.runs.push(broken)
    // Saved state whose spins are not ±1: the worker refuses to resume from it.
    doc.arrays = {
      'r2.spins': { dtype: '|i1', shape: [L, L], data: new Int8Array(L * L) },
      'r2.energy': { dtype: '<f8', shape: [0], data: new Float64Array(0) },
      'r2.absM': { dtype: '<f8', shape: [0], data: new Float64Array(0) },
      'r2.rng': { dtype: '<u4', shape: [4], data: Uint32Array.of(1, 2, 3, 4) }
    }
    const path = write('mixed.blockspin', doc)
    const r = await cli('run', path)
    expect(r).toEqual({ code: 1, log: `Saved ${path} (1 run completed).`, err: '' })
    const saved = reopen(path)
    expect(saved.project.runs.map((x) => [x.id, x.status, x.sweep])).toEqual([
      ['r1', 'done', SWEEPS],
      ['r2', 'pending', 0]
    ])
    expect(Array.from(array(saved, 'r2.spins').data).every((v) => v === 0)).toBe(true)
  })

  it('says so and leaves the file alone when nothing is pending', async () => {
    const path = join(dir, 'basic.blockspin')
    writeFileSync(path, readFileSync(FIXTURE))
    const r = await cli('run', path)
    expect(r).toEqual({
      code: 0,
      log: 'Nothing to run: every run and reproduction in this project is finished or live.',
      err: ''
    })
    expect(readFileSync(path)).toEqual(readFileSync(FIXTURE))
  })
})
