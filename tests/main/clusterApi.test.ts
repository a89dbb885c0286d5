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
import { clusterCommand } from '../../src-main/cli/cluster'
import { createClusterHandlers, sbatchOnPath, type SlurmCommands } from '../../src-main/services/clusterApi'
import { appCommand, slurmCommands } from '../../src-main/services/clusterSlurm'
import type { CommandRunner } from '../../src-main/cluster/slurm'
import type { BundleManifest, BundleTask } from '@shared/cluster/bundle'
import { splitItem } from '@shared/cluster/split'
import { toBundleJson } from '@shared/cluster/json'
import { validateInput, type ApiHandlers } from '@shared/contract'
import { clusterProject } from '../shared/clusterFixtures'
import { fakeFrame } from './electronFake'

// The IPC layer under Node with the `electron` stand-in, as the other handlers are tested.
vi.mock('electron', async () => (await import('./electronFake')).electronFake)
const { ipcCallHandler } = await import('../../src-main/main/security')
const { createMainWindow } = await import('../../src-main/main/window')

let dir: string
let root: string
beforeEach(() => {
  dir = realpathSync(mkdtempSync(join(tmpdir(), 'blockspin-cluster-api-')))
  root = join(dir, 'projects')
  mkdirSync(join(root, 'bundles'), { recursive: true })
  mkdirSync(join(dir, 'outside'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function sweepBundle(opts: { Ks?: number[] } = {}): { manifest: BundleManifest; tasks: BundleTask[] } {
  const split = splitItem(clusterProject({ Ls: [4], Ks: opts.Ks ?? [0.2, 0.4], sweeps: 200 }), 'sweep1')
  if ('error' in split) throw new Error(split.error)
  return { manifest: split.manifest, tasks: split.tasks }
}
const slurm = { time: '00:10:00', mem: '500M', cpus: 1 }
const exportCall = (parent: string, name = 'b1', bundle = sweepBundle()) => ({ parent, name, ...bundle, slurm })

describe('the cluster calls in a browser (web host)', () => {
  const web = () => createClusterHandlers({ host: 'web', projectsRoot: root })

  it('writes the bundle inside the projects folder, and reads back one sentence per task with no result', async () => {
    const h = web()
    const out = await h['cluster.export'](exportCall('bundles'))
    if (!out.ok) throw new Error(out.error)
    expect(out).toMatchObject({ dir: 'bundles/b1', fullPath: join(root, 'bundles', 'b1') })
    expect(out.slurm.available).toBe(false)
    for (const f of ['bundle.json', 'tasks/0.json', 'tasks/1.json', 'blockspin-array.sbatch', 'README.md'])
      expect(existsSync(join(root, 'bundles', 'b1', f)), f).toBe(true)
    expect(readFileSync(join(root, 'bundles/b1/blockspin-array.sbatch'), 'utf8')).toContain('#SBATCH --time=00:10:00')
    const read = await h['cluster.read']({ dir: 'bundles/b1' })
    if (!read.ok) throw new Error(read.error)
    expect(read.units).toEqual([])
    expect(read.notes).toEqual([
      'Task 0 (L = 4, K = 0.2) has no result yet.',
      'Task 1 (L = 4, K = 0.4) has no result yet.'
    ])
  })

  it('reads a finished task’s points for the renderer to merge', async () => {
    const h = web()
    expect((await h['cluster.export'](exportCall(''))).ok).toBe(true)
    const code = await clusterCommand(['task', join(root, 'b1', 'tasks', '1.json')], { log: () => {}, err: () => {} })
    expect(code).toBe(0)
    const read = await h['cluster.read']({ dir: 'b1' })
    if (!read.ok) throw new Error(read.error)
    expect(read.units.map((u) => u.unit)).toEqual([1])
    expect(read.notes).toEqual(['Task 0 (L = 4, K = 0.2) has no result yet.'])
  })

  it('refuses folders outside the projects folder, by .., absolute path or symlink', async () => {
    const h = web()
    symlinkSync(join(dir, 'outside'), join(root, 'link'))
    for (const parent of ['..', '../outside', join(dir, 'outside'), 'link']) {
      const out = await h['cluster.export'](exportCall(parent))
      expect(out, parent).toEqual({
        ok: false,
        error: expect.stringContaining('is not a folder inside the projects folder')
      })
    }
    expect(existsSync(join(dir, 'outside', 'b1'))).toBe(false)
    expect(await h['cluster.read']({ dir: '../outside' })).toMatchObject({ ok: false })
    expect(await h['cluster.status']({ dir: '/etc' })).toMatchObject({ ok: false })
    expect(await h['cluster.chooseFolder']({ purpose: 'merge' })).toEqual({
      error: 'The browser chooses folders in its own picker.'
    })
  })

  it('refuses Slurm options the CLI refuses, and tasks that are not the manifest’s', async () => {
    const h = web()
    const bad = await h['cluster.export']({ ...exportCall(''), slurm: { ...slurm, time: '1h; rm -rf ~' } })
    expect(bad).toEqual({
      ok: false,
      error: '--time takes a Slurm time such as 90, 01:30:00 or 2-00:00:00, not "1h; rm -rf ~".'
    })
    const b = sweepBundle()
    const other = sweepBundle({ Ks: [0.3, 0.5] })
    const mixed = await h['cluster.export'](exportCall('', 'b2', { manifest: b.manifest, tasks: other.tasks }))
    expect(mixed).toEqual({ ok: false, error: 'The bundle was not written: task 0 is not this bundle’s task 0.' })
    const short = await h['cluster.export'](exportCall('', 'b3', { manifest: b.manifest, tasks: b.tasks.slice(1) }))
    expect(short).toEqual({
      ok: false,
      error: 'The bundle was not written: the bundle names 2 tasks but 1 were given.'
    })
    expect(existsSync(join(root, 'b2')) || existsSync(join(root, 'b3'))).toBe(false)
  })

  it('writes a bundle’s own files under data/ and nowhere else', async () => {
    const h = web()
    const out = await h['cluster.export']({ ...exportCall(''), files: [{ path: 'data/samples.json', text: '{}\n' }] })
    expect(out.ok).toBe(true)
    expect(readFileSync(join(root, 'b1', 'data', 'samples.json'), 'utf8')).toBe('{}\n')
    const { writeBundle } = await import('../../src-main/services/clusterBundle')
    const stray = await writeBundle(
      join(root, 'b9'),
      { ...sweepBundle(), files: [{ path: 'tasks/0.json', text: '' }] },
      slurm
    )
    expect(stray).toMatchObject({ ok: false, error: 'A bundle\'s own files go under data/, not "tasks/0.json".' })
    expect(existsSync(join(root, 'b9'))).toBe(false)
  })

  it('leaves a folder holding another bundle alone and names a free one beside it', async () => {
    const h = web()
    expect((await h['cluster.export'](exportCall(''))).ok).toBe(true)
    const again = await h['cluster.export'](exportCall('', 'b1', sweepBundle({ Ks: [0.1] })))
    expect(again).toEqual({
      ok: false,
      error: 'b1 holds another bundle, left alone: write it as b1-2, or choose another name or folder.',
      suggestedName: 'b1-2'
    })
    mkdirSync(join(root, 'b1-2'))
    const third = await h['cluster.export'](exportCall('', 'b1', sweepBundle({ Ks: [0.2] })))
    expect(third).toMatchObject({ ok: false, suggestedName: 'b1-3' })
    expect((await h['cluster.export'](exportCall('', 'b1-3', sweepBundle({ Ks: [0.2] })))).ok).toBe(true)
  })

  it('treats a hostile bundle as the CLI does: a damaged task stops the merge, damaged results are left out', async () => {
    const h = web()
    expect((await h['cluster.export'](exportCall(''))).ok).toBe(true)
    const b = join(root, 'b1')
    writeFileSync(join(b, 'results', '0.json'), '{"format": "blockspin-cluster-result", "units": [')
    writeFileSync(
      join(b, 'results', '1.json'),
      toBundleJson({ format: 'blockspin-cluster-result', version: 1, kind: 'sweep', bundleId: '0123456789abcdef' })
    )
    const read = await h['cluster.read']({ dir: 'b1' })
    if (!read.ok) throw new Error(read.error)
    expect(read.units).toEqual([])
    expect(read.notes[0]).toMatch(/^results\/0\.json: left out, it is not complete bundle JSON \(truncated or damaged/)
    expect(read.notes[1]).toMatch(/^results\/1\.json: left out, it is not a result/)
    writeFileSync(join(b, 'tasks', '1.json'), '{"$typed": "Function", "b64": "AAAA"}')
    const refused = await h['cluster.read']({ dir: 'b1' })
    expect(refused).toEqual({
      ok: false,
      error: expect.stringMatching(/^tasks\/1\.json: .*; the bundle cannot be merged\.$/)
    })
    writeFileSync(join(b, 'bundle.json'), 'x'.repeat(100))
    expect(await h['cluster.read']({ dir: 'b1' })).toEqual({
      ok: false,
      error: expect.stringContaining('bundle.json: it is not complete bundle JSON')
    })
  })
})

describe('the cluster calls on the desktop', () => {
  const chosen: string[] = []
  const desktop = (slurmCommands?: SlurmCommands, path = '') =>
    createClusterHandlers({
      host: 'electron',
      chooseFolder: async () => chosen.shift() ?? null,
      path,
      ...(slurmCommands ? { slurm: slurmCommands } : {})
    })

  it('uses only folders its own dialog chose or its export wrote', async () => {
    const h = desktop()
    const out = join(dir, 'outside')
    expect(await h['cluster.export'](exportCall(out))).toEqual({
      ok: false,
      error: 'Choose the folder with Choose… first: Blockspin uses only folders chosen in its dialog.'
    })
    expect(await h['cluster.read']({ dir: out })).toMatchObject({ ok: false })
    chosen.push(out)
    expect(await h['cluster.chooseFolder']({ purpose: 'export' })).toEqual({ path: out })
    const written = await h['cluster.export'](exportCall(out))
    expect(written).toMatchObject({ ok: true, dir: join(out, 'b1') })
    expect(await h['cluster.read']({ dir: join(out, 'b1') })).toMatchObject({ ok: true })
    // A relative path or another folder next to it is still refused.
    expect(await h['cluster.read']({ dir: 'b1' })).toMatchObject({ ok: false })
    expect(await h['cluster.read']({ dir: join(out, 'b1', '..', '..') })).toMatchObject({ ok: false })
    expect(await h['cluster.chooseFolder']({ purpose: 'merge' })).toEqual({ canceled: true })
  })

  it('offers Submit only where sbatch is on PATH, and hands the folder to the Slurm commands', async () => {
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    expect(await sbatchOnPath(bin)).toBe(false)
    writeFileSync(join(bin, 'sbatch'), '#!/bin/sh\n', { mode: 0o755 })
    expect(await sbatchOnPath(`relative:${bin}`)).toBe(true)
    const submitted: string[] = []
    const commands: SlurmCommands = {
      submit: async (d) => (submitted.push(d), { ok: true, message: `Submitted ${d} as job 42.`, jobId: '42' }),
      status: async () => ({
        ok: true,
        state: {
          counts: [{ state: 'pending', count: 2, tasks: '0-1' }],
          failed: [],
          notes: [],
          jobId: '42',
          results: 0,
          tasks: 2,
          complete: false,
          settled: false
        }
      })
    }
    chosen.push(dir)
    const without = desktop(commands, join(dir, 'nothing'))
    await without['cluster.chooseFolder']({ purpose: 'export' })
    const a = await without['cluster.export'](exportCall(dir, 'a'))
    expect(a).toMatchObject({
      ok: true,
      slurm: { available: false, reason: 'sbatch is not on this computer’s PATH: copy the folder to the cluster.' }
    })
    expect(await without['cluster.submit']({ dir: join(dir, 'a') })).toMatchObject({ ok: false })
    expect(submitted).toEqual([])
    chosen.push(dir)
    const withSbatch = desktop(commands, bin)
    await withSbatch['cluster.chooseFolder']({ purpose: 'export' })
    expect(await withSbatch['cluster.export'](exportCall(dir, 'b'))).toMatchObject({
      ok: true,
      slurm: { available: true }
    })
    expect(await withSbatch['cluster.submit']({ dir: join(dir, 'b') })).toEqual({
      ok: true,
      message: `Submitted ${join(dir, 'b')} as job 42.`,
      jobId: '42'
    })
    expect(await withSbatch['cluster.status']({ dir: join(dir, 'b') })).toMatchObject({
      ok: true,
      state: { jobId: '42' }
    })
    expect(await withSbatch['cluster.submit']({ dir: join(dir, 'a') })).toMatchObject({ ok: false })
    expect(submitted).toEqual([join(dir, 'b')])
  })

  it('answers over IPC only the page’s own frame, with payloads checked against the contract', async () => {
    const handlers = createClusterHandlers({ host: 'web', projectsRoot: root }) as unknown as ApiHandlers
    createMainWindow({ preload: '/app/out/preload/index.cjs', rendererDir: '/app/out/renderer' })
    const answer = ipcCallHandler(handlers)
    const page = { senderFrame: fakeFrame('file:///app/out/renderer/index.html') } as never
    const evil = { senderFrame: fakeFrame('https://evil.example/') } as never
    await expect(answer(evil, 'cluster.export', [exportCall('')])).rejects.toThrow('untrusted frame')
    await expect(answer(page, 'cluster.export', [exportCall('', '../b1')])).rejects.toThrow(
      'Invalid arguments for cluster.export: 0.name:'
    )
    expect(validateInput('cluster.read', [{ dir: 'b1' }]).ok).toBe(true)
    await expect(answer(page, 'cluster.export', [exportCall('')])).resolves.toMatchObject({ ok: true })
    expect(existsSync(join(root, 'b1', 'bundle.json'))).toBe(true)
  })
})

describe('Submit and the array’s state in the app', () => {
  it('runs sbatch in the bundle’s folder once, and reads the tasks’ state from squeue and the result files', async () => {
    const calls: string[][] = []
    const envs: (NodeJS.ProcessEnv | undefined)[] = []
    const run: CommandRunner = async (program, args, options) => {
      calls.push([program, ...args, `cwd=${options.cwd}`])
      envs.push(options.env)
      if (program === 'sbatch') return { status: 0, stdout: '42\n', stderr: '', notFound: false }
      if (program === 'squeue') return { status: 0, stdout: '42_1|PENDING|Priority\n', stderr: '', notFound: false }
      return { status: null, stdout: '', stderr: '', notFound: true }
    }
    const h = createClusterHandlers({ host: 'web', projectsRoot: root })
    expect((await h['cluster.export'](exportCall(''))).ok).toBe(true)
    const code = await clusterCommand(['task', join(root, 'b1', 'tasks', '0.json')], { log: () => {}, err: () => {} })
    expect(code).toBe(0)
    const slurm = slurmCommands({ run, blockspin: appCommand('/usr/bin/node', '/opt/blockspin') })
    const b = join(root, 'b1')
    expect(await slurm.submit(b)).toMatchObject({ ok: true, jobId: '42' })
    expect(calls[0]).toEqual(['sbatch', '--parsable', 'blockspin-array.sbatch', `cwd=${b}`])
    expect(envs[0]?.['BLOCKSPIN']).toBe(process.env['BLOCKSPIN'] ?? '/usr/bin/node /opt/blockspin/bin/blockspin.mjs')
    expect(await slurm.submit(b)).toMatchObject({
      ok: false,
      message: expect.stringContaining('already submitted as job 42')
    })
    const state = await slurm.status(b)
    if (!state.ok) throw new Error(state.error)
    expect(state.state).toMatchObject({ jobId: '42', results: 1, tasks: 2, complete: false, settled: false })
    expect(state.state.counts).toEqual([
      { state: 'done', count: 1, tasks: '0' },
      { state: 'pending', count: 1, tasks: '1' }
    ])
    expect(state.state.failed).toEqual([])
  })
})
