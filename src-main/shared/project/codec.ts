import { strFromU8 } from 'fflate'
import type { ProjectError } from './errors'
import type { ArrayEntryV1, NpyArray, ProjectDoc, ProjectJson } from './types'
import { decodeNpy } from './npy'
import { CURRENT_FORMAT_VERSION, SCHEMAS, formatZodIssue, migrateToCurrent } from './migrations'
import {
  DEFAULT_ZIP_LIMITS,
  inflateEntry,
  readZipDirectory,
  unpackBudget,
  type ZipEntry,
  type ZipLimits
} from './zipReader'
import { jsonTextProblem, MAX_JSON_DEPTH, previewValue } from './jsonGuard'
import { pureEngine, type CodecEngine } from './engine'
import { arrayEntryName, PROJECT_JSON } from './encode'
import { maxGraphBonds } from '@core/lattice/build'

/**
 * The `.blockspin` file: a ZIP holding `project.json` and one NumPy `.npy` file per array under
 * `arrays/<id>.npy`, so `numpy.load("x.blockspin")` opens it as an .npz archive (keys
 * "arrays/<id>"). Pure: no file system, runs in the main process, the web host and the renderer.
 * Reading is here; writing is in encode.ts.
 */

export { CURRENT_FORMAT_VERSION } from './migrations'
export { ARRAY_ID_PATTERN } from './schema/v1'
export {
  ARRAY_LEVEL,
  JSON_LEVEL,
  PROJECT_JSON,
  arrayEntryName,
  arrayPacking,
  encodeProject,
  encodeProjectAsync,
  sha256Hex
} from './encode'
export interface DecodeLimits extends ZipLimits {
  /** Most bytes project.json may unpack to (Blockspin's own are kilobytes; arrays live in .npy files). */
  maxJsonBytes: number
  /** Deepest nesting of objects and arrays accepted in project.json. */
  maxJsonDepth: number
}
export const DEFAULT_DECODE_LIMITS: DecodeLimits = {
  ...DEFAULT_ZIP_LIMITS,
  maxJsonBytes: 64 * 1024 ** 2,
  maxJsonDepth: MAX_JSON_DEPTH
}

export type DecodeResult =
  { ok: true; doc: ProjectDoc; migratedFrom: number | null } | { ok: false; error: ProjectError }

type Stage<T> = { ok: true; value: T } | { ok: false; error: ProjectError }

/**
 * Opens a project, stage by stage: ZIP sanity → envelope → version → migration → validation →
 * arrays. Never throws for a bad file; every failure is a tagged ProjectError — also whatever a
 * stage throws unexpectedly (an allocation that fails, a bug a hostile file finds), so callers
 * treat such a file as unreadable and never write over it.
 */
export function decodeProject(
  bytes: Uint8Array,
  limits: Partial<DecodeLimits> = {},
  engine: CodecEngine = pureEngine
): DecodeResult {
  try {
    return decodeStages(bytes, { ...DEFAULT_DECODE_LIMITS, ...limits }, engine)
  } catch (error) {
    return { ok: false, error: { tag: 'invalid', detail: `reading it failed (${thrownText(error)})` } }
  }
}

/**
 * Whether `bytes` open as a project, without keeping what they hold. With `payloads: false` the
 * arrays' entries are checked as far as their headers go (present, named alike in both places,
 * sizes within the file and its limits, stored or deflated) but not inflated: for bytes whose
 * deflated streams were already checked to unpack to the .npy bytes that were hashed, as
 * encodeProjectAsync's are. Everything else is checked as decodeProject checks it.
 */
export function checkProjectBytes(
  bytes: Uint8Array,
  limits: Partial<DecodeLimits> = {},
  engine: CodecEngine = pureEngine,
  options: { payloads?: boolean } = {}
): { ok: true } | { ok: false; error: ProjectError } {
  try {
    const read = decodeStages(bytes, { ...DEFAULT_DECODE_LIMITS, ...limits }, engine, options.payloads ?? true)
    return read.ok ? { ok: true } : read
  } catch (error) {
    return { ok: false, error: { tag: 'invalid', detail: `reading it failed (${thrownText(error)})` } }
  }
}

/** What was thrown, as one line; V8's "Invalid string length" is named for what it means. */
function thrownText(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'an unknown error'
  if (error instanceof RangeError && /Invalid string length/i.test(message)) return 'string too long'
  if (error instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(message)) {
    return 'not enough memory for its contents'
  }
  return message.length > 300 ? `${message.slice(0, 297)}...` : message
}

