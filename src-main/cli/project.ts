import { readFile } from 'node:fs/promises'
import { basename, resolve } from 'node:path'
import { cpus } from 'node:os'
import type { IsingChainResult } from '@core/ising/types'
import { parseCommandLine, UsageError } from '../services/args'
import { atomicWriteFile, describeFsError } from '../services/atomicWrite'
import { JobBroker } from '../services/jobBroker'
import { defaultWorkerEntry, spawnNodeWorker } from '../services/nodeWorker'
import { packageInfo } from '../services/packageInfo'
import { decodeProject, encodeProject } from '@shared/project/codec'
import { describeProjectError, printable } from '@shared/project/errors'
import { previewValue } from '@shared/project/jsonGuard'
import {
  chainSetupOf,
  describeCouplings,
  describeLattice,
  jobSpecOfRun,
  modelDataFromProject,
  runWithState,
  stateFromArrays,
  stateToArrays,
  type ChainSource
} from '@shared/project/model'
import type { ProjectDoc, RunV1 } from '@shared/project/types'
import { onStopSignal } from './jobRun'
import { ProgressBar } from './progressBar'

/** The commands on a .blockspin file: `info` and `run`. */

type Out = { log: (s: string) => void; err: (s: string) => void }

/** A command on one .blockspin file: the file and the options, or the sentence saying what is wrong. */
function parseFileArgs(
  args: string[],
  flags: string[],
  valued: string[]
): { file: string | null; opts: Record<string, string | true>; error: string | null } {
  try {
    const { opts, positionals } = parseCommandLine(args, { flags, valued, positionals: 1 })
    const file = positionals[0] ?? null
    return { file, opts, error: file === null ? 'Name a .blockspin file.' : null }
  } catch (error) {
    if (error instanceof UsageError) return { file: null, opts: {}, error: error.message }
    throw error
  }
}

async function load(file: string, out: Out): Promise<ProjectDoc | null> {
  return (await loadWithVersion(file, out))?.doc ?? null
}

/** The project and the format version the file itself was written in (before any upgrade). */
async function loadWithVersion(file: string, out: Out): Promise<{ doc: ProjectDoc; fileVersion: number } | null> {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch (e) {
    out.err(`${basename(file)}: ${describeProjectError({ tag: 'io', detail: describeFsError(e) })}`)
    return null
  }
  const decoded = decodeProject(bytes)
  if (!decoded.ok) {
    out.err(`${basename(file)}: ${describeProjectError(decoded.error)}`)
    return null
  }
  return { doc: decoded.doc, fileVersion: decoded.migratedFrom ?? decoded.doc.project.formatVersion }
}

/**
 * Text from the file for the terminal: strings with control characters escaped (no escape
 * sequences reach the terminal), anything else previewed without calling its toString.
 */
function shown(value: unknown, max = 200): string {
  return typeof value === 'string' ? printable(value, max) : previewValue(value, max)
}

