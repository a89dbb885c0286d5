import { readFile } from 'node:fs/promises'
import { parseCommandLine, UsageError } from '../services/args'
import { resultSchema, schemaProblem, taskSchema, type BundleTask, type TaskResult } from '@shared/cluster/bundle'
import { fromBundleJson } from '@shared/cluster/json'
import { DEFAULT_SLURM } from '@shared/cluster/script'
import { sameStream } from '@shared/cluster/streams'
import { printable } from '@shared/project/errors'

/** What the cluster commands share: their usage, their command line, and reading bundle files with care. */

export type Out = { log: (s: string) => void; err: (s: string) => void }

export const CLUSTER_USAGE = `Usage: blockspin cluster <export|task|merge> …

  cluster export PROJECT --item ID --out DIR [--per-task N] [--shards N] [--seed S]
                 [--partition P] [--time T] [--mem M] [--cpus C]
      Split a sweep (one unit per (L, K) point) or a dataset (--shards N shards of its
      samples) into Slurm array tasks, N units a task (default 1): DIR/tasks/N.json, the
      job-array script DIR/blockspin-array.sbatch (time ${DEFAULT_SLURM.time}, memory ${DEFAULT_SLURM.mem}, ${DEFAULT_SLURM.cpus} CPU unless
      given) and DIR/README.md. Each unit has its own random stream from the seed
      (default: the item's seed).
  cluster task DIR/tasks/N.json
      Run one task headlessly; its finished units go to DIR/checkpoints/N.json as they end
      and the result to DIR/results/N.json. SIGUSR1, SIGTERM or Ctrl+C stop it with its
      checkpoint kept (exit status 75); run again, it resumes from the checkpoint.
  cluster merge PROJECT DIR [--out FILE]
      Check every result of the bundle in DIR and add what is done to the project (the
      sweep's points, or the shards as one dataset); one sentence per missing or failed task.
      Merging the same results again changes nothing.`

/** Parses the command line, or says what is wrong (with the usage) and returns null. */
export function clusterArgs(
  args: string[],
  valued: string[],
  positionals: number,
  out: Out
): { opts: Record<string, string | true>; positionals: string[] } | null {
  try {
    const parsed = parseCommandLine(args, { valued, positionals })
    if (parsed.positionals.length === positionals) return parsed
    out.err(`${positionals === 1 ? 'Name one file.' : 'Name the project and the bundle folder.'}\n\n${CLUSTER_USAGE}`)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    out.err(`${error.message}\n\n${CLUSTER_USAGE}`)
  }
  return null
}

/** Largest task, result or checkpoint file read (V8's longest string is ~512 MiB). */
export const MAX_BUNDLE_FILE_BYTES = 500 * 2 ** 20

/** A bundle file read, parsed and checked, or the clause saying why not. */
export async function readBundleFile<T>(
  path: string,
  check: (value: unknown) => { ok: true; value: T } | { ok: false; problem: string }
): Promise<{ ok: true; value: T } | { ok: false; problem: string; missing: boolean }> {
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, missing, problem: missing ? 'it does not exist' : `it cannot be read (${String(error)})` }
  }
  if (bytes.byteLength > MAX_BUNDLE_FILE_BYTES)
    return { ok: false, missing: false, problem: `it is larger than ${MAX_BUNDLE_FILE_BYTES / 2 ** 20} MiB` }
  let value: unknown
  try {
    value = fromBundleJson(bytes.toString('utf8'))
  } catch (error) {
    const detail = error instanceof SyntaxError ? printable(error.message, 120) : 'unreadable'
    return { ok: false, missing: false, problem: `it is not complete bundle JSON (truncated or damaged: ${detail})` }
  }
  const checked = check(value)
  return checked.ok ? checked : { ...checked, missing: false }
}

export const checkTask = (value: unknown): { ok: true; value: BundleTask } | { ok: false; problem: string } => {
  const problem = schemaProblem(taskSchema, value)
  return problem
    ? { ok: false, problem: `it is not a task file (${problem})` }
    : { ok: true, value: taskSchema.parse(value) }
}

/** A result or checkpoint of this task: same bundle, index and kind, each unit one of the task's with its stream. */
export function checkResultFor(task: BundleTask) {
  return (value: unknown): { ok: true; value: TaskResult } | { ok: false; problem: string } => {
    const problem = schemaProblem(resultSchema, value)
    if (problem) return { ok: false, problem: `it is not a result (${problem})` }
    const r = resultSchema.parse(value)
    if (r.bundleId !== task.bundleId || r.index !== task.index || r.kind !== task.kind)
      return { ok: false, problem: `it belongs to task ${r.index} of bundle ${r.bundleId}, not to this one` }
    for (const u of r.units) {
      const mine = task.units.find((t) => t.unit === u.unit)
      if (!mine || !sameStream(mine.stream, u.stream))
        return { ok: false, problem: `its unit ${u.unit} is not one of the task's, with the task's stream` }
    }
    if (new Set(r.units.map((u) => u.unit)).size !== r.units.length)
      return { ok: false, problem: 'it lists a unit twice' }
    if (r.format === 'blockspin-cluster-result' && r.units.length !== task.units.length)
      return { ok: false, problem: `it has ${r.units.length} of the task's ${task.units.length} units` }
    return { ok: true, value: r }
  }
}
