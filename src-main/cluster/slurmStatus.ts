import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { printable } from '@shared/project/errors'
import { readTaskResult } from '../services/clusterFiles'
import {
  firstLine,
  readManifest,
  readSubmission,
  runCommand,
  type CommandRunner,
  type SubmissionRecord
} from './commands'

/**
 * The state of a bundle's array tasks: squeue for those queued or running, sacct (where the
 * cluster keeps accounting) for those that ended, and the bundle's files — results/N.json (a
 * task done when it reads back as merge reads it: complete bundle JSON, the result schema, the
 * task's bundle, units and streams; a damaged, hostile or foreign one makes the task failed,
 * with the sentence why), results/N.failed.txt (a unit
 * failed, with the reason) and checkpoints/N.json (a task stopped with its finished units).
 * Slurm is asked first and the files read after, so a task that leaves the queue between the
 * two is still seen with its result.
 */

export type TaskState = 'done' | 'running' | 'pending' | 'stopped' | 'failed' | 'unknown' | 'not-submitted'

export interface TaskStatus {
  index: number
  state: TaskState
  /** Slurm's word for the task where Slurm was asked (RUNNING, PENDING, FAILED, …). */
  slurm?: string
  /** Why it is in that state (a pending task's reason, a failed task's cause), one clause. */
  detail?: string
}

export interface BundleStatus {
  dir: string
  bundleId: string
  kind: string
  item: string
  tasks: number
  submission: SubmissionRecord | null
  /** Sound result files (tasks done). */
  results: number
  /** One entry per state that has tasks, in the order of STATE_ORDER. */
  counts: { state: TaskState; count: number; tasks: number[] }[]
  perTask: TaskStatus[]
  /** Every task done. */
  complete: boolean
  /** No task is queued or running any more (or none was submitted): waiting longer changes nothing. */
  settled: boolean
  /** Notes on what could not be asked (squeue missing, no accounting), one sentence each. */
  notes: string[]
  /** The report for people: one line per state with its count and task ids, the failed tasks' causes. */
  lines: string[]
}

export interface StatusOptions {
  run?: CommandRunner
  env?: NodeJS.ProcessEnv
}

const STATE_ORDER: TaskState[] = ['done', 'running', 'pending', 'stopped', 'failed', 'unknown', 'not-submitted']
const RUNNING = new Set(['RUNNING', 'COMPLETING', 'CONFIGURING', 'SUSPENDED', 'STAGE_OUT', 'SIGNALING', 'RESIZING'])
const PENDING = new Set(['PENDING', 'REQUEUED', 'REQUEUE_HOLD', 'REQUEUE_FED', 'RESV_DEL_HOLD', 'SPECIAL_EXIT'])

/** `42_7` → [7]; a pending array's `42_[0-15%4]` or `42_[1,3-5]` → every index in it. */
export function arrayIndices(id: string, jobId: string): number[] {
  if (!id.startsWith(`${jobId}_`)) return []
  const rest = id.slice(jobId.length + 1)
  if (/^\d+$/.test(rest)) return [Number(rest)]
  const m = /^\[([\d,-]+)(?:%\d+)?\]$/.exec(rest)
  if (!m) return []
  const out: number[] = []
  for (const part of m[1]!.split(',')) {
    const [a, b] = part.split('-').map(Number)
    if (a === undefined || !Number.isInteger(a)) continue
    const end = b !== undefined && Number.isInteger(b) ? Math.min(b, a + 100_000) : a
    for (let i = a; i <= end; i++) out.push(i)
  }
  return out
}

/** Task ids as ranges: 0-3, 5, 7-8. */
export function ranges(ids: readonly number[]): string {
  const sorted = [...ids].sort((a, b) => a - b)
  const parts: string[] = []
  for (let i = 0; i < sorted.length;) {
    let j = i
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++
    parts.push(j === i ? `${sorted[i]}` : `${sorted[i]}-${sorted[j]}`)
    i = j + 1
  }
  return parts.join(', ')
}

type SlurmRow = { state: string; detail: string }

/** Lines `ID|STATE|MORE` of squeue or sacct as task index → state (the last line of a task wins). */
function rowsByTask(stdout: string, jobId: string): Map<number, SlurmRow> {
  const rows = new Map<number, SlurmRow>()
  for (const line of stdout.split('\n')) {
    const [id, state, more] = line.trim().split('|')
    if (!id || !state) continue
    const word = state.split(' ')[0]!.replace(/\+$/, '')
    for (const i of arrayIndices(id, jobId)) rows.set(i, { state: word, detail: printable(more ?? '', 80) })
  }
  return rows
}

/** Earlier submissions asked about besides the latest (a task is rarely submitted more often). */
const MAX_EARLIER_JOBS = 4

/** `later`'s rows over `earlier`'s. */
function merged(earlier: Map<number, SlurmRow> | null, later: Map<number, SlurmRow>): Map<number, SlurmRow> {
  return new Map([...(earlier ?? []), ...later])
}

async function listing(dir: string): Promise<Set<string>> {
  return new Set(await readdir(dir).catch(() => [] as string[]))
}

