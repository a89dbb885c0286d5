import { validateMappingSpec, type MappingKernelName, type MappingSpec } from '@core/jobs/mapping'
import type { ModelData } from '@core/lattice/data'
import type { LatticeSpecV2 as LatticeSpec } from '@shared/project/types'

/**
 * The mapping launcher's form as typed, and the spec it describes. Numbers are read as written
 * with a decimal point; "0,45" is refused with a sentence showing the form to use, because a
 * comma also separates the values of the λ list.
 */

/** The presets the launcher offers (an RBM of a training is mapped from its training). */
export type MappingPreset = 'decimation-1d' | 'lin-tegmark' | 'block-2x2' | 'kernel'

export interface MappingForm {
  preset: MappingPreset
  K: string
  h: string
  M: string
  a: string
  lambda: string
  epochs: string
  modelId: string
  kernel: MappingKernelName
  lambdas: string
  b: string
  seed: string
}

export const MAPPING_PRESET_TITLES: Record<MappingPreset, string> = {
  'decimation-1d': '1D decimation (δ-kernel and its exact RBM)',
  'lin-tegmark': 'Lin–Tegmark–Rolnick counterexample (ΔF = 0, trace ≠ 1)',
  'block-2x2': 'A trained RBM per 2×2 block of the 4×4 torus',
  kernel: 'A model of the project with a block kernel'
}

/** The coupling each preset opens with (the counterexample and the 2×2 RBM at the core's K = 0.3). */
export const PRESET_K: Record<MappingPreset, string> = {
  'decimation-1d': '0.8',
  'lin-tegmark': '0.3',
  'block-2x2': '0.3',
  kernel: '0.3'
}

export const defaultMappingForm = (seed: number): MappingForm => ({
  preset: 'decimation-1d',
  K: '0.8',
  h: '0.3',
  M: '6',
  a: '1',
  lambda: '1',
  epochs: '200',
  modelId: '',
  kernel: 'kadanoff',
  lambdas: '',
  b: '2',
  seed: String(seed)
})

/** Largest model the kernel preset enumerates (2^N configurations). */
export const MAPPING_MAX_SPINS = 24

/** Why a model cannot be mapped with a block kernel, or null when it can. */
export function kernelModelProblem(lattice: LatticeSpec): string | null {
  if (lattice.kind !== 'chain' && (lattice.kind !== 'square' || lattice.diagonals))
    return 'block kernels need a chain or a square lattice without diagonal bonds'
  const N = lattice.kind === 'chain' ? lattice.N : lattice.Lx * lattice.Ly
  return N > MAPPING_MAX_SPINS ? `it has ${N} spins; exact enumeration stops at ${MAPPING_MAX_SPINS}` : null
}

const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i

/** A number as typed, or a sentence naming the field and the form to use. */
export function parseNumber(label: string, text: string): number | string {
  const t = text.trim().replace(/^−/, '-')
  if (/^[+-]?\d*,\d+$/.test(t))
    return `${label} is “${text.trim()}”: write decimals with a point, as ${t.replace(',', '.')}.`
  if (!DECIMAL.test(t)) return `${label} must be a number such as 0.45, not “${text.trim()}”.`
  return Number(t)
}

function parseWhole(label: string, text: string, lo: number, hi: number): number | string {
  const t = text.trim()
  if (!/^\d+$/.test(t) || Number(t) < lo || Number(t) > hi)
    return `${label} must be a whole number from ${lo} to ${hi}, not “${t}”.`
  return Number(t)
}

/** The λ list: values separated by spaces, semicolons or “, ”; a bare “0,45” is refused. */
export function parseLambdas(text: string): number[] | string {
  const t = text.trim()
  if (!t) return []
  if (/\d,\d/.test(t))
    return `The λ list “${t}” has a comma between digits: write decimals with a point and separate values with spaces, as 0.5 1 2.`
  const values: number[] = []
  for (const part of t.split(/[\s;]+|,\s*/).filter(Boolean)) {
    const v = parseNumber('Each λ', part)
    if (typeof v === 'string') return v
    values.push(v)
  }
  return values
}

