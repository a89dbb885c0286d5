import { cpus } from 'node:os'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import { ProgressBar } from './progressBar'

/** The signals that end a command: Ctrl+C, kill (SIGTERM) and a closed terminal (SIGHUP). */
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const

/**
 * Calls `stop` (once) on the first of SIGINT, SIGTERM or SIGHUP instead of dying with the jobs'
 * workers still running: the caller cancels its jobs and saves nothing half-done. A second
 * signal of the same kind ends the process the default way. Returns the function that removes
 * the handlers.
 */
export function onStopSignal(stop: (signal: NodeJS.Signals) => void): () => void {
  let stopped = false
  const handlers = STOP_SIGNALS.map((name) => {
    const handler = (): void => {
      process.off(name, handler)
      if (stopped) return void process.kill(process.pid, name)
      stopped = true
      stop(name)
    }
    process.on(name, handler)
    return [name, handler] as const
  })
  return () => {
    for (const [name, handler] of handlers) process.off(name, handler)
  }
}

/**
 * Runs one job in a worker process with a progress bar on stderr; Ctrl+C, SIGTERM and SIGHUP cancel it. Returns
 * the result, or null when the job failed or was cancelled (the bar says which and why).
 */
export async function runJobWithProgress<T>(
  kind: string,
  label: string,
  spec: unknown,
  seed: number,
  cancelledNote = 'cancelled'
): Promise<T | null> {
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length - 1)
  })
  try {
    const jobId = broker.start({ kind, title: label, interactive: false, spec, seed })
    const bar = new ProgressBar(label)
    const off = broker.on(
      'update',
      (i) =>
        i.id === jobId &&
        i.progress &&
        bar.update(i.progress.done, i.progress.total, i.etaSeconds, i.progress.unit, i.progress.note)
    )
    const offSignals = onStopSignal(() => broker.control(jobId, 'cancel'))
    const outcome = await broker.wait(jobId).finally(offSignals)
    off()
    if (outcome.status !== 'done' || !outcome.result) {
      bar.finish(outcome.status === 'failed' ? `failed — ${outcome.error}` : cancelledNote)
      return null
    }
    bar.finish('done')
    return outcome.result as T
  } finally {
    await broker.shutdown()
  }
}
