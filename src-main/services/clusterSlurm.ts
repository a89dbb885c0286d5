import { selfCommand } from '../cluster/commands'
import { status, submit, type CommandRunner } from '../cluster/slurm'
import type { SlurmCommands } from './clusterApi'

/**
 * The app's Submit and the array's state: src-main/cluster/slurm.ts (the CLI's `cluster submit`
 * and `cluster status`) in the shape of the contract's answers. The app never submits twice by
 * itself: a bundle already submitted says so, with its job. The tasks run `$BLOCKSPIN` if set,
 * else this Blockspin when it was started as the blockspin command (a web host started with
 * `blockspin web`), else `blockspin` from the nodes' PATH.
 */
export function slurmCommands(
  run?: CommandRunner,
  self: readonly string[] = [process.execPath, ...process.execArgv, process.argv[1] ?? '']
): SlurmCommands {
  const blockspin = selfCommand(self)
  const options = { ...(run ? { run } : {}), ...(blockspin ? { blockspin } : {}) }
  return {
    async submit(dir) {
      const r = await submit(dir, options)
      return r.ok ? { ok: true, message: r.message, jobId: r.submission.jobId } : { ok: false, message: r.message }
    },
    async status(dir) {
      const r = await status(dir, run ? { run } : {})
      if (!r.ok) return { ok: false, error: r.problem }
      const s = r.status
      return {
        ok: true,
        state: {
          lines: s.lines,
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
