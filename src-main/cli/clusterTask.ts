import { rm } from 'node:fs/promises'
import { cpus, hostname } from 'node:os'
import { basename, dirname, join, resolve } from 'node:path'
import { atomicWriteFile } from '../services/atomicWrite'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import type { TaskResult } from '@shared/cluster/bundle'
import { toBundleJson } from '@shared/cluster/json'
import { CHECKPOINTED_EXIT } from '@shared/cluster/script'
import { streamState } from '@shared/cluster/streams'
import { checkResultFor, checkTask, clusterArgs, readBundleFile, type Out } from './clusterFiles'

/**
 * blockspin cluster task DIR/tasks/N.json: one array task, headless. Its units run one after
 * another, each as a job in a worker process (the runners the app runs), starting from the
 * unit's stream. Each finished unit is added to DIR/checkpoints/N.json at once (atomically), so
 * a task stopped by SIGUSR1 (Slurm's warning before the time limit), SIGTERM (preemption,
 * scancel) or Ctrl+C loses only the unit it was running, ends with status 75 and, run again,
 * resumes after its last finished unit. A unit resumed this way gives the same numbers as an
 * uninterrupted one (its stream is its own). The result goes to DIR/results/N.json atomically;
 * a failed unit writes DIR/results/N.failed.txt with the reason.
 */

type DoneUnit = TaskResult['units'][number]

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
  const resumed = saved.ok ? saved.value.resumed + 1 : 0
  if (saved.ok)
    out.log(`Task ${task.index}: resuming from its checkpoint, ${done.length} of ${task.units.length} units done.`)
  const record = (format: TaskResult['format']): TaskResult =>
    ({
      format,
      version: 1,
      kind: task.kind,
      bundleId: task.bundleId,
      index: task.index,
      resumed,
      host: hostname(),
      units: [...done].sort((a, b) => a.unit - b.unit)
    }) as TaskResult
  const write = async (path: string, value: unknown): Promise<boolean> => {
    const written = await atomicWriteFile(path, new TextEncoder().encode(toBundleJson(value) + '\n'))
    if (!written.ok) out.err(`Task ${task.index}: ${path} could not be written: ${written.detail}.`)
    return written.ok
  }

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
      current = broker.start({
        kind: task.kind === 'sweep' ? 'ising.sweep' : 'ising.dataset',
        title: unit.label,
        interactive: false,
        spec: unit.spec,
        seed: unit.stream.seed,
        rngState: streamState(unit.stream)
      })
      const outcome = await broker.wait(current)
      current = null
      if (stopping) break
      if (outcome.status !== 'done' || !outcome.result) {
        const why = outcome.status === 'failed' ? outcome.error : 'it was cancelled'
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
      if (!(await write(checkpointPath, record('blockspin-cluster-checkpoint')))) return 1
      out.log(`Task ${task.index}: unit ${unit.unit} done in ${seconds.toFixed(1)} s.`)
    }
    if (stopping) {
      out.log(
        `Task ${task.index}: checkpoint kept with ${done.length} of ${task.units.length} units; run it again to continue.`
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
