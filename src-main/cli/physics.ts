import { datasetRecord } from '@shared/project/datasetRecords'
import { algorithmName } from '@core/ising/algorithmNames'
import { resolve } from 'node:path'
import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { modelFromData, type ModelData } from '@core/lattice/data'
import { exactSolve } from '@core/ising/exact/solve'
import { EXACT_METHODS, type ExactMethod, type ExactObservable } from '@core/ising/exact/types'
import { exactSummary } from '@core/jobs/isingExact'
import type { DatasetResult, DatasetSpec } from '@core/jobs/isingDataset'
import { MC_ALGORITHMS, type McAlgorithm } from '@core/ising/mc'
import { packageInfo } from '../services/packageInfo'
import { atomicWriteFile } from '../services/atomicWrite'
import { decodeProject, encodeProject } from './codec'
import { describeProjectError } from '@shared/project/errors'
import { emptyProject, nextId, projectModelFromData } from '@shared/project/model'
import type { ProjectDoc } from '@shared/project/types'
import { numberOption, parseOptions, UsageError } from '../services/args'
import { modelFromArgs, type ModelArgs } from './modelArgs'
import { runJobWithProgress } from './jobRun'

type Out = { log: (s: string) => void; err: (s: string) => void }

const MODEL_VALUED = ['--lattice', '--K', '--h', '--model']
const modelArgs = (o: Record<string, string | true>): ModelArgs => ({
  lattice: o['--lattice'] as string | undefined,
  K: o['--K'] as string | undefined,
  h: o['--h'] as string | undefined,
  model: o['--model'] as string | undefined,
  open: o['--open'] === true
})

const fmt = (v: number) => (Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(6) : v.toExponential(4))

export const EXACT_USAGE = `Usage: blockspin exact [model options] [--method auto|enumeration|transfer|kaufman] [--json]

Exact ln Z and per-site f, e, c, m, absM, m2, chi = N(⟨m²⟩ − ⟨m⟩²), chiAbs = N(⟨m²⟩ − ⟨|m|⟩²).
  --method auto         (default) the cheapest method that applies — transfer matrix for
                        chains and strips of width ≤ 14, Kaufman for uniform zero-field
                        periodic square lattices, enumeration for N ≤ 24 — with what it
                        cannot give taken from another exact method: enumeration when
                        N ≤ 24 (absM, m2, chi, chiAbs), else the strip transfer matrix
                        (m2, chi); "supplementedBy" in the JSON names them.
  --method enumeration  all 2^N states (N ≤ 24): every observable.
  --method transfer     the 1D transfer matrix (chains) or the strip transfer matrix (square
                        lattices without diagonal bonds): f, e, c, m, m2, chi.
  --method kaufman      Kaufman's formula (uniform zero-field square tori): f, e, c, m = 0.
A forced method reports only what it gives, and is refused (exit 2) where it does not apply.

Model options:
  --lattice chain:N | square:LxxLy | triangular:LxxLy   periodic unless --open
  --K k [--h h]                uniform coupling and field, H = −K Σ v_i v_j − h Σ v_i
  --model FILE[#id]            a model from a project (or a JSON model file)
`

const EXACT_METHOD_NAMES = ['auto', 'enumeration', 'transfer', 'kaufman', ...EXACT_METHODS]

/** The solver's method for a --method value ('transfer' by lattice kind), or null for an unknown name. */
function exactMethodOf(name: string, lattice: ModelData['lattice']): ExactMethod | 'auto' | null {
  if (name === 'transfer') return lattice.kind === 'chain' ? 'transfer-matrix-1d' : 'strip-transfer-matrix'
  return EXACT_METHOD_NAMES.includes(name) ? (name as ExactMethod | 'auto') : null
}

/** blockspin exact: the exact solution by the method that applies (enumeration, transfer matrix, Kaufman). */
export async function exactCommand(args: string[], out: Out, usage: string): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) return (out.log(EXACT_USAGE), 0)
  const { opts, error } = parseOptions(args, ['--open', '--json'], [...MODEL_VALUED, '--method'])
  if (error) return (out.err(`${error}\n\n${usage}`), 2)
  const m = await modelFromArgs(modelArgs(opts))
  if (!m.ok) return (out.err(`${m.error}.`), 2)
  let model
  try {
    model = modelFromData(m.data)
  } catch (e) {
    return (out.err(`${(e as Error).message}.`), 2)
  }
  const methodName = (opts['--method'] as string | undefined) ?? 'auto'
  const method = exactMethodOf(methodName, m.data.lattice)
  if (!method) return (out.err(`--method must be one of auto, enumeration, transfer, kaufman, not "${methodName}".`), 2)
  const r = exactSolve(model, { correlations: false, distribution: false, method })
  // A forced method that does not apply is a usage error; no method at all is a failed solve.
  if ('error' in r) return (out.err(r.error), method === 'auto' ? 1 : 2)
  const summary = exactSummary(r)
  if (opts['--json']) out.log(JSON.stringify(summary, null, 2))
  else {
    out.log(`${m.label}: exact by ${r.method}, N = ${r.N}`)
    for (const [k, v] of Object.entries(summary)) {
      const by = r.supplementedBy?.[k as ExactObservable]
      if (typeof v === 'number' && k !== 'N') out.log(`  ${k.padEnd(6)} ${fmt(v)}${by ? `  (by ${by})` : ''}`)
    }
  }
  return 0
}

