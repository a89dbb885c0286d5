import { parseCommandLine, UsageError } from '../services/args'
import { DEFAULT_SLURM } from '@shared/cluster/script'

/** What the cluster commands share: their usage and their command line (reading bundle files: services/clusterFiles.ts). */

export { checkResultFor, checkTask, MAX_BUNDLE_FILE_BYTES, readBundleFile } from '../services/clusterFiles'

export type Out = { log: (s: string) => void; err: (s: string) => void }

export const CLUSTER_USAGE = `Usage: blockspin cluster <export|task|merge|submit|status> …

  cluster export PROJECT --item ID --out DIR [--per-task N] [--shards N] [--seed S]
                 [--grid lr=R,… hidden=H,… seeds=N] [--no-warm-start]
                 [--partition P] [--time T] [--mem M] [--cpus C]
      Split a sweep (one unit per (L, K) point; each point of a task starts from the
      previous point's spins unless --no-warm-start), a dataset (--shards N shards of its
      samples), an MCRG (--shards N independent chains, default 8), an RG flow (one unit per
      starting K) or a training (--grid: one training per learning rate × first hidden
      layer size × seed, on the dataset packed into DIR/data) into Slurm array tasks, N
      units a task (default 1):
      DIR/tasks/N.json, the job-array script DIR/blockspin-array.sbatch (time ${DEFAULT_SLURM.time}, memory
      ${DEFAULT_SLURM.mem}, ${DEFAULT_SLURM.cpus} CPU unless given) and DIR/README.md. Each unit has its own random
      stream from the seed (default: the item's seed).
  cluster task DIR/tasks/N.json
      Run one task headlessly; its finished units go to DIR/checkpoints/N.json as they end
      (with the state of the unit it stopped part-way; an RG flow's K starts again) and the result to
      DIR/results/N.json. SIGUSR1, SIGTERM or Ctrl+C stop it with its checkpoint kept (exit
      status 75); run again, it resumes from the checkpoint.
  cluster merge PROJECT DIR [--out FILE]
      Check every result of the bundle in DIR and add what is done to the project (the
      sweep's points, the shards as one dataset, the chains as one MCRG, an RG flow's
      points by K as one flow, the trainings as trainings); one sentence per missing or
      failed task.
      Merging the same results again changes nothing.
  cluster submit DIR [--force]
      Where sbatch is on PATH (a login node): submit the bundle's job array from DIR and record
      the job in DIR/submitted.json. The tasks run BLOCKSPIN if set, else this same blockspin.
      --force submits a bundle again that was submitted before: only its tasks neither done
      nor queued or running (failed tasks, and stopped ones, which resume from checkpoints).
  cluster status DIR [--json]
      The state of the bundle's tasks: done (their result files read back as merge reads
      them), running and pending (squeue), stopped with a checkpoint, or failed (with the cause:
      sacct where the cluster keeps accounting, results/N.failed.txt, a damaged or foreign
      result file); one line per state with the task ids.`

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
