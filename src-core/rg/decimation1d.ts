/**
 * Exact decimation of the periodic 1D Ising chain with a uniform field (SCIENCE.md §3; the
 * paper's Fig. 2). With H = −K Σ v_i v_{i+1} − h Σ v_i, summing out every odd spin of a ring of N
 * (even) spins leaves a ring of N/2 spins with
 *   K' = ¼ ln[cosh(2K+h) cosh(2K−h) / cosh² h]
 *   h' = h + ½ ln[cosh(2K+h) / cosh(2K−h)]
 *   ln A = ln 2 + ¼ ln[cosh(2K+h) cosh(2K−h) cosh² h]
 * and Z_N(K, h) = A^{N/2} Z_{N/2}(K', h'). At h = 0 this is tanh K' = tanh² K, A = 2 √cosh 2K.
 * Every ln cosh goes through ln(2 cosh x) = |x| + ln(1 + e^{−2|x|}), so nothing overflows.
 */
import { logTwoCosh } from '../rbm/math'

/** One decimation step's output: the coarse couplings and the constant per removed pair. */
export interface Decimation1dStep {
  K: number
  h: number
  lnA: number
}

const logCosh = (x: number): number => logTwoCosh(x) - Math.LN2

/** (K', h', ln A) from (K, h): one step of b = 2 decimation. */
export function decimate1d(K: number, h: number): Decimation1dStep {
  if (!Number.isFinite(K) || !Number.isFinite(h)) throw new RangeError(`K and h must be finite, got K = ${K}, h = ${h}`)
  const plus = logCosh(2 * K + h)
  const minus = logCosh(2 * K - h)
  const field = logCosh(h)
  return {
    K: 0.25 * (plus + minus - 2 * field),
    h: h + 0.5 * (plus - minus),
    lnA: Math.LN2 + 0.25 * (plus + minus + 2 * field)
  }
}

/** `steps` successive decimations from (K, h); entry n is the chain after n + 1 steps. */
export function decimationFlow1d(K: number, h: number, steps: number): Decimation1dStep[] {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`steps must be a whole number ≥ 0, got ${steps}`)
  const out: Decimation1dStep[] = []
  let k = K
  let f = h
  for (let n = 0; n < steps; n++) {
    const s = decimate1d(k, f)
    out.push(s)
    k = s.K
    f = s.h
  }
  return out
}

/**
 * ln Z of a periodic ring of N = 2^n spins rebuilt from the RG constants alone:
 *   ln Z_N = Σ_{k=1..n} (N/2^k) ln A_k + ln Z_1(K_n, h_n),
 * where the last ring has one spin and one bond to itself: Z_1 = e^{K} 2 cosh h (the trace of
 * the transfer matrix, consistent with Z_N = Tr T^N at N = 1).
 */
export function chainLogZFromDecimation(N: number, K: number, h: number): number {
  if (!Number.isInteger(N) || N < 1 || (N & (N - 1)) !== 0 || N > 2 ** 30) {
    throw new RangeError(`the ring's length must be a power of two up to 2^30, got ${N}`)
  }
  const steps = Math.round(Math.log2(N))
  let lnZ = 0
  let size = N
  let k = K
  let f = h
  for (let n = 0; n < steps; n++) {
    const s = decimate1d(k, f)
    size /= 2
    lnZ += size * s.lnA
    k = s.K
    f = s.h
  }
  return lnZ + k + logTwoCosh(f)
}
