import { createHash } from 'node:crypto'
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'
import type { CodecEngine } from '@shared/project/engine'

/**
 * The project codec's byte work on Node's own zlib and OpenSSL: on a 37 MB project, deflate at
 * level 1 takes 0.35 s instead of fflate's 1.8 s, SHA-256 20 ms instead of 0.4 s.
 */
export const nodeCodecEngine: CodecEngine = {
  deflateRaw: (data, level) => ownedBytes(deflateRawSync(data, { level })),
  inflateRaw: (packed, limit) => {
    let out: Buffer
    try {
      // zlib stops as soon as the output would pass maxOutputLength, so a bomb costs at most `limit`.
      out = inflateRawSync(packed, { maxOutputLength: Math.max(1, limit) })
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') return 'overflow'
      throw error
    }
    return out.length > limit ? 'overflow' : ownedBytes(out)
  },
  crc32: (data, previous = 0) => crc32(data, previous),
  sha256: () => {
    const hash = createHash('sha256')
    return { update: (data) => void hash.update(data), hex: () => hash.digest('hex') }
  }
}

/**
 * The bytes as a Uint8Array over a buffer of their own: small Node Buffers are slices of a
 * shared pool, and typed-array views of them would pin (or, transferred, take) the whole pool.
 */
function ownedBytes(buffer: Buffer): Uint8Array {
  if (buffer.byteOffset === 0 && buffer.buffer.byteLength === buffer.length)
    return new Uint8Array(buffer.buffer, 0, buffer.length)
  return new Uint8Array(buffer)
}
