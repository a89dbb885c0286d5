import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { HostToWorker, WorkerToHost } from '@shared/protocol'
import {
  STDERR_TAIL_CHARS,
  diedOutOfMemory,
  superviseWorker,
  type ProcessExit,
  type WorkerExitInfo,
  type WorkerProcess
} from '../../src-main/services/workerSupervisor'

// The supervisor over a process the test drives by hand (the adapters for real processes are
// tested in jobsProcess.test.ts and utilitySpawn.test.ts).

interface HandProcess extends WorkerProcess {
  out: PassThrough
  err: PassThrough
  sent: HostToWorker[]
  killed: number
  running: boolean
  end(exit: ProcessExit): void
}

function handProcess(pid = 77): HandProcess {
  const exits: Array<(exit: ProcessExit) => void> = []
  const out = new PassThrough()
  const err = new PassThrough()
  const proc: HandProcess = {
    pid,
    out,
    err,
    sent: [],
    killed: 0,
    running: true,
    stdout: out,
    stderr: err,
    postMessage: (m) => proc.sent.push(m),
    onMessage: () => () => {},
    onExit: (listener) => exits.push(listener),
    kill: () => void proc.killed++,
    end(exit) {
      proc.running = false
      for (const listener of exits) listener(exit)
    }
  }
  return proc
}

const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('diedOutOfMemory', () => {
  it("is decided by V8's own messages, not by a signal or status", () => {
    const v8 = [
      'FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory',
      'FATAL ERROR: Ineffective mark-compacts near heap limit Allocation failed - JavaScript heap out of memory',
      'FATAL ERROR: CALL_AND_RETRY_LAST Allocation failed - process out of memory',
      '# Fatal JavaScript out of memory: Reached heap limit',
      '# Fatal process out of memory: Zone'
    ]
    for (const line of v8) expect(diedOutOfMemory(`<--- Last few GCs --->\n${line}\n`), line).toBe(true)
    const other = [
      'Aborted (core dumped)',
      "node: ../src/node.cc:123: Assertion `args[0]->IsString()' failed.",
      'RangeError: Array buffer allocation failed',
      ''
    ]
    for (const line of other) expect(diedOutOfMemory(line), line).toBe(false)
  })
})

describe('superviseWorker', () => {
  it('splits output into lines, keeps the stderr tail and reports one exit', async () => {
    const proc = handProcess()
    const lines: string[] = []
    const handle = superviseWorker(proc, { onOutput: (line, stream) => lines.push(`${stream}: ${line}`) })
    expect(handle.pid).toBe(77)
    proc.out.write('hello ')
    proc.out.write('world\nsecond\n')
    proc.err.write('Error: first\r\nError: sec')
    proc.err.end('ond')
    await tick()
    expect(lines).toEqual(['stdout: hello world', 'stdout: second', 'stderr: Error: first', 'stderr: Error: second'])
    const exits: WorkerExitInfo[] = []
    handle.onExit((info) => exits.push(info))
    proc.end({ code: 1, signal: null })
    proc.end({ code: 2, signal: null })
    expect(exits).toEqual([{ code: 1, signal: null, oom: false, stderrTail: 'Error: first\nError: second\n' }])
    // A listener that comes late still hears of it.
    const late = await new Promise<WorkerExitInfo>((resolve) => handle.onExit(resolve))
    expect(late).toBe(exits[0])
  })

  it('names an out-of-memory death from the tail, and a spawn error note ends the tail', async () => {
    const oom = handProcess()
    const handle = superviseWorker(oom)
    oom.err.write(
      '\n<--- Last few GCs --->\nFATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n'
    )
    await tick()
    const info = new Promise<WorkerExitInfo>((resolve) => handle.onExit(resolve))
    oom.end({ code: null, signal: 'SIGABRT' })
    expect(await info).toMatchObject({ signal: 'SIGABRT', oom: true })

    const aborted = handProcess()
    const other = superviseWorker(aborted)
    const abortInfo = new Promise<WorkerExitInfo>((resolve) => other.onExit(resolve))
    aborted.end({ code: null, signal: 'SIGABRT' })
    expect(await abortInfo).toMatchObject({ signal: 'SIGABRT', oom: false })

    const unborn = handProcess()
    const failed = superviseWorker(unborn)
    const spawnInfo = new Promise<WorkerExitInfo>((resolve) => failed.onExit(resolve))
    unborn.end({ code: null, signal: null, note: 'Error: spawn ENOENT' })
    expect(await spawnInfo).toMatchObject({ oom: false, stderrTail: 'Error: spawn ENOENT\n' })
  })

  it('keeps only the last 8 KB of stderr', async () => {
    const proc = handProcess()
    const handle = superviseWorker(proc)
    for (let i = 0; i < 2000; i++) proc.err.write(`line ${i}\n`)
    await tick()
    const info = new Promise<WorkerExitInfo>((resolve) => handle.onExit(resolve))
    proc.end({ code: 1, signal: null })
    const tail = (await info).stderrTail as string
    expect(tail.length).toBe(STDERR_TAIL_CHARS)
    expect(tail.endsWith('line 1999\n')).toBe(true)
  })

  it('kills a running process once, and not after it ended', () => {
    const proc = handProcess()
    const handle = superviseWorker(proc)
    handle.kill()
    expect(proc.killed).toBe(1)
    proc.end({ code: null, signal: 'SIGKILL' })
    handle.kill()
    expect(proc.killed).toBe(1)
  })

  it('passes messages both ways through the adapter', () => {
    const proc = handProcess()
    const listeners: Array<(m: WorkerToHost) => void> = []
    proc.onMessage = (listener) => (listeners.push(listener), () => listeners.splice(listeners.indexOf(listener), 1))
    const handle = superviseWorker(proc)
    const got: WorkerToHost[] = []
    const off = handle.port.onMessage((m) => got.push(m))
    listeners.forEach((l) => l({ v: 1, type: 'ready', pid: 77 }))
    off()
    listeners.forEach((l) => l({ v: 1, type: 'ready', pid: 78 }))
    expect(got).toEqual([{ v: 1, type: 'ready', pid: 77 }])
    handle.port.postMessage({ v: 1, type: 'control', action: 'pause' })
    expect(proc.sent).toEqual([{ v: 1, type: 'control', action: 'pause' }])
  })
})
