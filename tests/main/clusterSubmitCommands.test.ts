import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { clusterCommand } from '../../src-main/cli/cluster'
import { selfCommand } from '../../src-main/cluster/commands'
import { statusCommand, submitCommand } from '../../src-main/cli/clusterSubmit'
import { main } from '../../src-main/cli/index'
import { fromBundleJson, toBundleJson } from '../../src-main/shared/cluster/json'
import { arrayIndices, ranges } from '../../src-main/cluster/slurmStatus'
import { status, submit, type CommandOutput, type CommandRunner } from '../../src-main/cluster/slurm'
import { encodeProject } from '@shared/project/codec'
import { clusterProject } from '../shared/clusterFixtures'

/** Submission and status of a bundle with Slurm's commands played by a fake runner (the real Slurm: clusterSubmit.test.ts). */

let dir: string
let bundle: string
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'blockspin-submit-'))
  bundle = join(dir, 'b')
  const file = join(dir, 'p.blockspin')
  const Ks = Array.from({ length: 11 }, (_, i) => 0.2 + 0.02 * i)
  writeFileSync(file, encodeProject(clusterProject({ Ls: [4], Ks, sweeps: 100 }), '0.0.0-test'))
  const r = await clusterCommand(['export', file, '--item', 'sweep1', '--out', bundle], quiet())
  expect(r).toBe(0)
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

function quiet() {
  const log: string[] = []
  const err: string[] = []
  return { log: (s: string) => log.push(s), err: (s: string) => err.push(s), logs: log, errs: err }
}

type Call = { program: string; args: readonly string[]; cwd?: string; env?: NodeJS.ProcessEnv }
/** A runner answering each program with a fixed output; unlisted programs are not on PATH. */
function fake(answers: Record<string, Partial<CommandOutput>>): CommandRunner & { calls: Call[] } {
  const calls: Call[] = []
  const run: CommandRunner = async (program, args, options) => {
    calls.push({ program, args, ...options })
    const a = answers[program]
    if (!a) return { status: null, stdout: '', stderr: '', notFound: true }
    return { status: 0, stdout: '', stderr: '', notFound: false, ...a }
  }
  return Object.assign(run, { calls })
}

/** A result of task `i` that reads back as merge reads it (its units' points at their L and K). */
function soundResult(i: number, change: (r: Record<string, unknown>) => void = () => {}): string {
  const task = fromBundleJson(readFileSync(join(bundle, 'tasks', `${i}.json`), 'utf8')) as {
    bundleId: string
    units: { unit: number; stream: unknown; spec: { Ls: number[]; Ks: number[] } }[]
  }
  const est = { value: 0.5, error: 0.01 }
  const point = (L: number, K: number) => ({
    ...{ L, K, e: est, c: est, m: est, absM: est, m2: est, chi: est, chiAbs: est, u4: est },
    ...{ tauE: 1, tauAbsM: 1, equilibrated: true, acceptance: 0.5 }
  })
  const result: Record<string, unknown> = {
    ...{ format: 'blockspin-cluster-result', version: 1, kind: 'sweep', bundleId: task.bundleId, index: i },
    ...{ resumed: 0, host: 'node1' },
    units: task.units.map((u) => ({
      ...{ unit: u.unit, stream: u.stream, seconds: 1 },
      result: { points: [point(u.spec.Ls[0]!, u.spec.Ks[0]!)], warmFrom: null }
    }))
  }
  change(result)
  return toBundleJson(result)
}

const record = () => JSON.parse(readFileSync(join(bundle, 'submitted.json'), 'utf8')) as Record<string, unknown>

