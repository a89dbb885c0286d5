import { JOB_PROTOCOL_VERSION, type HostToWorker, type Port, type WorkerToHost } from '@shared/protocol'
import { constants, setPriority } from 'node:os'
import { runJobOverPort } from './host'
import { exitWhenParentDies } from './parentWatch'
import { enableRelaxedSimd } from './relaxedSimd'
import { jobRunners } from './runners'

/**
 * The one job-worker entry file. It runs as an Electron utility process (utilityProcess.fork)
 * or as a Node child process (child_process.fork with serialization 'advanced', so typed
 * arrays survive). Both transports are adapted to the same Port and served by runJobOverPort.
 * No `electron` import: in a utility process `process.parentPort` is simply there.
 */

/** The part of Electron's `process.parentPort` (a MessagePortMain-like emitter) used here. */
interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  removeListener(event: 'message', listener: (event: { data: unknown }) => void): unknown
  postMessage(message: unknown): void
}

interface WorkerTransport {
  port: Port<HostToWorker, WorkerToHost>
  /** Ends the process once everything posted has left. */
  close(): void
}

function electronTransport(parentPort: ParentPortLike): WorkerTransport {
  return {
    port: {
      postMessage: (message) => parentPort.postMessage(message),
      onMessage(listener) {
        const onEvent = (event: { data: unknown }): void => listener(event.data as HostToWorker)
        parentPort.on('message', onEvent)
        return () => parentPort.removeListener('message', onEvent)
      }
    },
    // parentPort.postMessage has no completion callback; give the pipe a moment, and the
    // broker kills a worker that lingers anyway.
    close: () => setTimeout(() => process.exit(0), 100)
  }
}

function nodeTransport(): WorkerTransport {
  let inFlight = 0
  let closing = false
  const exitWhenFlushed = (): void => {
    if (closing && inFlight === 0) process.exit(0)
  }
  // The parent went away (app quit or crashed): nobody is listening, stop working.
  process.on('disconnect', () => process.exit(0))
  return {
    port: {
      postMessage(message) {
        const sent = (): void => {
          inFlight -= 1
          exitWhenFlushed()
        }
        inFlight += 1
        // A failed send means the channel is gone; the 'disconnect' handler ends the process.
        try {
          process.send?.(message, undefined, {}, sent)
        } catch (error) {
          sent() // not serialisable: nothing left the process; the caller hears of it
          throw error
        }
      },
      onMessage(listener) {
        const onMessage = (message: unknown): void => listener(message as HostToWorker)
        process.on('message', onMessage)
        return () => process.off('message', onMessage)
      }
    },
    close() {
      closing = true
      exitWhenFlushed()
    }
  }
}

function pickTransport(): WorkerTransport {
  const parentPort = (process as unknown as { parentPort?: ParentPortLike }).parentPort
  if (parentPort) return electronTransport(parentPort)
  if (process.send) return nodeTransport()
  throw new Error('The job worker must run as an Electron utility process or a Node child process with an IPC channel.')
}

// Before any kernel is compiled.
enableRelaxedSimd()
const transport = pickTransport()
// Whatever the job kind and however busy it keeps this thread, a worker never outlives its parent.
exitWhenParentDies()
transport.port.postMessage({ v: JOB_PROTOCOL_VERSION, type: 'ready', pid: process.pid })
// Batch jobs run below the interface: on a two-core laptop a training on every core must not
// make the window, the host or the live chain wait (on Linux the nice value is per thread, and
// the helper threads a job starts inherit it from this one).
const lowerPriority = (): void => setPriority(constants.priority.PRIORITY_BELOW_NORMAL)
void runJobOverPort(transport.port, jobRunners(), { lowerPriority }).then(() => transport.close())
