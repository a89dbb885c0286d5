import { utilityProcess } from 'electron'
import type { WorkerToHost, HostToWorker } from '../shared/protocol'
import type { WorkerHandle } from '../services/jobBroker'

/**
 * One Electron utility process per job, running the same worker entry the web host forks with
 * Node. stderr is kept (last 8 KB) so an out-of-memory death can be named.
 */
export function spawnUtilityWorker(entry: string, jobId: string): WorkerHandle {
  const child = utilityProcess.fork(entry, [], {
    serviceName: `Blockspin job ${jobId}`,
    stdio: ['ignore', 'inherit', 'pipe']
  })
  let stderrTail = ''
  // Messages posted before the process has spawned are held here and sent on 'spawn'.
  let pending: HostToWorker[] | null = []
  child.once('spawn', () => {
    const queued = pending ?? []
    pending = null
    for (const m of queued) child.postMessage(m)
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderrTail = (stderrTail + chunk.toString('utf8')).slice(-8192)
    process.stderr.write(`[job ${jobId} pid ${child.pid ?? '?'}] ${chunk.toString('utf8')}`)
  })
  return {
    get pid() {
      return child.pid ?? null
    },
    port: {
      postMessage: (message: HostToWorker) => {
        if (pending) pending.push(message)
        else child.postMessage(message)
      },
      onMessage: (listener: (message: WorkerToHost) => void) => {
        const handler = (message: WorkerToHost) => listener(message)
        child.on('message', handler)
        return () => child.off('message', handler)
      }
    },
    onExit(cb) {
      child.on('exit', (code: number) => {
        const oom = /heap out of memory|JavaScript heap|Allocation failed/i.test(stderrTail)
        cb({ code, signal: null, oom, stderrTail })
      })
    },
    kill() {
      child.kill()
    }
  }
}
