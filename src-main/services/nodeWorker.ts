import { fork, type ChildProcess } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { WorkerToHost } from '@shared/protocol'
import { superviseWorker, type WorkerHandle, type WorkerProcess } from './workerSupervisor'

/**
 * Job workers as Node child processes (web host, CLI, tests): child_process.fork of the same
 * entry file Electron runs as a utility process, with serialization 'advanced' so typed arrays
 * cross the boundary as copies. This is only the adapter; workerSupervisor.ts reads the output,
 * keeps the stderr tail and names the death.
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

/** A forked child process as the supervisor's WorkerProcess. */
export function childWorkerProcess(child: ChildProcess): WorkerProcess {
  return {
    get pid() {
      return child.pid ?? null
    },
    postMessage(message) {
      if (child.connected) child.send(message)
    },
    onMessage(listener) {
      const onMessage = (message: unknown): void => listener(message as WorkerToHost)
      child.on('message', onMessage)
      return () => child.off('message', onMessage)
    },
    stdout: child.stdout,
    stderr: child.stderr,
    onExit(listener) {
      // 'close' (not 'exit') comes after stdio and the IPC channel have drained, so every
      // message the worker sent is delivered before the broker hears of its death.
      child.on('close', (code, signal) => listener({ code, signal }))
      // Spawn failures and sends to a closed channel land here; without a listener they would throw.
      child.on('error', (error) => {
        if (child.pid === undefined) listener({ code: null, signal: null, note: `Error: ${error.message}` })
      })
    },
    get running() {
      return child.exitCode === null && child.signalCode === null
    },
    kill() {
      child.kill('SIGKILL')
    }
  }
}

export function spawnNodeWorker(opts: NodeWorkerOptions): WorkerHandle {
  const execArgv = [...(opts.execArgv ?? [])]
  if (opts.maxOldSpaceMb !== undefined) execArgv.push(`--max-old-space-size=${opts.maxOldSpaceMb}`)
  // A worker run from its TypeScript sources resolves the @core/@shared aliases through the
  // project's tsconfig, named here so the worker does not depend on its working folder.
  const fromSources = execArgv.includes('--import') && opts.entry.endsWith('.ts')
  const tsconfig =
    fromSources && !process.env['TSX_TSCONFIG_PATH']
      ? { TSX_TSCONFIG_PATH: join(findPackageRoot(dirname(opts.entry)), 'tsconfig.json') }
      : {}
  const child = fork(opts.entry, [], {
    execArgv,
    env: { ...process.env, ...tsconfig, ...opts.env },
    serialization: 'advanced',
    stdio: ['ignore', 'pipe', 'pipe', 'ipc']
  })
  return superviseWorker(childWorkerProcess(child), { onOutput: opts.onOutput })
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
