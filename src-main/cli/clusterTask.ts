import { readFile, rm } from 'node:fs/promises'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { cpus, hostname } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { atomicWriteFile } from '../services/atomicWrite'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import type { BundleTask, TaskResult } from '@shared/cluster/bundle'
import { dataFileSchema } from '@shared/cluster/bundleUnits'
import { fromBundleJson, toBundleJson } from '@shared/cluster/json'
import { CHECKPOINTED_EXIT } from '@shared/cluster/script'
import type { NpyArray } from '@shared/project/types'
import { checkResultFor, checkTask, clusterArgs, readBundleFile, type Out } from './clusterFiles'
import { startUnit, type DoneUnit, type Partial } from './clusterUnit'

/**
 * blockspin cluster task DIR/tasks/N.json: one array task, headless. Its units run one after
 * another, each as a job in a worker process (the runners the app runs), starting from the
 * unit's stream. Each finished unit is added to DIR/checkpoints/N.json at once (atomically), so
 * a task stopped by SIGUSR1 (Slurm's warning before the time limit), SIGTERM (preemption,
 * scancel) or Ctrl+C keeps them, ends with status 75 and, run again, resumes after its last
 * finished unit. A unit stopped half-way (a sweep point, a dataset shard, an MCRG chain, a
 * training) keeps its job's state there too (`partial`: written when stopped and every CHECKPOINT_SECONDS as the job
 * sends it) and continues from it. A unit resumed either way gives the numbers of an
 * uninterrupted one (its stream is its own). The result goes to DIR/results/N.json atomically;
 * a failed unit writes DIR/results/N.failed.txt with the reason.
 */

/** Least time between writes of a running unit's state to the checkpoint. */
export const CHECKPOINT_SECONDS = 60

