import { describe, expect, it } from 'vitest'
import { JobBroker } from '../../src-main/services/jobBroker'
import { exitSentence, type WorkerExitInfo, type WorkerHandle } from '../../src-main/services/workerSupervisor'
import { runJobOverPort } from '../../src-main/utility/host'
import { testRunners } from '../../src-main/utility/testRunners'
import type { HostToWorker, JobInfo, Port, WorkerToHost } from '@shared/protocol'

// The broker's bookkeeping with in-process workers: the real host on one end of an in-memory
// port pair (structured-cloned, delivered asynchronously like a process pipe).

interface FakeWorker extends WorkerHandle {
  sent: HostToWorker[]
  fromWorker(message: WorkerToHost): void
  exit(info: Partial<WorkerExitInfo>): void
  killed: boolean
}

/** A worker whose other end the test drives by hand. */
function manualWorker(pid = 4242): FakeWorker {
  const listeners = new Set<(m: WorkerToHost) => void>()
  const exits: Array<(i: WorkerExitInfo) => void> = []
  const worker: FakeWorker = {
    pid,
    sent: [],
    killed: false,
    port: {
      postMessage: (m) => worker.sent.push(structuredClone(m)),
      onMessage: (l) => (listeners.add(l), () => listeners.delete(l))
    },
    onExit: (cb) => exits.push(cb),
    kill: () => {
      worker.killed = true
      worker.exit({ signal: 'SIGKILL' })
    },
    fromWorker: (m) => listeners.forEach((l) => l(structuredClone(m))),
    exit: (info) => exits.splice(0).forEach((cb) => cb({ code: null, signal: null, oom: false, ...info }))
  }
  return worker
}

/** A worker running the real host and test runners in this process. */
function inProcessWorker(): WorkerHandle {
  const toWorker = new Set<(m: HostToWorker) => void>()
  const toBroker = new Set<(m: WorkerToHost) => void>()
  const deliver = <T>(set: Set<(m: T) => void>, m: T): void => {
    const copy = structuredClone(m)
    setImmediate(() => set.forEach((l) => l(copy)))
  }
  const workerSide: Port<HostToWorker, WorkerToHost> = {
    postMessage: (m) => deliver(toBroker, m),
    onMessage: (l) => (toWorker.add(l), () => toWorker.delete(l))
  }
  void runJobOverPort(workerSide, testRunners)
  return {
    pid: null,
    port: { postMessage: (m) => deliver(toWorker, m), onMessage: (l) => (toBroker.add(l), () => toBroker.delete(l)) },
    onExit: () => {},
    kill: () => {}
  }
}

const job = (interactive = false) => ({ kind: 'test.count', title: 't', interactive, spec: { n: 3 }, seed: 1 })
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

