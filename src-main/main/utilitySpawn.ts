import { utilityProcess, type UtilityProcess } from 'electron'
import type { HostToWorker, WorkerToHost } from '@shared/protocol'
import { superviseWorker, type WorkerHandle, type WorkerProcess } from '../services/workerSupervisor'

/**
 * One Electron utility process per job, running the same worker entry the web host forks with
 * Node. This is only the adapter; services/workerSupervisor.ts reads the output, keeps the
 * stderr tail and names the death.
 */

/** The event of a V8 fatal error as one stderr line (the report's `header.event` names an OOM). */
function fatalErrorNote(location: string, report: string): string {
  let event = ''
  try {
    const header = (JSON.parse(report) as { header?: { event?: unknown } }).header
    if (typeof header?.event === 'string') event = ` ${header.event}`
  } catch {
    // Not a JSON report: the location alone is still worth keeping.
  }
  return `FATAL ERROR: ${location}${event}`
}

/** A utility process as the supervisor's WorkerProcess. */
export function utilityWorkerProcess(child: UtilityProcess): WorkerProcess {
  let ended = false
  let fatal: string | undefined
  // Messages posted before the process has spawned are held here and sent on 'spawn'.
  let pending: HostToWorker[] | null = []
  child.once('spawn', () => {
    const queued = pending ?? []
    pending = null
    for (const m of queued) child.postMessage(m)
  })
  // Emitted before 'exit' when V8 gives up (a heap out of memory among others).
  child.on('error', (_type, location, report) => (fatal = fatalErrorNote(location, report)))
  return {
    get pid() {
      return child.pid ?? null
    },
    postMessage(message) {
      if (pending) pending.push(message)
      else if (!ended) child.postMessage(message)
    },
    onMessage(listener) {
      const handler = (message: WorkerToHost): void => listener(message)
      child.on('message', handler)
      return () => child.off('message', handler)
    },
    // Read at once: Electron sets both to null after 'exit'.
    stdout: child.stdout,
    stderr: child.stderr,
    onExit(listener) {
      // Electron gives one number: the exit code, or after a crash waitpid's raw status (134 is
      // SIGABRT with a core dump). The two cannot be told apart, so it is reported as a code.
      child.once('exit', (code: number) => {
        ended = true
        listener({ code, signal: null, ...(fatal ? { note: fatal } : {}) })
      })
    },
    get running() {
      return !ended
    },
    kill() {
      child.kill()
    }
  }
}

export function spawnUtilityWorker(entry: string, jobId: string): WorkerHandle {
  const child = utilityProcess.fork(entry, [], {
    serviceName: `Blockspin job ${jobId}`,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  return superviseWorker(utilityWorkerProcess(child))
}