const STOP_SIGNALS = ['SIGUSR1', 'SIGTERM', 'SIGINT', 'SIGHUP'] as const
export async function taskCommand(args: string[], out: Out): Promise<number> {
  const parsed = clusterArgs(args, [], 1, out)
  if (!parsed) return 2
  const file = resolve(parsed.positionals[0]!)
  const read = await readBundleFile(file, checkTask)
  if (!read.ok) return (out.err(`${file}: ${read.problem}.`), 2)
  const task = read.value
  const dir = dirname(dirname(file))
  const resultPath = join(dir, 'results', `${task.index}.json`)
  const checkpointPath = join(dir, 'checkpoints', `${task.index}.json`)
  const finished = await readBundleFile(resultPath, checkResultFor(task))
  if (finished.ok && finished.value.format === 'blockspin-cluster-result') {
    out.log(`Task ${task.index} is already done (${basename(resultPath)}); nothing to run.`)
    return 0
  }
  const saved = await readBundleFile(checkpointPath, checkResultFor(task))
  if (!saved.ok && !saved.missing) out.err(`Task ${task.index}: its checkpoint was not used: ${saved.problem}.`)
  const done: DoneUnit[] = saved.ok ? [...saved.value.units] : []
  let partial: Partial | null = saved.ok && 'partial' in saved.value ? ((saved.value.partial as Partial) ?? null) : null
  const resumed = saved.ok ? saved.value.resumed + 1 : 0
  if (saved.ok)
    out.log(
      `Task ${task.index}: resuming from its checkpoint, ${done.length} of ${task.units.length} units done${partial ? `, unit ${partial.unit} part-way` : ''}.`
    )
  const samples = await taskSamples(task, dir)
  if (typeof samples === 'string') return (out.err(`Task ${task.index}: ${samples}`), 2)
  const record = (format: TaskResult['format']): TaskResult =>
    ({
      ...(partial && format === 'blockspin-cluster-checkpoint' ? { partial } : {}),
      format,
      version: 1,
      kind: task.kind,
      bundleId: task.bundleId,
      index: task.index,
      resumed,
      host: hostname(),
      units: [...done].sort((a, b) => a.unit - b.unit)
    }) as TaskResult
  // Writes one after another, so a running unit's periodic checkpoint never lands after a later one.
  let writes: Promise<boolean> = Promise.resolve(true)
  const write = (path: string, value: unknown): Promise<boolean> =>
    (writes = writes.then(async () => {
      const written = await atomicWriteFile(path, new TextEncoder().encode(toBundleJson(value) + '\n'))
      if (!written.ok) out.err(`Task ${task.index}: ${path} could not be written: ${written.detail}.`)
      return written.ok
    }))

  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length)
  })
  let stopping: string | null = null
  let current: string | null = null
  const onSignal = (signal: NodeJS.Signals): void => {
    if (stopping) return
    stopping = signal
    out.log(`Task ${task.index}: ${signal}, stopping with the finished units kept.`)
    if (current) broker.control(current, 'cancel')
  }
  for (const s of STOP_SIGNALS) process.on(s, onSignal)
  try {
    for (const unit of task.units) {
      if (done.some((d) => d.unit === unit.unit)) continue
      if (stopping) break
      const started = Date.now()
      out.log(`Task ${task.index}: unit ${unit.unit}, ${unit.label}…`)
      let lastWrite = Date.now()
      const job = startUnit(broker, {
        task,
        unit,
        resume: partial?.unit === unit.unit ? partial : null,
        done,
        samples,
        checkpointMs: CHECKPOINT_SECONDS * 1000,
        onPartial: (p) => {
          partial = p
          if (Date.now() - lastWrite < CHECKPOINT_SECONDS * 1000) return
          lastWrite = Date.now()
          void write(checkpointPath, record('blockspin-cluster-checkpoint'))
        }
      })
      current = job.jobId
      const outcome = job.finish(await broker.wait(current))
      current = null
      if (outcome.status === 'stopped' || (stopping && outcome.status !== 'done')) {
        if (outcome.status === 'stopped' && outcome.partial) partial = outcome.partial
        break
      }
      if (outcome.status === 'failed') {
        const why = outcome.why
        out.err(`Task ${task.index}: unit ${unit.unit} (${unit.label}) failed: ${why}`)
        await write(checkpointPath, record('blockspin-cluster-checkpoint'))
        await atomicWriteFile(
          join(dir, 'results', `${task.index}.failed.txt`),
          new TextEncoder().encode(`unit ${unit.unit} (${unit.label}) failed: ${why}\n`)
        )
        return 1
      }
      const seconds = (Date.now() - started) / 1000
      done.push({ unit: unit.unit, stream: unit.stream, seconds, result: outcome.result } as DoneUnit)
      partial = null
      if (!(await write(checkpointPath, record('blockspin-cluster-checkpoint')))) return 1
      out.log(`Task ${task.index}: unit ${unit.unit} done in ${seconds.toFixed(1)} s.`)
    }
    if (stopping || done.length < task.units.length) {
      if (!(await write(checkpointPath, record('blockspin-cluster-checkpoint')))) return 1
      out.log(
        `Task ${task.index}: checkpoint kept with ${done.length} of ${task.units.length} units${partial ? ` and unit ${partial.unit} part-way` : ''}; run it again to continue.`
      )
      return CHECKPOINTED_EXIT
    }
    if (!(await write(resultPath, record('blockspin-cluster-result')))) return 1
    await rm(checkpointPath, { force: true })
    await rm(join(dir, 'results', `${task.index}.failed.txt`), { force: true })
    out.log(`Task ${task.index}: done; wrote ${resultPath}.`)
    return 0
  } finally {
    for (const s of STOP_SIGNALS) process.off(s, onSignal)
    await broker.shutdown()
  }
}

/** A training task's samples, read from the bundle and checked against the task's hash; or a sentence. */
async function taskSamples(task: BundleTask, dir: string): Promise<NpyArray | null | string> {
  if (task.kind !== 'training') return null
  const path = join(dir, task.data.file)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch {
    return `its data ${path} cannot be read.`
  }
  if (bytesToHex(sha256(bytes)) !== task.data.sha256) return `its data ${path} is not the file it was exported with.`
  let parsed: ReturnType<typeof dataFileSchema.safeParse>
  try {
    parsed = dataFileSchema.safeParse(fromBundleJson(bytes.toString('utf8')))
  } catch {
    return `its data ${path} is not bundle JSON.`
  }
  if (!parsed.success) return `its data ${path} is not a packed dataset.`
  return { dtype: '|i1', shape: parsed.data.shape, data: parsed.data.samples }
}
