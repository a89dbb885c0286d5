import { spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { atomicWriteFile } from '../../src-main/services/atomicWrite'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { sampleDoc } from '../shared/projectTestUtils'

/**
 * kill -9 while a project is being saved, at seeded random moments: the file always opens, as
 * the old or the new version, and the next save into the folder leaves no temporary behind.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSX = pathToFileURL(join(ROOT, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href
const KILLS = 6

let dir: string
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-kill-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** A project named `name` with 4 MB of incompressible data, so a save takes a while. */
function bigProject(name: string): Uint8Array {
  const doc = sampleDoc()
  doc.project.name = name
  const rng = xoshiro128ss(name.length)
  doc.arrays.noise = {
    dtype: '<u4',
    shape: [1 << 20],
    data: Uint32Array.from({ length: 1 << 20 }, () => rng.nextUint32())
  }
  return encodeProject(doc, '1.0.0')
}

describe('kill -9 during save', () => {
  it(`leaves the old or the new version every time (${KILLS} kills), and no temporary after the next save`, async () => {
    const target = join(dir, 'p.blockspin')
    writeFileSync(join(dir, 'a.bin'), bigProject('Version A'))
    writeFileSync(join(dir, 'b.bin'), bigProject('Version B'))
    writeFileSync(target, readFileSync(join(dir, 'a.bin')))
    const script = join(dir, 'saver.mjs')
    const atomic = JSON.stringify(pathToFileURL(join(ROOT, 'src-main/services/atomicWrite.ts')).href)
    writeFileSync(
      script,
      `
import { readFileSync } from 'node:fs'
import { atomicWriteFile } from ${atomic}
const [target, a, b] = process.argv.slice(2)
const versions = [readFileSync(a), readFileSync(b)]
process.stdout.write('saving\\n')
for (let k = 0; ; k++) await atomicWriteFile(target, versions[k % 2])
`
    )
    const rng = xoshiro128ss(0xdead)
    for (let kill = 0; kill < KILLS; kill++) {
      const child = spawn(process.execPath, ['--import', TSX, script, target, join(dir, 'a.bin'), join(dir, 'b.bin')], {
        stdio: ['ignore', 'pipe', 'inherit']
      })
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()))
      await new Promise((r) => setTimeout(r, 20 + Math.floor(rng.nextFloat() * 300)))
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await exited
      const opened = decodeProject(new Uint8Array(readFileSync(target)))
      if (!opened.ok) throw new Error(`after kill ${kill}: ${JSON.stringify(opened.error)}`)
      expect(['Version A', 'Version B']).toContain(opened.doc.project.name)
    }
    expect(await atomicWriteFile(target, readFileSync(join(dir, 'a.bin')))).toEqual({ ok: true })
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([])
  }, 120_000)
})
