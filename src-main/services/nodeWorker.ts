import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { HostToWorker, WorkerToHost } from '../shared/protocol'
import type { WorkerExitInfo, WorkerHandle } from './jobBroker'

/**
 * Job workers as Node child processes (web host, CLI, tests): child_process.fork of the same
 * entry file Electron runs as a utility process, with serialization 'advanced' so typed arrays
 * cross the boundary as copies. stderr is captured (a tail) to tell an out-of-memory death
 * from other exits and to say why a worker died.
 */

export interface NodeWorkerOptions {
  entry: string
  execArgv?: string[]
  /** Added to (not replacing) this process's environment. */
  env?: Record<string, string>
  /** V8 old-space limit of the worker (`--max-old-space-size`). */
  maxOldSpaceMb?: number
  /** Every line the worker writes to stdout or stderr. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void
}

const STDERR_TAIL_CHARS = 8192
const OOM_PATTERN = /heap out of memory|JavaScript heap|Reached heap limit/i

/** True when an exit looks like V8 running out of heap (it aborts: SIGABRT / status 134). */
export function looksLikeOom(code: number | null, signal: string | null, stderrTail: string): boolean {
  return OOM_PATTERN.test(stderrTail) || signal === 'SIGABRT' || code === 134
}

function forwardLines(
  stream: NodeJS.ReadableStream | null,
  onLine: (line: string) => void
): void {
  if (!stream) return
  let partial = ''
  stream.setEncoding('utf8')
  stream.on('data', (chunk: string) => {
    const lines = (partial + chunk).split(/\r?\n/)
    partial = lines.pop() ?? ''
    for (const line of lines) if (line.length > 0) onLine(line)
  })
  stream.on('end', () => {
    if (partial.length > 0) onLine(partial)
    partial = ''
  })
}

export function spawnNodeWorker(opts: NodeWorkerOptions): WorkerHandle {
  const execArgv = [...(opts.execArgv ?? [])]
  if (opts.maxOldSpaceMb !== undefined) execArgv.push(`--max-old-space-size=${opts.maxOldSpaceMb}`)
  const child: ChildProcess = fork(opts.entry, [], {
    execArgv,
    env: { ...process.env, ...opts.env },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })

  let stderrTail = ''
  const outputListeners: Array<NonNullable<NodeWorkerOptions['onOutput']>> = []
  if (opts.onOutput) outputListeners.push(opts.onOutput)
  const output = (line: string, stream: 'stdout' | 'stderr'): void => {
    for (const listener of outputListeners) listener(line, stream)
  }
  forwardLines(child.stdout, (line) => output(line, 'stdout'))
  forwardLines(child.stderr, (line) => {
    stderrTail = (stderrTail + line + '\n').slice(-STDERR_TAIL_CHARS)
    output(line, 'stderr')
  })

  let exitInfo: WorkerExitInfo | null = null
  const exitListeners: Array<(info: WorkerExitInfo) => void> = []
  const settle = (code: number | null, signal: string | null, extra?: string): void => {
    if (exitInfo) return
    if (extra) stderrTail = (stderrTail + extra + '\n').slice(-STDERR_TAIL_CHARS)
    exitInfo = { code, signal, oom: looksLikeOom(code, signal, stderrTail), stderrTail }
    for (const listener of exitListeners.splice(0)) listener(exitInfo)
  }
  // 'close' (not 'exit') comes after stdio and the IPC channel have drained, so every message
  // the worker sent is delivered before the broker hears of its death.
  child.on('close', (code, signal) => settle(code, signal))
  // Spawn failures and sends to a closed channel land here; without a listener they would throw.
  child.on('error', (error) => {
    if (child.pid === undefined) settle(null, null, `Error: ${error.message}`)
  })

  return {
    pid: child.pid ?? null,
    port: {
      postMessage(message: HostToWorker) {
        if (child.connected) child.send(message)
      },
      onMessage(listener: (message: WorkerToHost) => void) {
        const onMessage = (message: unknown): void => listener(message as WorkerToHost)
        child.on('message', onMessage)
        return () => child.off('message', onMessage)
      }
    },
    onExit(cb) {
      if (exitInfo) queueMicrotask(() => cb(exitInfo as WorkerExitInfo))
      else exitListeners.push(cb)
    },
    onOutput(cb) {
      outputListeners.push(cb)
    },
    kill() {
      if (exitInfo === null && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
  }
}

/** The folder holding the package.json whose name is "blockspin", searched upwards from `start`. */
export function findPackageRoot(start: string): string {
  let dir = start
  for (;;) {
    const manifest = join(dir, 'package.json')
    if (existsSync(manifest)) {
      try {
        if ((JSON.parse(readFileSync(manifest, 'utf8')) as { name?: unknown }).name === 'blockspin') return dir
      } catch {
        // An unreadable package.json of some other package: keep walking up.
      }
    }
    const parent = dirname(dir)
    if (parent === dir) throw new Error(`No package.json named "blockspin" above ${start}`)
    dir = parent
  }
}

/**
 * Where the worker entry is: the built `out/main/worker.js` when this code runs from the build
 * (or the sources are absent), else the TypeScript source run through tsx's loader.
 */
export function defaultWorkerEntry(fromUrl: string = import.meta.url): { entry: string; execArgv: string[] } {
  const here = fileURLToPath(fromUrl)
  const root = findPackageRoot(dirname(here))
  const built = join(root, 'out', 'main', 'worker.js')
  const source = join(root, 'src-main', 'utility', 'worker.ts')
  const runningFromBuild = here.startsWith(join(root, 'out') + sep)
  if ((runningFromBuild || !existsSync(source)) && existsSync(built)) return { entry: built, execArgv: [] }
  return { entry: source, execArgv: ['--import', tsxLoader(root)] }
}

/** tsx's loader as an absolute file URL, so the worker does not depend on its working folder. */
function tsxLoader(root: string): string {
  try {
    return pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx')).href
  } catch {
    return 'tsx'
  }
}