/** JSON.stringify escapes C0 controls but not DEL, C1 controls or U+2028/9; these are escaped too. */
function terminalSafeJson(value: unknown): string {
  return JSON.stringify(value, null, 2).replace(
    /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}

function isPending(run: RunV1): boolean {
  return run.spec.targetSweeps !== undefined && run.sweep < run.spec.targetSweeps
}

/** blockspin info: a summary of a project (or its JSON with --json). */
export async function infoCommand(args: string[], out: Out, usage: string): Promise<number> {
  const parsed = parseFileArgs(args, ['--json'], [])
  if (parsed.error) {
    out.err(`${parsed.error}\n\n${usage}`)
    return 2
  }
  const loaded = await loadWithVersion(parsed.file!, out)
  if (!loaded) return 2
  const p = loaded.doc.project
  const upgraded = loaded.fileVersion !== p.formatVersion
  if (parsed.opts['--json']) {
    // The content is shown in the current format; fileFormatVersion says what the file holds.
    out.log(
      terminalSafeJson({
        name: p.name,
        formatVersion: p.formatVersion,
        fileFormatVersion: loaded.fileVersion,
        appVersion: p.appVersion,
        models: p.models,
        runs: p.runs,
        datasets: p.datasets,
        analyses: p.analyses,
        arrays: p.arrays
      })
    )
    return 0
  }
  out.log(
    `${shown(p.name)} — Blockspin project, format ${loaded.fileVersion}, written by Blockspin ${shown(p.appVersion, 40)}`
  )
  if (upgraded) out.log(`(shown as format ${p.formatVersion}; saving it again writes format ${p.formatVersion})`)
  out.log(`created ${shown(p.createdAt, 40)}, modified ${shown(p.modifiedAt, 40)}`)
  out.log(`\nModels (${p.models.length})`)
  for (const m of p.models)
    out.log(`  ${m.id}  ${shown(m.name)}: ${describeLattice(m.lattice)}, ${describeCouplings(m)}`)
  out.log(`\nRuns (${p.runs.length})`)
  for (const r of p.runs) {
    const s = r.spec
    const target = s.targetSweeps === undefined ? 'live' : `${s.targetSweeps} sweeps`
    const state = isPending(r) ? 'pending' : r.status
    out.log(
      `  ${r.id}  ${shown(r.name)}: ${s.algorithm}, L = ${s.L}, K = ${s.K}, h = ${s.h}, seed ${s.seed}, ${s.start} start, ${target}; ${state}, ${r.sweep} sweeps done`
    )
  }
  if (p.datasets.length) {
    out.log(`\nDatasets (${p.datasets.length})`)
    for (const d of p.datasets) {
      const tau = d.tauInt === null ? '' : `, τ_int ${d.tauInt.toPrecision(3)} sweeps`
      out.log(
        `  ${d.id}  ${shown(d.name)}: ${d.samples} samples of ${d.modelId} by ${d.algorithm}, seed ${d.seed}, every ${d.thin} sweeps${tau}`
      )
    }
  }
  if (p.trainings?.length) {
    out.log(`\nTrainings (${p.trainings.length})`)
    for (const t of p.trainings)
      out.log(
        `  ${t.id}  ${shown(t.name)}: ${t.visibleUnits} visible → ${t.layers.map((l) => l.nh).join(' → ')}, ${shown(t.options['method'] ?? '?', 40)}, seed ${t.seed}; ${t.status}`
      )
  }
  if (p.analyses.length) {
    out.log(`\nAnalyses (${p.analyses.length})`)
    for (const a of p.analyses)
      out.log(`  ${a.id}  ${shown(a.name)}: ${shown(a.kind, 40)}${a.sourceId ? ` of ${shown(a.sourceId, 40)}` : ''}`)
  }
  const ids = Object.keys(p.arrays)
  out.log(`\nArrays (${ids.length})`)
  for (const id of ids) {
    const a = p.arrays[id]!
    out.log(`  arrays/${id}.npy  ${a.dtype} [${a.shape.join(', ')}]`)
  }
  if (p.notes)
    out.log(
      `\nNotes\n${p.notes
        .split('\n')
        .map((line) => `  ${printable(line, 2000)}`)
        .join('\n')}`
    )
  return 0
}

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

/** blockspin run: the project's pending batch runs in worker processes, then a save. */
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
  if (pending.length === 0) {
    out.log('Nothing to run: every run in this project is finished or live.')
    return 0
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
  try {
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
    if (interrupted) {
      out.err('Interrupted: nothing was saved.')
      return 1
    }
    const completed = results.filter(Boolean).length
    if (completed === 0) {
      // Nothing new to keep: the file stays exactly as it was (no new modifiedAt, no rewrite).
      out.err('No run completed, so the project was not saved.')
      return 1
    }
    for (const res of results) {
      if (!res) continue
      Object.assign(doc.arrays, stateToArrays(res.run.id, res.state))
      const i = doc.project.runs.findIndex((x) => x.id === res.run.id)
      doc.project.runs[i] = runWithState(res.run, res.state, {
        seed: res.run.spec.seed,
        start: chainSetupOf(res.run.spec).start
      })
    }
    doc.project.modifiedAt = new Date().toISOString()
    const { version } = packageInfo()
    const written = await atomicWriteFile(target, encodeProject(doc, version))
    if (!written.ok) {
      out.err(`The project could not be saved to ${target}: ${written.detail}.`)
      return 1
    }
    out.log(`Saved ${target} (${completed} run${completed === 1 ? '' : 's'} completed).`)
    return failed > 0 ? 1 : 0
  } finally {
    offSignals()
    await broker.shutdown()
  }
}
