import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { emptyProject } from '@shared/project/model'
import { createApiHandlers } from '../../src-main/services/api'
import { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectCodecPool } from '../../src-main/services/projectCodecPool'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { createWebApi, type WebApi } from '../../src-renderer/src/api/webClient'

/**
 * A page that goes away (tab closed, reload) while it opens or saves a large project: the web
 * host stops the worker thread doing it at once instead of letting it run to its time limit.
 * The codec threads here never finish a decode, nor an encode of a project named "slow", so
 * only cancelling can stop them; other encodes answer at once with three bytes.
 */
const CODEC = `
const { parentPort } = require('node:worker_threads')
parentPort.on('message', (m) => {
  if (m.op === 'encode' && m.doc.project.name !== 'slow')
    parentPort.postMessage({ id: m.id, value: { ok: true, bytes: new Uint8Array([1, 2, 3]) } })
})`

let dir: string
let pool: ProjectCodecPool
let files: ProjectFiles
let host: WebHost

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-cancel-'))
  const projects = join(dir, 'projects')
  mkdirSync(projects)
  mkdirSync(join(dir, 'renderer'))
  writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html>')
  writeFileSync(join(projects, 'big.blockspin'), new Uint8Array(1024))
  pool = new ProjectCodecPool({ timeoutMs: 60_000 }, { file: CODEC, eval: true, env: {} })
  files = new ProjectFiles({ appVersion: '0.0.0', stateDir: join(dir, 'state'), projectsRoot: projects, codec: pool })
  const broker = new JobBroker({ spawn: () => Promise.reject(new Error('no jobs here')) as never, maxBatchJobs: 1 })
  const handlers = createApiHandlers({ host: 'web', appVersion: '0.0.0', files, broker, projectsRoot: projects })
  host = await startWebHost({ handlers, subscribe: () => () => {}, rendererDir: join(dir, 'renderer'), log: () => {} })
})

afterEach(async () => {
  await host.close()
  await files.close()
  rmSync(dir, { recursive: true, force: true })
})

function page(): WebApi {
  const origin = `http://127.0.0.1:${host.port}`
  return createWebApi(new URL(host.url), {
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url, { origin })
      }
    },
    storage: null
  })
}

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms
  while (!condition() && Date.now() < end) await new Promise((r) => setTimeout(r, 10))
  return condition()
}

describe('the web host when a page’s WebSocket closes', () => {
  it('stops the worker thread of an open in flight, and the file may still be saved over', async () => {
    const first = page()
    void first['project.open']({ path: 'big.blockspin' }).catch(() => undefined)
    expect(await until(() => pool.running === 1, 10_000)).toBe(true)
    first.dispose()
    expect(await until(() => pool.running === 0, 2_000)).toBe(true)
    // Cancelled, not unreadable: another page may save under that name.
    const second = page()
    try {
      const saved = await second['project.save']({
        doc: { project: emptyProject('0.0.0', new Date()), arrays: {} } as never,
        path: 'big.blockspin',
        saveAs: false
      })
      expect(saved.status).toBe('saved')
    } finally {
      second.dispose()
    }
  })

  it('stops the encoding of a save in flight and writes nothing', async () => {
    const client = page()
    const doc = { project: { ...emptyProject('0.0.0', new Date()), name: 'slow' }, arrays: {} }
    void client['project.save']({ doc: doc as never, path: 'new.blockspin', saveAs: false }).catch(() => undefined)
    expect(await until(() => pool.running === 1, 10_000)).toBe(true)
    client.dispose()
    expect(await until(() => pool.running === 0, 2_000)).toBe(true)
    await new Promise((r) => setTimeout(r, 100))
    expect(existsSync(join(dir, 'projects', 'new.blockspin'))).toBe(false)
  })
})
