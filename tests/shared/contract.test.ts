import { describe, expect, it } from 'vitest'
import { CHANNELS } from '@shared/channels'
import { inputSchemas, isChannel, validateInput, type Channel } from '@shared/contract'
import { jobSpecSchemas } from '@shared/jobKinds'
import { splitItem } from '@shared/cluster/split'
import { clusterProject } from './clusterFixtures'

/** A minimal project document envelope (deep validation is the codec's job). */
function doc(arrays: Record<string, unknown> = {}) {
  return { project: { format: 'blockspin', formatVersion: 1, name: 'P', runs: [] }, arrays }
}
const spins = { dtype: '|i1', shape: [2, 2], data: Int8Array.of(1, -1, -1, 1) }
const jobStart = { kind: 'ising.chain', title: 'Run', interactive: false, spec: { L: 8 }, seed: 42 }
const split = splitItem(clusterProject(), 'sweep1', { now: new Date('2025-01-01T00:00:00Z') })
if ('error' in split) throw new Error(split.error)
const slurm = { time: '01:00:00', mem: '2G', cpus: 1 }
const bundle = { parent: '', name: 'sweep1-bundle', manifest: split.manifest, tasks: split.tasks, slurm }

/** One valid argument tuple per channel. */
const VALID: Record<Channel, unknown[]> = {
  'app.info': [],
  'project.openDialog': [],
  'project.open': [{ path: 'runs/a.blockspin' }],
  'project.openBytes': [{ name: 'dropped.blockspin', bytes: Uint8Array.of(80, 75, 3, 4) }],
  'project.openExample': [],
  'project.save': [{ doc: doc({ 'r1.spins': spins }), path: null, saveAs: true }],
  'project.recent': [],
  'files.list': [{ dir: '' }],
  'files.mkdir': [{ dir: 'new folder' }],
  'recovery.save': [{ key: 'win-1', name: 'Untitled', originalPath: null, doc: doc() }],
  'recovery.list': [],
  'recovery.load': [{ id: 'win-1' }],
  'recovery.discard': [{ id: 'win-1' }],
  'window.setState': [{ title: 'P — Blockspin', dirty: true }],
  'jobs.start': [{ ...jobStart, seed: 0xffffffff, rngState: Uint32Array.of(1, 2, 3, 4) }],
  'jobs.control': [{ jobId: 'j1', action: 'pause' }],
  'jobs.command': [{ jobId: 'j1', command: { type: 'step', count: 10 } }],
  'jobs.snapshot': [{ jobId: 'j1' }],
  'jobs.list': [],
  'jobs.dismiss': [{ jobId: 'j1' }],
  'cluster.chooseFolder': [{ purpose: 'merge' }],
  'cluster.defaultFolder': [{ projectPath: null }],
  'cluster.export': [bundle],
  'cluster.read': [{ dir: 'bundles/b1' }],
  'cluster.submit': [{ dir: 'bundles/b1' }],
  'cluster.status': [{ dir: 'bundles/b1' }]
}

