import { strFromU8, strToU8 } from 'fflate'
import type { ProjectError } from './errors'
import type { ArrayEntryV1, NpyArray, ProjectDoc, ProjectJson } from './types'
import { decodeNpy, encodeNpy } from './npy'
import { CURRENT_FORMAT_VERSION, SCHEMAS, formatZodIssue, migrateToCurrent } from './migrations'
import { ARRAY_ID_PATTERN } from './schema/v1'
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
import { writeZip, type DosTime, type ZipWriteEntry } from './zipWriter'
import { maxGraphBonds } from '@core/lattice/build'

/**
 * The `.blockspin` file: a ZIP holding `project.json` and one NumPy `.npy` file per array under
 * `arrays/<id>.npy`, so `numpy.load("x.blockspin")` opens it as an .npz archive (keys
 * "arrays/<id>"). Pure: no file system, runs in the main process, the web host and the renderer.
 */

export { CURRENT_FORMAT_VERSION } from './migrations'
export { ARRAY_ID_PATTERN } from './schema/v1'
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

export const PROJECT_JSON = 'project.json'
export const arrayEntryName = (id: string): string => `arrays/${id}.npy`

export type DecodeResult =
  { ok: true; doc: ProjectDoc; migratedFrom: number | null } | { ok: false; error: ProjectError }

/** Lower-case hex sha256, as recorded in project.json. */
export function sha256Hex(bytes: Uint8Array, engine: CodecEngine = pureEngine): string {
  const hash = engine.sha256()
  hash.update(bytes)
  return hash.hex()
}

/**
 * Compression levels. Arrays (spins ±1, float weights) lose little at level 1 and take 4–6×
 * less time than at 6: a 20,000 × 1600 dataset packs to 5.0 MB instead of 3.2 MB in 0.25 s
 * instead of 1.6 s (node:zlib); project.json is small and text, so it keeps level 6.
 */
export const ARRAY_LEVEL = 1
export const JSON_LEVEL = 6

/**
 * ZIP timestamps are DOS wall-clock times from 1980 on; the project's own `modifiedAt` is stored
 * in UTC, so the bytes do not depend on the machine's time zone. Out of range or unparsable →
 * 1980-01-01.
 */
function zipTime(iso: unknown): DosTime {
  const t = typeof iso === 'string' ? new Date(iso) : new Date(NaN)
  const year = t.getUTCFullYear()
  if (Number.isNaN(t.getTime()) || year < 1980 || year > 2099)
    return { year: 1980, month: 1, day: 1, hours: 0, minutes: 0, seconds: 0 }
  return {
    year,
    month: t.getUTCMonth() + 1,
    day: t.getUTCDate(),
    hours: t.getUTCHours(),
    minutes: t.getUTCMinutes(),
    seconds: t.getUTCSeconds()
  }
}

/**
 * Writes a project. The arrays listing of project.json is rebuilt from `doc.arrays` (dtype,
 * shape, sha256); format, formatVersion and appVersion are set. The same doc gives the same
 * bytes: entries are in a fixed order and stamped with the project's own `modifiedAt`.
 * Throws (naming the culprit) on programmer errors: a bad array id, dtype/data mismatch.
 */
export function encodeProject(doc: ProjectDoc, appVersion: string, engine: CodecEngine = pureEngine): Uint8Array {
  return writeZip(projectEntries(doc, appVersion, engine), zipTime(doc.project.modifiedAt), engine)
}

/**
 * encodeProject with the entries deflated by the engine's deflateRawAsync, all at once (Node's
 * zlib spreads them over its thread pool); the same bytes as encodeProject with an engine whose
 * deflateRaw gives what deflateRawAsync gives.
 */
export async function encodeProjectAsync(
  doc: ProjectDoc,
  appVersion: string,
  engine: CodecEngine & Required<Pick<CodecEngine, 'deflateRawAsync'>>
): Promise<Uint8Array> {
  const entries = projectEntries(doc, appVersion, engine)
  const deflated = await Promise.all(
    entries.map((e) => (e.level > 0 ? engine.deflateRawAsync(e.data, e.level) : Promise.resolve(undefined)))
  )
  const packed = entries.map((e, k) => ({ ...e, deflated: deflated[k] }))
  return writeZip(packed, zipTime(doc.project.modifiedAt), engine)
}

/** project.json (with the arrays listing rebuilt) and one .npy per array, in the file's order. */
function projectEntries(doc: ProjectDoc, appVersion: string, engine: CodecEngine): ZipWriteEntry[] {
  const listing: Record<string, ArrayEntryV1> = {}
  const encoded: ZipWriteEntry[] = []
  for (const id of Object.keys(doc.arrays).sort()) {
    if (!ARRAY_ID_PATTERN.test(id)) throw new Error(`encodeProject: array id ${JSON.stringify(id)} is not allowed`)
    const array = doc.arrays[id]
    const npy = encodeNpy(array)
    listing[id] = { dtype: array.dtype, shape: [...array.shape], sha256: sha256Hex(npy, engine) }
    encoded.push({ name: arrayEntryName(id), data: npy, level: ARRAY_LEVEL })
  }
  const project: ProjectJson = {
    ...doc.project,
    format: 'blockspin',
    formatVersion: CURRENT_FORMAT_VERSION,
    appVersion,
    arrays: listing
  }
  const json = { name: PROJECT_JSON, data: strToU8(JSON.stringify(project, null, 2) + '\n'), level: JSON_LEVEL }
  return [json, ...encoded]
}

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

/** What was thrown, as one line; V8's "Invalid string length" is named for what it means. */
function thrownText(error: unknown): string {
  const message = error instanceof Error ? error.message : typeof error === 'string' ? error : 'an unknown error'
  if (error instanceof RangeError && /Invalid string length/i.test(message)) return 'string too long'
  if (error instanceof RangeError && /allocation failed|Invalid typed array length|Array buffer/i.test(message)) {
    return 'not enough memory for its contents'
  }
  return message.length > 300 ? `${message.slice(0, 297)}...` : message
}

function decodeStages(bytes: Uint8Array, lim: DecodeLimits, engine: CodecEngine): DecodeResult {
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
    const array = readArray(bytes, dir.entries.get(arrayEntryName(id)), id, listed, budget, lim, engine)
    if (!array.ok) return array
    arrays[id] = array.value
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
  engine: CodecEngine
): Stage<NpyArray> {
  const corrupt = (detail: string): Stage<NpyArray> => ({ ok: false, error: { tag: 'array-corrupt', id, detail } })
  if (!entry) return { ok: false, error: { tag: 'array-missing', id } }
  const limit = unpackBudget(bytes.length, lim)
  const inflated = inflateEntry(bytes, entry, budget, { sha256: true, engine })
  if (!inflated.ok) {
    return inflated.reason === 'too-large'
      ? { ok: false, error: { tag: 'too-large', bytes: limit - budget.remaining + entry.size, limit } }
      : corrupt(inflated.detail)
  }
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
