import { createHash } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { constants, crc32, deflateRaw, deflateRawSync, inflateRawSync } from 'node:zlib'
import type { CodecEngine } from '@shared/project/engine'

/**
 * The project codec's byte work on Node's own zlib and OpenSSL: on a 37 MB project, deflate at
 * level 1 takes 0.35 s instead of fflate's 1.8 s, SHA-256 20 ms instead of 0.4 s.
 */
export const nodeCodecEngine: CodecEngine & Required<Pick<CodecEngine, 'deflateRawAsync'>> = {
  deflateRaw: (data, level) => ownedBytes(deflateRawSync(data, { level })),
  deflateRawAsync: deflateInPieces,
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

/** Data of this size and more is deflated in pieces of this size, in parallel. */
export const DEFLATE_PIECE = 4 * 1024 * 1024

/**
 * Raw DEFLATE in pieces deflated in parallel on zlib's thread pool, as pigz does: every piece but
 * the last ends with a full flush (byte-aligned, not final, and nothing after it refers back),
 * so the pieces joined are one valid DEFLATE stream, a little larger than one deflated whole.
 */
async function deflateInPieces(data: Uint8Array, level: number): Promise<Uint8Array> {
  const count = Math.max(1, Math.ceil(data.length / DEFLATE_PIECE))
  const pieces: Buffer[] = new Array(count)
  let next = 0
  // One core stays free for the process's main thread (the windows, the web host's event loop).
  const lanes = Math.max(1, Math.min(count, availableParallelism() - 1))
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      for (let k = next++; k < count; k = next++) {
        const piece = data.subarray(k * DEFLATE_PIECE, Math.min(data.length, (k + 1) * DEFLATE_PIECE))
        const finishFlush = k === count - 1 ? constants.Z_FINISH : constants.Z_FULL_FLUSH
        pieces[k] = await new Promise<Buffer>((resolve, reject) =>
          deflateRaw(piece, { level, finishFlush }, (error, out) => (error ? reject(error) : resolve(out)))
        )
      }
    })
  )
  return count === 1 ? ownedBytes(pieces[0]!) : new Uint8Array(Buffer.concat(pieces))
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
