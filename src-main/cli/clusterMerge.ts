import { basename, resolve } from 'node:path'
import { atomicWriteFile } from '../services/atomicWrite'
import { readBundle } from '../services/clusterBundle'
import { packageInfo } from '../services/packageInfo'
import { mergeInto } from '@shared/cluster/merge'
import { encodeProject } from '@shared/project/codec'
import { printable } from '@shared/project/errors'
import { clusterArgs, type Out } from './clusterFiles'
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
  const read = await readBundle(dir)
  if (!read.ok) return (out.err(read.error), 2)
  const { manifest: m, tasks, units, notes: missing } = read
  const doc = await load(file, out)
  if (!doc) return 2
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
