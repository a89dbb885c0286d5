import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * A real one-node Slurm cluster for a test file (scripts/slurm-local.sh): why it cannot run
 * here, starting it in a folder of its own on a port of its own (so the files can run side by
 * side) with the environment the tasks and the CLI use, and stopping it.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const SCRIPT = join(ROOT, 'scripts', 'slurm-local.sh')
/** The CLI's entry under tsx, as the tasks run it. */
export const CLI_ENTRY = join(ROOT, 'tests', 'helpers', 'clusterCli.ts')
export const TSX = pathToFileURL(createRequire(join(ROOT, 'package.json')).resolve('tsx')).href

/** Why a local Slurm cluster cannot run here (warned once, as `what` skipped), or null. */
export function slurmNotRunnable(what: string): string | null {
  const installed = ['/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/sbin/munged', '/usr/bin/sbatch'].every(existsSync)
  const reason = !installed
    ? 'Slurm is not installed (Debian: slurmctld slurmd slurm-client munge; .ci/run installs them)'
    : process.getuid?.() !== 0
      ? 'a local Slurm cluster needs root'
      : null
  if (reason) console.warn(`${what} skipped: ${reason}.`)
  return reason
}

export interface LocalSlurm {
  /** The test's folder (the cluster's state is in its slurm/). */
  dir: string
  state: string
  /** Why the start script failed, or null when the cluster is up. */
  problem: string | null
  /** SLURM_CONF of this cluster and BLOCKSPIN = the CLI under tsx, over process.env. */
  env: NodeJS.ProcessEnv
}

/** Starts a cluster in a new temporary folder named after `prefix`; `port` unless the script's default. */
export function startLocalSlurm(prefix: string, port?: string): LocalSlurm {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  const state = join(dir, 'slurm')
  const r = spawnSync(SCRIPT, ['start', state], {
    encoding: 'utf8',
    timeout: 60_000,
    env: port ? { ...process.env, BLOCKSPIN_SLURM_PORT: port } : process.env
  })
  const problem = r.status === 0 ? null : (r.stderr || r.stdout || 'the start script failed').trim()
  const env = {
    ...process.env,
    SLURM_CONF: join(state, 'slurm.conf'),
    BLOCKSPIN: `${process.execPath} --import ${TSX} ${CLI_ENTRY}`,
    TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json')
  }
  return { dir, state, problem, env }
}

/** Stops the cluster's daemons and removes its folder. */
export function stopLocalSlurm(s: Pick<LocalSlurm, 'dir' | 'state'>): void {
  spawnSync(SCRIPT, ['stop', s.state], { timeout: 30_000 })
  rmSync(s.dir, { recursive: true, force: true })
}
