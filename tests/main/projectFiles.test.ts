import * as fsp from 'node:fs/promises'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { atomicWriteFile, type AtomicFs } from '../../src-main/services/atomicWrite'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { describeProjectError } from '@shared/project/errors'
import { sampleDoc, expectSentence } from '../shared/projectTestUtils'
import type { OpenOutcome } from '@shared/contract'

let dir: string
let stateDir: string
let files: ProjectFiles

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-files-'))
  stateDir = join(dir, 'state')
  files = new ProjectFiles({ appVersion: '1.0.0-test', stateDir, projectsRoot: join(dir, 'projects') })
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const failing = (code: string, message: string): Error => Object.assign(new Error(message), { code })

/** File system whose writes stop after `bytes` bytes with ENOSPC, like a disk filling up. */
function diskFullAfter(bytes: number): AtomicFs {
  return {
    ...fsp,
    open: (async (...args: Parameters<typeof fsp.open>) => {
      const handle = await fsp.open(...args)
      handle.writeFile = async (data: unknown) => {
        await handle.write((data as Uint8Array).subarray(0, bytes))
        throw failing('ENOSPC', 'ENOSPC: no space left on device, write')
      }
      return handle
    }) as typeof fsp.open
  }
}

async function leftovers(folder: string): Promise<string[]> {
  return (await fsp.readdir(folder)).filter((name) => name.endsWith('.tmp'))
}

function opened(outcome: OpenOutcome): Extract<OpenOutcome, { status: 'opened' }> {
  if (outcome.status !== 'opened') throw new Error(`expected opened, got ${JSON.stringify(outcome)}`)
  return outcome
}

describe('save and open', () => {
  it('saves to a new path and opens it again with the same content', async () => {
    const path = join(dir, 'first.blockspin')
    expect(await files.save(path, sampleDoc())).toEqual({ status: 'saved', path, name: 'first' })
    const back = opened(await files.open(path))
    expect(back.name).toBe('first')
    expect(back.doc.project.appVersion).toBe('1.0.0-test')
    expect(Array.from(back.doc.arrays['r1.spins'].data)).toEqual(Array.from(sampleDoc().arrays['r1.spins'].data))
    expect(await leftovers(dir)).toEqual([])
  })

  it('replaces an existing file and keeps its permissions', async () => {
    const path = join(dir, 'p.blockspin')
    await files.save(path, sampleDoc())
    await fsp.chmod(path, 0o600)
    const doc = sampleDoc()
    doc.project.name = 'Second version'
    expect((await files.save(path, doc)).status).toBe('saved')
    expect(opened(await files.open(path)).doc.project.name).toBe('Second version')
    expect((await fsp.stat(path)).mode & 0o777).toBe(0o600)
  })

  it('leaves the old file intact and removes the temporary when the disk fills mid-write', async () => {
    const path = join(dir, 'p.blockspin')
    await files.save(path, sampleDoc())
    const before = await fsp.readFile(path)
    const broken = new ProjectFiles({ appVersion: '1.0.0-test', stateDir, projectsRoot: dir, fs: diskFullAfter(100) })
    const doc = sampleDoc()
    doc.project.name = 'Never written'
    const outcome = await broken.save(path, doc)
    expect(outcome).toEqual({ status: 'error', path, error: { tag: 'io', detail: 'the disk is full' } })
    if (outcome.status === 'error') expectSentence(describeProjectError(outcome.error))
    expect((await fsp.readFile(path)).equals(before)).toBe(true)
    expect(await leftovers(dir)).toEqual([])
  })

  it('leaves the old file intact when the final rename fails', async () => {
    const path = join(dir, 'p.blockspin')
    await files.save(path, sampleDoc())
    const before = await fsp.readFile(path)
    const fs: AtomicFs = {
      ...fsp,
      rename: async () => {
        throw failing('EXDEV', 'cross-device link not permitted')
      }
    }
    const outcome = await new ProjectFiles({ appVersion: 'x', stateDir, projectsRoot: dir, fs }).save(path, sampleDoc())
    expect(outcome.status).toBe('error')
    expect((await fsp.readFile(path)).equals(before)).toBe(true)
    expect(await leftovers(dir)).toEqual([])
  })

  it('reports a missing folder and a folder in the way, writing nothing', async () => {
    const missing = await files.save(join(dir, 'no', 'such', 'p.blockspin'), sampleDoc())
    expect(missing).toMatchObject({ status: 'error', error: { tag: 'io', detail: 'the folder does not exist' } })
    const folder = join(dir, 'taken.blockspin')
    await fsp.mkdir(folder)
    expect(await files.save(folder, sampleDoc())).toMatchObject({ status: 'error', error: { tag: 'io' } })
    expect((await fsp.stat(folder)).isDirectory()).toBe(true)
    expect(await leftovers(dir)).toEqual([])
  })

  it('never writes a project it could not open again', async () => {
    const doc = sampleDoc()
    doc.project.runs[0].modelId = 'missing-model'
    const path = join(dir, 'bad.blockspin')
    const outcome = await files.save(path, doc)
    expect(outcome).toMatchObject({ status: 'error', error: { tag: 'invalid' } })
    await expect(fsp.stat(path)).rejects.toMatchObject({ code: 'ENOENT' })
    const mismatched = sampleDoc()
    mismatched.arrays['r1.spins'].dtype = '<f8'
    expect(await files.save(path, mismatched)).toMatchObject({ status: 'error', error: { tag: 'invalid' } })
  })

  it('reports a missing file as "no such file", never throwing', async () => {
    const outcome = await files.open(join(dir, 'ghost.blockspin'))
    expect(outcome).toMatchObject({ status: 'error', error: { tag: 'io', detail: 'no such file' } })
    if (outcome.status === 'error')
      expect(describeProjectError(outcome.error)).toBe('The file could not be read or written: no such file.')
    expect(await files.open(dir)).toMatchObject({
      status: 'error',
      error: { tag: 'io', detail: 'it is a folder, not a file' }
    })
  })

  it('opens a corrupt file as an error without modifying it or listing it as recent', async () => {
    const path = join(dir, 'corrupt.blockspin')
    await files.save(join(dir, 'good.blockspin'), sampleDoc())
    const good = await fsp.readFile(join(dir, 'good.blockspin'))
    const corrupt = good.subarray(0, good.length - 30)
    await fsp.writeFile(path, corrupt)
    const stampBefore = (await fsp.stat(path)).mtimeMs
    const outcome = await files.open(path)
    expect(outcome).toMatchObject({ status: 'error', path, error: { tag: 'not-zip' } })
    expect((await fsp.readFile(path)).equals(corrupt)).toBe(true)
    expect((await fsp.stat(path)).mtimeMs).toBe(stampBefore)
    expect((await files.recent()).map((r) => r.path)).not.toContain(path)
  })
})

