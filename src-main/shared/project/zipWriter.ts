import type { CodecEngine, DeflateStrategy } from './engine'

/**
 * Writes a ZIP archive (PKWARE APPNOTE.TXT 4.3.7 local headers, 4.3.12 central directory,
 * 4.3.16 end record) from entries compressed by a CodecEngine: DEFLATE (method 8) at the
 * entry's level, or stored (method 0) at level 0. Entries are written in the order given, all
 * stamped with one DOS time, so the same entries give the same bytes. No ZIP64: an archive
 * past 4 GiB is refused (Blockspin reads at most 2 GiB unpacked).
 */
export interface ZipWriteEntry {
  name: string
  data: Uint8Array
  /** 0 stores the bytes; 1–9 deflate them. */
  level: number
  /** How the deflater looks for redundancy (default: 'default'). */
  strategy?: DeflateStrategy
  /** The raw DEFLATE of `data` at `level`, when it was made elsewhere (in parallel). */
  deflated?: Uint8Array
}

/** Year (1980–2107), month 1–12, day, hours, minutes, seconds, as the ZIP's DOS fields hold them. */
export interface DosTime {
  year: number
  month: number
  day: number
  hours: number
  minutes: number
  seconds: number
}

const LIMIT = 0xffffffff

export function writeZip(entries: ZipWriteEntry[], time: DosTime, engine: CodecEngine): Uint8Array {
  if (entries.length > 0xffff) throw new Error('writeZip: more than 65,535 entries need ZIP64')
  const dosTime = (time.hours << 11) | (time.minutes << 5) | (time.seconds >> 1)
  const dosDate = ((time.year - 1980) << 9) | (time.month << 5) | time.day
  const encoder = new TextEncoder()
  const packed = entries.map((entry) => {
    const name = encoder.encode(entry.name)
    const stored = entry.level <= 0
    const body = stored ? entry.data : (entry.deflated ?? engine.deflateRaw(entry.data, entry.level, entry.strategy))
    // Bit 11 marks UTF-8 names; ASCII names (all of Blockspin's) leave it clear, as zipfile does.
    const flags = name.length !== entry.name.length || /[^\x20-\x7e]/.test(entry.name) ? 0x800 : 0
    return {
      label: entry.name,
      name,
      body,
      flags,
      method: stored ? 0 : 8,
      crc: engine.crc32(entry.data),
      size: entry.data.length
    }
  })
  let localSize = 0
  let centralSize = 0
  for (const p of packed) {
    localSize += 30 + p.name.length + p.body.length
    centralSize += 46 + p.name.length
    if (p.size > LIMIT || p.body.length > LIMIT) throw new Error(`writeZip: ${p.label} is too large for a ZIP`)
  }
  if (localSize + centralSize + 22 > LIMIT) throw new Error('writeZip: the archive would be larger than 4 GiB')
  const out = new Uint8Array(localSize + centralSize + 22)
  const view = new DataView(out.buffer)
  const offsets: number[] = []
  let at = 0
  const common = (p: (typeof packed)[number], pos: number): void => {
    view.setUint16(pos, 20, true) // version needed to extract: 2.0
    view.setUint16(pos + 2, p.flags, true)
    view.setUint16(pos + 4, p.method, true)
    view.setUint16(pos + 6, dosTime, true)
    view.setUint16(pos + 8, dosDate, true)
    view.setUint32(pos + 10, p.crc, true)
    view.setUint32(pos + 14, p.body.length, true)
    view.setUint32(pos + 18, p.size, true)
    view.setUint16(pos + 22, p.name.length, true)
  }
  for (const p of packed) {
    offsets.push(at)
    view.setUint32(at, 0x04034b50, true)
    common(p, at + 4)
    out.set(p.name, at + 30)
    out.set(p.body, at + 30 + p.name.length)
    at += 30 + p.name.length + p.body.length
  }
  const centralStart = at
  packed.forEach((p, k) => {
    view.setUint32(at, 0x02014b50, true)
    view.setUint16(at + 4, 20, true) // made by: MS-DOS, version 2.0
    common(p, at + 6)
    view.setUint32(at + 42, offsets[k]!, true)
    out.set(p.name, at + 46)
    at += 46 + p.name.length
  })
  view.setUint32(at, 0x06054b50, true)
  view.setUint16(at + 8, packed.length, true)
  view.setUint16(at + 10, packed.length, true)
  view.setUint32(at + 12, centralSize, true)
  view.setUint32(at + 16, centralStart, true)
  return out
}
