/**
 * The random-number interface every stochastic routine in src-core takes explicitly.
 * There is no global generator: a chain owns one stream, and its state is part of every
 * checkpoint so a resumed run continues bit for bit.
 */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextUint32(): number
  /** Uniform double in [0, 1) with 32 random bits. */
  nextFloat(): number
  /** A copy of the full generator state (4 × uint32 for xoshiro128**). */
  getState(): Uint32Array
  /** Independent copy with the same state. */
  clone(): Rng
  /**
   * Replaces the state (as getState returns it), where the generator allows it: a stream that was
   * continued elsewhere (e.g. by a WebAssembly kernel running the same algorithm) hands back.
   */
  setState?(state: Uint32Array): void
}
