import type { HostToWorker, Port, WorkerToHost } from '@shared/protocol'

/**
 * The one supervisor of job worker processes, over a thin adapter per process kind (Node's
 * child_process in nodeWorker.ts, Electron's utilityProcess in main/utilitySpawn.ts). Modelled
 * on VS Code's utility-process supervision: output split into lines and logged with the job and
 * pid, a tail of stderr kept to say why a worker died, one exit report per process, and a kill
 * that is a no-op once the process is gone. The job broker adds the job-level half: a cancel
 * first, then a kill after a grace period (wait-then-kill on cancel, on shutdown and for a
 * worker that lingers after its last message).
 */

export interface WorkerExitInfo {
  code: number | null
  signal: string | null
  /** The worker died of V8 heap exhaustion (said by V8 itself on stderr, see `diedOutOfMemory`). */
  oom: boolean
  /** The end of what the worker wrote to stderr, when the spawner captured it. */
  stderrTail?: string
}

/** A started worker as the job broker sees it. */
export interface WorkerHandle {
  port: Port<WorkerToHost, HostToWorker>
  pid: number | null
  onExit(cb: (info: WorkerExitInfo) => void): void
  kill(): void
  /** Lines the worker writes to stdout/stderr, when the spawner can capture them. */
  onOutput?(cb: (line: string, stream: 'stdout' | 'stderr') => void): void
}

/** How a process ended, as its kind reports it. */
export interface ProcessExit {
  code: number | null
  /** The signal's name (Node); null when the kind cannot tell (Electron reports a number only). */
  signal: string | null
  /** Text that belongs at the end of the stderr tail: a spawn error, a V8 fatal error the kind reported. */
  note?: string
}

/** What each process kind gives the supervisor: the thin adapter. */
export interface WorkerProcess {
  /** Null until spawned and after exit, where the kind says so. */
  readonly pid: number | null
  /** Messages sent before the process can take them are the adapter's to hold. */
  postMessage(message: HostToWorker): void
  onMessage(listener: (message: WorkerToHost) => void): () => void
  /** Piped output streams (null where the kind does not pipe them). */
  readonly stdout: NodeJS.ReadableStream | null
  readonly stderr: NodeJS.ReadableStream | null
  /** Called once, after the process ended (after its output drained, where the kind can tell). */
  onExit(listener: (exit: ProcessExit) => void): void
  /** True while the process has not ended. */
  readonly running: boolean
  /** Stops the process now. */
  kill(): void
}

export const STDERR_TAIL_CHARS = 8192

/**
 * V8's own words when a heap is exhausted: "FATAL ERROR: Reached heap limit Allocation failed -
 * JavaScript heap out of memory", "… Ineffective mark-compacts near heap limit …",
 * "CALL_AND_RETRY_LAST Allocation failed …", and "Fatal JavaScript out of memory" /
 * "Fatal process out of memory" where no embedder handler prints. Case-sensitive, so a
 * JavaScript RangeError ("Array buffer allocation failed"), which a worker reports as a failed
 * job, does not count.
 */
const V8_OUT_OF_MEMORY =
  /JavaScript heap out of memory|Reached heap limit|Allocation failed|Fatal (?:JavaScript|process) out of memory/

/**
 * True when the stderr tail holds V8's out-of-memory message. A signal or status alone says
 * nothing: an abort (SIGABRT, status 134) is also a failed assertion or a native crash.
 */
export function diedOutOfMemory(stderrTail: string): boolean {
  return V8_OUT_OF_MEMORY.test(stderrTail)
}

/** One sentence saying why a worker that never reported back died. */
export function exitSentence(info: WorkerExitInfo): string {
  if (info.oom) return 'The worker process ran out of memory.'
  const errorLine = (info.stderrTail ?? '')
    .split('\n')
    .reverse()
    .find((l) => /\w*Error\b:/.test(l))
  const detail = errorLine ? `: ${errorLine.trim().slice(0, 200).replace(/\.$/, '')}` : ''
  if (info.signal !== null) return `The worker process was killed by ${info.signal}${detail}.`
  return `The worker process exited unexpectedly (code ${String(info.code)})${detail}.`
}

/** The prefix of every log line about a job's worker. */
export function workerLogPrefix(jobId: string, pid: number | null): string {
  return `[job ${jobId} pid ${pid ?? '-'}]`
}

function forwardLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
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

export interface SuperviseOptions {
  /** Every line the worker writes to stdout or stderr. */
  onOutput?: (line: string, stream: 'stdout' | 'stderr') => void
}

/** The broker's handle on one worker process of any kind. */
export function superviseWorker(child: WorkerProcess, opts: SuperviseOptions = {}): WorkerHandle {
  let stderrTail = ''
  const keep = (line: string): void => {
    stderrTail = (stderrTail + line + '\n').slice(-STDERR_TAIL_CHARS)
  }
  const outputListeners: Array<NonNullable<SuperviseOptions['onOutput']>> = []
  if (opts.onOutput) outputListeners.push(opts.onOutput)
  const output = (line: string, stream: 'stdout' | 'stderr'): void => {
    for (const listener of outputListeners) listener(line, stream)
  }
  forwardLines(child.stdout, (line) => output(line, 'stdout'))
  forwardLines(child.stderr, (line) => {
    keep(line)
    output(line, 'stderr')
  })

  let exitInfo: WorkerExitInfo | null = null
  const exitListeners: Array<(info: WorkerExitInfo) => void> = []
  child.onExit(({ code, signal, note }) => {
    if (exitInfo) return
    if (note) keep(note)
    exitInfo = { code, signal, oom: diedOutOfMemory(stderrTail), stderrTail }
    for (const listener of exitListeners.splice(0)) listener(exitInfo)
  })

  return {
    get pid() {
      return child.pid
    },
    port: {
      postMessage: (message) => child.postMessage(message),
      onMessage: (listener) => child.onMessage(listener)
    },
    onExit(cb) {
      if (exitInfo) queueMicrotask(() => cb(exitInfo as WorkerExitInfo))
      else exitListeners.push(cb)
    },
    onOutput(cb) {
      outputListeners.push(cb)
    },
    kill() {
      if (exitInfo === null && child.running) child.kill()
    }
  }
}
