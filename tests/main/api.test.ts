import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  realpathSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createApiHandlers, type NativeDialogs } from '../../src-main/services/api'
import type { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import type { ApiHandlers, OpenOutcome, SaveOutcome } from '@shared/contract'
import { encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import type { ProjectDoc } from '@shared/project/types'
import { expectSentence, sampleDoc } from '../shared/projectTestUtils'

const cpuCount = vi.hoisted(() => ({ n: 8 }))
vi.mock('node:os', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:os')>()
  const cpus = () => Array.from({ length: cpuCount.n }, () => actual.cpus()[0]!)
  return { ...actual, cpus, default: { ...actual, cpus } }
})

let dir: string
let root: string
let outside: string
let files: ProjectFiles
const GARBAGE = Buffer.from('this is not a zip file, but somebody may still want it\n')

beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-api-')))
  root = join(dir, 'projects')
  outside = join(dir, 'outside')
  mkdirSync(root)
  mkdirSync(outside)
  files = new ProjectFiles({ appVersion: '2.0.0-test', stateDir: join(dir, 'state'), projectsRoot: root })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function stubBroker() {
  const calls: unknown[][] = []
  const broker = {
    start: (req: unknown) => (calls.push(['start', req]), 'job-7'),
    control: (id: string, action: string) => (calls.push(['control', id, action]), id === 'job-7'),
    command: (id: string, command: unknown) => (calls.push(['command', id, command]), id === 'job-7'),
    snapshot: async (id: string) => (
      calls.push(['snapshot', id]),
      id === 'job-7' ? { ok: true, data: { sweep: 5 } } : { ok: false, error: 'No such job.' }
    ),
    list: () => (calls.push(['list']), [{ id: 'job-7', title: 'Run' }]),
    dismiss: (id: string) => (calls.push(['dismiss', id]), false)
  }
  return { broker: broker as unknown as JobBroker, calls }
}

const web = (): ApiHandlers =>
  createApiHandlers({ host: 'web', appVersion: '2.0.0-test', files, broker: stubBroker().broker, projectsRoot: root })

function desktop(answers: { open?: string | null; save?: string | null } = {}) {
  const asked: string[] = []
  const dialogs: NativeDialogs = {
    open: async () => answers.open ?? null,
    save: async (suggested) => (asked.push(suggested), answers.save ?? null)
  }
  const api = createApiHandlers({
    host: 'electron',
    appVersion: '2.0.0-test',
    files,
    broker: stubBroker().broker,
    dialogs,
    projectsRoot: root
  })
  return { api, asked }
}

function docNamed(name: string): ProjectDoc {
  const doc = sampleDoc()
  doc.project.name = name
  return doc
}
const errorTag = (o: OpenOutcome | SaveOutcome) => (o.status === 'error' ? o.error.tag : o.status)

describe('web host path policy', () => {
  it('saves and opens relative paths inside the root, appending .blockspin', async () => {
    const api = web()
    mkdirSync(join(root, 'sub'))
    expect(await api['project.save']({ doc: docNamed('Web one'), path: 'sub/first', saveAs: false })).toEqual({
      status: 'saved',
      path: 'sub/first.blockspin',
      name: 'first'
    })
    expect(existsSync(join(root, 'sub', 'first.blockspin'))).toBe(true)
    const back = await api['project.open']({ path: 'sub/first.blockspin' })
    if (back.status !== 'opened') throw new Error(JSON.stringify(back))
    expect([back.path, back.name, back.doc.project.name, back.doc.project.appVersion]).toEqual([
      'sub/first.blockspin',
      'first',
      'Web one',
      '2.0.0-test'
    ])
    expect(Array.from(back.doc.arrays['r1.rng']!.data)).toEqual([0, 1, 0x80000000, 0xffffffff])
    // An explicit extension is kept, in any case, and not doubled.
    expect(await api['project.save']({ doc: sampleDoc(), path: 'Two.BLOCKSPIN', saveAs: false })).toMatchObject({
      status: 'saved',
      path: 'Two.BLOCKSPIN'
    })
    expect(await api['project.save']({ doc: sampleDoc(), path: null, saveAs: false })).toEqual({ status: 'canceled' })
  })

  it("refuses paths that leave the root with 'outside-root', for open and save", async () => {
    writeFileSync(join(outside, 'secret.blockspin'), encodeProject(sampleDoc(), '1.0.0'))
    symlinkSync(outside, join(root, 'link'))
    symlinkSync(join(outside, 'secret.blockspin'), join(root, 'alias.blockspin'))
    const api = web()
    for (const path of [
      '../x.blockspin',
      '../outside/secret.blockspin',
      '/etc/passwd',
      'a/../../x',
      'link/secret.blockspin',
      'link/new.blockspin',
      'alias.blockspin',
      'x\0.blockspin',
      '..\\outside\\secret.blockspin'
    ]) {
      const opened = await api['project.open']({ path })
      expect(opened, path).toEqual({ status: 'error', path, error: { tag: 'outside-root', path } })
      if (opened.status === 'error') expectSentence(describeProjectError(opened.error))
      const saved = await api['project.save']({ doc: sampleDoc(), path, saveAs: false })
      expect(errorTag(saved), path).toBe('outside-root')
    }
    expect(readFileSync(join(outside, 'secret.blockspin'))).toEqual(Buffer.from(encodeProject(sampleDoc(), '1.0.0')))
    expect(existsSync(join(outside, 'new.blockspin'))).toBe(false)
    expect(existsSync(join(dir, 'x.blockspin'))).toBe(false)
  })

  it('never writes over a file that failed to open, however the path is spelled', async () => {
    writeFileSync(join(root, 'x.blockspin'), GARBAGE)
    symlinkSync(root, join(root, 'same'))
    const api = web()
    expect(errorTag(await api['project.open']({ path: 'x.blockspin' }))).toBe('not-zip')
    for (const path of ['x.blockspin', 'x', './x.blockspin', 'same/x.blockspin']) {
      const saved = await api['project.save']({ doc: sampleDoc(), path, saveAs: false })
      if (saved.status !== 'error' || saved.error.tag !== 'io') throw new Error(`${path}: ${JSON.stringify(saved)}`)
      expectSentence(describeProjectError(saved.error))
      expect(describeProjectError(saved.error)).toMatch(/will not write over it/)
    }
    expect(readFileSync(join(root, 'x.blockspin'))).toEqual(GARBAGE)
    // Another name is fine.
    expect(errorTag(await api['project.save']({ doc: sampleDoc(), path: 'y', saveAs: false }))).toBe('saved')
    // Opened through a symlink, the file it points to is the one protected.
    symlinkSync(join(root, 'x.blockspin'), join(root, 'alias.blockspin'))
    const fresh = web()
    expect(errorTag(await fresh['project.open']({ path: 'alias.blockspin' }))).toBe('not-zip')
    expect(errorTag(await fresh['project.save']({ doc: sampleDoc(), path: 'x', saveAs: false }))).toBe('io')
    expect(readFileSync(join(root, 'x.blockspin'))).toEqual(GARBAGE)
  })

  it('lets new work be saved under a name whose earlier open found no file', async () => {
    const api = web()
    expect(await api['project.open']({ path: 'gone.blockspin' })).toMatchObject({
      status: 'error',
      error: { tag: 'io', detail: 'no such file' }
    })
    expect(errorTag(await api['project.save']({ doc: sampleDoc(), path: 'gone', saveAs: false }))).toBe('saved')
  })

  it('lists only folders and projects, hides dotfiles, and stays inside the root', async () => {
    mkdirSync(join(root, 'runs'))
    mkdirSync(join(root, '.git'))
    for (const name of ['b.blockspin', 'A.BLOCKSPIN', 'notes.txt', '.hidden.blockspin', 'runs/r.blockspin'])
      writeFileSync(join(root, name), 'abc')
    symlinkSync(outside, join(root, 'link'))
    const api = web()
    const top = await api['files.list']({ dir: '' })
    if (!('entries' in top)) throw new Error(top.error)
    expect(top.dir).toBe('')
    expect(top.entries.map((e) => [e.path, e.kind, e.size])).toEqual([
      ['runs', 'dir', expect.any(Number)],
      ['A.BLOCKSPIN', 'project', 3],
      ['b.blockspin', 'project', 3]
    ])
    expect(await api['files.list']({ dir: 'runs' })).toMatchObject({
      dir: 'runs',
      entries: [{ path: 'runs/r.blockspin', name: 'r.blockspin', kind: 'project' }]
    })
    for (const bad of ['..', '../outside', '/etc', 'link', 'runs/../../outside']) {
      const out = await api['files.list']({ dir: bad })
      expect(out, bad).toEqual({ error: `"${bad}" is outside the projects folder.` })
    }
    const missing = await api['files.list']({ dir: 'missing' })
    expect(missing).toEqual({ error: 'The folder could not be listed: no such file.' })
  })

  it('makes folders inside the root only', async () => {
    const api = web()
    expect(await api['files.mkdir']({ dir: 'new/deeper' })).toEqual({ ok: true })
    expect(existsSync(join(root, 'new', 'deeper'))).toBe(true)
    expect(await api['files.mkdir']({ dir: '../escaped' })).toEqual({
      error: '"../escaped" is outside the projects folder.'
    })
    expect(existsSync(join(dir, 'escaped'))).toBe(false)
  })

  it('shows recent files relative to the root and drops those outside it', async () => {
    await files.addRecent(join(outside, 'o.blockspin'))
    await files.addRecent(join(root, 'sub', 'in.blockspin'))
    expect(await web()['project.recent']()).toEqual([{ path: 'sub/in.blockspin', name: 'in', exists: false }])
  })
})

describe('desktop path policy', () => {
  it('refuses paths that did not come from a dialog, the recent list or an earlier open/save', async () => {
    const p = join(dir, 'p.blockspin')
    writeFileSync(p, encodeProject(docNamed('Desk'), '1.0.0'))
    const { api } = desktop()
    for (const path of [p, 'p.blockspin', '/etc/passwd']) {
      expect(await api['project.open']({ path })).toEqual({
        status: 'error',
        path,
        error: { tag: 'not-permitted', path }
      })
    }
    expect(
      errorTag(await api['project.save']({ doc: sampleDoc(), path: join(dir, 'new.blockspin'), saveAs: false }))
    ).toBe('not-permitted')
    expect(existsSync(join(dir, 'new.blockspin'))).toBe(false)
    expect(await api['project.openDialog']()).toEqual({ status: 'canceled' })
  })

  it('opens a path the open dialog returned, and from then on by path', async () => {
    const p = join(dir, 'p.blockspin')
    writeFileSync(p, encodeProject(docNamed('Desk'), '1.0.0'))
    const { api } = desktop({ open: p })
    expect(await api['project.openDialog']()).toMatchObject({
      status: 'opened',
      path: p,
      name: 'p',
      doc: { project: { name: 'Desk' } }
    })
    expect(await api['project.open']({ path: p })).toMatchObject({ status: 'opened', path: p })
    expect(await api['project.save']({ doc: docNamed('Desk 2'), path: p, saveAs: false })).toEqual({
      status: 'saved',
      path: p,
      name: 'p'
    })
  })

  it('permits a path from the recent list', async () => {
    const p = join(dir, 'recent.blockspin')
    writeFileSync(p, encodeProject(docNamed('Old'), '1.0.0'))
    await files.addRecent(p)
    expect(await desktop().api['project.open']({ path: p })).toMatchObject({
      status: 'opened',
      path: p,
      doc: { project: { name: 'Old' } }
    })
  })

  it('asks the save dialog for Save As and for untitled work', async () => {
    const canceled = desktop({ save: null })
    expect(await canceled.api['project.save']({ doc: docNamed('My run: α*1'), path: null, saveAs: false })).toEqual({
      status: 'canceled'
    })
    expect(canceled.asked).toEqual([join(root, 'My run α1.blockspin')])
    const target = join(dir, 'chosen')
    const chosen = desktop({ save: target })
    expect(
      await chosen.api['project.save']({ doc: sampleDoc(), path: join(dir, 'old.blockspin'), saveAs: true })
    ).toEqual({ status: 'saved', path: `${target}.blockspin`, name: 'chosen' })
    expect(chosen.asked).toEqual([join(dir, 'old.blockspin')])
    expect(existsSync(`${target}.blockspin`)).toBe(true)
  })

  it('keeps a file that failed to open unless the user picks it again in Save As', async () => {
    const p = join(dir, 'broken.blockspin')
    writeFileSync(p, GARBAGE)
    const { api } = desktop({ open: p, save: p })
    expect(errorTag(await api['project.openDialog']())).toBe('not-zip')
    const saved = await api['project.save']({ doc: sampleDoc(), path: p, saveAs: false })
    expect(saved).toMatchObject({ status: 'error', path: p, error: { tag: 'io' } })
    expect(readFileSync(p)).toEqual(GARBAGE)
    expect(errorTag(await api['project.save']({ doc: sampleDoc(), path: p, saveAs: true }))).toBe('saved')
  })

  it('decodes dropped bytes without a path', async () => {
    const { api } = desktop()
    const opened = await api['project.openBytes']({
      name: 'dropped.blockspin',
      bytes: encodeProject(docNamed('Dropped'), '1.0.0')
    })
    expect(opened).toMatchObject({
      status: 'opened',
      path: null,
      name: 'dropped',
      doc: { project: { name: 'Dropped' } },
      migratedFrom: null
    })
    const bad = await api['project.openBytes']({ name: 'bad.blockspin', bytes: new Uint8Array(GARBAGE) })
    expect(bad).toMatchObject({ status: 'error', path: null, error: { tag: 'not-zip' } })
    expect(await api['files.list']({ dir: '' })).toEqual({ error: 'The desktop app uses the system file dialogs.' })
  })
})

describe('recovery, jobs and app info', () => {
  it('round-trips unsaved work through recovery.*', async () => {
    const api = web()
    expect(
      await api['recovery.save']({
        key: 'win-1',
        name: 'Unsaved',
        originalPath: 'a.blockspin',
        doc: docNamed('Work') as never
      })
    ).toEqual({ ok: true })
    const list = await api['recovery.list']()
    expect(list).toEqual([
      { id: 'win-1', name: 'Unsaved', originalPath: 'a.blockspin', savedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) }
    ])
    expect(await api['recovery.load']({ id: 'win-1' })).toMatchObject({
      status: 'opened',
      name: 'Unsaved',
      doc: { project: { name: 'Work' } }
    })
    expect(await api['recovery.discard']({ id: 'win-1' })).toEqual({ ok: true })
    expect(await api['recovery.list']()).toEqual([])
    expect(await api['recovery.load']({ id: 'win-1' })).toMatchObject({ status: 'error', error: { tag: 'io' } })
  })

  it('reports a recovery folder that cannot be written as an error sentence', async () => {
    writeFileSync(join(dir, 'state-file'), 'x')
    files = new ProjectFiles({ appVersion: '2.0.0-test', stateDir: join(dir, 'state-file'), projectsRoot: root })
    const out = await web()['recovery.save']({ key: 'k', name: 'n', originalPath: null, doc: sampleDoc() as never })
    if (!('error' in out)) throw new Error('expected an error')
    expectSentence(out.error)
  })

  it('forwards jobs.* to the broker', async () => {
    const { broker, calls } = stubBroker()
    const api = createApiHandlers({ host: 'web', appVersion: 'v', files, broker, projectsRoot: root })
    const req = { kind: 'ising.chain' as const, title: 'Run', interactive: true, spec: { L: 8 }, seed: 3 }
    expect(await api['jobs.start'](req)).toEqual({ jobId: 'job-7' })
    expect(await api['jobs.control']({ jobId: 'job-7', action: 'pause' })).toEqual({ ok: true })
    expect(await api['jobs.control']({ jobId: 'other', action: 'cancel' })).toEqual({ ok: false })
    expect(await api['jobs.command']({ jobId: 'job-7', command: { type: 'step', count: 2 } })).toEqual({ ok: true })
    expect(await api['jobs.snapshot']({ jobId: 'job-7' })).toEqual({ ok: true, data: { sweep: 5 } })
    expect(await api['jobs.list']()).toEqual([{ id: 'job-7', title: 'Run' }])
    expect(await api['jobs.dismiss']({ jobId: 'job-7' })).toEqual({ ok: false })
    expect(calls).toEqual([
      ['start', req],
      ['control', 'job-7', 'pause'],
      ['control', 'other', 'cancel'],
      ['command', 'job-7', { type: 'step', count: 2 }],
      ['snapshot', 'job-7'],
      ['list'],
      ['dismiss', 'job-7']
    ])
  })

  it.each([
    [8, 7],
    [2, 1],
    [1, 1],
    [0, 1]
  ])('app.info with %i cores allows %i batch jobs', async (n, jobs) => {
    cpuCount.n = n
    const info = await web()['app.info']()
    expect(info).toEqual({
      appName: 'Blockspin',
      version: '2.0.0-test',
      host: 'web',
      nativeDialogs: false,
      projectsRoot: root,
      cores: Math.max(1, n),
      maxBatchJobs: jobs,
      platform: process.platform
    })
    const desk = await desktop().api['app.info']()
    expect([desk.host, desk.nativeDialogs, desk.projectsRoot, desk.maxBatchJobs]).toEqual([
      'electron',
      true,
      null,
      jobs
    ])
  })
})