/** blockspin sample: N decorrelated samples, each observable with its error bar and τ_int. */
export async function sampleCommand(args: string[], out: Out, usage: string): Promise<number> {
  const { opts, error } = parseOptions(
    args,
    ['--open', '--json'],
    [...MODEL_VALUED, '--algorithm', '--samples', '--seed', '--burn-in', '--thin', '--out']
  )
  if (error) return (out.err(`${error}\n\n${usage}`), 2)
  const m = await modelFromArgs(modelArgs(opts))
  if (!m.ok) return (out.err(`${m.error}.`), 2)
  const algorithm = (opts['--algorithm'] ?? 'metropolis') as string
  const alias: Record<string, McAlgorithm> = { sw: 'sw', 'swendsen-wang': 'sw' }
  const algo = (alias[algorithm] ?? algorithm) as McAlgorithm
  if (!MC_ALGORITHMS.includes(algo))
    return (out.err(`--algorithm must be one of ${MC_ALGORITHMS.join(', ')}, not "${algorithm}".`), 2)
  const int = (name: string, fallback: number | null): number | string => {
    try {
      return numberOption(opts, name, { integer: true, min: 0 }, fallback ?? undefined)
    } catch (e) {
      if (e instanceof UsageError) return e.message.replace(/\.$/, '')
      throw e
    }
  }
  const samples = int('--samples', null)
  const seed = int('--seed', 1)
  const burnIn = int('--burn-in', 1000)
  const thin = opts['--thin'] === undefined || opts['--thin'] === 'auto' ? 'auto' : int('--thin', 1)
  for (const v of [samples, seed, burnIn, thin]) if (typeof v === 'string' && v !== 'auto') return (out.err(`${v}.`), 2)
  const outPath = opts['--out'] as string | undefined
  const spec: DatasetSpec = {
    model: m.data,
    algorithm: algo,
    samples: samples as number,
    burnIn: burnIn as number,
    thin: thin as number | 'auto',
    start: 'random',
    keepSamples: outPath !== undefined
  }

  const r = await runJobWithProgress<DatasetResult>('ising.dataset', 'sampling', spec, seed as number)
  if (!r) return 1
  const s = r.summary
  const report = {
    model: m.label,
    algorithm: algo,
    seed,
    samples: r.energy.length,
    burnIn: r.burnIn,
    thin: r.thin,
    tauIntSweeps: r.tauIntSweeps,
    thinning: r.thinning,
    acceptance: r.acceptance,
    kernel: r.kernel,
    N: r.N,
    e: s.e,
    m: s.m,
    absM: s.absM,
    m2: s.m2,
    c: s.c,
    chi: s.chi,
    chiAbs: s.chiAbs,
    u4: s.u4,
    xi: r.xi,
    tauInt: Object.fromEntries(Object.entries(s.tauInt).map(([k, t]) => [k, t.value])),
    equilibration: { ok: s.equilibration.ok, message: s.equilibration.message }
  }
  if (opts['--json']) out.log(JSON.stringify(report, null, 2))
  else {
    out.log(
      `${m.label}: ${report.samples} samples by ${algorithmName(algo)}, one every ${r.thin} sweeps${thinningNote(r)}`
    )
    for (const k of ['e', 'm', 'absM', 'm2', 'c', 'chi', 'chiAbs', 'u4'] as const)
      out.log(`  ${k.padEnd(6)} ${fmt(s[k].value)} ± ${fmt(s[k].error)}`)
    out.log(`  ${s.equilibration.message}`)
  }
  if (outPath) {
    const saved = await storeDataset(resolve(outPath), m.data, spec, seed as number, r)
    if (saved) return (out.err(saved), 1)
    out.err(`Stored the dataset in ${outPath}.`)
  }
  return 0
}

/** " (τ_int = … sweeps, of m, from a reliable pilot of … sweeps)", or "" when thin was fixed. */
function thinningNote(r: DatasetResult): string {
  const t = r.thinning
  if (!t) return ''
  const tau = t.tauSweeps[t.setBy].toFixed(2)
  const pilot = t.reliable
    ? `a pilot of ${t.pilotSweeps} sweeps`
    : `a pilot of ${t.pilotSweeps} sweeps, its cap, too short for a reliable τ_int`
  return ` (τ_int = ${tau} sweeps, of ${t.setBy}, from ${pilot})`
}

/** Adds a model and the dataset to a project (created if absent). Returns an error sentence or null. */
async function storeDataset(
  path: string,
  data: DatasetSpec['model'],
  spec: DatasetSpec,
  seed: number,
  r: DatasetResult
): Promise<string | null> {
  const { version } = packageInfo()
  let doc: ProjectDoc
  if (existsSync(path)) {
    const decoded = decodeProject(new Uint8Array(await readFile(path)))
    if (!decoded.ok)
      return `${path} exists but could not be read, so it was left alone: ${describeProjectError(decoded.error)}`
    doc = decoded.doc
  } else {
    doc = { project: emptyProject(version), arrays: {} }
  }
  const p = doc.project
  const taken = [...p.models, ...p.runs, ...p.datasets, ...p.analyses].map((x) => x.id)
  const modelId = nextId('model', taken)
  const built = projectModelFromData(modelId, `Sampled model ${modelId.slice(5)}`, data, null)
  p.models.push(built.model)
  Object.assign(doc.arrays, built.arrays)
  const id = nextId('data', taken)
  const made = datasetRecord({ id, name: `${r.energy.length} samples`, modelId, spec, seed, result: r })
  Object.assign(doc.arrays, made.arrays)
  p.datasets.push(made.dataset)
  p.modifiedAt = new Date().toISOString()
  const written = await atomicWriteFile(path, encodeProject(doc, version))
  return written.ok ? null : `The project could not be saved to ${path}: ${written.detail}.`
}
