import type { JobCommand, JobRunner, JobSignal, JobSink } from '@core/jobs/types'
import type { Rng } from '@core/random/rng'
import { xoshiro128ss, xoshiro128ssFromState } from '@core/random/xoshiro128ss'
import { JOB_PROTOCOL_VERSION, type HostToWorker, type Port, type WorkerToHost } from '@shared/protocol'

/**
 * The job host: adapts a pure src-core runner `(spec, rng, sink, signal) → result` to the job
 * protocol spoken over a Port (Electron parentPort or Node process messaging alike). It runs
 * exactly one job: it waits for 'start', runs the runner, and answers 'done' or 'failed'.
 */

export interface JobHostOptions {
  /** How the job's generator is made; defaults to xoshiro128** from the seed or saved state. */
  createRng?: (seed: number, rngState?: Uint32Array) => Rng
  /**
   * Called before a background (batch) job runs, on the thread that runs it: lowers this
   * process's scheduling priority so that threads it starts later inherit it. A failure is logged.
   */
  lowerPriority?: () => void
}

type StartMessage = Extract<HostToWorker, { type: 'start' }>

/**
 * Runners by kind, as a worker looks them up by the name in a 'start' message. Any typed runner
 * fits (a spec of `never` accepts every spec type); the broker has checked the spec against its
 * kind's schema (shared/jobKinds.ts) before the job was started.
 */
export type RunnerTable = Readonly<Record<string, JobRunner<never, unknown>>>

const defaultCreateRng = (seed: number, rngState?: Uint32Array): Rng =>
  rngState !== undefined ? xoshiro128ssFromState(rngState) : xoshiro128ss(seed)

function describeError(error: unknown): { message: string; stack?: string } {
  if (error instanceof Error) return { message: error.message || error.name, stack: error.stack }
  return { message: String(error) }
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/**
 * Serves one job over `port` with the given runner registry. Resolves once the final 'done' or
 * 'failed' message has been posted; the caller decides what happens to the process then.
 */
export function runJobOverPort(
  port: Port<HostToWorker, WorkerToHost>,
  runners: RunnerTable,
  options: JobHostOptions = {}
): Promise<void> {
  const createRng = options.createRng ?? defaultCreateRng
  const post = (message: WorkerToHost): void => port.postMessage(message)
  const v = JOB_PROTOCOL_VERSION

  let cancelled = false
  let paused = false
  let started = false
  const commands: JobCommand[] = []
  /** Woken by anything that can end a wait in `next()`: a command, resume or cancel. */
  let wakers: Array<() => void> = []
  /** Woken by cancel only (early end of `sleep`). */
  let cancelWakers: Array<() => void> = []

  const wake = (): void => {
    const pending = wakers
    wakers = []
    for (const resolve of pending) resolve()
  }

  const sink: JobSink = {
    progress: (progress) => post({ v, type: 'progress', progress }),
    frame: (frame) => post({ v, type: 'frame', frame }),
    reply: (requestId, data) => post({ v, type: 'reply', requestId, data }),
    log: (message) => post({ v, type: 'log', message })
  }

  const signal: JobSignal = {
    get cancelled() {
      return cancelled
    },
    get paused() {
      return paused
    },
    async next() {
      // setImmediate runs after the poll phase, so messages that arrived meanwhile are handled
      // even when the runner calls next() in a tight loop.
      await yieldToEventLoop()
      while (paused && !cancelled && commands.length === 0) {
        await new Promise<void>((resolve) => wakers.push(resolve))
      }
      return commands.splice(0, commands.length)
    },
    sleep(ms) {
      if (cancelled) return Promise.resolve()
      return new Promise<void>((resolve) => {
        const finish = (): void => {
          clearTimeout(timer)
          cancelWakers = cancelWakers.filter((w) => w !== finish)
          resolve()
        }
        const timer = setTimeout(finish, Math.max(0, ms))
        cancelWakers.push(finish)
      })
    },
    now: () => performance.now()
  }

  return new Promise<void>((resolveFinished) => {
    let unsubscribe: () => void = () => {}
    const finish = (message: WorkerToHost): void => {
      try {
        post(message)
      } catch (error) {
        // Most likely a result that cannot be structured-cloned (a function, a class instance).
        const why = describeError(error).message
        post({ v, type: 'failed', error: { message: `The job's result could not be sent: ${why}` } })
      }
      unsubscribe()
      resolveFinished()
    }

    const run = async (start: StartMessage): Promise<void> => {
      if (start.v !== JOB_PROTOCOL_VERSION) {
        const message = `The app speaks job protocol version ${String(start.v)}; this worker speaks version ${v}.`
        finish({ v, type: 'failed', error: { message } })
        return
      }
      if (!Object.prototype.hasOwnProperty.call(runners, start.kind)) {
        const known = Object.keys(runners).join(', ') || 'none'
        const message = `Unknown job kind "${start.kind}"; this worker runs: ${known}.`
        finish({ v, type: 'failed', error: { message } })
        return
      }
      if (start.background && options.lowerPriority) {
        try {
          options.lowerPriority()
        } catch (error) {
          sink.log(`Could not lower the job's priority: ${describeError(error).message}`)
        }
      }
      let last: WorkerToHost
      try {
        const rng = createRng(start.seed, start.rngState)
        const result = await runners[start.kind]!(start.spec as never, rng, sink, signal)
        last = { v, type: 'done', result, cancelled }
      } catch (error) {
        last = { v, type: 'failed', error: describeError(error) }
      }
      finish(last)
    }

    unsubscribe = port.onMessage((message) => {
      switch (message.type) {
        case 'start':
          if (started) {
            sink.log(`Ignored a second 'start' for job ${message.jobId}: this worker runs one job.`)
            return
          }
          started = true
          void run(message)
          return
        case 'control':
          if (message.action === 'cancel') {
            cancelled = true
            const pending = cancelWakers
            cancelWakers = []
            for (const resolve of pending) resolve()
          } else {
            paused = message.action === 'pause'
          }
          wake()
          return
        case 'command':
          commands.push(message.command)
          wake()
          return
        default:
          sink.log(`Ignored an unknown message type: ${String((message as { type?: unknown }).type)}`)
      }
    })
  })
}
