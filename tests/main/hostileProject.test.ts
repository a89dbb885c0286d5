import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { strFromU8, strToU8 } from 'fflate'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/index'
import { createApiHandlers } from '../../src-main/services/api'
import type { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import type { OpenOutcome, SaveOutcome } from '@shared/contract'
import { encodeProject } from '@shared/project/codec'
import { describeProjectError } from '@shared/project/errors'
import { rawZip, zip64Extra } from '../shared/hostileZip'
import { editProjectJson, rezip, sampleDoc } from '../shared/projectTestUtils'

/** Hostile project files through the CLI's info and the web host's open and save. */

let dir: string
let root: string
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-hostile-')))
  root = join(dir, 'projects')
  mkdirSync(root)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

async function cli(...argv: string[]): Promise<{ code: number; log: string; err: string }> {
  const log: string[] = []
  const err: string[] = []
  const code = await main(argv, { log: (s) => log.push(s), err: (s) => err.push(s) })
  return { code, log: log.join('\n'), err: err.join('\n') }
}

/** A 130-byte archive whose ZIP64 field declares 65,535 bytes; reading it once threw a RangeError. */
const ZIP64_CRASHER = rawZip([
  {
    name: 'project.json',
    data: strToU8('{}'),
    size: 0xffffffff,
    compressedSize: 0xffffffff,
    localHeaderOffset: 0xffffffff,
    centralExtra: zip64Extra(0xffff)
  }
])
const CONTROL = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/

describe('blockspin info on hostile files', () => {
  it('reports a file that crashed the reader in one line, exit 2', async () => {
    const file = join(dir, 'zip64.blockspin')
    writeFileSync(file, ZIP64_CRASHER)
    const r = await cli('info', file)
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/^zip64\.blockspin: This is not a Blockspin project: .*ZIP64 extra field.*\.$/)
    expect(r.err).not.toContain('\n')
  })

  it('refuses deep unknown fields instead of overflowing the stack in --json', async () => {
    const deep = JSON.parse('['.repeat(60) + ']'.repeat(60))
    const file = join(dir, 'deep.blockspin')
    writeFileSync(
      file,
      editProjectJson(encodeProject(sampleDoc(), '1.0.0'), (json) => (json.models[0].extra = [deep, deep]))
    )
    expect((await cli('info', file, '--json')).code).toBe(0)
    const deeper = '['.repeat(100_000) + ']'.repeat(100_000)
    writeFileSync(
      file,
      rezip(encodeProject(sampleDoc(), '1.0.0'), (files) => {
        files['project.json'] = strToU8(
          strFromU8(files['project.json']!).replace('"id": "m1"', `"extra":{"b":[${deeper}]}, "id": "m1"`)
        )
      })
    )
    const r = await cli('info', file, '--json')
    expect(r.code).toBe(2)
    expect(r.err).toMatch(/nests deeper than 64 levels/)
  })

  it('prints names with terminal escape sequences escaped, in text and in --json', async () => {
    const doc = sampleDoc()
    doc.project.name = 'Evil\u001b]0;title\u0007\u001b[2J\u009b2J\u2028end'
    doc.project.models[0]!.name = 'model\rover'
    doc.project.notes = 'first\nsecond\u001b[31m'
    const file = join(dir, 'names.blockspin')
    writeFileSync(file, encodeProject(doc, '1.0.0'))
    const text = await cli('info', file)
    expect(text.code).toBe(0)
    expect(text.log).not.toMatch(CONTROL)
    expect(text.log).toContain('Evil\\u001b]0;title\\u0007\\u001b[2J\\u009b2J\\u2028end — Blockspin project')
    expect(text.log).toContain('m1  model\\u000dover:')
    expect(text.log).toContain('Notes\n  first\n  second\\u001b[31m')
    const json = await cli('info', file, '--json')
    expect(json.log).not.toMatch(CONTROL)
    expect(JSON.parse(json.log).name).toBe(doc.project.name)
  })
})

describe('the save guard covers files that crash the reader', () => {
  const stubBroker = {} as unknown as JobBroker
  const errorTag = (o: OpenOutcome | SaveOutcome) => (o.status === 'error' ? o.error.tag : o.status)

  it('a file whose reading failed is never written over (web host)', async () => {
    writeFileSync(join(root, 'z.blockspin'), ZIP64_CRASHER)
    const files = new ProjectFiles({ appVersion: '2.0.0-test', stateDir: join(dir, 'state'), projectsRoot: root })
    const api = createApiHandlers({
      host: 'web',
      appVersion: '2.0.0-test',
      files,
      broker: stubBroker,
      projectsRoot: root
    })
    expect(errorTag(await api['project.open']({ path: 'z.blockspin' }))).toBe('not-zip')
    const saved = await api['project.save']({ doc: sampleDoc(), path: 'z', saveAs: false })
    expect(saved.status === 'error' && describeProjectError(saved.error)).toMatch(/will not write over it/)
    expect(readFileSync(join(root, 'z.blockspin'))).toEqual(Buffer.from(ZIP64_CRASHER))
  })

  it('an open that throws counts as unreadable too', async () => {
    writeFileSync(join(root, 'x.blockspin'), encodeProject(sampleDoc(), '1.0.0'))
    class Crashing extends ProjectFiles {
      override async open(): Promise<OpenOutcome> {
        throw new RangeError('Offset is outside the bounds of the DataView\n    at DataView.getUint32')
      }
    }
    const files = new Crashing({ appVersion: '2.0.0-test', stateDir: join(dir, 'state'), projectsRoot: root })
    const api = createApiHandlers({
      host: 'web',
      appVersion: '2.0.0-test',
      files,
      broker: stubBroker,
      projectsRoot: root
    })
    const opened = await api['project.open']({ path: 'x.blockspin' })
    if (opened.status !== 'error') throw new Error('expected an error')
    expect(opened.path).toBe('x.blockspin')
    expect(describeProjectError(opened.error)).not.toMatch(CONTROL)
    expect(errorTag(await api['project.save']({ doc: sampleDoc(), path: 'x', saveAs: false }))).toBe('io')
    expect(readFileSync(join(root, 'x.blockspin'))).toEqual(Buffer.from(encodeProject(sampleDoc(), '1.0.0')))
  })
})
