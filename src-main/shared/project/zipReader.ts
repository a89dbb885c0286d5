import { strFromU8 } from 'fflate'
import type { ProjectError } from './errors'
import { pureEngine, type CodecEngine } from './engine'

/**
 * A defensive ZIP reader: the central directory is read and checked (names, entry count,
 * declared sizes) before a single byte is inflated, and inflation is streamed in small pieces
 * so an entry that lies about its size is stopped within one piece (zip-bomb safe).
 * Reference: PKWARE APPNOTE.TXT 6.3.10, sections 4.3.7 (local header), 4.3.12 (central
 * directory), 4.3.14–4.3.16 (ZIP64 and end records), 4.5.3 (ZIP64 extra field).
 */

export interface ZipLimits {
  /** Most entries accepted in the central directory. */
  maxEntries: number
  /** Most bytes the entries may unpack to, declared and actual, in total. */
  maxTotalBytes: number
  /**
   * The entries may unpack to at most `expansionFloor + maxExpansion × file length` bytes in
   * total. Deflate can reach ~1032:1 on constant data, but Blockspin's own files (spins, couplings,
   * chains' histories) stay far below 256:1 once they are large; a file beyond this is refused
   * before anything is inflated instead of holding gigabytes of memory for tens of seconds.
   */
  maxExpansion: number
  expansionFloor: number
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxEntries: 10_000,
  maxTotalBytes: 2 * 1024 ** 3,
  maxExpansion: 256,
  expansionFloor: 256 * 1024 ** 2
}

/** The most bytes a file of `fileLength` bytes may unpack to under `limits`. */
export function unpackBudget(fileLength: number, limits: ZipLimits): number {
  return Math.min(limits.maxTotalBytes, limits.expansionFloor + limits.maxExpansion * fileLength)
}

export interface ZipEntry {
  name: string
  flags: number
  method: number
  crc32: number
  compressedSize: number
  size: number
  localHeaderOffset: number
}

export type ZipDirectoryResult = { ok: true; entries: Map<string, ZipEntry> } | { ok: false; error: ProjectError }
export type InflateResult =
  { ok: true; data: Uint8Array; sha256?: string } | { ok: false; reason: 'damaged' | 'too-large'; detail: string }

const SIG_EOCD = 0x06054b50
const SIG_EOCD64 = 0x06064b50
const SIG_EOCD64_LOCATOR = 0x07064b50
const SIG_CENTRAL = 0x02014b50
const SIG_LOCAL = 0x04034b50
/** Deflate's largest expansion (RFC 1951: a 258-byte match costs at least 2 bits), plus slack for headers. */
const DEFLATE_MAX_RATIO = 1032
const DEFLATE_SLACK = 1024

/** Names that could escape an extraction folder or mean different files on different systems. */
export function isUnsafeEntryName(name: string): boolean {
  if (name === '' || /[\u0000-\u001f]/.test(name)) return true
  if (name.startsWith('/') || name.includes('\\') || /^[A-Za-z]:/.test(name)) return true
  return name.split('/').some((segment) => segment === '..')
}

function notZip(detail: string): ZipDirectoryResult {
  return { ok: false, error: { tag: 'not-zip', detail } }
}

function findEndRecord(view: DataView): number {
  const last = view.byteLength - 22
  const first = Math.max(0, last - 0xffff)
  for (let pos = last; pos >= first; pos--) {
    if (view.getUint32(pos, true) === SIG_EOCD && pos + 22 + view.getUint16(pos + 20, true) <= view.byteLength)
      return pos
  }
  return -1
}

function readUint64(view: DataView, pos: number): number {
  const value = view.getUint32(pos, true) + view.getUint32(pos + 4, true) * 2 ** 32
  return Number.isSafeInteger(value) ? value : Number.MAX_SAFE_INTEGER
}

