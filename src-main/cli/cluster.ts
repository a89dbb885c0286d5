import { resolve } from 'node:path'
import { writeBundle } from '../services/clusterBundle'
import { DEFAULT_SLURM, slurmOptionsProblem, type SlurmOptions } from '@shared/cluster/script'
import { splitItem } from '@shared/cluster/split'
import { printable } from '@shared/project/errors'
import { CLUSTER_USAGE, clusterArgs, type Out } from './clusterFiles'
import { takeExportExtras } from './clusterGrid'
import { mergeCommand } from './clusterMerge'
import { statusCommand, submitCommand } from './clusterSubmit'
import { taskCommand } from './clusterTask'
import { load } from './project'

/** blockspin cluster export | task | merge | submit | status: project items as Slurm job arrays. */

export { CLUSTER_USAGE } from './clusterFiles'

export async function clusterCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === 'help' || args.some((a) => a === '--help' || a === '-h'))
    return (out.log(CLUSTER_USAGE), sub === undefined ? 2 : 0)
  if (sub === 'export') return exportCommand(rest, out)
  if (sub === 'task') return taskCommand(rest, out)
  if (sub === 'merge') return mergeCommand(rest, out)
  if (sub === 'submit') return submitCommand(rest, out)
  if (sub === 'status') return statusCommand(rest, out)
  out.err(`Unknown cluster command "${printable(sub, 40)}".\n\n${CLUSTER_USAGE}`)
  return 2
}

/** A whole number option, or a sentence. */
function intOption(opts: Record<string, string | true>, name: string): number | undefined | string {
  const v = opts[name]
  if (v === undefined) return undefined
  const n = Number(v)
  return typeof v === 'string' && /^-?\d+$/.test(v) && Number.isSafeInteger(n)
    ? n
    : `${name} takes a whole number, not "${String(v)}".`
}

async function exportCommand(args: string[], out: Out): Promise<number> {
  const valued = ['--item', '--out', '--per-task', '--shards', '--seed', '--partition', '--time', '--mem', '--cpus']
  const extras = takeExportExtras(args)
  if ('error' in extras) return (out.err(extras.error), 2)
  const parsed = clusterArgs(extras.args, valued, 1, out)
  if (!parsed) return 2
  const { opts } = parsed
  if (typeof opts['--item'] !== 'string' || typeof opts['--out'] !== 'string') {
    out.err(`cluster export needs --item ID and --out DIR.\n\n${CLUSTER_USAGE}`)
    return 2
  }
  const numbers = ['--per-task', '--shards', '--seed', '--cpus'].map((n) => intOption(opts, n))
  const bad = numbers.find((n) => typeof n === 'string')
  if (bad) return (out.err(bad as string), 2)
  const [perTask, shards, seed, cpus] = numbers as (number | undefined)[]
  const slurm: SlurmOptions = {
    time: (opts['--time'] as string | undefined) ?? DEFAULT_SLURM.time,
    mem: (opts['--mem'] as string | undefined) ?? DEFAULT_SLURM.mem,
    cpus: cpus ?? DEFAULT_SLURM.cpus,
    ...(typeof opts['--partition'] === 'string' ? { partition: opts['--partition'] } : {})
  }
  const problem = slurmOptionsProblem(slurm)
  if (problem) return (out.err(problem), 2)
  const doc = await load(resolve(parsed.positionals[0]!), out)
  if (!doc) return 2
  const bundle = splitItem(doc, opts['--item'], {
    ...(perTask !== undefined ? { perTask } : {}),
    ...(shards !== undefined ? { shards } : {}),
    ...(seed !== undefined ? { seed } : {}),
    ...(extras.grid ? { grid: extras.grid } : {}),
    ...(extras.warmStart !== undefined ? { warmStart: extras.warmStart } : {})
  })
  if ('error' in bundle) return (out.err(bundle.error), 2)
  const dir = resolve(opts['--out'])
  const written = await writeBundle(dir, bundle, slurm)
  if (!written.ok) return (out.err(written.error), written.usage ? 2 : 1)
  const { manifest } = bundle
  out.log(
    `Wrote ${dir}: ${manifest.tasks} task${manifest.tasks === 1 ? '' : 's'} of ${manifest.units} unit${manifest.units === 1 ? '' : 's'} (bundle ${manifest.id}, seed ${manifest.seed}).\n` +
      `On the cluster, from that folder: sbatch blockspin-array.sbatch\n` +
      `Then: blockspin cluster merge PROJECT ${dir}`
  )
  return 0
}
