import { existsSync } from 'node:fs'
import { cpus } from 'node:os'
import { basename, resolve } from 'node:path'
import type { IsingChainResult } from '@core/ising/types'
import { atomicWriteFile } from '../services/atomicWrite'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import { packageInfo } from '../services/packageInfo'
import { encodeProject } from './codec'
import {
  chainSetupOf,
  emptyProject,
  jobSpecOfRun,
  modelDataFromProject,
  runWithState,
  stateFromArrays,
  stateToArrays,
  type ChainSource
} from '@shared/project/model'
import { paperProject } from '@shared/project/paperTemplate'
import { PAPER_TEMPLATE, nextStage, pipelinesOf, type PipelineRecord } from '@shared/project/paperPipeline'
import { printable } from '@shared/project/errors'
import type { ProjectDoc, RunV1 } from '@shared/project/types'
import { onStopSignal } from './jobRun'
import { runPipeline } from './pipeline'
import { isPending, load, parseFileArgs } from './project'
import { ProgressBar } from './progressBar'

/**
 * blockspin run: the project's pending batch runs in worker processes (saved together when they
 * end), then its paper templates' remaining stages (saved after each stage). Ctrl+C, SIGTERM and
 * SIGHUP cancel: unfinished runs are not saved, a training in progress is saved paused.
 */

type Out = { log: (s: string) => void; err: (s: string) => void }

/** The model data (general runs) and painted spins (painted starts) a run's job needs, or why they are missing. */
function chainSourceOf(doc: ProjectDoc, r: RunV1): ChainSource | string {
  const setup = chainSetupOf(r.spec)
  if (!setup.general && setup.start !== 'painted') return {}
  const record = doc.project.models.find((m) => m.id === r.modelId)
  if (!record) return `its model "${r.modelId}" is not in the project`
  const data = modelDataFromProject(record, doc.arrays)
  if (!data.ok) return data.error
  if (setup.start === 'painted' && !data.spins)
    return `it starts from painted spins, but model “${record.name}” has none saved`
  return {
    ...(setup.general ? { model: data.data } : {}),
    ...(setup.start === 'painted' && data.spins ? { startSpins: data.spins } : {})
  }
}

export async function runCommand(args: string[], out: Out, usage: string): Promise<number> {
  const parsed = parseFileArgs(args, [], ['--out'])
  if (parsed.error) {
    out.err(`${parsed.error}\n\n${usage}`)
    return 2
  }
  const file = resolve(parsed.file!)
  const target = resolve((parsed.opts['--out'] as string | undefined) ?? file)
  const doc = await load(file, out)
  if (!doc) return 2
  const pending = doc.project.runs.filter(isPending)
  const pipelines: PipelineRecord[] = []
  let unreadable = 0
  for (const p of pipelinesOf(doc.project)) {
    if ('problem' in p) {
      unreadable++
      out.err(`${p.name}: not run — ${p.problem}.`)
    } else if (nextStage(p.stages)) pipelines.push(p)
  }
  if (pending.length === 0 && pipelines.length === 0) {
    out.log('Nothing to run: every run and reproduction in this project is finished or live.')
    return unreadable > 0 ? 1 : 0
  }
  const worker = defaultWorkerEntry()
  const broker = new JobBroker({
    spawn: () => spawnNodeWorker({ entry: worker.entry, execArgv: worker.execArgv }),
    maxBatchJobs: Math.max(1, cpus().length - 1)
  })
  let interrupted = false
  const offSignals = onStopSignal(() => {
    interrupted = true
    for (const j of broker.list()) broker.control(j.id, 'cancel')
  })
  const save = async (): Promise<boolean> => {
    const written = await atomicWriteFile(target, encodeProject(doc, packageInfo().version))
    if (!written.ok) out.err(`The project could not be saved to ${target}: ${written.detail}.`)
    return written.ok
  }
  try {
    let failed = unreadable
    if (pending.length > 0) {
      const runs = await runRuns(doc, pending, broker, out)
      failed += runs.failed
      if (interrupted) {
        out.err('Interrupted: the runs were not saved.')
        return 1
      }
      if (runs.completed === 0 && pipelines.length === 0) {
        // Nothing new to keep: the file stays exactly as it was (no new modifiedAt, no rewrite).
        out.err('No run completed, so the project was not saved.')
        return 1
      }
      if (runs.completed > 0) {
        doc.project.modifiedAt = new Date().toISOString()
        if (!(await save())) return 1
        out.log(`Saved ${target} (${runs.completed} run${runs.completed === 1 ? '' : 's'} completed).`)
      }
    }
    for (const pipeline of pipelines) {
      const started = Date.now()
      const ended = await runPipeline(doc, pipeline, { broker, out, save, interrupted: () => interrupted })
      if (ended === 'interrupted') {
        out.err(`Interrupted: ${target} keeps what was finished; run it again to continue.`)
        return 1
      }
      if (ended === 'failed') failed++
      else out.log(`${pipeline.name}: done in ${formatMinutes((Date.now() - started) / 1000)}; saved ${target}.`)
    }
    return failed > 0 ? 1 : 0
  } finally {
    offSignals()
    await broker.shutdown()
  }
}

