import { strToU8 } from 'fflate'
import { crc32 } from '@shared/project/zipReader'

/** One stored (uncompressed) entry of a hand-built archive, with the header fields a test may falsify. */
export interface RawEntry {
  name: string
  data: Uint8Array
  /** The name written in the local header (defaults to `name`). */
  localName?: string
  /** Central-directory extra field bytes. */
  centralExtra?: Uint8Array
  /** Overrides of the central record's 32-bit size fields (0xFFFFFFFF marks a ZIP64 value). */
  size?: number
  compressedSize?: number
  localHeaderOffset?: number
}

/**
 * Builds a ZIP byte by byte (PKWARE APPNOTE 4.3.7, 4.3.12, 4.3.16), so tests can write what no
 * archiver would: ZIP64 fields that run past the file, names that differ between headers.
 */
export function rawZip(entries: RawEntry[], comment = new Uint8Array(0)): Uint8Array {
  const parts: Uint8Array[] = []
  const central: Uint8Array[] = []
  let offset = 0
  for (const e of entries) {
    const local = strToU8(e.localName ?? e.name)
    const name = strToU8(e.name)
    const crc = crc32(e.data)
    const header = new Uint8Array(30 + local.length)
    const h = new DataView(header.buffer)
    h.setUint32(0, 0x04034b50, true)
    h.setUint16(4, 20, true)
    h.setUint32(14, crc, true)
    h.setUint32(18, e.data.length, true)
    h.setUint32(22, e.data.length, true)
    h.setUint16(26, local.length, true)
    header.set(local, 30)
    const extra = e.centralExtra ?? new Uint8Array(0)
    const record = new Uint8Array(46 + name.length + extra.length)
    const c = new DataView(record.buffer)
    c.setUint32(0, 0x02014b50, true)
    c.setUint16(4, 20, true)
    c.setUint16(6, 20, true)
    c.setUint32(16, crc, true)
    c.setUint32(20, e.compressedSize ?? e.data.length, true)
    c.setUint32(24, e.size ?? e.data.length, true)
    c.setUint16(28, name.length, true)
    c.setUint16(30, extra.length, true)
    c.setUint32(42, e.localHeaderOffset ?? offset, true)
    record.set(name, 46)
    record.set(extra, 46 + name.length)
    parts.push(header, e.data)
    central.push(record)
    offset += header.length + e.data.length
  }
  const dirSize = central.reduce((n, r) => n + r.length, 0)
  const end = new Uint8Array(22 + comment.length)
  const d = new DataView(end.buffer)
  d.setUint32(0, 0x06054b50, true)
  d.setUint16(8, entries.length, true)
  d.setUint16(10, entries.length, true)
  d.setUint32(12, dirSize, true)
  d.setUint32(16, offset, true)
  d.setUint16(20, comment.length, true)
  end.set(comment, 22)
  const out = new Uint8Array(offset + dirSize + end.length)
  let at = 0
  for (const p of [...parts, ...central, end]) {
    out.set(p, at)
    at += p.length
  }
  return out
}

/** A ZIP64 extended-information extra field (id 1) that declares `declared` bytes and holds `values`. */
export function zip64Extra(declared: number, values: number[] = []): Uint8Array {
  const out = new Uint8Array(4 + 8 * values.length)
  const v = new DataView(out.buffer)
  v.setUint16(0, 1, true)
  v.setUint16(2, declared, true)
  values.forEach((x, k) => v.setBigUint64(4 + 8 * k, BigInt(x), true))
  return out
}