describe('recent list', () => {
  it('is most recent first, without duplicates, at most ten, with existence checked', async () => {
    for (let k = 0; k < 12; k++) await files.save(join(dir, `p${k}.blockspin`), sampleDoc())
    await files.open(join(dir, 'p5.blockspin'))
    const list = await files.recent()
    expect(list).toHaveLength(10)
    expect(list.map((r) => r.name)).toEqual(['p5', 'p11', 'p10', 'p9', 'p8', 'p7', 'p6', 'p4', 'p3', 'p2'])
    expect(list.every((r) => r.exists)).toBe(true)
    await fsp.unlink(join(dir, 'p11.blockspin'))
    expect((await files.recent())[1]).toEqual({ path: join(dir, 'p11.blockspin'), name: 'p11', exists: false })
    await files.removeRecent(join(dir, 'p11.blockspin'))
    expect((await files.recent()).map((r) => r.name).slice(0, 2)).toEqual(['p5', 'p10'])
  })

  it('records concurrent additions without losing any, and survives a damaged recent.json', async () => {
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => files.addRecent(join(dir, `${n}.blockspin`))))
    expect((await files.recent()).map((r) => r.name).sort()).toEqual(['a', 'b', 'c', 'd'])
    await fsp.writeFile(join(stateDir, 'recent.json'), '{not json')
    expect(await files.recent()).toEqual([])
    await files.addRecent(join(dir, 'e.blockspin'))
    expect((await files.recent()).map((r) => r.name)).toEqual(['e'])
  })
})

