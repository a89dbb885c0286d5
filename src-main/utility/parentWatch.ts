import { Worker } from 'node:worker_threads'

/**
 * Ends this worker process when its parent dies, even while a job keeps the main thread busy.
 * A tiny helper thread polls getppid() (a live system call, so it sees re-parenting to init or
 * a subreaper) every `intervalMs` and kills the process when the parent has changed. The IPC
 * channel's 'disconnect' event covers a parent that closes the channel but lives on; this covers
 * a parent killed outright (SIGKILL, a crash) and Electron's utility processes, whose parentPort
 * has no such event. The thread is unref'd: it never keeps the process alive by itself.
 */
const WATCH_SOURCE = `
const { workerData } = require('node:worker_threads')
const pause = new Int32Array(new SharedArrayBuffer(4))
for (;;) {
  Atomics.wait(pause, 0, 0, workerData.intervalMs)
  if (process.ppid !== workerData.ppid) process.kill(workerData.pid, 'SIGKILL')
}
`

export function exitWhenParentDies(intervalMs = 250): Worker | null {
  if (process.platform === 'win32') return null // no re-parenting; the IPC channel's close is the signal there
  try {
    const watcher = new Worker(WATCH_SOURCE, {
      eval: true,
      workerData: { ppid: process.ppid, pid: process.pid, intervalMs }
    })
    watcher.unref()
    return watcher
  } catch {
    return null
  }
}
