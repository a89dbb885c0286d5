// What both live chains share (square/chain.ts on the square torus, mc/chain.ts on any model):
// the per-sweep series, the sweep statistics they report and the check of painted or restored spins.

/** A Float64Array that grows by doubling, for per-sweep time series of unknown length. */
export class GrowableSeries {
  private data: Float64Array
  private size = 0

  constructor(initial?: Float64Array) {
    this.data = new Float64Array(Math.max(1024, initial?.length ?? 0))
    if (initial) {
      this.data.set(initial)
      this.size = initial.length
    }
  }

  get length(): number {
    return this.size
  }

  push(value: number): void {
    if (this.size === this.data.length) {
      const grown = new Float64Array(2 * this.data.length)
      grown.set(this.data)
      this.data = grown
    }
    this.data[this.size++] = value
  }

  /** A copy of entries [from, length). */
  copyFrom(from = 0): Float64Array {
    return this.data.slice(from, this.size)
  }

  clear(): void {
    this.size = 0
  }
}

export interface SweepStatistics {
  /** Sweeps performed. */
  sweeps: number
  /**
   * Accepted / proposed: single-spin flips for Metropolis; flipped clusters per cluster update
   * for Wolff (as the general sampler counts it); see mc/sampler.ts for the other algorithms.
   */
  acceptance: number
}

/** Throws a RangeError naming the first bad site unless every spin is ±1 and the length is N. */
export function validateSpins(spins: unknown, N: number, what = 'spins'): asserts spins is Int8Array {
  if (!(spins instanceof Int8Array) || spins.length !== N) {
    const got = spins instanceof Int8Array ? `Int8Array(${spins.length})` : typeof spins
    throw new RangeError(`${what} must be an Int8Array of length ${N}, got ${got}`)
  }
  for (let i = 0; i < N; i++) {
    if (spins[i] !== 1 && spins[i] !== -1) {
      throw new RangeError(`${what}[${i}] must be ±1, got ${spins[i]}`)
    }
  }
}
