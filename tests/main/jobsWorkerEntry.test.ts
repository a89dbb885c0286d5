import { readFileSync } from 'node:fs'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it } from 'vitest'
import { JobBroker } from '../../src-main/services/jobBroker'
import { defaultWorkerEntry, findPackageRoot, spawnNodeWorker } from '../../src-main/services/nodeWorker'

// The worker entry file itself: its Electron branch (process.parentPort, messages as {data}),
// its refusal to run without a parent, and how the entry is found.

/**
 * Preloaded before the worker: gives the process an Electron-style `parentPort` over Node IPC,
 * the way a utility process has one, so the worker takes its Electron branch.
 */
const fakeParentPort = `
const listeners = new Map()
process.parentPort = {
  on(event, listener) {
    const wrapped = (message) => listener({ data: message })
    listeners.set(listener, wrapped)
    process.on('message', wrapped)
  },
  removeListener(event, listener) { process.off('message', listeners.get(listener)) },
  postMessage(message) { process.send({ viaParentPort: true, message }) }
}
`

describe('worker entry', () => {
  it('speaks through process.parentPort when it has one (Electron utility process)', async () => {
    const { entry, execArgv } = defaultWorkerEntry()
    const preload = 'data:text/javascript,' + encodeURIComponent(fakeParentPort)
    const broker = new JobBroker({
      maxBatchJobs: 1,
      spawn: () => {
        const handle = spawnNodeWorker({
          entry,
          execArgv: [...execArgv, '--import', preload],
          env: { BLOCKSPIN_TEST_RUNNERS: '1' }
        })
        // Unwrap what the fake parentPort sent, checking that it was the path taken.
        const port = handle.port
        return {
          ...handle,
          port: {
            postMessage: (m) => port.postMessage(m),
            onMessage: (listener) =>
              port.onMessage((m) => {
                const wrapped = m as unknown as { viaParentPort?: boolean; message: typeof m }
                if (wrapped.viaParentPort !== true) throw new Error('the worker bypassed process.parentPort')
                listener(wrapped.message)
              })
          }
        }
      }
    })
    const spec = { spins: Int8Array.of(1, -1), e: Float64Array.of(0.5) }
    const id = broker.start({ kind: 'test.echo', title: 'echo', interactive: true, spec, seed: 1 })
    const outcome = await broker.wait(id)
    expect(outcome).toEqual({ status: 'done', result: spec })
    expect(broker.get(id)?.pid).toBeGreaterThan(0)
    await broker.shutdown()
  })

  it('refuses to run without a parent to talk to', () => {
    const { entry, execArgv } = defaultWorkerEntry()
    const run = spawnSync(process.execPath, [...execArgv, entry], { encoding: 'utf8', timeout: 8000 })
    expect(run.status).not.toBe(0)
    expect(run.stderr).toContain('The job worker must run as an Electron utility process or a Node child process')
  })

  it('finds the package root and picks the TypeScript source with the tsx loader from the sources', () => {
    const root = findPackageRoot(__dirname)
    // The checkout's top folder, whatever it is called (CI clones elsewhere).
    expect(root).toBe(join(__dirname, '..', '..'))
    expect(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).name).toBe('blockspin')
    const fromSource = defaultWorkerEntry(pathToFileURL(join(root, 'src-main/services/nodeWorker.ts')).href)
    expect(fromSource.entry).toBe(join(root, 'src-main/utility/worker.ts'))
    expect(fromSource.execArgv[0]).toBe('--import')
    expect(fromSource.execArgv[1]).toMatch(/tsx/)
  })

  it('picks out/main/worker.js when running from a build', () => {
    const fake = mkdtempSync(join(tmpdir(), 'blockspin-entry-'))
    writeFileSync(join(fake, 'package.json'), JSON.stringify({ name: 'blockspin' }))
    mkdirSync(join(fake, 'out', 'main'), { recursive: true })
    writeFileSync(join(fake, 'out', 'main', 'worker.js'), '')
    const fromBuild = defaultWorkerEntry(pathToFileURL(join(fake, 'out', 'main', 'index.js')).href)
    expect(fromBuild).toEqual({ entry: join(fake, 'out', 'main', 'worker.js'), execArgv: [] })
    expect(() => findPackageRoot(tmpdir())).toThrow(/No package.json named "blockspin"/)
  })
})
