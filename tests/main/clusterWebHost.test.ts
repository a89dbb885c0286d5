import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { clusterCommand } from '../../src-main/cli/cluster'
import { createClusterHandlers } from '../../src-main/services/clusterApi'
import { startWebHost, type WebHost } from '../../src-main/web/server'
import { createWebApi, type WebApi } from '../../src-renderer/src/api/webClient'
import { planMerge } from '../../src-renderer/src/logic/clusterMerge'
import type { ApiHandlers } from '@shared/contract'
import { splitItem } from '@shared/cluster/split'
import { clusterProject } from '../shared/clusterFixtures'

// The cluster calls through the web host's socket, as a page makes them: a dataset's bundle
// written, one shard run, its samples read back as typed arrays and merged by the page.
let dir: string
let root: string
let host: WebHost
let api: WebApi

beforeAll(async () => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-cluster-web-')))
  root = join(dir, 'projects')
  mkdirSync(root)
  writeFileSync(join(dir, 'index.html'), '<!doctype html>')
  host = await startWebHost({
    handlers: createClusterHandlers({ host: 'web', projectsRoot: root }) as unknown as ApiHandlers,
    subscribe: () => () => {},
    rendererDir: dir,
    log: () => {}
  })
  const origin = `http://127.0.0.1:${host.port}`
  api = createWebApi(new URL(host.url), {
    WebSocket: class extends WebSocket {
      constructor(url: string) {
        super(url, { origin })
      }
    },
    storage: null,
    minDelayMs: 20,
    maxDelayMs: 100
  })
})
afterAll(async () => {
  api.dispose()
  await host.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the cluster calls over the web host', () => {
  it('write a dataset’s bundle, read a finished shard’s samples back as typed arrays, and merge them', async () => {
    const doc = clusterProject({ samples: 80 })
    const split = splitItem(doc, 'data1', { shards: 2 })
    if ('error' in split) throw new Error(split.error)
    const slurm = { time: '00:10:00', mem: '1G', cpus: 1 }
    const out = await api['cluster.export']({
      parent: '',
      name: 'd',
      manifest: split.manifest,
      tasks: split.tasks,
      slurm
    })
    expect(out).toMatchObject({ ok: true, dir: 'd' })
    expect(await clusterCommand(['task', join(root, 'd', 'tasks', '1.json')], { log: () => {}, err: () => {} })).toBe(0)
    const read = await api['cluster.read']({ dir: 'd' })
    if (!read.ok) throw new Error(read.error)
    const result = read.units[0]!.result as { samples: Int8Array; energy: Float64Array }
    expect(result.samples).toBeInstanceOf(Int8Array)
    expect(result.energy).toBeInstanceOf(Float64Array)
    expect(result.energy).toHaveLength(40)
    expect(read.notes).toEqual(['Task 0 (shard 1 of 2 (40 samples)) has no result yet.'])
    const plan = planMerge(doc.project, doc.arrays, read)
    expect(plan.changes).toHaveLength(1)
    expect(plan.changes[0]).toMatchObject({ collection: 'datasets', record: { id: 'data1-cluster1', samples: 40 } })
    expect(Object.values(plan.changes[0]!.arrays).map((a) => a.shape)).toContainEqual([40, 8, 8])
  })

  it('refuse a folder outside the projects folder with a sentence, and a bad name before any handler runs', async () => {
    const split = splitItem(clusterProject(), 'sweep1')
    if ('error' in split) throw new Error(split.error)
    const call = { manifest: split.manifest, tasks: split.tasks, slurm: { time: '10', mem: '1G', cpus: 1 } }
    expect(await api['cluster.export']({ ...call, parent: '../..', name: 'b' })).toEqual({
      ok: false,
      error: '“../..” is not a folder inside the projects folder.'
    })
    await expect(api['cluster.export']({ ...call, parent: '', name: '../b' })).rejects.toThrow(
      /^Invalid arguments for cluster\.export: 0\.name: /
    )
    expect(await api['cluster.read']({ dir: '/etc' })).toEqual({
      ok: false,
      error: '“/etc” is not a folder inside the projects folder.'
    })
  })
})
