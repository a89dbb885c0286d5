import { xoshiro128ss } from '@core/random/xoshiro128ss'

/**
 * Independent random streams for the units of a cluster bundle (sweep points, dataset shards).
 *
 * Unit i of a bundle with seed S draws from xoshiro128** seeded with S (splitmix64, as every job
 * is seeded) and then advanced by the generator's jump (i + 1) times: each jump skips 2^64
 * outputs, so the streams are non-overlapping blocks of one period of length 2^128 − 1 and no
 * unit can draw a number another unit draws (within 2^64 draws per unit). Block 0, the seed's own
 * stream, is left to a run of the same item on one machine, so a bundle never repeats it.
 * The stream is written into each task file and copied into its result, and a job starts from
 * `state` exactly as it resumes from a checkpoint (the host restores the generator's state).
 */
export const STREAM_METHOD = 'xoshiro128** 1.1 seeded by splitmix64(bundle seed), then jump() (index + 1) times'

export interface UnitStream {
  /** The bundle's seed. */
  seed: number
  /** The unit's index in the bundle (0-based); its stream is `index + 1` jumps from the seed's. */
  index: number
  /** The generator's four 32-bit words at the start of the unit. */
  state: number[]
}

/** The streams of units 0 … count − 1 of a bundle seeded with `seed`. */
export function unitStreams(seed: number, count: number): UnitStream[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError(`count must be a whole number, got ${count}`)
  const g = xoshiro128ss(seed)
  const out: UnitStream[] = []
  for (let index = 0; index < count; index++) {
    g.jump()
    out.push({ seed, index, state: Array.from(g.getState()) })
  }
  return out
}

/** Same seed, index and state. */
export function sameStream(a: UnitStream, b: UnitStream): boolean {
  return a.seed === b.seed && a.index === b.index && a.state.length === 4 && a.state.every((w, k) => w === b.state[k])
}

/** The state as the job host takes it. */
export function streamState(stream: UnitStream): Uint32Array {
  return Uint32Array.from(stream.state)
}
