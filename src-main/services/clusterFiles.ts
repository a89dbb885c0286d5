import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { resultSchema, schemaProblem, taskSchema, type BundleTask, type TaskResult } from '@shared/cluster/bundle'
import { fromBundleJson } from '@shared/cluster/json'
import { sameStream } from '@shared/cluster/streams'
import { unitMisfit } from '@shared/cluster/unitFit'
import { printable } from '@shared/project/errors'

/**
 * Reading a cluster bundle's files with the care a project file gets (size cap, complete bundle
 * JSON, schema, the task's own bundle, units and streams): the CLI's task and merge commands and
 * the app's Merge results… share these.
 */

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
    for (const u of r.units) {
      const misfit = unitMisfit(task, task.units.find((t) => t.unit === u.unit)!.spec, u.result)
      if (misfit) return { ok: false, problem: `its unit ${u.unit} is not what the task asked for (${misfit})` }
    }
    const partial = 'partial' in r ? r.partial : undefined
    if (partial && (!task.units.some((t) => t.unit === partial.unit) || r.units.some((u) => u.unit === partial.unit)))
      return {
        ok: false,
        problem: `its unit ${partial.unit} stopped part-way is not one of the task's unfinished units`
      }
    return { ok: true, value: r }
  }
}

/**
 * Task `index`'s result file in the bundle folder `dir`, checked as merge checks it (the task
 * file read and checked first, then the result against it): the result, or `missing`, or the
 * sentence saying why merge would leave it out (`cluster status` counts such a task as failed).
 */
export async function readTaskResult(
  dir: string,
  index: number,
  bundleId: string
): Promise<{ ok: true; value: TaskResult } | { ok: false; missing: boolean; problem: string }> {
  const name = `results/${index}.json`
  const task = await readBundleFile(join(dir, 'tasks', `${index}.json`), checkTask)
  if (!task.ok || task.value.bundleId !== bundleId || task.value.index !== index) {
    const why = task.ok ? 'it is not this bundle’s task of that number' : task.problem
    return { ok: false, missing: false, problem: `tasks/${index}.json cannot be read to check ${name}: ${why}.` }
  }
  const r = await readBundleFile(join(dir, name), checkResultFor(task.value))
  if (!r.ok) return r.missing ? r : { ...r, problem: `${name} cannot be merged: ${r.problem}.` }
  if (r.value.format !== 'blockspin-cluster-result')
    return { ok: false, missing: false, problem: `${name} is a checkpoint, not a result; merge leaves it out.` }
  return r
}
