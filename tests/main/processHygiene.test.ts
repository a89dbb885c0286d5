import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { main } from '../../src-main/cli/index'
import { onStopSignal } from '../../src-main/cli/jobRun'
import { atomicWriteFile } from '../../src-main/services/atomicWrite'
import { encodeProject } from '@shared/project/codec'
import { defaultModel, emptyProject, specFromModel } from '@shared/project/model'
import type { ProjectDoc, RunV1 } from '@shared/project/types'

/** What interrupted saves and stopped commands leave behind: nothing half-done, no stale temporaries. */

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-hygiene-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

/** The id of a process that has exited and been reaped: nothing has that id now (until reuse). */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' })
  return Number(child.stdout.trim())
}

describe('stale temporaries of interrupted saves', () => {
  it('are removed when saving to their folder, if the process that wrote them is gone', async () => {
    const gone = deadPid()
    const stale = `.p.blockspin.${gone}-0123456789ab.tmp`
    const otherStale = `.other.blockspin.${gone}-abcdef012345.tmp`
    const mine = `.p.blockspin.${process.pid}-0123456789ab.tmp`
    const live = `.p.blockspin.${process.ppid}-0123456789ab.tmp`
    const unrelated = ['.p.blockspin.tmp', `.p.blockspin.${gone}.tmp`, 'notes.txt']
    for (const name of [stale, otherStale, mine, live, ...unrelated]) writeFileSync(join(dir, name), 'x')
    expect(await atomicWriteFile(join(dir, 'p.blockspin'), new Uint8Array([1, 2, 3]))).toEqual({ ok: true })
    expect(readdirSync(dir).sort()).toEqual(['p.blockspin', mine, live, ...unrelated].sort())
  })
})

describe('blockspin run', () => {
  it('does not rewrite the project when none of its runs completed', async () => {
    const project = emptyProject('0.1.0', new Date('2025-02-01T00:00:00.000Z'))
    const model = {
      ...defaultModel('m1'),
      lattice: { kind: 'square' as const, Lx: 8, Ly: 8, periodicX: true, periodicY: true }
    }
    const run: RunV1 = {
      id: 'r1',
      name: 'Broken',
      modelId: 'm1',
      kind: 'ising.chain',
      spec: specFromModel(model, 3, 50),
      status: 'pending',
      sweep: 0,
      arrays: { spins: 'r1.spins', energy: 'r1.energy', absM: 'r1.absM', rngState: 'r1.rng' },
      createdAt: '2025-02-01T00:00:00.000Z'
    }
    project.models.push(model)
    project.runs.push(run)
    // Saved spins that are not ±1: the worker refuses to resume from them.
    const doc: ProjectDoc = {
      project,
      arrays: {
        'r1.spins': { dtype: '|i1', shape: [8, 8], data: new Int8Array(64) },
        'r1.energy': { dtype: '<f8', shape: [0], data: new Float64Array(0) },
        'r1.absM': { dtype: '<f8', shape: [0], data: new Float64Array(0) },
        'r1.rng': { dtype: '<u4', shape: [4], data: Uint32Array.of(1, 2, 3, 4) }
      }
    }
    const path = join(dir, 'broken.blockspin')
    const bytes = encodeProject(doc, '0.1.0')
    writeFileSync(path, bytes)
    const log: string[] = []
    const err: string[] = []
    const code = await main(['run', path, '--out', join(dir, 'out.blockspin')], {
      log: (s) => log.push(s),
      err: (s) => err.push(s)
    })
    expect({ code, log, err }).toEqual({ code: 1, log: [], err: ['No run completed, so the project was not saved.'] })
    expect(existsSync(join(dir, 'out.blockspin'))).toBe(false)
    expect(readFileSync(path)).toEqual(Buffer.from(bytes))
  })
})

describe('onStopSignal', () => {
  it('hears SIGINT, SIGTERM and SIGHUP once, and its handlers come off', () => {
    const before = ['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))
    const heard: string[] = []
    const off = onStopSignal((signal) => heard.push(signal))
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before.map((n) => n + 1))
    process.emit('SIGTERM', 'SIGTERM')
    expect(heard).toEqual(['SIGTERM'])
    off()
    expect(['SIGINT', 'SIGTERM', 'SIGHUP'].map((s) => process.listenerCount(s))).toEqual(before)
  })
})