function formatMinutes(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(0)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`
}

/** The pending runs, all at once; completed ones are written into the document. */
async function runRuns(
  doc: ProjectDoc,
  pending: RunV1[],
  broker: JobBroker,
  out: Out
): Promise<{ completed: number; failed: number }> {
  let failed = 0
  const results = await Promise.all(
    pending.map(async (r) => {
      const saved = stateFromArrays(r, doc.arrays)
      const source = chainSourceOf(doc, r)
      if (typeof source === 'string') {
        failed++
        out.err(`${r.name}: ${source}`)
        return null
      }
      const spec = { ...jobSpecOfRun(r.spec, source), maxFps: 0, ...(saved ? { resume: saved } : {}) }
      const jobId = broker.start({
        kind: 'ising.chain',
        title: r.name,
        interactive: false,
        spec,
        seed: r.spec.seed,
        ...(saved ? { rngState: saved.rngState } : {})
      })
      const bar = new ProgressBar(r.name)
      const off = broker.on('update', (i) => {
        if (i.id === jobId && i.progress)
          bar.update(i.progress.done, i.progress.total, i.etaSeconds, i.progress.unit, i.progress.note)
      })
      const outcome = await broker.wait(jobId)
      off()
      if (outcome.status === 'failed') {
        failed++
        bar.finish(`failed — ${outcome.error}`)
        return null
      }
      if (outcome.status === 'cancelled') {
        bar.finish('cancelled')
        return null
      }
      bar.finish('done')
      return { run: r, state: outcome.result as IsingChainResult }
    })
  )
  let completed = 0
  for (const res of results) {
    if (!res) continue
    completed++
    Object.assign(doc.arrays, stateToArrays(res.run.id, res.state))
    const i = doc.project.runs.findIndex((x) => x.id === res.run.id)
    doc.project.runs[i] = runWithState(res.run, res.state, {
      seed: res.run.spec.seed,
      start: chainSetupOf(res.run.spec).start
    })
  }
  return { completed, failed }
}

/** blockspin new FILE [--template mehta-schwab-2014] [--small]: a new project (refuses to overwrite). */
export async function newCommand(args: string[], out: Out, usage: string): Promise<number> {
  const parsed = parseFileArgs(args, ['--small'], ['--template'])
  if (parsed.error) {
    out.err(`${parsed.error}\n\n${usage}`)
    return 2
  }
  const template = parsed.opts['--template'] as string | undefined
  if (template !== undefined && template !== PAPER_TEMPLATE) {
    out.err(`Unknown template "${printable(template, 60)}": the one there is is ${PAPER_TEMPLATE}.`)
    return 2
  }
  if (parsed.opts['--small'] && template === undefined) {
    out.err('--small chooses the small variant of a template: name one with --template.')
    return 2
  }
  const target = resolve(parsed.file!)
  if (existsSync(target)) {
    out.err(`${target} exists; it was left alone (choose another name).`)
    return 2
  }
  const { version } = packageInfo()
  const doc = template
    ? paperProject(parsed.opts['--small'] ? 'small' : 'full', version)
    : { project: emptyProject(version), arrays: {} }
  const written = await atomicWriteFile(target, encodeProject(doc, version))
  if (!written.ok) {
    out.err(`The project could not be saved to ${target}: ${written.detail}.`)
    return 1
  }
  out.log(
    template
      ? `Created ${target}: ${doc.project.name}. Run it with: blockspin run ${basename(target)}`
      : `Created ${target}.`
  )
  return 0
}
