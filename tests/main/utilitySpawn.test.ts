import { EventEmitter } from 'node:events'
import { PassThrough } from 'node:stream'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { HostToWorker } from '@shared/protocol'
import type { WorkerExitInfo } from '../../src-main/services/workerSupervisor'

// The Electron adapter run under Node, with a stand-in for `electron` whose utilityProcess.fork
// behaves as Electron's lib/browser/api/utility-process.ts does: stdout/stderr are PassThrough
// streams made at fork time (fed Buffers from the child's pipes), `pid` is undefined until
// 'spawn' and again after 'exit', 'error' ('FatalError', location, report) comes before 'exit'
// when V8 gives up, 'exit' carries one number, after which the streams lose their listeners and
// become null, and kill() is SIGTERM, reported as code 0.

class FakeUtilityProcess extends EventEmitter {
  #pid: number | undefined = undefined
  #stdout: PassThrough | null
  #stderr: PassThrough | null
  #ended = false
  posted: Array<{ message: HostToWorker; spawned: boolean }> = []
  kills = 0

  constructor(
    readonly modulePath: string,
    readonly args: string[],
    readonly options: { serviceName?: string; stdio?: unknown }
  ) {
    super()
    const stdio = options.stdio as string[]
    this.#stdout = stdio[1] === 'pipe' ? new PassThrough() : null
    this.#stderr = stdio[2] === 'pipe' ? new PassThrough() : null
  }

  get pid(): number | undefined {
    return this.#pid
  }
  get stdout(): PassThrough | null {
    return this.#stdout
  }
  get stderr(): PassThrough | null {
    return this.#stderr
  }

  postMessage(message: HostToWorker): void {
    if (this.#ended) return
    this.posted.push({ message: structuredClone(message), spawned: this.#pid !== undefined })
  }

  kill(): boolean {
    if (this.#ended) return false
    this.kills++
    setImmediate(() => this.exit(0)) // SIGTERM after kill() is reported as 0 (electron#44726)
    return true
  }

  // The child's side, driven by the test.
  spawn(pid: number): void {
    this.#pid = pid
    this.emit('spawn')
  }
  writeStderr(bytes: Uint8Array): void {
    this.#stderr?.write(Buffer.from(bytes))
  }
  fatalError(location: string, event: string): void {
    this.emit('error', 'FatalError', location, JSON.stringify({ header: { event, trigger: 'OOMError' } }))
  }
  exit(code: number): void {
    if (this.#ended) return
    this.#ended = true
    try {
      this.emit('exit', code)
    } finally {
      this.#pid = undefined
      this.#stdout?.removeAllListeners()
      this.#stderr?.removeAllListeners()
      this.#stdout = null
      this.#stderr = null
    }
  }
}

const forked: FakeUtilityProcess[] = []

vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, args: string[], options: { serviceName?: string; stdio?: unknown }) => {
      const child = new FakeUtilityProcess(modulePath, args, options)
      forked.push(child)
      return child
    }
  }
}))

const { spawnUtilityWorker } = await import('../../src-main/main/utilitySpawn')
const { JobBroker } = await import('../../src-main/services/jobBroker')

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const exitOf = (handle: { onExit(cb: (i: WorkerExitInfo) => void): void }): Promise<WorkerExitInfo> =>
  new Promise((resolve) => handle.onExit(resolve))

afterEach(() => {
  forked.length = 0
})

describe('spawnUtilityWorker (Electron utility process adapter)', () => {
  it('forks the entry with piped output, holds messages until spawn, and passes messages both ways', async () => {
    const handle = spawnUtilityWorker('/app/out/main/worker.js', 'job-1')
    const child = forked[0]!
    expect(child.modulePath).toBe('/app/out/main/worker.js')
    expect(child.args).toEqual([])
    expect(child.options).toEqual({ serviceName: 'Blockspin job job-1', stdio: ['ignore', 'pipe', 'pipe'] })
    expect(handle.pid).toBeNull()
    handle.port.postMessage({ v: 1, type: 'control', action: 'pause' })
    expect(child.posted).toEqual([])
    child.spawn(4321)
    expect(handle.pid).toBe(4321)
    handle.port.postMessage({ v: 1, type: 'control', action: 'resume' })
    expect(child.posted.map((p) => [p.message, p.spawned])).toEqual([
      [{ v: 1, type: 'control', action: 'pause' }, true],
      [{ v: 1, type: 'control', action: 'resume' }, true]
    ])
    const got: unknown[] = []
    const off = handle.port.onMessage((m) => got.push(m))
    child.emit('message', { v: 1, type: 'ready', pid: 4321 })
    off()
    child.emit('message', { v: 1, type: 'ready', pid: 1 })
    expect(got).toEqual([{ v: 1, type: 'ready', pid: 4321 }])
  })

  it('splits stderr into lines (a character split across chunks too) and keeps the tail', async () => {
    const handle = spawnUtilityWorker('w.js', 'job-2')
    const child = forked[0]!
    child.spawn(10)
    const lines: string[] = []
    handle.onOutput?.((line, stream) => lines.push(`${stream}: ${line}`))
    const bytes = new TextEncoder().encode('τ_int = 3\nError: bad spec.\n')
    child.writeStderr(bytes.subarray(0, 1)) // half of τ
    child.writeStderr(bytes.subarray(1))
    await tick()
    expect(lines).toEqual(['stderr: τ_int = 3', 'stderr: Error: bad spec.'])
    const exit = exitOf(handle)
    child.exit(1)
    expect(await exit).toEqual({ code: 1, signal: null, oom: false, stderrTail: 'τ_int = 3\nError: bad spec.\n' })
  })

  it("names an out-of-memory death from V8's fatal error, and a bare status 134 as a code", async () => {
    const broker = new JobBroker({ spawn: (id) => spawnUtilityWorker('w.js', id), maxBatchJobs: 2 })
    const job = { kind: 'test.count', title: 't', interactive: false, spec: { n: 1 }, seed: 1 }
    const oomJob = broker.start(job)
    const crashJob = broker.start(job)
    const [oom, crash] = forked
    oom!.spawn(11)
    crash!.spawn(12)
    oom!.fatalError('Reached heap limit', 'Allocation failed - JavaScript heap out of memory')
    oom!.exit(134)
    crash!.writeStderr(new TextEncoder().encode('Aborted (core dumped)\n'))
    await tick()
    crash!.exit(134)
    expect(await broker.wait(oomJob)).toEqual({ status: 'failed', error: 'The worker process ran out of memory.' })
    expect(await broker.wait(crashJob)).toEqual({
      status: 'failed',
      error: 'The worker process exited unexpectedly (code 134).'
    })
    await broker.shutdown()
  })

  it('kills with kill() while running, and not after exit', async () => {
    const handle = spawnUtilityWorker('w.js', 'job-3')
    const child = forked[0]!
    child.spawn(13)
    const exit = exitOf(handle)
    handle.kill()
    expect(child.kills).toBe(1)
    expect(await exit).toMatchObject({ code: 0, oom: false })
    handle.kill()
    expect(child.kills).toBe(1)
    handle.port.postMessage({ v: 1, type: 'control', action: 'cancel' })
    expect(child.posted).toEqual([])
  })
})
