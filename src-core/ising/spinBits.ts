/**
 * ±1 spins at one bit each, the form live-chain frames carry (a 1024² lattice is 128 KiB instead
 * of 1 MiB through the worker's pipe, the web host's socket and the page).
 *
 * Layout: bit k of byte b is spin 8b + k (least significant bit first), 1 for +1 and 0 for −1;
 * the bits after the last spin of the last byte are 0. `numpy.unpackbits(bits, count=n,
 * bitorder='little') * 2 - 1` gives the spins back.
 */

/** Bytes holding `n` spins at one bit each. */
export const packedLength = (n: number): number => Math.ceil(n / 8)

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** Unpacked bytes (0x01 for +1, 0xff for −1) of a packed byte's spins 0–3 and 4–7, as little-endian words. */
const UNPACK_LOW = new Uint32Array(256)
const UNPACK_HIGH = new Uint32Array(256)
for (let byte = 0; byte < 256; byte++) {
  const word = (first: number): number => {
    let w = 0
    for (let k = 3; k >= 0; k--) w = (w << 8) | ((byte >> (first + k)) & 1 ? 0x01 : 0xff)
    return w >>> 0
  }
  UNPACK_LOW[byte] = word(0)
  UNPACK_HIGH[byte] = word(4)
}

/** A Uint32Array over the same bytes as `a`, or null when its offset is not word-aligned. */
function wordsOf(a: Int8Array, words: number): Uint32Array | null {
  if (!LITTLE_ENDIAN || a.byteOffset % 4 !== 0) return null
  return new Uint32Array(a.buffer, a.byteOffset, words)
}

/**
 * Packs ±1 spins at one bit each into `out` (a new array of packedLength(n) bytes if not given)
 * and returns it. Entries other than ±1 are not checked: a spin ≥ 0 packs as +1.
 */
export function packSpins(spins: Int8Array, out: Uint8Array = new Uint8Array(packedLength(spins.length))): Uint8Array {
  const n = spins.length
  if (out.length !== packedLength(n)) {
    throw new RangeError(`packSpins: ${n} spins need ${packedLength(n)} bytes, got ${out.length}`)
  }
  const whole = n >> 3
  const words = wordsOf(spins, whole * 2)
  if (words) {
    // A spin is +1 when its sign bit is clear: (~w & 0x80808080) >>> 7 leaves the four bits of a
    // word at 0, 8, 16 and 24, and × (2⁰ + 2⁷ + 2¹⁴ + 2²¹) gathers them at bits 21–24 (no two
    // partial products meet, so nothing carries).
    for (let b = 0, j = 0; b < whole; b++, j += 2) {
      const low = Math.imul((~words[j]! & 0x80808080) >>> 7, 0x00204081) >>> 21
      const high = Math.imul((~words[j + 1]! & 0x80808080) >>> 7, 0x00204081) >>> 17
      out[b] = (low & 0x0f) | (high & 0xf0)
    }
  } else {
    for (let b = 0; b < whole; b++) {
      let byte = 0
      for (let k = 0; k < 8; k++) if (spins[8 * b + k]! >= 0) byte |= 1 << k
      out[b] = byte
    }
  }
  if (whole < out.length) {
    let byte = 0
    for (let i = 8 * whole; i < n; i++) if (spins[i]! >= 0) byte |= 1 << (i - 8 * whole)
    out[whole] = byte
  }
  return out
}

/**
 * The `n` ±1 spins of `bits` (packed by packSpins), written into `out` (a new Int8Array of n if
 * not given) and returned. Throws when `bits` is not packedLength(n) bytes long.
 */
export function unpackSpins(bits: Uint8Array, n: number, out: Int8Array = new Int8Array(n)): Int8Array {
  if (!Number.isSafeInteger(n) || n < 0 || bits.length !== packedLength(n) || out.length !== n) {
    throw new RangeError(
      `unpackSpins: ${String(n)} spins need ${packedLength(n)} bytes into ${String(n)} spins, got ${bits.length} into ${out.length}`
    )
  }
  const whole = n >> 3
  const words = wordsOf(out, whole * 2)
  if (words) {
    for (let b = 0; b < whole; b++) {
      const byte = bits[b]!
      words[2 * b] = UNPACK_LOW[byte]!
      words[2 * b + 1] = UNPACK_HIGH[byte]!
    }
  } else {
    for (let i = 0; i < 8 * whole; i++) out[i] = (bits[i >> 3]! >> (i & 7)) & 1 ? 1 : -1
  }
  for (let i = 8 * whole; i < n; i++) out[i] = (bits[i >> 3]! >> (i & 7)) & 1 ? 1 : -1
  return out
}

/** The spins a live-chain frame carries (IsingFrame.spinBits, .sites), unpacked. */
export const frameSpins = (frame: { spinBits: Uint8Array; sites: number }): Int8Array =>
  unpackSpins(frame.spinBits, frame.sites)
