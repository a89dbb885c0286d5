import { resolve } from 'node:path'
import { parseCommandLine, UsageError } from '../services/args'
import { selfCommand } from '../cluster/commands'
import { status, submit, type CommandRunner } from '../cluster/slurm'
import { CLUSTER_USAGE, type Out } from './clusterFiles'

/**
 * blockspin cluster submit DIR [--force] and blockspin cluster status DIR [--json]: the bundle's
 * job array handed to Slurm where sbatch is on PATH (a login node), and its tasks' state
 * (src-main/cluster/slurm.ts does the work; the app's main process calls it too).
 */

/** What the commands run Slurm's programs with, and in which environment (tests pass their own). */
export interface SlurmDeps {
  run?: CommandRunner
  env?: NodeJS.ProcessEnv
  /** The command line that started this CLI: process.execPath, execArgv, process.argv[1]. */
  self?: readonly string[]
}

function parse(args: string[], flags: string[], out: Out): { dir: string; opts: Record<string, string | true> } | null {
  try {
    const parsed = parseCommandLine(args, { flags, positionals: 1 })
    if (parsed.positionals.length === 1) return { dir: resolve(parsed.positionals[0]!), opts: parsed.opts }
    out.err(`Name the bundle folder.\n\n${CLUSTER_USAGE}`)
  } catch (error) {
    if (!(error instanceof UsageError)) throw error
    out.err(`${error.message}\n\n${CLUSTER_USAGE}`)
  }
  return null
}

export async function submitCommand(args: string[], out: Out, deps: SlurmDeps = {}): Promise<number> {
  const parsed = parse(args, ['--force'], out)
  if (!parsed) return 2
  const self = deps.self ?? [process.execPath, ...process.execArgv, process.argv[1] ?? '']
  const blockspin = selfCommand(self)
  const r = await submit(parsed.dir, {
    force: parsed.opts['--force'] === true,
    ...(deps.run ? { run: deps.run } : {}),
    ...(deps.env ? { env: deps.env } : {}),
    ...(blockspin ? { blockspin } : {})
  })
  if (!r.ok) return (out.err(r.message), r.reason === 'not-recorded' ? 1 : 2)
  out.log(`${r.message}\nFollow it with: blockspin cluster status ${parsed.dir}`)
  return 0
}

export async function statusCommand(args: string[], out: Out, deps: SlurmDeps = {}): Promise<number> {
  const parsed = parse(args, ['--json'], out)
  if (!parsed) return 2
  const r = await status(parsed.dir, { ...(deps.run ? { run: deps.run } : {}), ...(deps.env ? { env: deps.env } : {}) })
  if (!r.ok) return (out.err(r.problem), 2)
  out.log(parsed.opts['--json'] === true ? JSON.stringify(r.status, null, 1) : r.status.lines.join('\n'))
  return 0
}