/** Reads and checks the central directory; inflates nothing. */
export function readZipDirectory(bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS): ZipDirectoryResult {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (bytes.length < 22) return notZip(bytes.length === 0 ? 'the file is empty' : 'the file is too short')
  const eocd = findEndRecord(view)
  if (eocd < 0) {
    return notZip(
      view.getUint32(0, true) === SIG_LOCAL
        ? 'the end of the archive is missing; the file may be truncated'
        : 'no ZIP directory was found'
    )
  }
  if (view.getUint16(eocd + 4, true) !== 0 || view.getUint16(eocd + 6, true) !== 0)
    return notZip('multi-part archives are not supported')
  let count = view.getUint16(eocd + 10, true)
  let dirSize = view.getUint32(eocd + 12, true)
  let dirOffset = view.getUint32(eocd + 16, true)
  if (count === 0xffff || dirSize === 0xffffffff || dirOffset === 0xffffffff) {
    const locator = eocd - 20
    if (locator < 0 || view.getUint32(locator, true) !== SIG_EOCD64_LOCATOR)
      return notZip('the ZIP64 end record is missing')
    const end64 = readUint64(view, locator + 8)
    if (end64 + 56 > bytes.length || view.getUint32(end64, true) !== SIG_EOCD64)
      return notZip('the ZIP64 end record is damaged')
    count = readUint64(view, end64 + 32)
    dirSize = readUint64(view, end64 + 40)
    dirOffset = readUint64(view, end64 + 48)
  }
  if (count > limits.maxEntries)
    return { ok: false, error: { tag: 'too-many-entries', count, limit: limits.maxEntries } }
  if (dirOffset + dirSize > bytes.length)
    return notZip('the ZIP directory points outside the file; the file may be truncated')

  const entries = new Map<string, ZipEntry>()
  let declaredTotal = 0
  let pos = dirOffset
  for (let k = 0; k < count; k++) {
    if (pos + 46 > dirOffset + dirSize || view.getUint32(pos, true) !== SIG_CENTRAL)
      return notZip('the ZIP directory is damaged')
    const flags = view.getUint16(pos + 8, true)
    const nameLength = view.getUint16(pos + 28, true)
    const extraLength = view.getUint16(pos + 30, true)
    const commentLength = view.getUint16(pos + 32, true)
    const next = pos + 46 + nameLength + extraLength + commentLength
    if (next > dirOffset + dirSize) return notZip('the ZIP directory is damaged')
    const entry: ZipEntry = {
      name: '',
      flags,
      method: view.getUint16(pos + 10, true),
      crc32: view.getUint32(pos + 16, true),
      compressedSize: view.getUint32(pos + 20, true),
      size: view.getUint32(pos + 24, true),
      localHeaderOffset: view.getUint32(pos + 42, true)
    }
    try {
      // Bit 11: UTF-8 names; otherwise CP437, which agrees with Latin-1 on the ASCII we accept.
      entry.name = strFromU8(bytes.subarray(pos + 46, pos + 46 + nameLength), (flags & 0x800) === 0)
    } catch {
      return notZip('an entry name is not valid text')
    }
    if (!readZip64Extra(view, pos + 46 + nameLength, extraLength, entry))
      return notZip('a ZIP64 extra field is damaged')
    if (isUnsafeEntryName(entry.name) || entries.has(entry.name)) {
      return { ok: false, error: { tag: 'unsafe-entry', entry: entry.name } }
    }
    entries.set(entry.name, entry)
    declaredTotal += entry.size
    pos = next
  }
  if (declaredTotal > limits.maxTotalBytes) {
    return { ok: false, error: { tag: 'too-large', bytes: declaredTotal, limit: limits.maxTotalBytes } }
  }
  const budget = unpackBudget(bytes.length, limits)
  if (declaredTotal > budget) return { ok: false, error: { tag: 'too-large', bytes: declaredTotal, limit: budget } }
  return { ok: true, entries }
}

/**
 * Replaces 0xFFFFFFFF placeholders with the 64-bit values of the ZIP64 extra field (id 1).
 * Every field is checked against the end of the extra block and of the file, whatever size it
 * declares. False when a field runs past either end or a needed value is missing.
 */
function readZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): boolean {
  const end = Math.min(start + length, view.byteLength)
  let p = start
  while (p + 4 <= end) {
    const id = view.getUint16(p, true)
    const size = view.getUint16(p + 2, true)
    const fieldEnd = p + 4 + size
    if (fieldEnd > end) return false
    if (id === 0x0001) {
      let q = p + 4
      let missing = false
      const take = (): number => {
        if (q + 8 > fieldEnd) {
          missing = true
          return Number.MAX_SAFE_INTEGER
        }
        const v = readUint64(view, q)
        q += 8
        return v
      }
      if (entry.size === 0xffffffff) entry.size = take()
      if (entry.compressedSize === 0xffffffff) entry.compressedSize = take()
      if (entry.localHeaderOffset === 0xffffffff) entry.localHeaderOffset = take()
      return !missing
    }
    p = fieldEnd
  }
  return true
}

/** The entry's name as its local header spells it, or null when the header runs past the file. */
function localName(bytes: Uint8Array, view: DataView, at: number): string | null {
  const flags = view.getUint16(at + 6, true)
  const nameLength = view.getUint16(at + 26, true)
  if (at + 30 + nameLength > bytes.length) return null
  try {
    return strFromU8(bytes.subarray(at + 30, at + 30 + nameLength), (flags & 0x800) === 0)
  } catch {
    return null
  }
}

/**
 * Unpacks one entry, never producing more than its declared size nor more than `budget.remaining`
 * bytes (which it decreases), and checks the CRC-32. With `unpack: false` it checks everything
 * that precedes unpacking (headers, names, sizes, method) and gives empty data.
 */
export function inflateEntry(
  bytes: Uint8Array,
  entry: ZipEntry,
  budget: { remaining: number },
  options: { sha256?: boolean; engine?: CodecEngine; unpack?: boolean } = {}
): InflateResult {
  const engine = options.engine ?? pureEngine
  const damaged = (detail: string): InflateResult => ({ ok: false, reason: 'damaged', detail })
  if (entry.flags & 0x1) return damaged('is encrypted')
  if (entry.size > budget.remaining) {
    return {
      ok: false,
      reason: 'too-large',
      detail: `unpacks to ${entry.size} bytes, beyond the remaining ${budget.remaining}`
    }
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const at = entry.localHeaderOffset
  if (at + 30 > bytes.length || view.getUint32(at, true) !== SIG_LOCAL) return damaged('has no local header')
  // NumPy's zipfile refuses these too: two names for one entry let tools disagree on what it is.
  if (localName(bytes, view, at) !== entry.name) return damaged('has a different name in its local header')
  const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true)
  const end = start + entry.compressedSize
  if (end > bytes.length) return damaged('is truncated')
  const packed = bytes.subarray(start, end)
  const unchecked = (): InflateResult => {
    budget.remaining -= entry.size
    return { ok: true, data: new Uint8Array(0) }
  }
  let data: Uint8Array
  if (entry.method === 0) {
    if (entry.compressedSize !== entry.size) return damaged('has inconsistent sizes')
    if (options.unpack === false) return unchecked()
    data = new Uint8Array(packed) // a copy, also when `bytes` is a Node Buffer
  } else if (entry.method === 8) {
    if (entry.size > entry.compressedSize * DEFLATE_MAX_RATIO + DEFLATE_SLACK) {
      return damaged(`declares ${entry.size} bytes, more than its ${entry.compressedSize} compressed bytes can hold`)
    }
    if (options.unpack === false) return unchecked()
    let out: Uint8Array | 'overflow'
    try {
      out = engine.inflateRaw(packed, entry.size)
    } catch {
      return damaged('holds invalid compressed data')
    }
    if (out === 'overflow') return damaged(`unpacks to more than its declared ${entry.size} bytes`)
    if (out.length !== entry.size) return damaged(`unpacks to ${out.length} bytes, not the declared ${entry.size}`)
    data = out
  } else {
    return damaged(`uses compression method ${entry.method}, which Blockspin does not read`)
  }
  budget.remaining -= data.length
  if (engine.crc32(data) !== entry.crc32) return damaged('fails its CRC-32 check')
  if (!options.sha256) return { ok: true, data }
  const hash = engine.sha256()
  hash.update(data)
  return { ok: true, data, sha256: hash.hex() }
}

export { crc32 } from './engine'
