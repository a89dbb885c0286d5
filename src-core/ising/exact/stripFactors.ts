// The sparse factors of the strip transfer matrix (stripTransferMatrix.ts) over jet arrays
// (./jet.ts): one bond along the strip, a row's diagonal weights, and the exact rescaling.
import { binaryExponent } from './jet'
import type { StripProblem } from './stripProblem'

/** Jet arrays (value, ∂λ, ∂²λ, ∂η, ∂²η) over batch × row states. */
export type Jets = [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array]

/** Replaces spin c of every row state through the bond factor e^{K s s'} (measured from −|K|). */
export function columnStep(J: Jets, bit: number, K: number): void {
  const [v, l, ll, e, ee] = J
  const dS = Math.abs(K) - K // ΔE for s = s'
  const dD = Math.abs(K) + K
  const Sv = Math.exp(-dS)
  const Sl = -dS * Sv
  const Sll = dS * dS * Sv
  const Dv = Math.exp(-dD)
  const Dl = -dD * Dv
  const Dll = dD * dD * Dv
  const n = v.length
  for (let base = 0; base < n; base += 2 * bit) {
    for (let i0 = base; i0 < base + bit; i0++) {
      const i1 = i0 + bit
      const a0v = v[i0],
        a0l = l[i0],
        a0ll = ll[i0],
        a0e = e[i0],
        a0ee = ee[i0]
      const a1v = v[i1],
        a1l = l[i1],
        a1ll = ll[i1],
        a1e = e[i1],
        a1ee = ee[i1]
      v[i0] = a0v * Sv + a1v * Dv
      l[i0] = a0l * Sv + a0v * Sl + a1l * Dv + a1v * Dl
      ll[i0] = a0ll * Sv + 2 * a0l * Sl + a0v * Sll + a1ll * Dv + 2 * a1l * Dl + a1v * Dll
      e[i0] = a0e * Sv + a1e * Dv
      ee[i0] = a0ee * Sv + a1ee * Dv
      v[i1] = a0v * Dv + a1v * Sv
      l[i1] = a0l * Dv + a0v * Dl + a1l * Sv + a1v * Sl
      ll[i1] = a0ll * Dv + 2 * a0l * Dl + a0v * Dll + a1ll * Sv + 2 * a1l * Sl + a1v * Sll
      e[i1] = a0e * Dv + a1e * Sv
      ee[i1] = a0ee * Dv + a1ee * Sv
    }
  }
}

/** Jets of row r's diagonal factor e^{−(E_s − E_min)} (spin sum M_s − mRef) for every row state s. */
export function rowWeights(p: StripProblem, r: number, w: Jets): { eMin: number; mRef: number } {
  const { W, field, across } = p
  const [wv, wl, wll, we, wee] = w
  let eMin = Infinity
  let mRef = 0
  for (let c = 0; c < W; c++) mRef += Math.sign(field[r * W + c])
  for (let s = 0; s < wv.length; s++) {
    let E = 0
    let M = 0
    for (let c = 0; c < W; c++) {
      const v = (s >> c) & 1 ? 1 : -1
      const next = c + 1 < W ? c + 1 : 0
      E -= field[r * W + c] * v + across[r * W + c] * v * ((s >> next) & 1 ? 1 : -1)
      M += v
    }
    wl[s] = E
    we[s] = M - mRef
    if (E < eMin) eMin = E
  }
  for (let s = 0; s < wv.length; s++) {
    const dE = wl[s] - eMin
    const dM = we[s]
    const x = Math.exp(-dE)
    wv[s] = x
    wl[s] = -dE * x
    wll[s] = dE * dE * x
    we[s] = dM * x
    wee[s] = dM * dM * x
  }
  return { eMin, mRef }
}

/** Multiplies entry (b, s) by the diagonal jet of row state s. */
export function diagonalStep(J: Jets, w: Jets): void {
  const [v, l, ll, e, ee] = J
  const [wv, wl, wll, we, wee] = w
  const mask = wv.length - 1
  for (let k = 0; k < v.length; k++) {
    const s = k & mask
    const x = wv[s],
      xl = wl[s],
      xe = we[s]
    const av = v[k],
      al = l[k],
      ae = e[k]
    v[k] = av * x
    l[k] = al * x + av * xl
    ll[k] = ll[k] * x + 2 * al * xl + av * wll[s]
    e[k] = ae * x + av * xe
    ee[k] = ee[k] * x + 2 * ae * xe + av * wee[s]
  }
}

/** Divides every entry by a power of two near the largest value (exact); returns its exponent. */
export function rescale(J: Jets): number {
  const v = J[0]
  let max = 0
  for (let k = 0; k < v.length; k++) if (v[k] > max) max = v[k]
  const exponent = binaryExponent(max)
  const inverse = 2 ** -exponent
  for (const a of J) for (let k = 0; k < a.length; k++) a[k] *= inverse
  return exponent
}
