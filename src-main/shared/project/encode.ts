import { strToU8 } from 'fflate'
import type { ArrayEntryV1, ProjectDoc, ProjectJson } from './types'
import { decodeNpy, encodeNpy } from './npy'
import { CURRENT_FORMAT_VERSION } from './migrations'
import { ARRAY_ID_PATTERN } from './schema/v1'
import { pureEngine, type CodecEngine } from './engine'
import { writeZip, type DosTime, type ZipWriteEntry } from './zipWriter'

/**
 * Writing a `.blockspin` file (codec.ts reads it): project.json with the arrays listing rebuilt,
 * and one .npy per array, each packed as suits its contents. Pure: runs anywhere.
 */

export const PROJECT_JSON = 'project.json'
export const arrayEntryName = (id: string): string => `arrays/${id}.npy`

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
/** Arrays from this size on are packed as arrayPacking says; smaller ones take level 1 as it is. */
export const LARGE_ARRAY_BYTES = 1024 * 1024
/** Bytes of a large array deflated to decide whether it is worth deflating at all. */
const PROBE_BYTES = 64 * 1024
/** A large array whose probe shrinks by less than this share is stored. */
const STORE_ABOVE = 0.95
/** Runs only is chosen while its probe is at most this much larger than string matching's. */
const RLE_WITHIN = 1.25

/**
 * How a large array's .npy is packed. Runs only ('rle'): on 32 MB of ±1 spins in domains it
 * took 127 ms for 10.8 % of the size where level 1's string matching took 162 ms for 15.6 %,
 * and on float64 weights 59 ms for 72 % instead of 95 ms for 67 % (its literals still get
 * Huffman codes, which is where the sign and exponent bytes shrink). Data that repeats in
 * patterns longer than a byte (a graph's bond endpoints, integer tables) needs string matching:
 * runs only left 20 million bonds at 21 % of their size where level 1 left them under 3 %, so
 * the probe is packed both ways and runs only is kept only when it is nearly as small. An array whose probe, a
 * slice from its middle, barely shrinks (random bits, packed data) is stored: deflating it would
 * cost time and save nothing. Every choice writes what any ZIP reader, NumPy's too, opens.
 */
export function arrayPacking(npy: Uint8Array, engine: CodecEngine): Pick<ZipWriteEntry, 'level' | 'strategy'> {
  if (npy.length < LARGE_ARRAY_BYTES) return { level: ARRAY_LEVEL }
  const from = Math.floor((npy.length - PROBE_BYTES) / 2)
  const probe = npy.subarray(from, from + PROBE_BYTES)
  const runs = engine.deflateRaw(probe, ARRAY_LEVEL, 'rle').length
  const strings = engine.deflateRaw(probe, ARRAY_LEVEL, 'default').length
  if (Math.min(runs, strings) > STORE_ABOVE * probe.length) return { level: 0 }
  return runs <= RLE_WITHIN * strings ? { level: ARRAY_LEVEL, strategy: 'rle' } : { level: ARRAY_LEVEL }
}

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
 * deflateRaw gives what deflateRawAsync gives. Made for saving: deflateRawAsync checks that
 * what it made unpacks to its input, and each .npy header is read back here as the reader
 * would read it, so with checkProjectBytes(…, { payloads: false }) on the result the file is
 * known to open without inflating its arrays a second time (see projectCodecThread.ts).
 */
export async function encodeProjectAsync(
  doc: ProjectDoc,
  appVersion: string,
  engine: CodecEngine & Required<Pick<CodecEngine, 'deflateRawAsync'>>
): Promise<Uint8Array> {
  const entries = projectEntries(doc, appVersion, engine)
  for (const { name, data, listed } of entries) {
    if (!listed) continue
    const read = decodeNpy(data, { ownsBuffer: true })
    const same =
      read.ok &&
      read.array.dtype === listed.dtype &&
      read.array.shape.length === listed.shape.length &&
      read.array.shape.every((d, k) => d === listed.shape[k])
    if (!same)
      throw new Error(`encodeProject: ${name} does not read back as written (${read.ok ? 'shape' : read.detail})`)
  }
  const deflated = await Promise.all(
    entries.map((e) => (e.level > 0 ? engine.deflateRawAsync(e.data, e.level, e.strategy) : Promise.resolve(undefined)))
  )
  const packed = entries.map((e, k) => ({ ...e, deflated: deflated[k] }))
  return writeZip(packed, zipTime(doc.project.modifiedAt), engine)
}

/** project.json (with the arrays listing rebuilt) and one .npy per array with its listing, in the file's order. */
function projectEntries(
  doc: ProjectDoc,
  appVersion: string,
  engine: CodecEngine
): (ZipWriteEntry & { listed?: ArrayEntryV1 })[] {
  const listing: Record<string, ArrayEntryV1> = {}
  const encoded: (ZipWriteEntry & { listed: ArrayEntryV1 })[] = []
  for (const id of Object.keys(doc.arrays).sort()) {
    if (!ARRAY_ID_PATTERN.test(id)) throw new Error(`encodeProject: array id ${JSON.stringify(id)} is not allowed`)
    const array = doc.arrays[id]
    const npy = encodeNpy(array)
    const listed = { dtype: array.dtype, shape: [...array.shape], sha256: sha256Hex(npy, engine) }
    listing[id] = listed
    encoded.push({ name: arrayEntryName(id), data: npy, listed, ...arrayPacking(npy, engine) })
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
