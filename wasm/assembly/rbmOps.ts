// AssemblyScript: element-wise RBM training steps on fp32 arrays in this module's memory.
//   sigmoidAdd       out = σ(x + bias[col]); e^t by Cody–Waite range reduction t = n·ln2 + r,
//                    |r| ≤ ln2/2, and the degree-5 minimax polynomial of Cephes expf (S. L.
//                    Moshier, Cephes Math Library 2.2, 1992), relative error ≲ 2e-7; t clamped to ±87;
//                    the polynomial in fused multiply-adds in the relaxed build.
//   sampleBernoulli  out = (u < p) ? 1 : 0, u = r·2⁻³² from the module's xoshiro128** 1.1
//                    (Blackman & Vigna, ACM TOMS 47(4) 36, 2021): the same stream and the same
//                    double comparison as src-core/random/xoshiro128ss.ts nextFloat() < p.
//   biasStatistics   the bias part of src-core/rbm/gradient.ts accumulateStatistics, same fp32
//                    arithmetic (f32x4 lanes), so the same bits.
//   updateParameters the momentum update of src-core/rbm/optimizer.ts applyUpdate in fp32
//                    (f32x4 lanes, no fused multiply-add in any build): the same bits.
//   isBinary         1 when every entry is 0 or 1 (then products may skip multiplications, select.ts).

import { rng } from './layout'

// e^t, Cephes expf: t = n·ln2 + r with ln2 split in two (C1 + C2) so n·C1 is exact.
const LOG2E: f32 = 1.44269504088896341
const C1: f32 = 0.693359375
const C2: f32 = -2.12194440e-4
const SHIFTER: f32 = 12582912 // 1.5·2²³
const SHIFTER_BITS: i32 = 0x4b400000

/** a·b + c: fused in the relaxed build (one rounding), else a multiply and an add. */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c)
  else return f32x4.add(f32x4.mul(a, b), c)
}

@inline function expv(t: v128): v128 {
  // pmin/pmax (one minps/maxps each) clamp exactly as min/max do, NaN passing through as t.
  t = f32x4.pmin(f32x4.pmax(t, f32x4.splat(-87)), f32x4.splat(87))
  // n = nearest(t·log2 e), ties to even, by the 1.5·2²³ shifter: the sum rounds to an integer
  // (|t·log2 e| < 126 ≪ 2²²), so n and its integer bits come from one add and two subtractions.
  const shifted = f32x4.add(f32x4.mul(t, f32x4.splat(LOG2E)), f32x4.splat(SHIFTER))
  const n = f32x4.sub(shifted, f32x4.splat(SHIFTER))
  const r = f32x4.sub(f32x4.sub(t, f32x4.mul(n, f32x4.splat(C1))), f32x4.mul(n, f32x4.splat(C2)))
  let y = f32x4.splat(1.9875691500e-4)
  y = madd(y, r, f32x4.splat(1.3981999507e-3))
  y = madd(y, r, f32x4.splat(8.3334519073e-3))
  y = madd(y, r, f32x4.splat(4.1665795894e-2))
  y = madd(y, r, f32x4.splat(1.6666665459e-1))
  y = madd(y, r, f32x4.splat(5.0000001201e-1))
  y = f32x4.add(madd(f32x4.mul(y, r), r, r), f32x4.splat(1))
  const scale = i32x4.shl(i32x4.add(i32x4.sub(shifted, i32x4.splat(SHIFTER_BITS)), i32x4.splat(127)), 23)
  return f32x4.mul(y, scale)
}

@inline function sigmoidv(z: v128): v128 {
  const one = f32x4.splat(1)
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(z))))
}

/** out (rows×cols) = σ(x + bias[col]); bias 0 means no bias; out may equal x. */
export function sigmoidAdd(x: usize, bias: usize, rows: i32, cols: i32, out: usize): void {
  sigmoidAddColumns(x, bias, rows, cols, out, 0, cols)
}

/**
 * sigmoidAdd on columns [j0, j1) of every row (one thread's share of a split product). With j0 a
 * multiple of 4 every element goes through the same lanes' arithmetic as in the whole call.
 */
export function sigmoidAddColumns(x: usize, bias: usize, rows: i32, cols: i32, out: usize, j0: i32, j1: i32): void {
  for (let i = 0; i < rows; i++) {
    const xr = x + (<usize>(i * cols) << 2)
    const or = out + (<usize>(i * cols) << 2)
    let j = j0
    for (; j + 4 <= j1; j += 4) {
      const o = <usize>j << 2
      const b = bias != 0 ? v128.load(bias + o) : f32x4.splat(0)
      v128.store(or + o, sigmoidv(f32x4.add(v128.load(xr + o), b)))
    }
    for (; j < j1; j++) {
      const o = <usize>j << 2
      const z = load<f32>(xr + o) + (bias != 0 ? load<f32>(bias + o) : 0)
      store<f32>(or + o, f32x4.extract_lane(sigmoidv(f32x4.splat(z)), 0))
    }
  }
}