/** At least one invalid payload per channel, with the path the error must name ('(root)' for the tuple itself). */
const INVALID: Record<Channel, Array<[args: unknown, path: string]>> = {
  'app.info': [
    [['extra'], '(root)'],
    [undefined, '(root)']
  ],
  'project.openDialog': [[[{}], '(root)']],
  // No path from the renderer: the services know where the example is.
  'project.openExample': [[[{ path: '/etc/passwd' }], '(root)']],
  'project.open': [
    [[{ path: 42 }], '0.path'],
    [[{ path: '' }], '0.path'],
    [[], '(root)'],
    [[{ path: 'a' }, 'b'], '(root)']
  ],
  'project.openBytes': [
    [[{ name: 'x', bytes: [80, 75, 3, 4] }], '0.bytes'],
    [[{ name: 'x', bytes: new Int8Array(4) }], '0.bytes'],
    [[{ name: 'x', bytes: new ArrayBuffer(4) }], '0.bytes']
  ],
  'project.save': [
    [[{ doc: doc(), path: null, saveAs: 'yes' }], '0.saveAs'],
    [[{ doc: doc({ '../escape': spins }), path: null, saveAs: false }], '0.doc.arrays.../escape'],
    [[{ doc: doc({ 'a/b': spins }), path: 'x', saveAs: false }], '0.doc.arrays.a/b'],
    [[{ doc: doc({ x: { ...spins, data: [1, -1, -1, 1] } }), path: 'x', saveAs: false }], '0.doc.arrays.x.data'],
    [[{ doc: doc({ x: { ...spins, shape: [NaN] } }), path: 'x', saveAs: false }], '0.doc.arrays.x.shape.0'],
    [
      [{ doc: { ...doc(), project: { format: 'other', formatVersion: 1 } }, path: 'x', saveAs: false }],
      '0.doc.project.format'
    ]
  ],
  'project.recent': [[[1], '(root)']],
  'files.list': [
    [[{ dir: null }], '0.dir'],
    [[{}], '0.dir']
  ],
  'files.mkdir': [
    [[{ dir: '' }], '0.dir'],
    [[{ dir: 'x'.repeat(4097) }], '0.dir']
  ],
  'recovery.save': [
    [[{ key: '', name: 'n', originalPath: null, doc: doc() }], '0.key'],
    [[{ key: 'k', name: 'n', originalPath: undefined, doc: doc() }], '0.originalPath'],
    [[{ key: 'k', name: 'n', originalPath: null, doc: doc({ '..\\/x': spins }) }], '0.doc.arrays...\\/x']
  ],
  'recovery.list': [[[null], '(root)']],
  'recovery.load': [
    [[{ id: 7 }], '0.id'],
    [[{ id: 'x'.repeat(201) }], '0.id']
  ],
  'recovery.discard': [[[{}], '0.id']],
  'window.setState': [[[{ title: 'T', dirty: 'no' }], '0.dirty']],
  'jobs.start': [
    [[{ ...jobStart, seed: -1 }], '0.seed'],
    [[{ ...jobStart, seed: 2 ** 32 }], '0.seed'],
    [[{ ...jobStart, seed: NaN }], '0.seed'],
    [[{ ...jobStart, seed: 1.5 }], '0.seed'],
    [[{ ...jobStart, interactive: 1 }], '0.interactive'],
    [[{ ...jobStart, rngState: [1, 2, 3, 4] }], '0.rngState'],
    [[{ ...jobStart, rngState: Int32Array.of(1, 2, 3, 4) }], '0.rngState'],
    [[{ ...jobStart, kind: '' }], '0.kind'],
    [[{ ...jobStart, kind: 'ising.chians' }], '0.kind'],
    [[{ ...jobStart, kind: 'toString' }], '0.kind']
  ],
  'jobs.control': [
    [[{ jobId: 'j1', action: 'explode' }], '0.action'],
    [[{ action: 'pause' }], '0.jobId']
  ],
  'jobs.command': [
    [[{ jobId: 'j1', command: { type: 'step', count: NaN } }], '0.command.count'],
    [[{ jobId: 'j1', command: { type: 'step', count: 0 } }], '0.command.count'],
    [[{ jobId: 'j1', command: { type: 'step', count: 1_000_001 } }], '0.command.count'],
    [[{ jobId: 'j1', command: { type: 'teleport' } }], '0.command.type']
  ],
  'jobs.snapshot': [[[{ jobId: '' }], '0.jobId']],
  'jobs.list': [[[{ all: true }], '(root)']],
  'jobs.dismiss': [[[{ jobId: ['j1'] }], '0.jobId']],
  'cluster.chooseFolder': [[[{ purpose: 'anything' }], '0.purpose']],
  'cluster.defaultFolder': [
    [[{}], '0.projectPath'],
    [[{ projectPath: 7 }], '0.projectPath']
  ],
  'cluster.export': [
    [[{ ...bundle, name: '../elsewhere' }], '0.name'],
    [[{ ...bundle, name: '.hidden' }], '0.name'],
    [[{ ...bundle, name: 'a/b' }], '0.name'],
    [[{ ...bundle, manifest: { ...split.manifest, id: 'not-hex' } }], '0.manifest.id'],
    [[{ ...bundle, tasks: [] }], '0.tasks'],
    [[{ ...bundle, tasks: [{ ...split.tasks[0], kind: 'shell' }] }], '0.tasks.0.kind'],
    [[{ ...bundle, slurm: { ...slurm, cpus: '4' } }], '0.slurm.cpus'],
    [[{ ...bundle, files: [{ path: 'data/../../x', text: '' }] }], '0.files.0.path'],
    [[{ ...bundle, files: [{ path: 'tasks/0.json', text: '' }] }], '0.files.0.path']
  ],
  'cluster.read': [[[{ dir: 7 }], '0.dir']],
  'cluster.submit': [[[{}], '0.dir']],
  'cluster.status': [[[{ dir: 'x'.repeat(4097) }], '0.dir']]
}

