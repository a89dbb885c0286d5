import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import WebSocket from 'ws'
import { createApiHandlers } from '../../src-main/services/api'
import { JobBroker } from '../../src-main/services/jobBroker'
import { ProjectFiles } from '../../src-main/services/projectFiles'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { createWebApi, type WebApi } from '../../src-renderer/src/api/webClient'
import type { ProjectDoc } from '@shared/project/types'
import { emptyProject } from '@shared/project/model'

/**
 * A large project and the web host with the real project services, driven by the page's own
 * client (createWebApi over a WebSocket), for tests and the bench of saving and opening.
 */

/**
 * Dataset-like contents: 20,000 samples of 40×40 ±1 spins in domains (each spin flips sign
 * from the previous one with probability 1/8, a stand-in for samples near Kc), and float64
 * weights of a 1600 → 600 RBM with random values (which compress little): about 10 MB on disk.
 */
export function tenMegabyteDoc(samples = 20_000, N = 1600): ProjectDoc {
  let seed = 0x9e3779b9
  const next = (): number => {
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 2 ** 32
  }
  const spins = new Int8Array(samples * N)
  let s = 1
  for (let i = 0; i < spins.length; i++) {
    if (next() < 0.125) s = -s
    spins[i] = s
  }
  const weights = Float64Array.from({ length: N * 600 }, () => next() - 0.5)
  const energy = Float64Array.from({ length: samples }, () => -2 * N * next())
  const project = { ...emptyProject('0.0.0', new Date('2026-01-01T00:00:00Z')), name: 'Ten megabytes' }
  return {
    project,
    arrays: {
      'd1.samples': { dtype: '|i1', shape: [samples, N], data: spins },
      'd1.energy': { dtype: '<f8', shape: [samples], data: energy },
      't1.W': { dtype: '<f8', shape: [N, 600], data: weights }
    }
  }
}

export interface WebHostFixture {
  host: WebHost
  api: WebApi
  dir: string
  files: ProjectFiles
  close(): Promise<void>
}

/** The web host with the real project services over a temporary projects folder, and a page's client. */
export async function startProjectHost(): Promise<WebHostFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'blockspin-saveopen-'))
  const renderer = join(dir, 'renderer')
  const projects = join(dir, 'projects')
  mkdirSync(renderer)
  mkdirSync(projects)
  writeFileSync(join(renderer, 'index.html'), '<!doctype html>')
  const files = new ProjectFiles({ appVersion: '0.0.0', stateDir: join(dir, 'state'), projectsRoot: projects })
  const broker = new JobBroker({
    spawn: () => {
      throw new Error('no jobs here')
    },
    maxBatchJobs: 1
  })
  const handlers = createApiHandlers({ host: 'web', appVersion: '0.0.0', files, broker, projectsRoot: projects })
  const host = await startWebHost({ handlers, subscribe: () => () => {}, rendererDir: renderer, log: () => {} })
  const origin = `http://127.0.0.1:${host.port}`
  const api = createWebApi(new URL(host.url), {
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url, { origin })
      }
    },
    storage: null
  })
  await api['app.info']()
  return {
    host,
    api,
    dir,
    files,
    close: async () => {
      api.dispose()
      await host.close()
      await files.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}
