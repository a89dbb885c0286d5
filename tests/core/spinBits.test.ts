import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { packedLength, packSpins, unpackSpins } from '@core/ising/spinBits'

// Live-chain frames carry spins at one bit each (src-core/ising/spinBits.ts).

const spinsOf = (bits: boolean[]): Int8Array => Int8Array.from(bits, (up) => (up ? 1 : -1))

/** `spins` copied into a view at `offset` bytes into a larger buffer (not word-aligned when offset % 4 ≠ 0). */
function atOffset(spins: Int8Array, offset: number): Int8Array {
  const view = new Int8Array(new ArrayBuffer(offset + spins.length + 3), offset, spins.length)
  view.set(spins)
  return view
}

/** Element-wise equality (vitest's deep equality is slow on a million elements). */
const sameBytes = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

describe('packSpins / unpackSpins', () => {
  it('puts spin 8b + k in bit k of byte b, 1 for +1, and zeroes the bits after the last spin', () => {
    // spins: + - - + + + - -   + + - (11 spins: the second byte has 3 spins and 5 zero bits)
    const spins = Int8Array.from([1, -1, -1, 1, 1, 1, -1, -1, 1, 1, -1])
    expect(Array.from(packSpins(spins))).toEqual([0b00111001, 0b011])
    expect(packedLength(11)).toBe(2)
    expect(packedLength(1024 * 1024)).toBe(128 * 1024)
  })

  it('round-trips any length, including lengths that are not a multiple of 8, aligned or not', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 300 }), fc.integer({ min: 0, max: 7 }), (bits, offset) => {
        const spins = atOffset(spinsOf(bits), offset)
        const packed = packSpins(spins)
        expect(packed.length).toBe(Math.ceil(bits.length / 8))
        if (bits.length % 8 !== 0) expect(packed.at(-1)! >> (bits.length % 8)).toBe(0)
        expect(Array.from(unpackSpins(packed, bits.length))).toEqual(Array.from(spinsOf(bits)))
        // Into a caller's array that is not word-aligned either.
        const out = unpackSpins(
          packed,
          bits.length,
          new Int8Array(new ArrayBuffer(bits.length + 8), offset, bits.length)
        )
        expect(Array.from(out)).toEqual(Array.from(spinsOf(bits)))
      }),
      { numRuns: 300 }
    )
  })

  it('gives the same bits on the word path and the byte path for a 1024² lattice', () => {
    const n = 1024 * 1024
    const spins = new Int8Array(n)
    let x = 12345
    for (let i = 0; i < n; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0
      spins[i] = x & 0x10000 ? 1 : -1
    }
    const aligned = packSpins(spins)
    expect(sameBytes(packSpins(atOffset(spins, 1)), aligned)).toBe(true)
    expect(sameBytes(unpackSpins(aligned, n), spins)).toBe(true)
    expect(sameBytes(unpackSpins(aligned, n, atOffset(new Int8Array(n), 3)), spins)).toBe(true)
  })

  it('handles no spins and a single spin', () => {
    expect(packSpins(new Int8Array(0))).toEqual(new Uint8Array(0))
    expect(unpackSpins(new Uint8Array(0), 0)).toEqual(new Int8Array(0))
    expect(Array.from(packSpins(Int8Array.of(1)))).toEqual([1])
    expect(Array.from(unpackSpins(Uint8Array.of(0), 1))).toEqual([-1])
  })

  it('refuses a packed array or an output of the wrong size', () => {
    expect(() => unpackSpins(new Uint8Array(2), 17)).toThrow(RangeError)
    expect(() => unpackSpins(new Uint8Array(3), 17, new Int8Array(16))).toThrow(RangeError)
    expect(() => unpackSpins(new Uint8Array(0), -1)).toThrow(RangeError)
    expect(() => packSpins(new Int8Array(9), new Uint8Array(1))).toThrow(RangeError)
  })
})