describe('channel list', () => {
  it('declares a schema for exactly the channels in CHANNELS', () => {
    expect(Object.keys(inputSchemas).sort()).toEqual([...CHANNELS].sort())
    expect(new Set(CHANNELS).size).toBe(CHANNELS.length)
    expect(CHANNELS.length).toBe(26)
  })

  it('isChannel accepts every channel and rejects prototype keys and non-strings', () => {
    for (const c of CHANNELS) expect(isChannel(c)).toBe(true)
    for (const bad of [
      'toString',
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'valueOf',
      '',
      'app',
      'APP.INFO',
      'app.info '
    ]) {
      expect(isChannel(bad), bad).toBe(false)
    }
    for (const bad of [null, undefined, 1, {}, ['app.info']]) expect(isChannel(bad)).toBe(false)
  })
})

describe('validateInput', () => {
  it.each(CHANNELS)('accepts a valid call of %s and returns the parsed arguments', (channel) => {
    const result = validateInput(channel, VALID[channel])
    expect(result).toEqual({ ok: true, args: VALID[channel] })
  })

  it.each(CHANNELS)('rejects invalid calls of %s with a sentence naming the path', (channel) => {
    expect(INVALID[channel].length).toBeGreaterThan(0)
    for (const [args, path] of INVALID[channel]) {
      const result = validateInput(channel, args)
      if (result.ok) throw new Error(`${channel} accepted ${String(JSON.stringify(args)).slice(0, 200)}`)
      expect(result.error.startsWith(`Invalid arguments for ${channel}: ${path}: `), result.error).toBe(true)
      expect(result.error).toMatch(/\.$/)
      expect(result.error.length).toBeLessThan(400)
    }
  })

  it('keeps typed arrays as typed arrays (not copied into plain arrays)', () => {
    const bytes = Uint8Array.of(1, 2, 3)
    const result = validateInput('project.openBytes', [{ name: 'x', bytes }])
    if (!result.ok) throw new Error(result.error)
    expect(result.args[0].bytes).toBeInstanceOf(Uint8Array)
    expect(Array.from(result.args[0].bytes)).toEqual([1, 2, 3])
  })

  it('accepts seed bounds 0 and 2^32 − 1 and array ids with dots, dashes and underscores', () => {
    expect(validateInput('jobs.start', [{ ...jobStart, seed: 0 }]).ok).toBe(true)
    expect(validateInput('jobs.start', [{ ...jobStart, seed: 0xffffffff }]).ok).toBe(true)
    const ok = validateInput('project.save', [{ doc: doc({ 'run_1.spins-v2': spins }), path: 'x', saveAs: false }])
    expect(ok.ok).toBe(true)
  })

  it('rejects array ids that are empty, too long, or carry path separators', () => {
    for (const id of ['', 'x'.repeat(101), 'a/b', '../x', 'a\\b', 'a b', 'ä']) {
      const result = validateInput('project.save', [{ doc: doc({ [id]: spins }), path: 'x', saveAs: false }])
      expect(result.ok, JSON.stringify(id)).toBe(false)
    }
  })

  it('refuses a job kind that is not registered with one sentence naming it and the kinds there are', () => {
    const result = validateInput('jobs.start', [{ ...jobStart, kind: 'no.such.kind' }])
    if (result.ok) throw new Error('an unregistered job kind was accepted')
    expect(result.error).toMatch(
      /^Invalid arguments for jobs\.start: 0\.kind: no job kind is called "no\.such\.kind"; /
    )
    for (const kind of Object.keys(jobSpecSchemas)) expect(result.error).toContain(kind)
    expect(result.error.endsWith('.')).toBe(true)
    expect(result.error.slice(0, -1), 'one sentence').not.toMatch(/[.!?]\s/)
    for (const kind of Object.keys(jobSpecSchemas)) {
      expect(validateInput('jobs.start', [{ ...jobStart, kind }]).ok, kind).toBe(true)
    }
  })

  it('names the first problem only, with the offending path', () => {
    const result = validateInput('jobs.control', [{ jobId: 'j1', action: 'stop' }])
    expect(result).toEqual({
      ok: false,
      error: expect.stringMatching(/^Invalid arguments for jobs\.control: 0\.action: .+\.$/)
    })
  })

  it('returns a readable error for an unknown channel name', () => {
    expect(validateInput('nope' as Channel, [])).toEqual({ ok: false, error: 'Unknown channel "nope".' })
  })

  it('returns a readable error (does not throw) for prototype keys used as a channel', () => {
    for (const name of ['toString', '__proto__', 'constructor']) {
      expect(validateInput(name as Channel, [])).toEqual({ ok: false, error: `Unknown channel "${name}".` })
    }
  })
})