/** The state of every task of the bundle in `dir`, or one sentence saying why it cannot be told. */
export async function status(
  dir: string,
  options: StatusOptions = {}
): Promise<{ ok: true; status: BundleStatus } | { ok: false; problem: string }> {
  const run = options.run ?? runCommand
  const env = options.env ?? process.env
  const read = await readManifest(dir)
  if (!read.ok) return read
  const m = read.manifest
  const sub = await readSubmission(dir, m.id)
  if (!sub.ok) return sub
  const submission = sub.submission
  const notes: string[] = []
  let queue: Map<number, SlurmRow> | null = null
  let ended: Map<number, SlurmRow> | null = null
  if (submission) {
    // The tasks of a bundle submitted again (--force) belong to its latest jobs: Slurm is asked
    // about each, oldest first, so a task's latest job decides its state.
    const jobs = [...submission.previous.slice(-MAX_EARLIER_JOBS), submission]
    for (const [n, ref] of jobs.entries()) {
      const latest = n === jobs.length - 1
      const cluster = ref.cluster ? [`--clusters=${ref.cluster}`] : []
      const job = ref.jobId
      const q = await run('squeue', ['-h', '-r', '-j', job, '-o', '%i|%T|%r', ...cluster], { cwd: dir, env })
      if (q.notFound) {
        notes.push('squeue is not on PATH here, so only the result files tell the state.')
        break
      }
      // A job that has left Slurm's memory (MinJobAge) is an "invalid job id": nothing of it is queued.
      if (q.status === 0 || /invalid job id/i.test(q.stderr))
        queue = merged(queue, rowsByTask(q.status === 0 ? q.stdout : '', job))
      else if (latest) notes.push(`squeue did not answer (${firstLine(q)}), so only the result files tell the state.`)
      const a = await run('sacct', ['-n', '-P', '-X', '-j', job, '--format=JobID,State,ExitCode', ...cluster], {
        cwd: dir,
        env
      })
      if (a.status === 0) ended = merged(ended, rowsByTask(a.stdout, job))
      else if (latest && queue)
        notes.push(
          'sacct has nothing here (no accounting), so a task that left the queue without a result counts as failed.'
        )
    }
  }
  const results = await listing(join(dir, 'results'))
  const checkpoints = await listing(join(dir, 'checkpoints'))
  const perTask: TaskStatus[] = []
  for (let index = 0; index < m.tasks; index++) {
    const queued = queue?.get(index)
    const acct = ended?.get(index)
    const slurm = queued ? { slurm: queued.state } : acct ? { slurm: acct.state } : {}
    const failedNote = results.has(`${index}.failed.txt`)
      ? await readFile(join(dir, 'results', `${index}.failed.txt`), 'utf8').catch(() => '')
      : null
    const result = results.has(`${index}.json`) ? await readTaskResult(dir, index, m.id) : null
    let t: TaskStatus
    if (result?.ok) t = { index, state: 'done', ...slurm }
    else if (queued && RUNNING.has(queued.state)) t = { index, state: 'running', ...slurm }
    else if (queued) t = { index, state: 'pending', ...slurm, ...(queued.detail ? { detail: queued.detail } : {}) }
    else if (result && !result.missing) t = { index, state: 'failed', ...slurm, detail: printable(result.problem, 300) }
    else if (failedNote !== null)
      t = { index, state: 'failed', ...slurm, detail: printable(failedNote.trim().split('\n')[0] ?? '', 200) }
    else if (checkpoints.has(`${index}.json`))
      t = { index, state: 'stopped', ...slurm, detail: 'its checkpoint is kept; submit again (--force) to resume it' }
    else if (acct && !PENDING.has(acct.state) && !RUNNING.has(acct.state))
      t = { index, state: 'failed', ...slurm, detail: `Slurm ${acct.state}, exit ${acct.detail || '?'}, no result` }
    else if (!submission) t = { index, state: 'not-submitted' }
    else if (queue) t = { index, state: 'failed', ...slurm, detail: 'it left the queue without a result (see logs/)' }
    else t = { index, state: 'unknown' }
    perTask.push(t)
  }
  const counts = STATE_ORDER.map((state) => {
    const tasks = perTask.filter((t) => t.state === state).map((t) => t.index)
    return { state, count: tasks.length, tasks }
  }).filter((c) => c.count > 0)
  const done = perTask.filter((t) => t.state === 'done').length
  const base = {
    dir,
    bundleId: m.id,
    kind: m.kind,
    item: m.item.name,
    tasks: m.tasks,
    submission,
    results: done,
    counts,
    perTask,
    complete: done === m.tasks,
    settled: !perTask.some((t) => t.state === 'running' || t.state === 'pending' || t.state === 'unknown'),
    notes
  }
  return { ok: true, status: { ...base, lines: statusLines(base) } }
}

function statusLines(s: Omit<BundleStatus, 'lines'>): string[] {
  const job = s.submission
    ? `job ${s.submission.jobId}${s.submission.cluster ? ` on ${s.submission.cluster}` : ''} submitted ${s.submission.submittedAt}`
    : 'not submitted from here (no submitted.json)'
  const lines = [
    `Bundle ${s.bundleId} (${s.kind} “${printable(s.item, 80)}”, ${s.tasks} task${s.tasks === 1 ? '' : 's'}), ${job}:`
  ]
  for (const c of s.counts)
    lines.push(
      `  ${c.state.padEnd(13)} ${String(c.count).padStart(5)}  task${c.count === 1 ? '' : 's'} ${ranges(c.tasks)}`
    )
  const failed = s.perTask.filter((t) => t.state === 'failed')
  for (const t of failed.slice(0, 20)) lines.push(`    task ${t.index}: ${t.detail ?? 'failed'}`)
  if (failed.length > 20) lines.push(`    … and ${failed.length - 20} more failed tasks.`)
  lines.push(...s.notes)
  lines.push(
    s.results === 0
      ? 'No results yet.'
      : `${s.results} of ${s.tasks} results present; bring them in with blockspin cluster merge PROJECT ${s.dir}`
  )
  return lines
}
