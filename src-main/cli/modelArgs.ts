import { readFile } from 'node:fs/promises'
import type { ModelData } from '@core/lattice/data'
import type { LatticeSpec } from '@core/lattice/types'
import { numberOption, UsageError } from '../services/args'
import { decodeProject } from './codec'
import { describeProjectError } from '@shared/project/errors'
import { modelDataFromProject } from '@shared/project/model'

/**
 * The model options shared by `exact` and `sample`:
 *   --lattice chain:N | square:LxxLy | square:L | triangular:LxxLy   (periodic unless --open)
 *   --K k [--h h]   uniform coupling and field (paper's sign: H = −K Σ v_i v_j − h Σ v_i)
 *   --model FILE    a model saved from the editor: a .blockspin project (its first model, or
 *                   FILE#modelId) or a JSON file {lattice, uniform, fields?, couplings?}
 */
export interface ModelArgs {
  lattice?: string
  K?: string
  h?: string
  open?: boolean
  model?: string
}

export type ModelOutcome = { ok: true; data: ModelData; label: string } | { ok: false; error: string }

export function parseLattice(text: string, open: boolean): LatticeSpec | string {
  const m = /^(chain|square|triangular):(\d+)(?:x(\d+))?$/.exec(text.trim())
  if (!m) return `--lattice must look like chain:10, square:16x16 or triangular:12x12, not "${text}"`
  const a = Number(m[2])
  const b = m[3] === undefined ? a : Number(m[3])
  if (m[1] === 'chain')
    return m[3] === undefined
      ? { kind: 'chain', N: a, periodic: !open }
      : '--lattice chain takes one size, as in chain:10'
  if (m[1] === 'triangular')
    return open ? 'the triangular lattice is periodic only; drop --open' : { kind: 'triangular', Lx: a, Ly: b }
  return { kind: 'square', Lx: a, Ly: b, periodicX: !open, periodicY: !open }
}

/** A number option by the shared rule (services/args.ts), or its sentence without the full stop. */
function num(text: string | undefined, name: string, fallback: number | null): number | string {
  try {
    return numberOption(text === undefined ? {} : { [name]: text }, name, {}, fallback ?? undefined)
  } catch (e) {
    if (e instanceof UsageError) return e.message.replace(/\.$/, '')
    throw e
  }
}

export async function modelFromArgs(args: ModelArgs): Promise<ModelOutcome> {
  if (args.model) {
    if (args.lattice || args.K !== undefined)
      return { ok: false, error: 'give either --model or --lattice/--K, not both' }
    return modelFromFile(args.model)
  }
  if (!args.lattice)
    return { ok: false, error: 'name a lattice with --lattice (e.g. square:16x16) or a model with --model FILE' }
  const lattice = parseLattice(args.lattice, args.open === true)
  if (typeof lattice === 'string') return { ok: false, error: lattice }
  const K = num(args.K, '--K', null)
  const h = num(args.h, '--h', 0)
  if (typeof K === 'string') return { ok: false, error: K }
  if (typeof h === 'string') return { ok: false, error: h }
  return {
    ok: true,
    data: { lattice, uniform: { K, h } },
    label: `${args.lattice}${args.open ? ' open' : ''}, K = ${K}, h = ${h}`
  }
}

async function modelFromFile(ref: string): Promise<ModelOutcome> {
  const [file, modelId] = ref.split('#') as [string, string | undefined]
  let bytes: Uint8Array
  try {
    bytes = new Uint8Array(await readFile(file))
  } catch (e) {
    return {
      ok: false,
      error: `${file} could not be read: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`
    }
  }
  if (file.toLowerCase().endsWith('.json')) {
    try {
      const json = JSON.parse(new TextDecoder().decode(bytes)) as {
        lattice: LatticeSpec
        uniform: ModelData['uniform']
        fields?: number[]
        couplings?: number[]
      }
      const data: ModelData = { lattice: json.lattice, uniform: json.uniform }
      if (json.fields) data.fields = Float64Array.from(json.fields)
      if (json.couplings) data.couplings = Float64Array.from(json.couplings)
      return { ok: true, data, label: file }
    } catch (e) {
      return { ok: false, error: `${file} is not a model JSON file: ${(e as Error).message}` }
    }
  }
  const decoded = decodeProject(bytes)
  if (!decoded.ok) return { ok: false, error: `${file}: ${describeProjectError(decoded.error)}` }
  const models = decoded.doc.project.models
  const m = modelId ? models.find((x) => x.id === modelId) : models[0]
  if (!m)
    return {
      ok: false,
      error: modelId
        ? `${file} has no model "${modelId}" (it has ${models.map((x) => x.id).join(', ') || 'none'})`
        : `${file} has no models`
    }
  const data = modelDataFromProject(m, decoded.doc.arrays)
  return data.ok ? { ok: true, data: data.data, label: `${m.name} (${file})` } : { ok: false, error: data.error }
}