const sentence = (m: string): string => m.charAt(0).toUpperCase() + m.slice(1) + (m.endsWith('.') ? '' : '.')

export interface MappingRequest {
  spec: MappingSpec
  seed: number
  name: string
  sourceId: string | null
}

/** The request the form describes, or a sentence saying what to fix. `modelData` resolves a model id. */
export function mappingFromForm(
  f: MappingForm,
  models: readonly { id: string; name: string; lattice: LatticeSpec }[],
  modelData: (id: string) => ModelData
): MappingRequest | string {
  const read = (pairs: [string, string][]): number[] | string => {
    const out: number[] = []
    for (const [label, text] of pairs) {
      const v = parseNumber(label, text)
      if (typeof v === 'string') return v
      out.push(v)
    }
    return out
  }
  const seed = Number(f.seed)
  if (!/^\d+$/.test(f.seed.trim()) || seed > 0xffffffff) return 'The seed must be a whole number from 0 to 4294967295.'
  let spec: MappingSpec
  let name: string
  let sourceId: string | null = null
  if (f.preset === 'decimation-1d') {
    const v = read([
      ['K', f.K],
      ['h', f.h]
    ])
    if (typeof v === 'string') return v
    const M = parseWhole('M (kept spins)', f.M, 3, 12)
    if (typeof M === 'string') return M
    spec = { preset: 'decimation-1d', K: v[0]!, h: v[1]!, M }
    name = `1D decimation, K = ${v[0]}, h = ${v[1]}`
  } else if (f.preset === 'lin-tegmark') {
    const v = read([
      ['K', f.K],
      ['a', f.a],
      ['λ', f.lambda]
    ])
    if (typeof v === 'string') return v
    spec = { preset: 'lin-tegmark', K: v[0]!, a: v[1]!, lambda: v[2]! }
    name = `Counterexample, K = ${v[0]}, a = ${v[1]}`
  } else if (f.preset === 'block-2x2') {
    const v = read([['K', f.K]])
    if (typeof v === 'string') return v
    const epochs = parseWhole('Epochs', f.epochs, 1, 100_000)
    if (typeof epochs === 'string') return epochs
    spec = { preset: 'block-2x2', K: v[0]!, epochs }
    name = `RBM per 2×2 block, K = ${v[0]}`
  } else {
    const model = models.find((m) => m.id === f.modelId)
    if (!model) return 'Pick a model of the project (a chain or square lattice of at most 24 spins).'
    const problem = kernelModelProblem(model.lattice)
    if (problem) return `“${model.name}” cannot be mapped: ${problem}.`
    const b = parseWhole('The block size b', f.b, 2, 24)
    if (typeof b === 'string') return b
    // The blocks tile the lattice (src-core/rg/kernels.ts blockPartition): b divides each side.
    const lattice = model.lattice
    const sides: [string, number][] =
      lattice.kind === 'chain'
        ? [['N', lattice.N]]
        : lattice.kind === 'square'
          ? [
              ['Lx', lattice.Lx],
              ['Ly', lattice.Ly]
            ]
          : []
    const uneven = sides.find(([, L]) => L % b !== 0)
    if (uneven) return `The block size b = ${b} must divide ${uneven[0]} = ${uneven[1]} of “${model.name}”.`
    const lambda = f.kernel === 'kadanoff' ? parseNumber('λ', f.lambda) : 1
    if (typeof lambda === 'string') return lambda
    const lambdas = f.kernel === 'kadanoff' ? parseLambdas(f.lambdas) : []
    if (typeof lambdas === 'string') return lambdas
    spec = {
      preset: 'kernel',
      model: modelData(model.id),
      kernel: f.kernel,
      b,
      ...(f.kernel === 'kadanoff' ? { lambda } : {}),
      ...(lambdas.length ? { lambdas } : {})
    }
    name = `${model.name}: ${f.kernel}${f.kernel === 'kadanoff' ? ` λ = ${lambda}` : ''}, b = ${b}`
    sourceId = model.id
  }
  try {
    validateMappingSpec(spec)
  } catch (e) {
    return sentence((e as Error).message)
  }
  return { spec, seed, name, sourceId }
}
