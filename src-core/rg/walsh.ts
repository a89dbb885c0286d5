/**
 * Expansion of a function of M Ising spins into spin products (SCIENCE.md §7):
 *   H(h) = Σ_{S ⊆ {0..M−1}} J_S Π_{j∈S} h_j,   J_S = 2^{−M} Σ_h H(h) Π_{j∈S} h_j,
 * by the fast Walsh–Hadamard transform, O(M·2^M). Configurations are indexed as everywhere in
 * Blockspin: bit j of the index set ⇔ h_j = +1 (index 0 is all −1). Then
 * Π_{j∈S} h_j = (−1)^{|S| − popcount(x & S)}, so J_S = (−1)^{|S|} 2^{−M} WHT(H)[S].
 */

export const WALSH_MAX_SPINS = 24

function popcount(x: number): number {
  let v = x - ((x >>> 1) & 0x55555555)
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333)
  return (((v + (v >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24
}

function spinCount(length: number): number {
  const M = Math.round(Math.log2(length))
  if (length < 1 || 2 ** M !== length || M > WALSH_MAX_SPINS) {
    throw new RangeError(`expected 2^M values with M ≤ ${WALSH_MAX_SPINS}, got ${length}`)
  }
  return M
}

/** In place: f[S] ← Σ_x f[x] (−1)^{popcount(x & S)} (unnormalised, its own inverse up to 2^M). */
export function walshHadamard(f: Float64Array): void {
  spinCount(f.length)
  for (let half = 1; half < f.length; half *= 2) {
    for (let start = 0; start < f.length; start += 2 * half) {
      for (let i = start; i < start + half; i++) {
        const a = f[i]
        const b = f[i + half]
        f[i] = a + b
        f[i + half] = a - b
      }
    }
  }
}

/** The coefficients J_S (indexed by the bit set of S) of a function given on all 2^M configurations. */
export function spinProductCoefficients(values: Float64Array): Float64Array {
  const M = spinCount(values.length)
  const J = Float64Array.from(values)
  walshHadamard(J)
  const scale = 2 ** -M
  for (let S = 0; S < J.length; S++) J[S] *= popcount(S) & 1 ? -scale : scale
  return J
}

/** The function back from its coefficients: H(x) = Σ_S J_S Π_{j∈S} h_j. */
export function spinProductValues(J: Float64Array): Float64Array {
  spinCount(J.length)
  const f = new Float64Array(J.length)
  for (let S = 0; S < J.length; S++) f[S] = popcount(S) & 1 ? -J[S] : J[S]
  walshHadamard(f)
  return f
}

/** The members of subset S, ascending. */
export function subsetMembers(S: number): number[] {
  const out: number[] = []
  for (let j = 0; S >>> j; j++) if ((S >>> j) & 1) out.push(j)
  return out
}

export { popcount as subsetSize }
