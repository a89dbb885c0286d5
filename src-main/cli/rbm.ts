import { readFile } from 'node:fs/promises'
import { annealedImportanceLogZ } from '@core/rbm/ais'
import { EXACT_MAX_UNITS, exactLogPartition } from '@core/rbm/exact'
import { assertValidRbm } from '@core/rbm/rbm'
import type { Rbm, RbmAnyPrecision, UnitKind } from '@core/rbm/types'
import { xoshiro128ss } from '@core/random/xoshiro128ss'
import { decodeNpy } from '@shared/project/npy'
import { inflateEntry, readZipDirectory } from '@shared/project/zipReader'
import { numberOption, parseOptions, UsageError } from '../services/args'
import { RBM_TRAIN_USAGE, rbmTrainCommand } from './rbmTrain'

type Out = { log: (s: string) => void; err: (s: string) => void }

export const RBM_USAGE = `Usage: blockspin rbm logz --weights FILE.npz [--units 01|pm1] [--method exact|ais]
                         [--chains N] [--steps N] [--seed S] [--json]

FILE.npz is a NumPy archive (numpy.savez) with
  W  visible × hidden weights,  a  visible biases,  b  hidden biases
in the machine-learning convention  E(v, h) = −aᵀv − bᵀh − vᵀWh,  p ∝ e^{−E}
(the paper, Mehta & Schwab Eq. 10, writes w = −W, b = −b, c = −a). --units gives the unit type of
both layers (default 01: {0,1}; pm1: {−1,+1}). exact sums over the smaller layer (≤ ${EXACT_MAX_UNITS} units);
ais is annealed importance sampling (Salakhutdinov & Murray 2008) with an error bar.
exact uses the parameters in the precision stored (float32 or float64); ais runs in float32,
rounding float64 parameters. Prints logZ (and stderr for ais) and the precision used.`

/** Parameters kept as stored: float32 or float64 (each array as its .npy dtype says). */
type NpzParameter = Float32Array | Float64Array

