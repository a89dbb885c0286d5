import { chmod, mkdir, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  manifestSchema,
  schemaProblem,
  type BundleManifest,
  type BundleTask,
  type TaskResult
} from '@shared/cluster/bundle'
import { fromBundleJson, toBundleJson } from '@shared/cluster/json'
import { arrayScript, bundleReadme, type SlurmOptions } from '@shared/cluster/script'
import { printable } from '@shared/project/errors'
import { atomicWriteFile, describeFsError } from './atomicWrite'
import { checkResultFor, checkTask, readBundleFile } from './clusterFiles'

/**
 * A cluster bundle on disk, for `blockspin cluster export | merge` and the app's "Run on a
 * cluster…" and "Merge results…": writing a split item's files (tasks, bundle.json, the array
 * script, the README) and reading back what its tasks made, every file checked.
 */

export type BundleWrite = { ok: true } | { ok: false; error: string; usage: boolean }

/** Where a bundle's other files (a training's packed dataset) may go: one plain file name under data/. */
export const BUNDLE_DATA_FILE = /^data\/[A-Za-z0-9_-][A-Za-z0-9_.-]{0,99}$/

/** Writes the bundle into `dir` (made if needed); a folder holding another bundle is left alone. */
export async function writeBundle(
  dir: string,
  bundle: { manifest: BundleManifest; tasks: BundleTask[]; files?: { path: string; text: string }[] },
  slurm: SlurmOptions
): Promise<BundleWrite> {
  const { manifest, tasks } = bundle
  const extra = bundle.files ?? []
  const stray = extra.find((f) => !BUNDLE_DATA_FILE.test(f.path))
  if (stray)
    return {
      ok: false,
      usage: false,
      error: `A bundle's own files go under data/, not "${printable(stray.path, 60)}".`
    }
  const existing = await readFile(join(dir, 'bundle.json'), 'utf8').then(
    (text) => manifestSchema.safeParse(fromBundleJson(text)),
    () => null
  )
  if (existing && !(existing.success && existing.data.id === manifest.id))
    return { ok: false, usage: true, error: `${dir} holds another bundle; it was left alone (choose another folder).` }
  try {
    const subs = ['tasks', 'results', 'checkpoints', 'logs', ...(extra.length ? ['data'] : [])]
    for (const sub of subs) await mkdir(join(dir, sub), { recursive: true })
  } catch (error) {
    return { ok: false, usage: false, error: `The folder ${dir} could not be made: ${describeFsError(error)}.` }
  }
  const files: [string, string][] = [
    ...extra.map((f): [string, string] => [f.path, f.text]),
    ...tasks.map((t): [string, string] => [join('tasks', `${t.index}.json`), toBundleJson(t) + '\n']),
    [
      'bundle.json',
      toBundleJson(existing?.success ? { ...manifest, createdAt: existing.data.createdAt } : manifest) + '\n'
    ],
    ['blockspin-array.sbatch', arrayScript(manifest, slurm)],
    ['README.md', bundleReadme(manifest, slurm)]
  ]
  for (const [name, text] of files) {
    const written = await atomicWriteFile(join(dir, name), new TextEncoder().encode(text))
    if (!written.ok)
      return { ok: false, usage: false, error: `${join(dir, name)} could not be written: ${written.detail}.` }
  }
  await chmod(join(dir, 'blockspin-array.sbatch'), 0o755)
  return { ok: true }
}

/** Why a manifest and its tasks are not one bundle (the app's renderer sends them), or null. */
export function bundleProblem(m: BundleManifest, tasks: BundleTask[]): string | null {
  if (tasks.length !== m.tasks) return `the bundle names ${m.tasks} tasks but ${tasks.length} were given`
  for (const [i, t] of tasks.entries())
    if (t.bundleId !== m.id || t.index !== i || t.kind !== m.kind) return `task ${i} is not this bundle’s task ${i}`
  const units = tasks.flatMap((t) => t.units.map((u) => u.unit))
  if (units.length !== m.units || units.some((u, i) => u !== i))
    return `the tasks hold units ${units.length === m.units ? 'out of order' : units.length}, not 0 to ${m.units - 1}`
  return null
}

/** What a bundle's tasks made: every finished unit, and one sentence per task without a usable result. */
export type BundleRead =
  | { ok: true; manifest: BundleManifest; tasks: BundleTask[]; units: TaskResult['units'][number][]; notes: string[] }
  | { ok: false; error: string }

/** Reads `dir`'s bundle.json, its task files (all must be sound) and whatever results there are. */
export async function readBundle(dir: string): Promise<BundleRead> {
  const manifest = await readBundleFile(join(dir, 'bundle.json'), (v) => {
    const problem = schemaProblem(manifestSchema, v)
    return problem
      ? { ok: false as const, problem: `it is not a bundle description (${problem})` }
      : { ok: true as const, value: manifestSchema.parse(v) as BundleManifest }
  })
  if (!manifest.ok) return { ok: false, error: `${join(dir, 'bundle.json')}: ${manifest.problem}.` }
  const m = manifest.value
  const tasks: BundleTask[] = []
  for (let i = 0; i < m.tasks; i++) {
    const t = await readBundleFile(join(dir, 'tasks', `${i}.json`), checkTask)
    if (!t.ok || t.value.bundleId !== m.id || t.value.index !== i || t.value.kind !== m.kind) {
      const why = t.ok ? 'it is not this bundle’s task of that number' : t.problem
      return { ok: false, error: `tasks/${i}.json: ${why}; the bundle cannot be merged.` }
    }
    tasks.push(t.value)
  }
  const units: TaskResult['units'][number][] = []
  const notes: string[] = []
  const failedNotes = await failures(dir)
  for (const task of tasks) {
    const name = `results/${task.index}.json`
    const r = await readBundleFile(join(dir, name), checkResultFor(task))
    const labels = `${task.units.length === 1 ? task.units[0]!.label : `${task.units.length} units`}`
    if (r.ok && r.value.format === 'blockspin-cluster-result') {
      units.push(...r.value.units)
      continue
    }
    if (r.ok) notes.push(`${name}: task ${task.index} (${labels}) wrote a checkpoint, not a result; left out.`)
    else if (!r.missing) notes.push(`${name}: left out, ${r.problem}.`)
    else if (failedNotes.has(task.index))
      notes.push(`Task ${task.index} (${labels}) failed: ${failedNotes.get(task.index)}`)
    else notes.push(`Task ${task.index} (${labels}) has no result yet.`)
  }
  return { ok: true, manifest: m, tasks, units, notes }
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
