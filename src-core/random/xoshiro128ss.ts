import type { Rng } from './rng'

/**
 * xoshiro128** 1.1 (Blackman & Vigna, "Scrambled linear pseudorandom number generators",
 * ACM TOMS 47(4) 36, 2021; reference C: https://prng.di.unimi.it/xoshiro128starstar.c).
 * Version 1.1 scrambles s[1] (1.0 scrambled s[0]). Period 2^128 − 1; all 32 bits are good.
 *
 * Seeding: the 64-bit seed goes through splitmix64 (https://prng.di.unimi.it/splitmix64.c), as
 * the authors recommend, and its first two outputs fill the state low word first:
 *   s[0] = lo32(z1), s[1] = hi32(z1), s[2] = lo32(z2), s[3] = hi32(z2).
 * tests/fixtures/rng/xoshiro128ss_ref.c does the same and generates the golden values.
 */
export interface Xoshiro128ss extends Rng {
  clone(): Xoshiro128ss
  setState(state: Uint32Array): void
  /** Advances the stream by 2^64 outputs (reference `jump()`), for non-overlapping substreams. */
  jump(): void
}

const TWO_POW_MINUS_32 = 2 ** -32
/** Reference JUMP polynomial (xoshiro128starstar.c, `jump`). */
const JUMP = [0x8764000b, 0xf542d2d3, 0x6fa035c3, 0x77f2db5b]
const MASK64 = (1n << 64n) - 1n

/** splitmix64 (Steele, Lea & Flood 2014; reference C at prng.di.unimi.it/splitmix64.c). */
function splitmix64Pair(seed: bigint): [bigint, bigint] {
  let x = seed & MASK64
  const next = (): bigint => {
    x = (x + 0x9e3779b97f4a7c15n) & MASK64
    let z = x
    z = ((z ^ (z >> 30n)) * 0xbf58476d1ce4e5b9n) & MASK64
    z = ((z ^ (z >> 27n)) * 0x94d049bb133111ebn) & MASK64
    return z ^ (z >> 31n)
  }
  const z1 = next()
  return [z1, next()]
}

class Xoshiro128StarStar implements Xoshiro128ss {
  // Four plain number fields holding the words as signed int32 (one representation, so V8
  // keeps them unboxed); converted to unsigned only where a value leaves the generator.
  private s0: number
  private s1: number
  private s2: number
  private s3: number

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0
    this.s1 = s1 | 0
    this.s2 = s2 | 0
    this.s3 = s3 | 0
  }

  nextUint32(): number {
    const s1 = this.s1
    // result = rotl(s[1] * 5, 7) * 9
    const x = Math.imul(s1, 5)
    const result = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
    const t = s1 << 9
    const s2 = this.s2 ^ this.s0
    const s3 = this.s3 ^ s1
    this.s1 = s1 ^ s2
    this.s0 = this.s0 ^ s3
    this.s2 = s2 ^ t
    this.s3 = (s3 << 11) | (s3 >>> 21)
    return result
  }

  nextFloat(): number {
    return this.nextUint32() * TWO_POW_MINUS_32
  }

  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3)
  }

  clone(): Xoshiro128ss {
    return new Xoshiro128StarStar(this.s0, this.s1, this.s2, this.s3)
  }

  setState(state: Uint32Array): void {
    checkState('setState', state)
    this.s0 = state[0]!
    this.s1 = state[1]!
    this.s2 = state[2]!
    this.s3 = state[3]!
  }

  jump(): void {
    let a = 0
    let b = 0
    let c = 0
    let d = 0
    for (const word of JUMP) {
      for (let bit = 0; bit < 32; bit++) {
        if ((word >>> bit) & 1) {
          a ^= this.s0
          b ^= this.s1
          c ^= this.s2
          d ^= this.s3
        }
        this.nextUint32()
      }
    }
    this.s0 = a
    this.s1 = b
    this.s2 = c
    this.s3 = d
  }
}

/**
 * A generator seeded from any safe integer (negative seeds are taken modulo 2^64, as a C
 * `(uint64_t)` cast of an int64 would).
 */
export function xoshiro128ss(seed: number): Xoshiro128ss {
  if (!Number.isSafeInteger(seed)) {
    throw new RangeError(`xoshiro128ss: seed must be a safe integer, got ${seed}`)
  }
  const [z1, z2] = splitmix64Pair(BigInt(seed))
  return new Xoshiro128StarStar(
    Number(z1 & 0xffffffffn),
    Number(z1 >> 32n),
    Number(z2 & 0xffffffffn),
    Number(z2 >> 32n)
  )
}

/** Restores a generator from `getState()` output (a checkpoint). The all-zero state is invalid. */
export function xoshiro128ssFromState(state: Uint32Array): Xoshiro128ss {
  checkState('xoshiro128ssFromState', state)
  return new Xoshiro128StarStar(state[0]!, state[1]!, state[2]!, state[3]!)
}

function checkState(name: string, state: Uint32Array): void {
  if (!(state instanceof Uint32Array) || state.length !== 4) {
    throw new RangeError(`${name}: need a Uint32Array of length 4, got ${String(state?.length)}`)
  }
  if ((state[0]! | state[1]! | state[2]! | state[3]!) === 0) {
    throw new RangeError(`${name}: the all-zero state is not a valid xoshiro state`)
  }
}