describe('submit', () => {
  it('runs sbatch --parsable on the array script from the bundle folder and records the job', async () => {
    const run = fake({ sbatch: { stdout: '4242\n' } })
    const r = await submit(bundle, {
      run,
      env: { PATH: '/usr/bin' },
      blockspin: 'node /opt/blockspin/bin/blockspin.mjs',
      now: () => new Date('2026-01-02T03:04:05Z')
    })
    expect(r).toMatchObject({ ok: true, submission: { jobId: '4242', cluster: null } })
    expect(run.calls).toHaveLength(1)
    expect(run.calls[0]).toMatchObject({
      program: 'sbatch',
      args: ['--parsable', 'blockspin-array.sbatch'],
      cwd: bundle
    })
    // The tasks run the same Blockspin: sbatch passes its environment on to them.
    expect(run.calls[0]!.env).toMatchObject({ PATH: '/usr/bin', BLOCKSPIN: 'node /opt/blockspin/bin/blockspin.mjs' })
    expect(record()).toMatchObject({
      format: 'blockspin-cluster-submission',
      jobId: '4242',
      submittedAt: '2026-01-02T03:04:05.000Z',
      script: 'blockspin-array.sbatch',
      command: 'node /opt/blockspin/bin/blockspin.mjs',
      previous: []
    })
    expect(readdirTemps()).toEqual([])
  })

  it('keeps a BLOCKSPIN the user set, and reads a federation’s cluster name', async () => {
    const run = fake({ sbatch: { stdout: '77;north\n' } })
    const r = await submit(bundle, { run, env: { BLOCKSPIN: 'bs' }, blockspin: 'node other.mjs' })
    expect(r).toMatchObject({ ok: true, submission: { jobId: '77', cluster: 'north', command: 'bs' } })
    expect(run.calls[0]!.env!['BLOCKSPIN']).toBe('bs')
  })

  it('says to copy the bundle to the cluster where sbatch is not on PATH (the real runner too)', async () => {
    const r = await submit(bundle, { env: { PATH: join(dir, 'empty') } })
    expect(r).toEqual({
      ok: false,
      reason: 'no-sbatch',
      message: `sbatch is not on PATH: copy ${bundle} to the cluster and run \`sbatch blockspin-array.sbatch\` in that folder there.`
    })
    expect(existsSync(join(bundle, 'submitted.json'))).toBe(false)
  })

  it('says why sbatch refused, and records nothing', async () => {
    const stderr = 'sbatch: error: Batch job submission failed: Invalid partition name specified\n'
    const r = await submit(bundle, { run: fake({ sbatch: { status: 1, stderr } }) })
    expect(r).toEqual({
      ok: false,
      reason: 'refused',
      message: `sbatch refused ${join(bundle, 'blockspin-array.sbatch')}: sbatch: error: Batch job submission failed: Invalid partition name specified.`
    })
    const odd = await submit(bundle, { run: fake({ sbatch: { stdout: 'Submitted batch job 12' } }) })
    expect(odd).toMatchObject({ ok: false, reason: 'refused' })
    expect(existsSync(join(bundle, 'submitted.json'))).toBe(false)
  })

  it('asks for force before submitting a bundle again, and keeps the earlier job', async () => {
    expect((await submit(bundle, { run: fake({ sbatch: { stdout: '10' } }) })).ok).toBe(true)
    const run = fake({ sbatch: { stdout: '11' } })
    const again = await submit(bundle, { run })
    expect(again).toMatchObject({ ok: false, reason: 'already-submitted' })
    expect(again.message).toMatch(
      new RegExp(`^${bundle} was already submitted as job 10 on .*; submit it again with --force`)
    )
    expect(run.calls).toEqual([])
    const forced = await submit(bundle, { run, force: true })
    expect(forced).toMatchObject({ ok: true, submission: { jobId: '11', previous: [{ jobId: '10' }] } })
  })

  it('refuses a folder that is not a bundle, and a damaged record without force', async () => {
    const r = await submit(dir, { run: fake({ sbatch: { stdout: '1' } }) })
    expect(r).toEqual({
      ok: false,
      reason: 'not-a-bundle',
      message: `${dir} is not a bundle folder (it has no bundle.json; make one with blockspin cluster export).`
    })
    writeFileSync(join(bundle, 'submitted.json'), '{"format": "blockspin-cluster-submission", "jobId": "1; rm')
    const damaged = await submit(bundle, { run: fake({ sbatch: { stdout: '1' } }) })
    expect(damaged.message).toContain('is not complete JSON (truncated or damaged); remove it or submit with --force.')
    expect((await submit(bundle, { run: fake({ sbatch: { stdout: '2' } }), force: true })).ok).toBe(true)
  })
})

const readdirTemps = (): string[] => readdirSync(bundle).filter((f) => f.endsWith('.tmp'))

