import { readdir, readFile } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { atomicWriteFile } from '../services/atomicWrite'
import { packageInfo } from '../services/packageInfo'
import {
  manifestSchema,
  schemaProblem,
  type BundleManifest,
  type BundleTask,
  type TaskResult
} from '@shared/cluster/bundle'
import { mergeInto } from '@shared/cluster/merge'
import { encodeProject } from '@shared/project/codec'
import { printable } from '@shared/project/errors'
import { checkResultFor, checkTask, clusterArgs, readBundleFile, type Out } from './clusterFiles'
import { load } from './project'

/**
 * blockspin cluster merge PROJECT DIR [--out FILE]: every result of the bundle is read with the
 * care a project file gets (size cap, complete JSON, schema, the task's own bundle, units and
 * streams); a file that fails is left out with one sentence. What is done is merged (merge.ts)
 * and the project saved atomically, unless it already held exactly that.
 */

export async function mergeCommand(args: string[], out: Out): Promise<number> {
  const parsed = clusterArgs(args, ['--out'], 2, out)
  if (!parsed) return 2
  const file = resolve(parsed.positionals[0]!)
  const dir = resolve(parsed.positionals[1]!)
  const target = resolve((parsed.opts['--out'] as string | undefined) ?? file)
  const manifest = await readBundleFile(join(dir, 'bundle.json'), (v) => {
    const problem = schemaProblem(manifestSchema, v)
    return problem
      ? { ok: false as const, problem: `it is not a bundle description (${problem})` }
      : { ok: true as const, value: manifestSchema.parse(v) as BundleManifest }
  })
  if (!manifest.ok) return (out.err(`${join(dir, 'bundle.json')}: ${manifest.problem}.`), 2)
  const m = manifest.value
  const doc = await load(file, out)
  if (!doc) return 2
  const tasks: BundleTask[] = []
  for (let i = 0; i < m.tasks; i++) {
    const t = await readBundleFile(join(dir, 'tasks', `${i}.json`), checkTask)
    if (!t.ok || t.value.bundleId !== m.id || t.value.index !== i || t.value.kind !== m.kind) {
      const why = t.ok ? 'it is not this bundle’s task of that number' : t.problem
      out.err(`tasks/${i}.json: ${why}; the bundle cannot be merged.`)
      return 2
    }
    tasks.push(t.value)
  }
  const units: TaskResult['units'][number][] = []
  const missing: string[] = []
  const failedNotes = await failures(dir)
  for (const task of tasks) {
    const name = `results/${task.index}.json`
    const r = await readBundleFile(join(dir, name), checkResultFor(task))
    const labels = `${task.units.length === 1 ? task.units[0]!.label : `${task.units.length} units`}`
    if (r.ok && r.value.format === 'blockspin-cluster-result') {
      units.push(...r.value.units)
      continue
    }
    if (r.ok) missing.push(`${name}: task ${task.index} (${labels}) wrote a checkpoint, not a result; left out.`)
    else if (!r.missing) missing.push(`${name}: left out, ${r.problem}.`)
    else if (failedNotes.has(task.index))
      missing.push(`Task ${task.index} (${labels}) failed: ${failedNotes.get(task.index)}`)
    else missing.push(`Task ${task.index} (${labels}) has no result yet.`)
  }
  for (const line of missing) out.err(line)
  if (units.length === 0) {
    out.err(`No task of bundle ${m.id} has a result to merge; the project was left as it was.`)
    return 1
  }
  const merged = mergeInto(doc, m, tasks, units)
  if (merged.problem) return (out.err(`${merged.problem} The project was left as it was.`), 1)
  const what = `${merged.merged} of ${m.units} unit${m.units === 1 ? '' : 's'} of “${printable(m.item.name, 80)}” as “${printable(m.target.name, 80)}” (${m.target.id})`
  if (!merged.changed && target === file) {
    out.log(`${basename(file)} already holds ${what}; nothing changed.`)
    return missing.length ? 1 : 0
  }
  doc.project.modifiedAt = new Date().toISOString()
  const written = await atomicWriteFile(target, encodeProject(doc, packageInfo().version))
  if (!written.ok) return (out.err(`The project could not be saved to ${target}: ${written.detail}.`), 1)
  out.log(`Merged ${what} into ${target}.`)
  return missing.length ? 1 : 0
}

/** The reasons in results/N.failed.txt, one line each, made printable. */
async function failures(dir: string): Promise<Map<number, string>> {
  const notes = new Map<number, string>()
  const names = await readdir(join(dir, 'results')).catch(() => [] as string[])
  for (const name of names) {
    const match = /^(\d+)\.failed\.txt$/.exec(name)
    if (!match) continue
    const text = await readFile(join(dir, 'results', name), 'utf8').catch(() => '')
    notes.set(Number(match[1]), printable(text.slice(0, 400).trim().split('\n')[0] ?? '', 300))
  }
  return notes
}
