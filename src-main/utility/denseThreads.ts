import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'
import type { DenseThreadHost } from '@core/rbm/denseThreads'

/**
 * Node worker_threads for the two-thread dense products of the fast RBM trainer
 * (src-core/rbm/denseThreads.ts). The helper runs the plain-JavaScript source it is given
 * (`eval`, so it needs no file on disk and works in a job worker process and an Electron utility
 * process alike); it is unref'd, so it never keeps the process alive. Null when no thread can be
 * started (the trainer then stays on one thread).
 */
export const nodeDenseThreadHost: DenseThreadHost = {
  cores: availableParallelism(),
  start(source, workerData) {
    try {
      const worker = new Worker(`const { workerData: d } = require('node:worker_threads')\n${source}`, {
        eval: true,
        workerData
      })
      worker.on('error', () => undefined)
      worker.unref()
      return { terminate: () => void worker.terminate() }
    } catch {
      return null
    }
  }
}