/** Reads W, a and b from a NumPy .npz file, in the precision stored; returns an RBM or a sentence. */
export async function readNpzRbm(file: string, units: UnitKind): Promise<RbmAnyPrecision | string> {
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch (e) {
    return `${file} could not be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
  }
  const dir = readZipDirectory(bytes)
  if (!dir.ok) return `${file} is not a NumPy .npz archive`
  const budget = { remaining: 2 ** 31 }
  const get = (name: string): { data: NpzParameter; shape: number[] } | string => {
    const entry = dir.entries.get(`${name}.npy`)
    if (!entry) return `${file} has no array "${name}" (it needs W, a and b)`
    const inflated = inflateEntry(bytes, entry, budget)
    if (!inflated.ok) return `array "${name}" in ${file} is damaged: ${inflated.detail}`
    const npy = decodeNpy(inflated.data)
    if (!npy.ok) return `array "${name}" in ${file} is not a valid .npy: ${npy.detail}`
    const { data, shape, dtype } = npy.array
    if (dtype !== '<f4' && dtype !== '<f8') return `array "${name}" must be float32 or float64, not ${dtype}`
    return { data: data as NpzParameter, shape }
  }
  const W = get('W')
  const a = get('a')
  const b = get('b')
  for (const x of [W, a, b]) if (typeof x === 'string') return x
  const w = W as { data: NpzParameter; shape: number[] }
  if (w.shape.length !== 2) return `W must be a matrix (visible × hidden), not of shape (${w.shape.join(', ')})`
  const [nv, nh] = w.shape as [number, number]
  const av = (a as { data: NpzParameter }).data
  const bv = (b as { data: NpzParameter }).data
  if (av.length !== nv) return `a has ${av.length} entries but W has ${nv} visible rows`
  if (bv.length !== nh) return `b has ${bv.length} entries but W has ${nh} hidden columns`
  const rbm: RbmAnyPrecision = { nv, nh, visibleUnits: units, hiddenUnits: units, W: w.data, a: av, b: bv }
  try {
    assertValidRbm(rbm, file, { float64: true })
  } catch (e) {
    return (e as Error).message
  }
  return rbm
}

export async function rbmCommand(args: string[], out: Out): Promise<number> {
  const [sub, ...rest] = args
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help')
    return (out.log(`${RBM_USAGE}\n\n${RBM_TRAIN_USAGE}`), 0)
  if (sub === 'train') return rbmTrainCommand(rest, out)
  if (sub !== 'logz') return (out.err(`Unknown rbm command "${sub}".\n\n${RBM_USAGE}\n\n${RBM_TRAIN_USAGE}`), 2)
  const { opts, error } = parseOptions(
    rest,
    ['--json'],
    ['--weights', '--units', '--method', '--chains', '--steps', '--seed']
  )
  if (error) return (out.err(`${error}\n\n${RBM_USAGE}`), 2)
  const file = opts['--weights'] as string | undefined
  if (!file) return (out.err(`Name the weights with --weights FILE.npz.\n\n${RBM_USAGE}`), 2)
  const units = (opts['--units'] ?? '01') as string
  if (units !== '01' && units !== 'pm1') return (out.err(`--units must be 01 or pm1, not "${units}".`), 2)
  const method = (opts['--method'] ?? 'exact') as string
  if (method !== 'exact' && method !== 'ais') return (out.err(`--method must be exact or ais, not "${method}".`), 2)
  let chains: number, steps: number, seed: number
  try {
    chains = numberOption(opts, '--chains', { integer: true, min: 0 }, 100)
    steps = numberOption(opts, '--steps', { integer: true, min: 0 }, 10_000)
    seed = numberOption(opts, '--seed', { integer: true, min: 0 }, 1)
  } catch (e) {
    if (e instanceof UsageError) return (out.err(e.message), 2)
    throw e
  }
  const rbm = await readNpzRbm(file, units)
  if (typeof rbm === 'string') return (out.err(`${rbm}.`), 2)
  const stored = storedPrecision(rbm)
  let result: {
    method: string
    logZ: number
    stderr?: number
    nv: number
    nh: number
    units: string
    /** Of the parameters in the file, and of those ln Z was computed from. */
    stored: Precision
    precision: Precision
  }
  if (method === 'exact') {
    if (Math.min(rbm.nv, rbm.nh) > EXACT_MAX_UNITS) {
      return (
        out.err(
          `Exact ln Z sums over the smaller layer, which must have at most ${EXACT_MAX_UNITS} units; this RBM is ${rbm.nv} × ${rbm.nh}. Use --method ais.`
        ),
        1
      )
    }
    result = { method, logZ: exactLogPartition(rbm), nv: rbm.nv, nh: rbm.nh, units, stored, precision: stored }
  } else {
    const single = toFloat32(rbm)
    if (typeof single === 'string') return (out.err(`${single}.`), 2)
    const r = annealedImportanceLogZ(single, {
      rng: xoshiro128ss(seed),
      chains,
      schedule: { kind: 'linear', intermediate: steps }
    })
    result = { method, logZ: r.logZ, stderr: r.stderr, nv: rbm.nv, nh: rbm.nh, units, stored, precision: 'float32' }
  }
  const precision = result.precision === stored ? `${stored} parameters` : `${stored} parameters rounded to float32`
  if (opts['--json']) out.log(JSON.stringify(result, null, 2))
  else
    out.log(
      `ln Z = ${result.logZ}${result.stderr !== undefined ? ` ± ${result.stderr}` : ''}  (${method}, ${rbm.nv} visible × ${rbm.nh} hidden, ${units} units, ${precision})`
    )
  return 0
}

type Precision = 'float32' | 'float64' | 'mixed'

function storedPrecision(rbm: RbmAnyPrecision): Precision {
  const wide = [rbm.W, rbm.a, rbm.b].filter((x) => x instanceof Float64Array).length
  return wide === 0 ? 'float32' : wide === 3 ? 'float64' : 'mixed'
}

/** The RBM in float32, as AIS (and everything but exact enumeration) runs it; a sentence if it does not fit. */
function toFloat32(rbm: RbmAnyPrecision): Rbm | string {
  const single: Rbm = { ...rbm, W: Float32Array.from(rbm.W), a: Float32Array.from(rbm.a), b: Float32Array.from(rbm.b) }
  try {
    assertValidRbm(single, 'the parameters rounded to float32')
  } catch (e) {
    return (e as Error).message
  }
  return single
}
