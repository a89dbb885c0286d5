import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { parseCommandLine, UsageError } from '../services/args'
import { describeFsError } from '../services/atomicWrite'
import { decodeProject } from './codec'
import { describeProjectError, printable } from '@shared/project/errors'
import { previewValue } from '@shared/project/jsonGuard'
import { algorithmName } from '@core/ising/algorithmNames'
import { describeCouplings, describeLattice } from '@shared/project/model'
import { PIPELINE_KIND, readPipeline, type PipelineRecord } from '@shared/project/paperPipeline'
import { plannedDatasetMark } from '@shared/cluster/planned'
import type { ProjectDoc, RunV1 } from '@shared/project/types'

/** The commands on a .blockspin file: `info` here, `run` in run.ts. */

type Out = { log: (s: string) => void; err: (s: string) => void }

/** A command on one .blockspin file: the file and the options, or the sentence saying what is wrong. */
export function parseFileArgs(
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

export async function load(file: string, out: Out): Promise<ProjectDoc | null> {
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

export function isPending(run: RunV1): boolean {
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
      `  ${r.id}  ${shown(r.name)}: ${algorithmName(s.general?.algorithm ?? s.algorithm)}, L = ${s.L}, K = ${s.K}, h = ${s.h}, seed ${s.seed}, ${s.start} start, ${target}; ${state}, ${r.sweep} sweeps done`
    )
  }
  if (p.datasets.length) {
    out.log(`\nDatasets (${p.datasets.length})`)
    for (const d of p.datasets) {
      const tau = d.tauInt === null ? '' : `, τ_int ${d.tauInt.toPrecision(3)} sweeps`
      // A dataset planned for a cluster (planned.ts) has no samples until its bundle is merged.
      const plan = plannedDatasetMark(d)
      const thin =
        plan?.thin === 'auto' ? 'thinning auto (a pilot run per shard)' : `every ${plan?.thin ?? d.thin} sweeps`
      const state = plan
        ? `; planned for a cluster, no samples yet (configurations ${plan.keepSamples ? 'to be kept' : 'not kept'})`
        : ''
      out.log(
        `  ${d.id}  ${shown(d.name)}: ${d.samples} samples of ${d.modelId} by ${algorithmName(d.algorithm)}, seed ${d.seed}, ${thin}${tau}${state}`
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
    for (const a of p.analyses) {
      out.log(`  ${a.id}  ${shown(a.name)}: ${shown(a.kind, 40)}${a.sourceId ? ` of ${shown(a.sourceId, 40)}` : ''}`)
      if (a.kind === PIPELINE_KIND) out.log(`        ${describePipeline(readPipeline(a))}`)
    }
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

/** "stages: mapping done (0.3 s), dataset done (12 s), training paused, compare pending". */
function describePipeline(p: PipelineRecord | { problem: string }): string {
  if ('problem' in p) return `unreadable: ${p.problem}`
  const stages = p.stages.map((s) => {
    const took = s.seconds === null ? '' : ` (${s.seconds < 10 ? s.seconds.toFixed(1) : Math.round(s.seconds)} s)`
    return `${s.name} ${s.status}${took}${s.error ? `: ${printable(s.error, 120)}` : ''}`
  })
  return `stages: ${stages.join(', ')}`
}
