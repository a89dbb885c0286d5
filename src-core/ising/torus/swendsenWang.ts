/**
 * Swendsen–Wang sweeps (R. H. Swendsen & J.-S. Wang, Phys. Rev. Lett. 58, 86, 1987) specialised
 * to a uniform model H = −K Σ_<ij> v_i v_j − h Σ_i v_i, K ≥ 0 (any bond list; the dataset runner
 * uses it on the periodic square lattice), field through the ghost spin (Wang & Swendsen,
 * Physica A 167, 565, 1990) as in mc/swendsenWang.ts.
 *
 * It makes the draws of mc/swendsenWang.ts in the same order — satisfied bonds in bond order,
 * then ghost bonds in site order (h ≠ 0 only), then one number per cluster in order of first
 * appearance of its root in site order — with the same union–find (path halving, union by size,
 * ties kept by the first root; Tarjan, J. ACM 22, 215, 1975), so given the same spins and
 * generator state it flips the same clusters. Bookkeeping differs: clusters are flipped in the
 * labelling pass (no per-site flag and no ΔH pass over the bonds), and bondSum() recomputes
 * Σ_<ij> v_i v_j exactly in O(bonds) when asked.
 */
export interface TorusSwendsenWang {
  readonly spins: Int8Array
  magnetisation: number
  /** Sweeps, clusters formed (the ghost's included) and clusters flipped since creation. */
  sweeps: number
  clusters: number
  flippedClusters: number
  sweep(): void
  bondSum(): number
  getRngState(): Uint32Array
}

/**
 * `threshold` = (1 − e^{−2K})·2^32 and `ghostThreshold` = (1 − e^{−2|h|})·2^32, computed by the
 * caller as mc/cluster.ts does; the generator starts from `rngState`.
 */
export function createTorusSwendsenWang(
  spins: Int8Array,
  bondI: Int32Array,
  bondJ: Int32Array,
  threshold: number,
  h: number,
  ghostThreshold: number,
  rngState: Uint32Array
): TorusSwendsenWang {
  const N = spins.length
  const B = bondI.length
  const parent = new Int32Array(N + 1)
  const size = new Int32Array(N + 1)
  const decision = new Uint8Array(N + 1)
  const rng = Int32Array.from(rngState)
  const signedThreshold = threshold - 2 ** 31 // r < T for uint32 r ⇔ (r − 2^31) < T − 2^31 in int32
  const drawBonds = threshold > 0 // as mc/swendsenWang.ts: no draw for a bond that can never be activated
  let magnetisation = 0
  for (let i = 0; i < N; i++) magnetisation += spins[i]!

  const find = (i: number): number => {
    while (parent[i] !== i) {
      const p = parent[parent[i]!]!
      parent[i] = p // path halving
      i = p
    }
    return i
  }
  const union = (a: number, b: number): void => {
    let ra = find(a)
    let rb = find(b)
    if (ra === rb) return
    if (size[ra]! < size[rb]!) {
      const t = ra
      ra = rb
      rb = t
    }
    parent[rb] = ra
    size[ra] += size[rb]!
  }

  const chain: TorusSwendsenWang = {
    spins,
    magnetisation,
    sweeps: 0,
    clusters: 0,
    flippedClusters: 0,
    sweep(): void {
      let s0 = rng[0]!
      let s1 = rng[1]!
      let s2 = rng[2]!
      let s3 = rng[3]!
      // xoshiro128** 1.1 (Blackman & Vigna), inlined; r is the output as int32.
      let x: number
      let r: number
      let t: number
      for (let i = 0; i <= N; i++) {
        parent[i] = i
        size[i] = 1
        decision[i] = 0
      }
      for (let b = 0; b < B; b++) {
        const i = bondI[b]!
        const j = bondJ[b]!
        if (spins[i] !== spins[j] || !drawBonds) continue
        x = Math.imul(s1, 5)
        r = Math.imul((x << 7) | (x >>> 25), 9)
        t = s1 << 9
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = (s3 << 11) | (s3 >>> 21)
        if ((r ^ 0x80000000) < signedThreshold) union(i, j)
      }
      if (h !== 0) {
        for (let i = 0; i < N; i++) {
          if (!(h * spins[i]! > 0)) continue
          x = Math.imul(s1, 5)
          r = Math.imul((x << 7) | (x >>> 25), 9)
          t = s1 << 9
          s2 ^= s0
          s3 ^= s1
          s1 ^= s2
          s0 ^= s3
          s2 ^= t
          s3 = (s3 << 11) | (s3 >>> 21)
          if (r >>> 0 < ghostThreshold) union(i, N)
        }
      }
      decision[find(N)] = 2
      let clusters = 1
      let flips = 0
      let deltaM = 0
      for (let i = 0; i < N; i++) {
        const root = find(i)
        let d = decision[root]!
        if (d === 0) {
          x = Math.imul(s1, 5)
          r = Math.imul((x << 7) | (x >>> 25), 9)
          t = s1 << 9
          s2 ^= s0
          s3 ^= s1
          s1 ^= s2
          s0 ^= s3
          s2 ^= t
          s3 = (s3 << 11) | (s3 >>> 21)
          d = r & 1 ? 1 : 2
          decision[root] = d
          clusters++
          if (d === 1) flips++
        }
        if (d === 1) {
          const v = spins[i]!
          spins[i] = -v
          deltaM -= 2 * v
        }
      }
      rng[0] = s0
      rng[1] = s1
      rng[2] = s2
      rng[3] = s3
      chain.magnetisation += deltaM
      chain.sweeps++
      chain.clusters += clusters
      chain.flippedClusters += flips
    },
    bondSum(): number {
      let sum = 0
      for (let b = 0; b < B; b++) sum += spins[bondI[b]!]! * spins[bondJ[b]!]!
      return sum
    },
    getRngState: () => new Uint32Array(rng.buffer.slice(0))
  }
  return chain
}
