import { join } from 'node:path'
import { status, submit, type CommandRunner } from '../cluster/slurm'
import { ranges } from '../cluster/slurmStatus'
import type { SlurmCommands } from './clusterApi'

/**
 * The app's Submit and the array's state: src-main/cluster/slurm.ts (the CLI's `cluster submit`
 * and `cluster status`) in the shape of the contract's answers. The app never submits twice by
 * itself: a bundle already submitted says so, with its job.
 *
 * What the tasks run Blockspin with: `$BLOCKSPIN` if it is set where the app runs, else the
 * command the host passes (`blockspin`): the web host passes its own Node and the package's
 * bin/blockspin.mjs (appCommand), so the nodes run this very installation; the desktop app
 * passes none, since its executable is Electron, not Node (a packaged app's CLI lies inside its
 * app.asar), and the nodes run `blockspin` from their PATH.
 */
export function slurmCommands(options: { run?: CommandRunner; blockspin?: string | null } = {}): SlurmCommands {
  const { run, blockspin } = options
  const submitOptions = { ...(run ? { run } : {}), ...(blockspin ? { blockspin } : {}) }
  return {
    async submit(dir) {
      const r = await submit(dir, submitOptions)
      return r.ok ? { ok: true, message: r.message, jobId: r.submission.jobId } : { ok: false, message: r.message }
    },
    async status(dir) {
      const r = await status(dir, run ? { run } : {})
      if (!r.ok) return { ok: false, error: r.problem }
      const s = r.status
      return {
        ok: true,
        state: {
          counts: s.counts.map((c) => ({ state: c.state, count: c.count, tasks: ranges(c.tasks) })),
          failed: s.perTask
            .filter((t) => t.state === 'failed')
            .slice(0, 20)
            .map((t) => ({ index: t.index, detail: t.detail ?? 'failed' })),
          notes: s.notes,
          jobId: s.submission?.jobId ?? null,
          results: s.results,
          tasks: s.tasks,
          complete: s.complete,
          settled: s.settled
        }
      }
    }
  }
}

/**
 * The web host's command for the nodes: this Node (`process.execPath`) running the package's
 * bin/blockspin.mjs, the CLI of the same installation as the host. Null where a path holds
 * white space (the array script splits $BLOCKSPIN on spaces): the nodes then run `blockspin`.
 */
export function appCommand(execPath: string, packageRoot: string): string | null {
  const words = [execPath, join(packageRoot, 'bin', 'blockspin.mjs')]
  return words.some((w) => w === '' || /\s/.test(w)) ? null : words.join(' ')
}