describe('JobBroker bookkeeping', () => {
  it('runs jobs through the in-process host and throttles progress updates', async () => {
    const broker = new JobBroker({ spawn: inProcessWorker, maxBatchJobs: 2 })
    const updates: JobInfo[] = []
    broker.on('update', (u) => updates.push(u))
    const results: unknown[] = []
    broker.on('result', (r) => results.push(r))
    const t0 = Date.now()
    const id = broker.start({ ...job(), spec: { n: 2000 } })
    const outcome = await broker.wait(id)
    const seconds = (Date.now() - t0) / 1000
    expect(outcome).toMatchObject({ status: 'done', result: { count: 2000, n: 2000 } })
    expect(results).toEqual([{ jobId: id, result: (outcome as { result: unknown }).result, cancelled: false }])
    // 2000 progress reports → at most 5 updates a second plus the status changes.
    expect(updates.length).toBeLessThanOrEqual(5 * seconds + 4)
    expect(updates[updates.length - 1]).toMatchObject({ id, status: 'done', progress: { done: 2000, total: 2000 } })
    expect(broker.list().map((j) => j.id)).toEqual([id])
    expect(broker.dismiss(id)).toBe(true)
    expect(broker.get(id)).toBeNull()
    await expect(broker.wait(id)).rejects.toThrow(/Unknown job id/)
  })

  it('removes a cancelled queued job from the queue and starts the next one', async () => {
    const workers: FakeWorker[] = []
    const broker = new JobBroker({
      spawn: () => (workers.push(manualWorker()), workers[workers.length - 1]),
      maxBatchJobs: 1
    })
    const a = broker.start(job())
    const b = broker.start(job())
    const c = broker.start(job())
    expect(broker.control(b, 'pause')).toBe(false)
    expect(broker.control(b, 'cancel')).toBe(true)
    expect(await broker.wait(b)).toEqual({ status: 'cancelled', result: null })
    expect(workers).toHaveLength(1)
    expect(broker.dismiss(a)).toBe(false) // still running
    workers[0].fromWorker({ v: 1, type: 'done', result: 1, cancelled: false })
    expect(workers).toHaveLength(2)
    expect(workers[1].sent[0]).toMatchObject({ type: 'start', jobId: c, kind: 'test.count' })
    expect(broker.get(c)?.status).toBe('running')
  })

  it('turns each kind of worker death into one sentence', async () => {
    const cases: Array<[Partial<WorkerExitInfo>, string]> = [
      [{ oom: true, signal: 'SIGABRT' }, 'The worker process ran out of memory.'],
      [{ code: 3 }, 'The worker process exited unexpectedly (code 3).'],
      [{ signal: 'SIGKILL' }, 'The worker process was killed by SIGKILL.'],
      // An abort is not an out-of-memory death unless V8 said so (the spawner's `oom`).
      [{ signal: 'SIGABRT', stderrTail: 'Aborted (core dumped)\n' }, 'The worker process was killed by SIGABRT.'],
      [{ code: 134 }, 'The worker process exited unexpectedly (code 134).'],
      [
        { code: 1, stderrTail: "node:internal\nError: Cannot find module 'x'.\n    at foo\n" },
        "The worker process exited unexpectedly (code 1): Error: Cannot find module 'x'."
      ]
    ]
    for (const [info, sentence] of cases) {
      expect(exitSentence({ code: null, signal: null, oom: false, ...info })).toBe(sentence)
      const worker = manualWorker()
      const broker = new JobBroker({ spawn: () => worker, maxBatchJobs: 1 })
      const id = broker.start(job())
      worker.exit(info)
      expect(await broker.wait(id)).toEqual({ status: 'failed', error: sentence })
    }
  })

  it('fails a job whose spawn throws, and one speaking another protocol version', async () => {
    const broker = new JobBroker({
      spawn: () => {
        throw new Error('no fork here')
      },
      maxBatchJobs: 1
    })
    const id = broker.start(job())
    expect(await broker.wait(id)).toEqual({
      status: 'failed',
      error: 'The worker process could not be started: no fork here.'
    })

    const worker = manualWorker()
    const other = new JobBroker({ spawn: () => worker, maxBatchJobs: 1 })
    const id2 = other.start(job())
    worker.fromWorker({ v: 2, type: 'ready', pid: 1 } as unknown as WorkerToHost)
    expect(await other.wait(id2)).toEqual({
      status: 'failed',
      error: 'The worker speaks job protocol version 2; this app speaks version 1.'
    })
    expect(worker.killed).toBe(true)
  })

  it('times out an unanswered snapshot and routes foreign replies to the reply event', async () => {
    const worker = manualWorker()
    const broker = new JobBroker({ spawn: () => worker, maxBatchJobs: 1, log: () => {} })
    const replies: unknown[] = []
    broker.on('reply', (r) => replies.push(r))
    const id = broker.start(job(true))
    expect(await broker.snapshot(id, 30)).toEqual({
      ok: false,
      error: `Job ${id} did not answer the snapshot request within 30 ms.`
    })
    const pending = broker.snapshot(id)
    const request = worker.sent[worker.sent.length - 1] as Extract<HostToWorker, { type: 'command' }>
    expect(request.command.type).toBe('snapshot')
    worker.fromWorker({ v: 1, type: 'reply', requestId: 'mine', data: 1 })
    const requestId = (request.command as { requestId: string }).requestId
    worker.fromWorker({ v: 1, type: 'reply', requestId, data: { spins: Int8Array.of(1) } })
    expect(await pending).toEqual({ ok: true, data: { spins: Int8Array.of(1) } })
    expect(replies).toEqual([{ jobId: id, requestId: 'mine', data: 1 }])
  })

  it('treats a worker that dies after cancel as cancelled, and logs with job and pid', async () => {
    const worker = manualWorker(777)
    const lines: string[] = []
    const broker = new JobBroker({ spawn: () => worker, maxBatchJobs: 1, log: (l) => lines.push(l) })
    const id = broker.start(job())
    worker.fromWorker({ v: 1, type: 'log', message: 'hello' })
    expect(lines).toContain(`[job ${id} pid 777] hello`)
    broker.control(id, 'cancel')
    expect(worker.sent.map((m) => m.type)).toEqual(['start', 'control'])
    worker.exit({ signal: 'SIGTERM' })
    expect(await broker.wait(id)).toEqual({ status: 'cancelled', result: null })
    await tick()
  })
})