/** out[i] = 1 if u_i < p[i] else 0, u_i the next xoshiro128** draw over 2^32; out may equal p. */
export function sampleBernoulli(p: usize, out: usize, count: i32): void {
  let s0 = load<u32>(rng), s1 = load<u32>(rng, 4), s2 = load<u32>(rng, 8), s3 = load<u32>(rng, 12)
  for (let i = 0; i < count; i++) {
    const o = <usize>i << 2
    const r = rotl<u32>(s1 * 5, 7) * 9
    const t = s1 << 9
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl<u32>(s3, 11)
    // Without a branch (u < p is a coin flip when p ≈ 1/2: a branch would be mispredicted half the time).
    store<f32>(out + o, <f32><i32>(<f64>r < <f64>load<f32>(p + o) * 4294967296.0))
  }
  store<u32>(rng, s0); store<u32>(rng, s1, 4); store<u32>(rng, s2, 8); store<u32>(rng, s3, 12)
}

/**
 * For each row r: ga[i] += w·v[r, i] (i < nv); x = w·h[r, j], weighted[r, j] = x, gb[j] += x
 * (j < nh); in fp32 with w rounded to fp32, each product and sum rounded (accumulateStatistics
 * with equal row weights w, bit for bit).
 */
export function biasStatistics(v: usize, h: usize, rows: i32, nv: i32, nh: i32, w: f64, ga: usize, gb: usize, weighted: usize): void {
  const wf = <f32>w
  const W = f32x4.splat(wf)
  for (let r = 0; r < rows; r++) {
    const vr = v + (<usize>(r * nv) << 2), hr = h + (<usize>(r * nh) << 2), wr = weighted + (<usize>(r * nh) << 2)
    let i = 0
    for (; i + 4 <= nv; i += 4) {
      const o = <usize>i << 2
      v128.store(ga + o, f32x4.add(v128.load(ga + o), f32x4.mul(W, v128.load(vr + o))))
    }
    for (; i < nv; i++) {
      const o = <usize>i << 2
      store<f32>(ga + o, load<f32>(ga + o) + wf * load<f32>(vr + o))
    }
    let j = 0
    for (; j + 4 <= nh; j += 4) {
      const o = <usize>j << 2
      const x = f32x4.mul(W, v128.load(hr + o))
      v128.store(wr + o, x)
      v128.store(gb + o, f32x4.add(v128.load(gb + o), x))
    }
    for (; j < nh; j++) {
      const o = <usize>j << 2
      const x = wf * load<f32>(hr + o)
      store<f32>(wr + o, x)
      store<f32>(gb + o, load<f32>(gb + o) + x)
    }
  }
}

/**
 * inc = μ·vel + ε·(g − (λ₂·p + λ₁·sign(p))), vel = inc, p = p + inc over `count` entries, every
 * operation in fp32 with ε, μ, λ₁, λ₂ rounded to fp32 (applyUpdate bit for bit). Without penalties
 * (λ₁ = λ₂ = 0 after rounding; the biases) the bracket is g itself.
 */
export function updateParameters(p: usize, vel: usize, g: usize, count: i32, eps: f64, mu: f64, l1: f64, l2: f64): void {
  const e = <f32>eps, m = <f32>mu, a1 = <f32>l1, a2 = <f32>l2
  const E = f32x4.splat(e), M = f32x4.splat(m), L2 = f32x4.splat(a2), L1 = f32x4.splat(a1), NL1 = f32x4.splat(-a1), Z = f32x4.splat(0)
  const penalties = a1 != 0 || a2 != 0
  let k = 0
  for (; k + 4 <= count; k += 4) {
    const o = <usize>k << 2
    const P = v128.load(p + o), V = v128.load(vel + o), G = v128.load(g + o)
    const d = penalties ? f32x4.sub(G, f32x4.add(f32x4.mul(L2, P), v128.or(v128.and(f32x4.gt(P, Z), L1), v128.and(f32x4.lt(P, Z), NL1)))) : G
    const inc = f32x4.add(f32x4.mul(M, V), f32x4.mul(E, d))
    v128.store(vel + o, inc)
    v128.store(p + o, f32x4.add(P, inc))
  }
  for (; k < count; k++) {
    const o = <usize>k << 2
    const w = load<f32>(p + o)
    const gk = load<f32>(g + o)
    const d = penalties ? gk - (a2 * w + (w > 0 ? a1 : w < 0 ? -a1 : <f32>0)) : gk
    const inc = m * load<f32>(vel + o) + e * d
    store<f32>(vel + o, inc)
    store<f32>(p + o, w + inc)
  }
}

/** 1 when every one of the `count` entries at p is 0 or 1, else 0. */
export function isBinary(p: usize, count: i32): i32 {
  const zero = f32x4.splat(0), one = f32x4.splat(1)
  let bad = i32x4.splat(0)
  let k = 0
  for (; k + 4 <= count; k += 4) {
    const x = v128.load(p + (<usize>k << 2))
    bad = v128.or(bad, v128.and(f32x4.ne(x, zero), f32x4.ne(x, one)))
  }
  if (v128.any_true(bad)) return 0
  for (; k < count; k++) {
    const x = load<f32>(p + (<usize>k << 2))
    if (x != 0 && x != 1) return 0
  }
  return 1
}
