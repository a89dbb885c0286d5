import { deflateSync, Inflate } from 'fflate'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'

/**
 * The byte-level work of the project codec: deflate, inflate, CRC-32 and SHA-256. The pure
 * engine (fflate and @noble/hashes) runs anywhere, the renderer included; under Node the
 * services pass a native one (node:zlib and node:crypto, services/nodeCodecEngine.ts), several
 * times faster on the tens of megabytes a dataset holds. Both give the same bytes to a reader.
 */
/**
 * How the deflater looks for redundancy (zlib's strategies; every one writes plain DEFLATE that
 * any reader inflates): 'default' matches repeated strings, 'rle' only runs of one byte (±1 spins
 * in domains: smaller and faster than 'default' at level 1), 'huffman' only codes byte
 * frequencies (floating-point numbers, whose repeats are their sign and exponent bytes: ~half
 * the time of 'default' for a few per cent more size). An engine without them uses 'default'.
 */
export type DeflateStrategy = 'default' | 'rle' | 'huffman'

export interface CodecEngine {
  /** Raw DEFLATE (RFC 1951) of `data` at `level` 1–9. */
  deflateRaw(data: Uint8Array, level: number, strategy?: DeflateStrategy): Uint8Array
  /**
   * The same off this thread, where the engine can (in pieces deflated in parallel). It rejects
   * rather than give bytes that do not inflate back to `data` exactly: saves rely on it.
   */
  deflateRawAsync?(data: Uint8Array, level: number, strategy?: DeflateStrategy): Promise<Uint8Array>
  /**
   * Raw DEFLATE data unpacked, producing at most `limit` bytes: 'overflow' when it holds more
   * (memory stays near `limit` however much it claims), a thrown error when it is invalid.
   * The result owns its buffer, starting at offset 0.
   */
  inflateRaw(packed: Uint8Array, limit: number): Uint8Array | 'overflow'
  /** CRC-32 as ZIP records it, continuing from `previous` when given. */
  crc32(data: Uint8Array, previous?: number): number
  /** An incremental SHA-256: parts are hashed where they lie, never joined into a copy. */
  sha256(): { update(data: Uint8Array): void; hex(): string }
}

/** Compressed bytes pushed to the inflater at a time: at most ~1032× this comes out. */
const INFLATE_PIECE = 16 * 1024
/** The first output buffer; it doubles as data arrives, up to the limit, never beyond. */
const FIRST_OUTPUT = 64 * 1024

/** CRC-32 table (IEEE 802.3, reflected polynomial 0xEDB88320), as ZIP records it. */
const CRC_TABLE = (() => {
  const table = new Uint32Array(256)
  for (let n = 0; n < 256; n++) {
    let c = n
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1
    table[n] = c >>> 0
  }
  return table
})()

export function crc32(data: Uint8Array, previous = 0): number {
  let c = (previous ^ 0xffffffff) >>> 0
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8)
  return (c ^ 0xffffffff) >>> 0
}

function inflateStreamed(packed: Uint8Array, limit: number): Uint8Array | 'overflow' {
  // Grown as bytes actually arrive, so data that lies about its size costs nothing before it is caught.
  let data = new Uint8Array(Math.min(limit, FIRST_OUTPUT))
  let produced = 0
  let overflow = false
  const inflater = new Inflate((chunk) => {
    if (overflow || produced + chunk.length > limit) {
      overflow = true
      return
    }
    if (produced + chunk.length > data.length) {
      const grown = new Uint8Array(Math.min(limit, Math.max(2 * data.length, produced + chunk.length)))
      grown.set(data.subarray(0, produced))
      data = grown
    }
    data.set(chunk, produced)
    produced += chunk.length
  })
  for (let p = 0; p < packed.length && !overflow; p += INFLATE_PIECE) {
    inflater.push(packed.subarray(p, Math.min(p + INFLATE_PIECE, packed.length)), p + INFLATE_PIECE >= packed.length)
  }
  if (packed.length === 0) inflater.push(new Uint8Array(0), true)
  if (overflow) return 'overflow'
  return produced === data.length ? data : data.slice(0, produced)
}

export const pureEngine: CodecEngine = {
  deflateRaw: (data, level) => deflateSync(data, { level: level as 1 }),
  inflateRaw: inflateStreamed,
  crc32,
  sha256: () => {
    const hash = sha256.create()
    return { update: (data) => void hash.update(data), hex: () => bytesToHex(hash.digest()) }
  }
}