function decodeStages(bytes: Uint8Array, lim: DecodeLimits, engine: CodecEngine, payloads = true): DecodeResult {
  // 1. ZIP sanity: names, entry count and declared sizes, before anything is inflated.
  const dir = readZipDirectory(bytes, lim)
  if (!dir.ok) return dir
  const budget = { remaining: unpackBudget(bytes.length, lim) }

  // 2. Envelope.
  const envelope = readEnvelope(bytes, dir.entries.get(PROJECT_JSON), budget, lim, engine)
  if (!envelope.ok) return envelope
  const json = envelope.value
  const fileVersion = json.formatVersion as number

  // 3. Version.
  if (fileVersion > CURRENT_FORMAT_VERSION) {
    const made =
      typeof json.appVersion === 'string' && json.appVersion.trim() !== ''
        ? json.appVersion.slice(0, 40)
        : 'of an unknown version'
    return { ok: false, error: { tag: 'too-new', formatVersion: fileVersion, appVersion: made } }
  }

  // 4. Migration.
  const migrated = migrateToCurrent(json, fileVersion)
  if (!migrated.ok) return { ok: false, error: { tag: 'migration-failed', from: fileVersion, detail: migrated.detail } }

  // 5. Validation against the current frozen schema.
  const parsed = SCHEMAS[CURRENT_FORMAT_VERSION].safeParse(migrated.project)
  if (!parsed.success) return { ok: false, error: { tag: 'invalid', detail: formatZodIssue(parsed.error.issues[0]) } }
  const project = parsed.data as ProjectJson

  // 5b. Graph models' bond counts, from the shapes project.json lists, before any array is read.
  const bonds = graphBondsProblem(project)
  if (bonds) return { ok: false, error: { tag: 'invalid', detail: bonds } }

  // 6. Arrays: present, well-formed, as listed, and matching their checksums.
  const arrays: Record<string, NpyArray> = {}
  for (const [id, listed] of Object.entries(project.arrays)) {
    const entry = dir.entries.get(arrayEntryName(id))
    const array = readArray(bytes, entry, id, listed, budget, lim, engine, payloads)
    if (!array.ok) return array
    if (array.value) arrays[id] = array.value
  }
  return { ok: true, doc: { project, arrays }, migratedFrom: fileVersion < CURRENT_FORMAT_VERSION ? fileVersion : null }
}

function readEnvelope(
  bytes: Uint8Array,
  entry: ZipEntry | undefined,
  budget: { remaining: number },
  lim: DecodeLimits,
  engine: CodecEngine
): Stage<Record<string, unknown>> {
  if (!entry) return { ok: false, error: { tag: 'missing-project-json' } }
  if (entry.size > lim.maxJsonBytes) {
    return badEnvelope(
      `${PROJECT_JSON} unpacks to ${entry.size} bytes, more than the ${lim.maxJsonBytes} Blockspin reads`
    )
  }
  const inflated = inflateEntry(bytes, entry, budget, { engine })
  if (!inflated.ok) {
    return inflated.reason === 'too-large'
      ? { ok: false, error: { tag: 'too-large', bytes: entry.size, limit: unpackBudget(bytes.length, lim) } }
      : { ok: false, error: { tag: 'not-zip', detail: `${PROJECT_JSON} ${inflated.detail}` } }
  }
  let json: unknown
  try {
    const text = strFromU8(inflated.data).replace(/^\uFEFF/, '')
    const problem = jsonTextProblem(text, lim.maxJsonDepth)
    if (problem) return badEnvelope(`${PROJECT_JSON} is not accepted: ${problem}`)
    json = JSON.parse(text)
  } catch (e) {
    return badEnvelope(`${PROJECT_JSON} is not valid JSON (${thrownText(e)})`)
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json))
    return badEnvelope(`${PROJECT_JSON} is not a JSON object`)
  const record = json as Record<string, unknown>
  if (record.format !== 'blockspin') {
    return badEnvelope(`${PROJECT_JSON} says its format is ${describeValue(record.format)}, not "blockspin"`)
  }
  const version = record.formatVersion
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    return badEnvelope(`${PROJECT_JSON} has formatVersion ${describeValue(version)}, not a whole number from 1 up`)
  }
  return { ok: true, value: record }
}

function readArray(
  bytes: Uint8Array,
  entry: ZipEntry | undefined,
  id: string,
  listed: ArrayEntryV1,
  budget: { remaining: number },
  lim: DecodeLimits,
  engine: CodecEngine,
  payload: boolean
): Stage<NpyArray | null> {
  const corrupt = (detail: string): Stage<never> => ({ ok: false, error: { tag: 'array-corrupt', id, detail } })
  if (!entry) return { ok: false, error: { tag: 'array-missing', id } }
  const limit = unpackBudget(bytes.length, lim)
  const inflated = inflateEntry(bytes, entry, budget, { sha256: true, engine, unpack: payload })
  if (!inflated.ok) {
    return inflated.reason === 'too-large'
      ? { ok: false, error: { tag: 'too-large', bytes: limit - budget.remaining + entry.size, limit } }
      : corrupt(inflated.detail)
  }
  if (!payload) return { ok: true, value: null }
  // The inflated bytes are ours alone, so the array can be a view of them rather than a copy.
  const decoded = decodeNpy(inflated.data, { ownsBuffer: true })
  if (!decoded.ok) return corrupt(decoded.detail)
  const { dtype, shape } = decoded.array
  if (dtype !== listed.dtype || shape.length !== listed.shape.length || shape.some((d, k) => d !== listed.shape[k])) {
    return corrupt(
      `has dtype ${dtype} and shape (${shape.join(', ')}), but ${PROJECT_JSON} lists ${listed.dtype} and (${listed.shape.join(', ')})`
    )
  }
  if (inflated.sha256 !== listed.sha256) return { ok: false, error: { tag: 'checksum', id } }
  return { ok: true, value: decoded.array }
}

/** A graph model listing more bonds than its sites allow (maxGraphBonds), in words; null when none does. */
function graphBondsProblem(project: ProjectJson): string | null {
  for (const model of project.models ?? []) {
    if (model.lattice.kind !== 'graph') continue
    const count = project.arrays[model.lattice.bonds]?.shape[0]
    const most = maxGraphBonds(model.lattice.N)
    if (count !== undefined && count > most) {
      return `graph model “${model.name.slice(0, 60)}” lists ${count} bonds, more than the ${most} a graph of ${model.lattice.N} sites may have`
    }
  }
  return null
}

function badEnvelope(detail: string): Stage<never> {
  return { ok: false, error: { tag: 'bad-envelope', detail } }
}

function describeValue(value: unknown): string {
  return previewValue(value, 40)
}