describe('status', () => {
  /** Tasks 0, 1 done; 2 running; 3-5 pending; 6 failed in Slurm; 7 failed unit; 8 stopped; 9, 10 left the queue. */
  async function scene() {
    for (const i of [0, 1]) writeFileSync(join(bundle, 'results', `${i}.json`), soundResult(i))
    writeFileSync(join(bundle, 'results', '7.failed.txt'), 'unit 7 (L = 4, K = 0.34) failed: out of memory\n')
    writeFileSync(join(bundle, 'checkpoints', '8.json'), '{}')
    await submit(bundle, { run: fake({ sbatch: { stdout: '42' } }) })
  }
  const squeue = { stdout: '42_2|RUNNING|None\n42_[3-5%2]|PENDING|JobArrayTaskLimit\n' }

  it('tells each task’s state from squeue, sacct and the files, one line per state', async () => {
    await scene()
    const run = fake({ squeue, sacct: { stdout: '42_6|FAILED|1:0\n42_9|CANCELLED by 0|0:15\n42_[3-5]|PENDING|0:0\n' } })
    const r = await status(bundle, { run })
    if (!r.ok) throw new Error(r.problem)
    const s = r.status
    expect(run.calls.map((c) => [c.program, ...c.args])).toEqual([
      ['squeue', '-h', '-r', '-j', '42', '-o', '%i|%T|%r'],
      ['sacct', '-n', '-P', '-X', '-j', '42', '--format=JobID,State,ExitCode']
    ])
    expect(s.counts).toEqual([
      { state: 'done', count: 2, tasks: [0, 1] },
      { state: 'running', count: 1, tasks: [2] },
      { state: 'pending', count: 3, tasks: [3, 4, 5] },
      { state: 'stopped', count: 1, tasks: [8] },
      { state: 'failed', count: 4, tasks: [6, 7, 9, 10] }
    ])
    expect(s.perTask[3]).toEqual({ index: 3, state: 'pending', slurm: 'PENDING', detail: 'JobArrayTaskLimit' })
    expect(s.perTask[9]).toMatchObject({ slurm: 'CANCELLED', detail: 'Slurm CANCELLED, exit 0:15, no result' })
    expect(s).toMatchObject({ results: 2, complete: false, settled: false })
    expect(s.lines.slice(1, 11)).toEqual([
      '  done              2  tasks 0-1',
      '  running           1  task 2',
      '  pending           3  tasks 3-5',
      '  stopped           1  task 8',
      '  failed            4  tasks 6-7, 9-10',
      '    task 6: Slurm FAILED, exit 1:0, no result',
      '    task 7: unit 7 (L = 4, K = 0.34) failed: out of memory',
      '    task 9: Slurm CANCELLED, exit 0:15, no result',
      '    task 10: it left the queue without a result (see logs/)',
      `2 of 11 results present; bring them in with blockspin cluster merge PROJECT ${bundle}`
    ])
  })

  it('submits again with --force only the tasks neither done, queued nor running, and follows both jobs', async () => {
    await scene()
    const sacct = { stdout: '42_6|FAILED|1:0\n42_9|CANCELLED by 0|0:15\n' }
    const again = fake({ squeue, sacct, sbatch: { stdout: '43' } })
    const r = await submit(bundle, { run: again, force: true })
    expect(r).toMatchObject({ ok: true, submission: { jobId: '43', array: '6-10', previous: [{ jobId: '42' }] } })
    expect(r.message).toContain('(tasks 6-10 of 11, each running')
    expect(again.calls.at(-1)!.args).toEqual(['--array=6-10', '--parsable', 'blockspin-array.sbatch'])
    expect(record()).toMatchObject({ jobId: '43', array: '6-10' })
    // Job 42 still runs task 2 and holds 3-5; job 43 runs 6 and holds 7-10.
    const byJob: Record<string, string> = {
      '42': '42_2|RUNNING|None\n42_[3-5%2]|PENDING|JobArrayTaskLimit\n',
      '43': '43_6|RUNNING|None\n43_[7-10]|PENDING|Priority\n'
    }
    const run: CommandRunner = async (program, args) =>
      program === 'squeue'
        ? { status: 0, stdout: byJob[args[3]!] ?? '', stderr: '', notFound: false }
        : { status: 1, stdout: '', stderr: 'Slurm accounting storage is disabled', notFound: false }
    const s = await status(bundle, { run })
    if (!s.ok) throw new Error(s.problem)
    expect(s.status.counts).toEqual([
      { state: 'done', count: 2, tasks: [0, 1] },
      { state: 'running', count: 2, tasks: [2, 6] },
      { state: 'pending', count: 7, tasks: [3, 4, 5, 7, 8, 9, 10] }
    ])
    // Nothing is left to submit: a third --force says so and calls no sbatch.
    const third = fake({ sbatch: { stdout: '44' } })
    const wrapped: CommandRunner = (program, args, options) =>
      program === 'sbatch' ? third(program, args, options) : run(program, args, options)
    const none = await submit(bundle, { run: wrapped, force: true })
    expect(none).toMatchObject({ ok: false, reason: 'already-submitted' })
    expect(none.message).toBe(
      `Every task of ${bundle} is done, queued or running (job 43); there is nothing to submit again.`
    )
    expect(third.calls).toEqual([])
  })

  it('says what it could not ask: no accounting, no squeue, a job Slurm has forgotten', async () => {
    await scene()
    const noAcct = await status(bundle, {
      run: fake({ squeue, sacct: { status: 1, stderr: 'Slurm accounting storage is disabled' } })
    })
    if (!noAcct.ok) throw new Error(noAcct.problem)
    expect(noAcct.status.notes).toEqual([
      'sacct has nothing here (no accounting), so a task that left the queue without a result counts as failed.'
    ])
    expect(noAcct.status.counts.find((c) => c.state === 'failed')!.tasks).toEqual([6, 7, 9, 10])
    const forgotten = await status(bundle, {
      run: fake({ squeue: { status: 1, stderr: 'slurm_load_jobs error: Invalid job id specified' } })
    })
    if (!forgotten.ok) throw new Error(forgotten.problem)
    expect(forgotten.status.settled).toBe(true)
    const none = await status(bundle, { run: fake({}) })
    if (!none.ok) throw new Error(none.problem)
    expect(none.status.counts.map((c) => [c.state, c.count])).toEqual([
      ['done', 2],
      ['stopped', 1],
      ['failed', 1],
      ['unknown', 7]
    ])
    expect(none.status.notes[0]).toBe('squeue is not on PATH here, so only the result files tell the state.')
  })

  it('counts a damaged, hostile, foreign or misfit result file as failed, with one sentence, as merge leaves it out', async () => {
    const files: Record<number, string> = {
      0: soundResult(0),
      1: soundResult(0, (r) => (r.index = 1)).slice(0, 200),
      2: soundResult(2).replace('"host": "node1"', '"host": {"$typed": "Function", "b64": "AAAA"}'),
      3: soundResult(3, (r) => (r.bundleId = '0123456789abcdef')),
      4: soundResult(4, (r) => ((r.units as { result: { points: { K: number }[] } }[])[0]!.result.points[0]!.K = 9)),
      5: soundResult(5, (r) => (r.format = 'blockspin-cluster-checkpoint')),
      6: '{}',
      7: soundResult(6)
    }
    for (const [i, text] of Object.entries(files)) writeFileSync(join(bundle, 'results', `${i}.json`), text)
    // Task 8 is being run again: its damaged result is about to be replaced.
    await submit(bundle, { run: fake({ sbatch: { stdout: '42' } }) })
    writeFileSync(join(bundle, 'results', '8.json'), 'garbage')
    const r = await status(bundle, { run: fake({ squeue: { stdout: '42_8|RUNNING|None\n' } }) })
    if (!r.ok) throw new Error(r.problem)
    expect(r.status.counts.map((c) => [c.state, c.tasks])).toEqual([
      ['done', [0]],
      ['running', [8]],
      ['failed', [1, 2, 3, 4, 5, 6, 7, 9, 10]]
    ])
    const detail = (i: number) => r.status.perTask[i]!.detail!
    expect(detail(1)).toMatch(
      /^results\/1\.json cannot be merged: it is not complete bundle JSON \(truncated or damaged: .*\)\.$/
    )
    expect(detail(2)).toMatch(
      /^results\/2\.json cannot be merged: it is not complete bundle JSON \(.*names no known typed array\)\.$/
    )
    expect(detail(3)).toBe(
      'results/3.json cannot be merged: it belongs to task 3 of bundle 0123456789abcdef, not to this one.'
    )
    expect(detail(4)).toBe(
      'results/4.json cannot be merged: its unit 4 is not what the task asked for (a point at L = 4, K = 9).'
    )
    expect(detail(5)).toBe('results/5.json is a checkpoint, not a result; merge leaves it out.')
    expect(detail(6)).toMatch(/^results\/6\.json cannot be merged: it is not a result \(kind: .*\)\.$/)
    expect(detail(7)).toBe(
      'results/7.json cannot be merged: it belongs to task 6 of bundle ' + record().bundleId + ', not to this one.'
    )
    expect(r.status).toMatchObject({ results: 1, complete: false })
    expect(r.status.lines).toContain(`    task 3: ${detail(3)}`)
    // A task whose result is sound but not done in Slurm's eyes is still done: the file decides.
    expect(r.status.perTask[0]).toEqual({ index: 0, state: 'done' })
  })

  it('reads only the files of a bundle not submitted from here, and refuses a record of another bundle', async () => {
    writeFileSync(join(bundle, 'results', '0.json'), soundResult(0))
    const run = fake({})
    const r = await status(bundle, { run })
    if (!r.ok) throw new Error(r.problem)
    expect(run.calls).toEqual([])
    expect(r.status.counts.map((c) => [c.state, c.count])).toEqual([
      ['done', 1],
      ['not-submitted', 10]
    ])
    expect(r.status.lines[0]).toMatch(/, not submitted from here \(no submitted.json\):$/)
    await submit(bundle, { run: fake({ sbatch: { stdout: '5' } }) })
    const other = record()
    writeFileSync(join(bundle, 'submitted.json'), JSON.stringify({ ...other, bundleId: '0123456789abcdef' }))
    expect(await status(bundle, { run })).toMatchObject({
      ok: false,
      problem: expect.stringContaining('not this bundle')
    })
  })

  it('expands array ids and writes task ids as ranges', () => {
    expect(arrayIndices('42_7', '42')).toEqual([7])
    expect(arrayIndices('42_[0-2,5%4]', '42')).toEqual([0, 1, 2, 5])
    expect(arrayIndices('421_7', '42')).toEqual([])
    expect(arrayIndices('42_7.batch', '42')).toEqual([])
    expect(ranges([5, 0, 1, 2, 7, 8])).toBe('0-2, 5, 7-8')
  })
})

