import { existsSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { KC } from '@core/ising/onsager'
import { validateRgCascadeSpec, type RgCascadeResult, type RgCascadeSpec } from '@core/jobs/rgCascade'
import { validateRgMcrgSpec, type RgMcrgResult, type RgMcrgSpec } from '@core/jobs/rgMcrg'
import { BLOCK_RULES, maxLevels, type BlockRule } from '@core/rg/blockSpin'
import { decimationFlow1d } from '@core/rg/decimation1d'
import { COUPLING_NAMES, type CouplingName } from '@core/rg/pseudoLikelihood'
import { numberOption, parseCommandLine, UsageError } from '../services/args'
import { atomicWriteFile } from '../services/atomicWrite'
import { packageInfo } from '../services/packageInfo'
import { decodeProject, encodeProject } from './codec'
import { describeProjectError } from '@shared/project/errors'
import { nextId } from '@shared/project/model'
import { cascadeRecords } from '@shared/project/rgRecords'
import type { ProjectDataset, ProjectDoc } from '@shared/project/types'
import { runJobWithProgress } from './jobRun'

type Out = { log: (s: string) => void; err: (s: string) => void }

export const RG_USAGE = `Usage: blockspin rg decimate --K K [--h H] [--steps N] [--json]
       blockspin rg block --data FILE.blockspin[#dataset] [--rule majority|decimation|average]
                          [--b 2] [--levels 3] [--seed S] [--out FILE] [--json]
       blockspin rg couplings --data FILE.blockspin[#dataset] [--rule majority|decimation|average]
                              [--b 2] [--levels 3] [--couplings nearest,diagonal,plaquette] [--seed S] [--json]
       blockspin rg mcrg [--lattice square:LxL] [--K K] [--rule majority|decimation] [--b 2]
                         [--levels N] [--samples N] [--between 2] [--burn-in 500] [--seed S] [--json]

decimate   the exact 1D decimation with field (SCIENCE.md §3): K′, h′ and ln A after each step,
           H = −K Σ v_i v_{i+1} − h Σ v_i; JSON {"steps": [{"K", "h", "lnA"}, …]}, one per step.
block      block a project's dataset level after level and store each level as a coarse dataset
           (int8 spins, or float32 block averages), with the cascade as an RG analysis, in the
           project (or in --out).
couplings  block a project's dataset level after level and fit each ±1 level's couplings by
           maximum pseudo-likelihood (−H = Σ K_α S_α, K > 0 ferromagnetic) with jackknife errors,
           with the matched nearest coupling and |m| per level.
mcrg       Swendsen's Monte Carlo RG on a Wolff-sampled torus (default 64², K = Kc): the leading
           eigenvalue of the linearised RG matrix per level, y_t and ν with jackknife errors.`

const fmt = (v: number, digits = 6) => (Number.isFinite(v) ? v.toFixed(digits) : String(v))

function withUsage(out: Out, e: unknown): number {
  if (e instanceof UsageError) return (out.err(`${e.message}\n\n${RG_USAGE}`), 2)
  throw e
}

function decimate(args: string[], out: Out): number {
  const { opts } = parseCommandLine(args, { flags: ['--json'], valued: ['--K', '--h', '--steps'] })
  const K = numberOption(opts, '--K', { min: -10, max: 10 })
  const h = numberOption(opts, '--h', { min: -10, max: 10 }, 0)
  const steps = numberOption(opts, '--steps', { integer: true, min: 1, max: 64 }, 4)
  const flow = decimationFlow1d(K, h, steps)
  if (opts['--json']) {
    out.log(JSON.stringify({ K, h, steps: flow }, null, 2))
    return 0
  }
  out.log(`1D decimation from K = ${K}, h = ${h} (H = −K Σ v_i v_{i+1} − h Σ v_i):`)
  out.log('step           K′              h′             ln A')
  flow.forEach((s, i) =>
    out.log(
      `${String(i + 1).padStart(4)}  ${fmt(s.K, 12).padStart(14)}  ${fmt(s.h, 12).padStart(14)}  ${fmt(s.lnA, 12).padStart(14)}`
    )
  )
  return 0
}

function listOption<T extends string>(
  text: string | true | undefined,
  allowed: readonly T[],
  name: string,
  fallback: T[]
): T[] {
  if (text === undefined) return fallback
  const items = String(text)
    .split(/[\s,]+/)
    .filter(Boolean)
  const bad = items.find((x) => !allowed.includes(x as T))
  if (bad !== undefined || items.length === 0)
    throw new UsageError(`${name} takes a list of ${allowed.join(', ')}${bad ? `, not "${bad}"` : ''}.`)
  return items as T[]
}

interface CascadeRun {
  file: string
  doc: ProjectDoc
  dataset: ProjectDataset
  spec: RgCascadeSpec
  seed: number
  result: RgCascadeResult
  opts: Record<string, string | true>
}

/** Reads --data FILE[#dataset] and the cascade options, and runs the cascade in a job worker. */
async function cascadeOfDataset(args: string[], out: Out, extraValued: string[]): Promise<CascadeRun | number> {
  const { opts } = parseCommandLine(args, {
    flags: ['--json'],
    valued: ['--data', '--rule', '--b', '--levels', '--couplings', '--seed', ...extraValued]
  })
  const target = opts['--data']
  if (typeof target !== 'string') throw new UsageError('Name the project with --data FILE.blockspin[#dataset].')
  const rule = (opts['--rule'] ?? 'majority') as BlockRule
  if (!BLOCK_RULES.includes(rule))
    throw new UsageError(`--rule must be average, majority or decimation, not "${String(rule)}".`)
  const b = numberOption(opts, '--b', { integer: true, min: 2, max: 64 }, 2)
  const levels = numberOption(opts, '--levels', { integer: true, min: 1, max: 16 }, 3)
  const fit = listOption<CouplingName>(opts['--couplings'], COUPLING_NAMES, '--couplings', [
    'nearest',
    'diagonal',
    'plaquette'
  ])
  const seed = numberOption(opts, '--seed', { integer: true, min: 0, max: 2 ** 32 - 1 }, 1)
  const hash = target.lastIndexOf('#')
  const [file, datasetId] = hash > 0 ? [target.slice(0, hash), target.slice(hash + 1)] : [target, undefined]
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch {
    return (out.err(`${file} could not be read.`), 2)
  }
  const decoded = decodeProject(bytes)
  if (!decoded.ok) return (out.err(`${file}: ${describeProjectError(decoded.error)}`), 2)
  const { project, arrays } = decoded.doc
  const dataset = datasetId
    ? project.datasets.find((d) => d.id === datasetId)
    : project.datasets.find((d) => d.arrays.samples)
  if (!dataset)
    return (out.err(`${file} has no dataset${datasetId ? ` "${datasetId}"` : ' with stored configurations'}.`), 2)
  const samples = dataset.arrays.samples ? arrays[dataset.arrays.samples] : undefined
  if (!samples || !(samples.data instanceof Int8Array) || samples.shape.length !== 3) {
    return (out.err(`Dataset "${dataset.id}" kept no ±1 configurations of a square lattice or chain.`), 2)
  }
  const [count, Ly, Lx] = samples.shape as [number, number, number]
  const spec: RgCascadeSpec = { samples: samples.data, count, Lx, Ly, rule, b, levels, couplings: fit }
  const possible = maxLevels({ Lx, Ly }, b)
  if (levels > possible)
    throw new UsageError(
      `A ${Lx}×${Ly} lattice allows ${possible} level${possible === 1 ? '' : 's'} of ${b}-blocks, not ${levels}.`
    )
  try {
    validateRgCascadeSpec(spec)
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/^./, (c) => c.toUpperCase())}.`)
  }
  const result = await runJobWithProgress<RgCascadeResult>('rg.cascade', `RG cascade of ${dataset.name}`, spec, seed)
  if (!result) return 1
  return { file, doc: decoded.doc, dataset, spec, seed, result, opts }
}

async function couplings(args: string[], out: Out): Promise<number> {
  const run = await cascadeOfDataset(args, out, [])
  if (typeof run === 'number') return run
  const { dataset, spec, result: r, opts } = run
  const levelsOut = r.levels.map(({ data: _data, observables, ...rest }) => ({
    ...rest,
    absM: observables.absM,
    nearestCorrelation: observables.nearest
  }))
  if (opts['--json']) {
    out.log(JSON.stringify({ dataset: dataset.id, rule: spec.rule, b: spec.b, levels: levelsOut }, null, 2))
    return 0
  }
  out.log(
    `${dataset.name}: ${spec.count} configurations, ${spec.rule} ${spec.b}×${spec.Ly === 1 ? 1 : spec.b} blocks (−H = Σ K_α S_α, K > 0 ferromagnetic)`
  )
  for (const l of r.levels) {
    const fitted = l.fit
      ? l.fit.couplings.map((c, i) => `${c} ${fmt(l.fit!.K[i]!, 4)} ± ${fmt(l.fit!.errors[i]!, 4)}`).join(', ')
      : '—'
    const matched = l.matched ? `matched K ${fmt(l.matched.K, 4)} ± ${fmt(l.matched.KError, 4)}` : ''
    out.log(
      `level ${l.level} (${l.Lx}×${l.Ly}): |m| ${fmt(l.observables.absM.value, 4)}; ${fitted}${matched ? `; ${matched}` : ''}${l.note ? ` (${l.note})` : ''}`
    )
  }
  return 0
}

/** rg block: the cascade's levels stored as coarse datasets, with its analysis, in the project. */
async function block(args: string[], out: Out): Promise<number> {
  const run = await cascadeOfDataset(args, out, ['--out'])
  if (typeof run === 'number') return run
  const { file, doc, dataset, spec, seed, result, opts } = run
  const p = doc.project
  const taken = [...p.models, ...p.runs, ...p.datasets, ...p.analyses, ...(p.trainings ?? [])].map((x) => x.id)
  const { samples: _samples, ...shape } = spec
  const name = `${dataset.name}: ${spec.rule} ${spec.b}×${spec.Ly === 1 ? 1 : spec.b}, ${spec.levels} level${spec.levels === 1 ? '' : 's'}`
  const records = cascadeRecords({
    analysisId: nextId('rg', taken),
    name,
    source: dataset,
    spec: shape,
    seed,
    result,
    taken
  })
  p.datasets = [...p.datasets, ...records.datasets]
  p.analyses = [...p.analyses, records.analysis]
  Object.assign(doc.arrays, records.arrays)
  p.modifiedAt = new Date().toISOString()
  const target = resolve(typeof opts['--out'] === 'string' ? opts['--out'] : file)
  if (target !== resolve(file) && existsSync(target)) {
    const existing = decodeProject(new Uint8Array(await readFile(target)))
    if (!existing.ok) return (out.err(`${target} exists but could not be read, so it was left alone.`), 1)
  }
  const written = await atomicWriteFile(target, encodeProject(doc, packageInfo().version))
  if (!written.ok) return (out.err(`The project could not be saved to ${target}: ${written.detail}.`), 1)
  if (opts['--json']) {
    out.log(
      JSON.stringify(
        {
          analysis: records.analysis.id,
          datasets: records.datasets.map((d) => ({
            id: d.id,
            level: d.coarse!.level,
            shape: doc.arrays[d.arrays.samples!]!.shape
          }))
        },
        null,
        2
      )
    )
  } else {
    out.log(
      `Blocked ${dataset.name} into ${records.datasets.length} coarse dataset${records.datasets.length === 1 ? '' : 's'} (${records.datasets.map((d) => d.id).join(', ')}); saved with analysis "${records.analysis.id}" in ${target}.`
    )
  }
  return 0
}

async function mcrg(args: string[], out: Out): Promise<number> {
  const { opts } = parseCommandLine(args, {
    flags: ['--json'],
    valued: ['--lattice', '--K', '--rule', '--b', '--levels', '--samples', '--between', '--burn-in', '--seed']
  })
  const lattice = String(opts['--lattice'] ?? 'square:64x64')
  const m = /^square:(\d+)(?:x(\d+))?$/.exec(lattice)
  if (!m || (m[2] !== undefined && m[2] !== m[1]))
    throw new UsageError(`--lattice must be a square torus such as square:64x64, not "${lattice}".`)
  const L = Number(m[1])
  const rule = (opts['--rule'] ?? 'majority') as RgMcrgSpec['rule']
  if (rule !== 'majority' && rule !== 'decimation')
    throw new UsageError(`--rule must be majority or decimation, not "${String(rule)}".`)
  const b = numberOption(opts, '--b', { integer: true, min: 2, max: 64 }, 2)
  let defaultLevels = 0
  for (let side = L; side % b === 0 && side / b >= 4; side /= b) defaultLevels++
  const spec: RgMcrgSpec = {
    L,
    K: numberOption(opts, '--K', { min: 1e-6, max: 10 }, KC),
    rule,
    b,
    levels: numberOption(opts, '--levels', { integer: true, min: 1, max: 16 }, Math.max(1, defaultLevels)),
    count: numberOption(opts, '--samples', { integer: true, min: 4, max: 1_000_000 }, 5000),
    between: numberOption(opts, '--between', { integer: true, min: 1, max: 10_000 }, 2),
    burnIn: numberOption(opts, '--burn-in', { integer: true, min: 0, max: 10_000_000 }, 500)
  }
  const seed = numberOption(opts, '--seed', { integer: true, min: 0, max: 2 ** 32 - 1 }, 1)
  try {
    validateRgMcrgSpec(spec)
  } catch (e) {
    throw new UsageError(`${(e as Error).message.replace(/^MCRG: /, '').replace(/^./, (c) => c.toUpperCase())}.`)
  }
  const r = await runJobWithProgress<RgMcrgResult>('rg.mcrg', `MCRG ${L}² at K = ${spec.K}`, spec, seed)
  if (!r) return 1
  if (opts['--json']) {
    out.log(JSON.stringify(r, null, 2))
    return 0
  }
  out.log(
    `MCRG on ${L}² at K = ${spec.K}, ${rule} ${b}×${b}, ${spec.count} samples; operators ${r.operators.join(', ')}`
  )
  for (const l of r.levels) {
    out.log(
      `level ${l.level}: λ = ${fmt(l.lambda, 4)} ± ${fmt(l.lambdaError, 4)}, y_t = ${fmt(l.yt, 4)} ± ${fmt(l.ytError, 4)}, ν = ${fmt(l.nu, 4)} ± ${fmt(l.nuError, 4)}`
    )
  }
  out.log('Exact 2D Ising: y_t = 1, ν = 1.')
  return 0
}

/** blockspin rg …: the exact 1D decimation, a dataset's block cascade with couplings, and MCRG. */
export async function rgCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  try {
    if (sub === 'decimate') return decimate(rest, out)
    if (sub === 'couplings') return await couplings(rest, out)
    if (sub === 'block') return await block(rest, out)
    if (sub === 'mcrg') return await mcrg(rest, out)
  } catch (e) {
    return withUsage(out, e)
  }
  out.err(`${sub ? `Unknown rg command "${sub}".` : 'Name an rg command.'}\n\n${RG_USAGE}`)
  return 2
}
