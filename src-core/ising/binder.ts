/**
 * Where the Binder cumulants of two lattice sizes cross: U4(K) = 1 − ⟨m⁴⟩/(3⟨m²⟩²) curves for
 * different L intersect near Kc (finite-size scaling; Binder 1981, Z. Phys. B 43, 119). Between
 * neighbouring K points the curves are taken as straight lines; the error of the crossing comes
 * from the U4 error bars by linear propagation.
 */
export interface BinderPoint {
  K: number
  u4: number
  error: number
}

export interface BinderCrossing {
  L1: number
  L2: number
  K: number
  error: number
}

export function binderCrossing(L1: number, a: BinderPoint[], L2: number, b: BinderPoint[]): BinderCrossing | null {
  const byK = new Map(b.map((p) => [p.K, p]))
  const pairs = a
    .filter((p) => byK.has(p.K))
    .sort((p, q) => p.K - q.K)
    .map((p) => ({
      K: p.K,
      d: p.u4 - byK.get(p.K)!.u4,
      err: Math.hypot(p.error, byK.get(p.K)!.error),
      p,
      q: byK.get(p.K)!
    }))
  for (let k = 0; k + 1 < pairs.length; k++) {
    const left = pairs[k]!
    const right = pairs[k + 1]!
    if (left.d === 0) return { L1, L2, K: left.K, error: slopeError(left, right) }
    if (Math.sign(left.d) !== Math.sign(right.d)) {
      const t = left.d / (left.d - right.d)
      const K = left.K + t * (right.K - left.K)
      return { L1, L2, K, error: slopeError(left, right) }
    }
  }
  return null
}

/** δK ≈ δ(ΔU) / |d(ΔU)/dK|, with δ(ΔU) the larger of the two endpoint errors. */
function slopeError(left: { K: number; d: number; err: number }, right: { K: number; d: number; err: number }): number {
  const slope = Math.abs((right.d - left.d) / (right.K - left.K))
  return slope > 0 ? Math.max(left.err, right.err) / slope : Number.POSITIVE_INFINITY
}

/** Every crossing of consecutive sizes, from sweep points {L, K, u4: {value, error}}. */
export function binderCrossings(
  points: { L: number; K: number; u4: { value: number; error: number } }[]
): BinderCrossing[] {
  const sizes = [...new Set(points.map((p) => p.L))].sort((x, y) => x - y)
  const curve = (L: number) =>
    points.filter((p) => p.L === L).map((p) => ({ K: p.K, u4: p.u4.value, error: p.u4.error }))
  const out: BinderCrossing[] = []
  for (let i = 0; i + 1 < sizes.length; i++) {
    const c = binderCrossing(sizes[i]!, curve(sizes[i]!), sizes[i + 1]!, curve(sizes[i + 1]!))
    if (c) out.push(c)
  }
  return out
}