describe('recovery', () => {
  it('round-trips unsaved work and lists it newest first', async () => {
    const doc = sampleDoc()
    doc.project.notes = 'unsaved edits'
    // The clock, not the wall clock, tells the two saves apart.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2025-03-01T10:00:00Z') })
    try {
      await files.recoverySave('window-1', 'Untitled', null, doc)
      vi.setSystemTime(Date.parse('2025-03-01T10:00:01Z'))
      await files.recoverySave('window-2', 'Experiment', join(dir, 'exp.blockspin'), sampleDoc())
    } finally {
      vi.useRealTimers()
    }
    const list = await files.recoveryList()
    expect(list.map((e) => [e.id, e.name, e.originalPath])).toEqual([
      ['window-2', 'Experiment', join(dir, 'exp.blockspin')],
      ['window-1', 'Untitled', null]
    ])
    const back = opened(await files.recoveryLoad('window-1'))
    expect(back.name).toBe('Untitled')
    expect(back.doc.project.notes).toBe('unsaved edits')
    expect(Array.from(back.doc.arrays.counts.data)).toEqual([-2147483648, 2147483647])
    await files.recoveryDiscard('window-1')
    expect((await files.recoveryList()).map((e) => e.id)).toEqual(['window-2'])
    expect(await files.recoveryLoad('window-1')).toMatchObject({ status: 'error', error: { tag: 'io' } })
    expect(await leftovers(join(stateDir, 'recovery'))).toEqual([])
  })

  it('replaces the slot of the same key and hashes keys that are not safe file names', async () => {
    await files.recoverySave('../../etc/passwd', 'A', null, sampleDoc())
    await files.recoverySave('../../etc/passwd', 'B', null, sampleDoc())
    const list = await files.recoveryList()
    expect(list).toHaveLength(1)
    expect(list[0].id).toBe(ProjectFiles.recoveryId('../../etc/passwd'))
    expect(list[0].id).toMatch(/^k[0-9a-f]{32}$/)
    expect(list[0].name).toBe('B')
    expect(await files.recoveryLoad('../../etc/passwd')).toMatchObject({ status: 'error' })
    await files.recoveryDiscard('../state/recent')
    expect(opened(await files.recoveryLoad(list[0].id)).name).toBe('B')
  })

  it('rejects with a readable error when the recovery folder cannot be written', async () => {
    const broken = new ProjectFiles({ appVersion: 'x', stateDir, projectsRoot: dir, fs: diskFullAfter(10) })
    await expect(broken.recoverySave('k', 'n', null, sampleDoc())).rejects.toThrow(
      'Unsaved work could not be kept for recovery: the disk is full.'
    )
    expect(await broken.recoveryList()).toEqual([])
  })
})

describe('atomicWriteFile and default folders', () => {
  it('writes bytes others can use', async () => {
    const path = join(dir, 'notes.json')
    expect(await atomicWriteFile(path, new TextEncoder().encode('{"a":1}'))).toEqual({ ok: true })
    expect(await fsp.readFile(path, 'utf8')).toBe('{"a":1}')
  })

  it('follows each platform’s conventions', async () => {
    const home = join(dir, 'home')
    expect(ProjectFiles.defaultStateDir({}, 'linux', home)).toBe(join(home, '.config', 'Blockspin'))
    expect(ProjectFiles.defaultStateDir({ XDG_CONFIG_HOME: '/xdg' }, 'linux', home)).toBe(join('/xdg', 'Blockspin'))
    expect(ProjectFiles.defaultStateDir({ BLOCKSPIN_STATE_DIR: '/s' }, 'linux', home)).toBe('/s')
    expect(ProjectFiles.defaultStateDir({}, 'darwin', home)).toBe(
      join(home, 'Library', 'Application Support', 'Blockspin')
    )
    expect(ProjectFiles.defaultStateDir({ APPDATA: '/roaming' }, 'win32', home)).toBe(join('/roaming', 'Blockspin'))
    // No Documents folder yet: fall back to the home folder.
    expect(ProjectFiles.defaultProjectsRoot({}, 'linux', home)).toBe(join(home, 'Blockspin'))
    await fsp.mkdir(join(home, 'Documents'), { recursive: true })
    expect(ProjectFiles.defaultProjectsRoot({}, 'linux', home)).toBe(join(home, 'Documents', 'Blockspin'))
    expect(ProjectFiles.defaultProjectsRoot({}, 'darwin', home)).toBe(join(home, 'Documents', 'Blockspin'))
    expect(ProjectFiles.defaultProjectsRoot({ USERPROFILE: home }, 'win32', '/elsewhere')).toBe(
      join(home, 'Documents', 'Blockspin')
    )
    await fsp.mkdir(join(home, '.config'), { recursive: true })
    await fsp.mkdir(join(home, 'Dokumente'))
    await fsp.writeFile(
      join(home, '.config', 'user-dirs.dirs'),
      'XDG_DESKTOP_DIR="$HOME/Desktop"\nXDG_DOCUMENTS_DIR="$HOME/Dokumente"\n'
    )
    expect(ProjectFiles.defaultProjectsRoot({}, 'linux', home)).toBe(join(home, 'Dokumente', 'Blockspin'))
    expect(files.projectsRoot()).toBe(join(dir, 'projects'))
  })
})
