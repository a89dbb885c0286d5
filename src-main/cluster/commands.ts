import { execFile } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { basename, join } from 'node:path'
import { z } from 'zod'
import { manifestSchema, schemaProblem, type BundleManifest } from '@shared/cluster/bundle'
import { fromBundleJson } from '@shared/cluster/json'
import { printable } from '@shared/project/errors'

/**
 * What submitting a bundle and asking for its state share: running Slurm's commands (through an
 * injectable runner, so tests need no Slurm), reading the bundle's description and its
 * submission record (submitted.json), each checked before use.
 */

/** What a command printed and how it ended; `notFound` when the program is not on PATH. */
export interface CommandOutput {
  status: number | null
  stdout: string
  stderr: string
  notFound: boolean
}

export interface CommandOptions {
  cwd?: string
  env?: NodeJS.ProcessEnv
}

/** Runs a program (never through a shell). Tests pass their own to play sbatch, squeue and sacct. */
export type CommandRunner = (
  program: string,
  args: readonly string[],
  options: CommandOptions
) => Promise<CommandOutput>

/** Slurm's commands answer in a second or two; a controller that does not answer within this is down. */
const COMMAND_TIMEOUT_MS = 60_000

/** The runner of the real programs: execFile with a timeout; a missing program is `notFound`. */
export const runCommand: CommandRunner = (program, args, options) =>
  new Promise((done) => {
    execFile(
      program,
      [...args],
      { ...options, timeout: COMMAND_TIMEOUT_MS, maxBuffer: 32 * 2 ** 20, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = (error as NodeJS.ErrnoException | null)?.code
        done({
          status: error ? (typeof code === 'number' ? code : ((error as { status?: number }).status ?? null)) : 0,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? '') || (error && typeof code !== 'number' ? error.message : ''),
          notFound: code === 'ENOENT'
        })
      }
    )
  })

/** The first line of what a command printed on stderr (or stdout), printable, for a sentence. */
export function firstLine(o: CommandOutput): string {
  const text = (o.stderr.trim() || o.stdout.trim()).split('\n')[0] ?? ''
  return printable(text.trim(), 200) || `exit status ${o.status ?? 'unknown'}`
}

/** The file of the job array in every bundle (`blockspin cluster export` writes it). */
export const ARRAY_SCRIPT = 'blockspin-array.sbatch'
/** The record of a bundle's submission, in the bundle folder. */
export const SUBMISSION_FILE = 'submitted.json'

const jobRef = z.object({
  /** Slurm's job id of the array (its tasks are JOB_0, JOB_1, …). */
  jobId: z.string().regex(/^\d{1,15}$/, 'Expected a Slurm job id'),
  /** The cluster's name where sbatch named one (`--parsable` prints `JOB;CLUSTER` on federations). */
  cluster: z.string().max(200).nullable(),
  submittedAt: z.string().max(40)
})

export const submissionSchema = z.object({
  format: z.literal('blockspin-cluster-submission'),
  version: z.literal(1),
  bundleId: z.string().regex(/^[0-9a-f]{16}$/),
  ...jobRef.shape,
  /** The script submitted, relative to the bundle folder. */
  script: z.string().max(200),
  /** The command the tasks run Blockspin with (the script's BLOCKSPIN), as submitted. */
  command: z.string().max(4000),
  /** Earlier submissions of the same bundle (`--force`), oldest first. */
  previous: z.array(jobRef).max(1000),
  /**
   * The array indices submitted (sbatch's `--array`, e.g. "3,7-9") when a submission again with
   * `--force` left out the tasks done, queued or running; absent when every task was submitted.
   */
  array: z
    .string()
    .regex(/^\d{1,9}(?:-\d{1,9})?(?:,\d{1,9}(?:-\d{1,9})?)*$/, 'Expected array indices such as 0-3,7')
    .max(100_000)
    .optional()
})
export type SubmissionRecord = z.infer<typeof submissionSchema>

/** A small JSON file of the bundle, read and checked; a clause saying why not (or `missing`). */
async function readChecked<T>(
  path: string,
  what: string,
  check: (v: unknown) => string | null,
  parse: (v: unknown) => T
): Promise<{ ok: true; value: T } | { ok: false; missing: boolean; problem: string }> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
    return { ok: false, missing, problem: missing ? `${path} does not exist` : `${path} cannot be read` }
  }
  if (text.length > 2 ** 20) return { ok: false, missing: false, problem: `${path} is too large for ${what}` }
  let value: unknown
  try {
    value = fromBundleJson(text)
  } catch {
    return { ok: false, missing: false, problem: `${path} is not complete JSON (truncated or damaged)` }
  }
  const problem = check(value)
  return problem
    ? { ok: false, missing: false, problem: `${path} is not ${what} (${problem})` }
    : { ok: true, value: parse(value) }
}

/** The bundle's description, or one sentence saying why the folder is not a bundle. */
export async function readManifest(
  dir: string
): Promise<{ ok: true; manifest: BundleManifest } | { ok: false; problem: string }> {
  const r = await readChecked(
    join(dir, 'bundle.json'),
    'a bundle description',
    (v) => schemaProblem(manifestSchema, v),
    (v) => manifestSchema.parse(v)
  )
  if (r.ok) return { ok: true, manifest: r.value }
  return {
    ok: false,
    problem: r.missing
      ? `${dir} is not a bundle folder (it has no bundle.json; make one with blockspin cluster export).`
      : `${r.problem}.`
  }
}

/** The submission record: null when the bundle was not submitted from here, or a sentence when it is damaged. */
export async function readSubmission(
  dir: string,
  bundleId: string
): Promise<{ ok: true; submission: SubmissionRecord | null } | { ok: false; problem: string }> {
  const r = await readChecked(
    join(dir, SUBMISSION_FILE),
    'a submission record',
    (v) => schemaProblem(submissionSchema, v),
    (v) => submissionSchema.parse(v)
  )
  if (r.ok && r.value.bundleId !== bundleId)
    return {
      ok: false,
      problem: `${join(dir, SUBMISSION_FILE)} records bundle ${r.value.bundleId}, not this bundle (${bundleId}).`
    }
  if (r.ok) return { ok: true, submission: r.value }
  return r.missing ? { ok: true, submission: null } : { ok: false, problem: `${r.problem}.` }
}

/**
 * The command the nodes run Blockspin with when BLOCKSPIN is not set: this very CLI (`node
 * …/bin/blockspin.mjs`), so an installation that is not on PATH still works on the nodes. Null
 * when this is not the blockspin command, or a word holds a space (the script splits on spaces).
 */
export function selfCommand(self: readonly string[]): string | null {
  const script = self[self.length - 1]
  if (!script || !/^blockspin(\.mjs)?$/.test(basename(script))) return null
  return self.some((w) => /\s/.test(w) || w === '') ? null : self.join(' ')
}
