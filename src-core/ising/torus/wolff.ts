import type { TorusWolff } from './wolffTypes'
import { createWasmTorusWolff } from './wolffWasm'

export type { TorusWolff } from './wolffTypes'

/**
 * Wolff single-cluster updates (U. Wolff, Phys. Rev. Lett. 62, 361, 1989) specialised to a
 * uniform model on a lattice where every site has exactly four adjacency entries (the periodic
 * square lattice, L ≥ 3): H = −K Σ_<ij> v_i v_j − h Σ_i v_i, K ≥ 0, the field through a ghost
 * spin (Wang & Swendsen, Physica A 167, 565, 1990) exactly as in mc/wolff.ts.
 *
 * It is the general update of mc/wolff.ts with the per-bond tables folded into one threshold and
 * the generator inlined, and it makes the SAME draws in the SAME order when `neighbours` is the
 * lattice's adjacency (adjSite, four entries per site): uniform seed site by rejection of the
 * incomplete last block of 2^32, FIFO growth trying each bond from a cluster site to an outside
 * site of the seed's sign once, one draw for the ghost event after growth. Given the same spins
 * and generator state it therefore produces the same cluster sequence.
 *
 * createTorusWolff runs the WebAssembly build of this update (wolffWasm.ts, wasm/assembly/wolff.ts:
 * the same draws and comparisons, so the same bits) where WebAssembly is available, and the
 * TypeScript one below otherwise or when asked to ({ wasm: false }).
 *
 * Differences in bookkeeping only: a member is marked by flipping it as it joins (a site of the
 * seed's sign is outside by definition), and H is not updated per cluster — bondSum() recomputes
 * Σ_<ij> v_i v_j exactly in O(N) when asked, which is cheaper than the per-cluster boundary pass
 * when H is read once per sweep or less.
 */
const TWO_POW_32 = 2 ** 32

/**
 * `neighbours[4i..4i+3]` are site i's neighbours (each bond appears once from each end);
 * `threshold` = p·2^32 with p = 1 − e^{−2K}; the generator starts from `rngState`. Read the
 * configuration from the result's `spins` (see TorusWolff.spins).
 */
export function createTorusWolff(
  spins: Int8Array,
  neighbours: Int32Array,
  threshold: number,
  h: number,
  rngState: Uint32Array,
  options: { wasm?: boolean } = {}
): TorusWolff {
  const N = spins.length
  if (neighbours.length !== 4 * N)
    throw new RangeError(`need 4 neighbours per site, got ${neighbours.length} entries for ${N} sites`)
  if (!(threshold >= 0) || !Number.isFinite(h)) throw new RangeError(`bad threshold ${threshold} or field ${h}`)
  return (
    (options.wasm !== false && createWasmTorusWolff(spins, neighbours, threshold, h, rngState)) ||
    createTsTorusWolff(spins, neighbours, threshold, h, rngState)
  )
}

/** The TypeScript kernel, updating `spins` in place (arguments checked by createTorusWolff). */
function createTsTorusWolff(
  spins: Int8Array,
  neighbours: Int32Array,
  threshold: number,
  h: number,
  rngState: Uint32Array
): TorusWolff {
  const N = spins.length
  const queue = new Int32Array(N)
  const rng = Int32Array.from(rngState)
  const limit = TWO_POW_32 - (TWO_POW_32 % N)
  const absH2 = 2 * Math.abs(h)
  // r < threshold for uint32 r ⇔ (r − 2^31) < threshold − 2^31 in int32 arithmetic.
  const signedThreshold = threshold - 2 ** 31
  let magnetisation = 0
  for (let i = 0; i < N; i++) magnetisation += spins[i]!

  const chain: TorusWolff = {
    N,
    spins,
    kernel: 'ts',
    magnetisation,
    grownSpins: 0,
    clusterUpdates: 0,
    ghostClusters: 0,
    updates(count: number): void {
      let s0 = rng[0]!
      let s1 = rng[1]!
      let s2 = rng[2]!
      let s3 = rng[3]!
      let grown = 0
      let ghosts = 0
      let deltaM = 0
      for (let c = 0; c < count; c++) {
        // xoshiro128** 1.1 (Blackman & Vigna), inlined: result = rotl(s1·5, 7)·9.
        let x = Math.imul(s1, 5)
        let r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
        let t = s1 << 9
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 11) | (s3 >>> 21)
        while (r >= limit) {
          x = Math.imul(s1, 5)
          r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
          t = s1 << 9
          s2 ^= s0
          s3 ^= s1
          s1 ^= s2
          s0 ^= s3
          s2 ^= t
          s3 = (s3 << 11) | (s3 >>> 21)
        }
        const seed = r % N
        const v = spins[seed]!
        spins[seed] = -v
        queue[0] = seed
        let size = 1
        for (let head = 0; head < size; head++) {
          const b = 4 * queue[head]!
          for (let d = 0; d < 4; d++) {
            const j = neighbours[b + d]!
            if (spins[j] !== v) continue
            x = Math.imul(s1, 5)
            const q = Math.imul((x << 7) | (x >>> 25), 9) ^ 0x80000000
            t = s1 << 9
            s2 ^= s0
            s3 ^= s1
            s1 ^= s2
            s0 ^= s3
            s2 ^= t
            s3 = (s3 << 11) | (s3 >>> 21)
            if (q < signedThreshold) {
              spins[j] = -v
              queue[size++] = j
            }
          }
        }
        grown += size
        if (v * h > 0) {
          // Ghost event: the cluster avoids the ghost with probability e^{−2|h|·size}.
          x = Math.imul(s1, 5)
          r = Math.imul((x << 7) | (x >>> 25), 9) >>> 0
          t = s1 << 9
          s2 ^= s0
          s3 ^= s1
          s1 ^= s2
          s0 ^= s3
          s2 ^= t
          s3 = (s3 << 11) | (s3 >>> 21)
          if (r * 2 ** -32 >= Math.exp(-absH2 * size)) {
            for (let k = 0; k < size; k++) spins[queue[k]!] = v
            ghosts++
            continue
          }
        }
        deltaM -= 2 * v * size
      }
      rng[0] = s0
      rng[1] = s1
      rng[2] = s2
      rng[3] = s3
      chain.grownSpins += grown
      chain.clusterUpdates += count
      chain.ghostClusters += ghosts
      chain.magnetisation += deltaM
    },
    bondSum(): number {
      // Each bond appears twice in the table.
      let sum = 0
      for (let i = 0; i < N; i++) {
        const b = 4 * i
        sum +=
          spins[i]! *
          (spins[neighbours[b]!]! +
            spins[neighbours[b + 1]!]! +
            spins[neighbours[b + 2]!]! +
            spins[neighbours[b + 3]!]!)
      }
      return sum / 2
    },
    getRngState: () => new Uint32Array(rng.buffer.slice(0)),
    load(source: Int8Array, rngState: Uint32Array): void {
      if (source.length !== N) throw new RangeError(`need ${N} spins, got ${source.length}`)
      if (source !== spins) spins.set(source)
      rng.set(rngState)
      let m = 0
      for (let i = 0; i < N; i++) m += spins[i]!
      chain.magnetisation = m
    }
  }
  return chain
}
