import { cpus } from 'node:os'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import { ProgressBar } from './progressBar'

/**
 * Runs one job in a worker process with a progress bar on stderr; Ctrl+C cancels it. Returns
 * the result, or null when the job failed or was cancelled (the bar says which and why).
 */
export async function runJobWithProgress<T>(kind: string, label: string, spec: unknown, seed: number, cancelledNote = 'cancelled'): Promise<T | null> {
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({ spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }), maxBatchJobs: Math.max(1, cpus().length - 1) })
  try {
    const jobId = broker.start({ kind, title: label, interactive: false, spec, seed })
    const bar = new ProgressBar(label)
    const off = broker.on('update', (i) => i.id === jobId && i.progress && bar.update(i.progress.done, i.progress.total, i.etaSeconds, i.progress.unit))
    const onSignal = () => broker.control(jobId, 'cancel')
    process.once('SIGINT', onSignal)
    const outcome = await broker.wait(jobId)
    process.off('SIGINT', onSignal)
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
