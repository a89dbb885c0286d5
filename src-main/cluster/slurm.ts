import { join } from 'node:path'
import { atomicWriteFile } from '../services/atomicWrite'
import { printable } from '@shared/project/errors'
import {
  ARRAY_SCRIPT,
  firstLine,
  readManifest,
  readSubmission,
  runCommand,
  SUBMISSION_FILE,
  type CommandRunner,
  type SubmissionRecord
} from './commands'
import { ranges, status } from './slurmStatus'

/**
 * Submitting a bundle (`blockspin cluster export`'s folder) to Slurm from where sbatch is on
 * PATH (a login node), for the CLI (`blockspin cluster submit`) and the app's main process.
 * Node only; the Slurm commands go through a CommandRunner, so tests run without Slurm.
 *
 *   const r = await submit(dir)                  // sbatch --parsable blockspin-array.sbatch, from dir
 *   if (r.ok) r.submission.jobId                 // also in dir/submitted.json (written atomically)
 *   else r.reason, r.message                     // 'no-sbatch' | 'already-submitted' | 'refused' | …
 *   const s = await status(dir)                  // slurmStatus.ts: squeue, sacct and the result files
 *
 * Expected failures are values with one sentence each (`message`), never exceptions.
 */

export { status, type BundleStatus, type StatusOptions, type TaskState, type TaskStatus } from './slurmStatus'
export { runCommand, type CommandOutput, type CommandRunner, type SubmissionRecord } from './commands'

export interface SubmitOptions {
  /** Submit again although the bundle records a submission (the earlier job ids are kept in `previous`). */
  force?: boolean
  /** Runs sbatch; the real one by default. */
  run?: CommandRunner
  /** sbatch's environment (Slurm passes it to the tasks); process.env by default. */
  env?: NodeJS.ProcessEnv
  /**
   * The command the tasks run Blockspin with, when `env` has no BLOCKSPIN: the array script runs
   * `$BLOCKSPIN cluster task …` (default `blockspin`). Words separated by spaces, as the script
   * splits them. The CLI passes its own command line, so the nodes run the same installation.
   */
  blockspin?: string
  /** The submission's time (tests). */
  now?: () => Date
}

export type SubmitFailure =
  /** The folder is not a bundle, or its submission record is damaged. */
  | 'not-a-bundle'
  /** sbatch is not on PATH here: the bundle is to be copied to the cluster. */
  | 'no-sbatch'
  /** submitted.json records a submission and `force` was not given. */
  | 'already-submitted'
  /** sbatch ran and refused the script, or answered without a job id. */
  | 'refused'
  /** The job was submitted but submitted.json could not be written (the message names the job). */
  | 'not-recorded'

export type SubmitOutcome =
  | { ok: true; submission: SubmissionRecord; message: string }
  | { ok: false; reason: SubmitFailure; message: string; submission?: SubmissionRecord }

/** `sbatch --parsable` prints `JOBID` or `JOBID;CLUSTER`. */
function parseJobId(stdout: string): { jobId: string; cluster: string | null } | null {
  const m = /^(\d{1,15})(?:;([A-Za-z0-9_.-]{1,200}))?$/.exec(stdout.trim().split('\n').pop()?.trim() ?? '')
  return m ? { jobId: m[1]!, cluster: m[2] ?? null } : null
}

/** Submits the bundle in `dir` as a Slurm job array and records the job in dir/submitted.json. */
export async function submit(dir: string, options: SubmitOptions = {}): Promise<SubmitOutcome> {
  const run = options.run ?? runCommand
  const now = options.now ?? (() => new Date())
  const read = await readManifest(dir)
  if (!read.ok) return { ok: false, reason: 'not-a-bundle', message: read.problem }
  const manifest = read.manifest
  const earlier = await readSubmission(dir, manifest.id)
  if (!earlier.ok && !options.force)
    return {
      ok: false,
      reason: 'not-a-bundle',
      message: `${earlier.problem.slice(0, -1)}; remove it or submit with --force.`
    }
  const before = earlier.ok ? earlier.submission : null
  if (before && !options.force)
    return {
      ok: false,
      reason: 'already-submitted',
      message: `${dir} was already submitted as job ${before.jobId} on ${before.submittedAt}; submit it again with --force (tasks already done end at once).`,
      submission: before
    }
  const env = { ...(options.env ?? process.env) }
  if (!env['BLOCKSPIN'] && options.blockspin) env['BLOCKSPIN'] = options.blockspin
  // Submitted again: only the tasks neither done nor still queued or running (a stopped task
  // resumes from its checkpoint), so no task runs twice at once and nothing done is redone.
  let array: string | undefined
  if (before) {
    const current = await status(dir, { run, env })
    if (current.ok) {
      const todo = current.status.perTask.filter((t) => !['done', 'running', 'pending'].includes(t.state))
      if (todo.length === 0)
        return {
          ok: false,
          reason: 'already-submitted',
          message: `Every task of ${dir} is done, queued or running (job ${before.jobId}); there is nothing to submit again.`,
          submission: before
        }
      if (todo.length < manifest.tasks) array = ranges(todo.map((t) => t.index)).replace(/ /g, '')
    }
  }
  const args = [...(array ? [`--array=${array}`] : []), '--parsable', ARRAY_SCRIPT]
  const out = await run('sbatch', args, { cwd: dir, env })
  if (out.notFound)
    return {
      ok: false,
      reason: 'no-sbatch',
      message: `sbatch is not on PATH: copy ${dir} to the cluster and run \`sbatch ${ARRAY_SCRIPT}\` in that folder there.`
    }
  if (out.status !== 0)
    return { ok: false, reason: 'refused', message: `sbatch refused ${join(dir, ARRAY_SCRIPT)}: ${firstLine(out)}.` }
  const job = parseJobId(out.stdout)
  if (!job)
    return {
      ok: false,
      reason: 'refused',
      message: `sbatch answered “${printable(out.stdout.trim(), 120)}” for ${join(dir, ARRAY_SCRIPT)}, not a job id; see squeue before submitting again.`
    }
  const submission: SubmissionRecord = {
    format: 'blockspin-cluster-submission',
    version: 1,
    bundleId: manifest.id,
    jobId: job.jobId,
    cluster: job.cluster,
    submittedAt: now().toISOString(),
    script: ARRAY_SCRIPT,
    command: env['BLOCKSPIN'] || 'blockspin',
    previous: before
      ? [...before.previous, { jobId: before.jobId, cluster: before.cluster, submittedAt: before.submittedAt }]
      : [],
    ...(array ? { array } : {})
  }
  const path = join(dir, SUBMISSION_FILE)
  const written = await atomicWriteFile(path, new TextEncoder().encode(JSON.stringify(submission, null, 1) + '\n'))
  if (!written.ok)
    return {
      ok: false,
      reason: 'not-recorded',
      message: `Submitted as job ${job.jobId}, but ${path} could not be written (${written.detail}); status will not know the job.`,
      submission
    }
  const tasks = array
    ? `tasks ${array.replace(/,/g, ', ')} of ${manifest.tasks}`
    : `${manifest.tasks} task${manifest.tasks === 1 ? '' : 's'}`
  return {
    ok: true,
    submission,
    message: `Submitted ${dir} as job ${job.jobId}${job.cluster ? ` on ${job.cluster}` : ''} (${tasks}, each running ${submission.command} cluster task).`
  }
}