describe('blockspin cluster submit and status', () => {
  it('are in the usage, and say their sentence and exit 2 on a failure', async () => {
    const help = quiet()
    expect(await main(['cluster', '--help'], help)).toBe(0)
    expect(help.logs.join('\n')).toContain('cluster submit DIR [--force]')
    expect(help.logs.join('\n')).toContain('cluster status DIR [--json]')
    const out = quiet()
    expect(await submitCommand([bundle], out, { env: { PATH: join(dir, 'empty') } })).toBe(2)
    expect(out.errs).toEqual([
      `sbatch is not on PATH: copy ${bundle} to the cluster and run \`sbatch blockspin-array.sbatch\` in that folder there.`
    ])
    expect(await clusterCommand(['submit', bundle, '--now'], out)).toBe(2)
    expect(out.errs[1]).toMatch(/^Unknown option "--now"/)
  })

  it('submit records the job with this CLI as the command; status --json prints the states', async () => {
    const out = quiet()
    const self = ['/usr/bin/node', '/opt/bs/bin/blockspin.mjs']
    expect(await submitCommand([bundle], out, { run: fake({ sbatch: { stdout: '9' } }), self })).toBe(0)
    expect(record()).toMatchObject({ jobId: '9', command: '/usr/bin/node /opt/bs/bin/blockspin.mjs' })
    expect(out.logs[0]).toContain('as job 9')
    expect(
      await statusCommand([bundle, '--json'], out, { run: fake({ squeue: { stdout: '9_[0-10]|PENDING|None' } }) })
    ).toBe(0)
    const json = JSON.parse(out.logs[1]!) as { counts: unknown; submission: { jobId: string } }
    expect(json.counts).toEqual([{ state: 'pending', count: 11, tasks: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10] }])
    expect(json.submission.jobId).toBe('9')
  })

  it('names its own command only when it is the blockspin command and has no spaces', () => {
    expect(selfCommand(['/usr/bin/node', '/opt/bs/bin/blockspin.mjs'])).toBe('/usr/bin/node /opt/bs/bin/blockspin.mjs')
    expect(selfCommand(['/usr/bin/node', '/work/node_modules/vitest/vitest.mjs'])).toBeNull()
    expect(selfCommand(['/usr/bin/node', '/home/a b/bin/blockspin.mjs'])).toBeNull()
  })
})
