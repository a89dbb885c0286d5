/**
 * A small radix-2 FFT for autocorrelation functions; power-of-two lengths only.
 * Iterative Cooley–Tukey (Cooley & Tukey, Math. Comp. 19, 297, 1965) with a bit-reversal pass
 * and a precomputed twiddle table; a real sequence of length P is transformed with one complex
 * FFT of length P/2 (even/odd packing, Press et al., Numerical Recipes 3rd ed., §12.3.2).
 */

/** In-place forward complex FFT X_k = Σ_n x_n e^{−2πi kn/n} of (re, im); length a power of 2. */
export function complexFftInPlace(re: Float64Array, im: Float64Array): void {
  const n = re.length
  if (n !== im.length || n < 1 || (n & (n - 1)) !== 0) {
    throw new RangeError(`FFT length must be a power of 2 with re and im equal, got ${n} and ${im.length}`)
  }
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1
    for (; j & bit; bit >>= 1) j ^= bit
    j ^= bit
    if (i < j) {
      let t = re[i]
      re[i] = re[j]
      re[j] = t
      t = im[i]
      im[i] = im[j]
      im[j] = t
    }
  }
  const half = n >> 1
  const cosT = new Float64Array(half)
  const sinT = new Float64Array(half)
  for (let k = 0; k < half; k++) {
    cosT[k] = Math.cos((2 * Math.PI * k) / n)
    sinT[k] = -Math.sin((2 * Math.PI * k) / n)
  }
  for (let len = 2; len <= n; len <<= 1) {
    const h = len >> 1
    const step = n / len
    for (let start = 0; start < n; start += len) {
      for (let k = 0, w = 0; k < h; k++, w += step) {
        const wr = cosT[w]
        const wi = sinT[w]
        const a = start + k
        const b = a + h
        const xr = re[b] * wr - im[b] * wi
        const xi = re[b] * wi + im[b] * wr
        re[b] = re[a] - xr
        im[b] = im[a] - xi
        re[a] += xr
        im[a] += xi
      }
    }
  }
}

/**
 * X_k = Σ_n x_n e^{−2πi kn/P}, k = 0..P/2, of a real sequence (P = x.length = 2^p ≥ 2), via the
 * complex FFT Z of z_m = x_{2m} + i x_{2m+1} (length P/2):
 *   X_k = E_k + e^{−2πik/P} O_k,  E_k = (Z_k + conj Z_{P/2−k})/2,  O_k = (Z_k − conj Z_{P/2−k})/(2i).
 */
export function realFftHalf(x: Float64Array): { re: Float64Array; im: Float64Array } {
  const P = x.length
  if (P < 2 || (P & (P - 1)) !== 0) throw new RangeError(`real FFT length must be a power of 2 ≥ 2, got ${P}`)
  const h = P >> 1
  const zre = new Float64Array(h)
  const zim = new Float64Array(h)
  for (let m = 0; m < h; m++) {
    zre[m] = x[2 * m]
    zim[m] = x[2 * m + 1]
  }
  complexFftInPlace(zre, zim)
  const re = new Float64Array(h + 1)
  const im = new Float64Array(h + 1)
  for (let k = 0; k <= h; k++) {
    const zr = zre[k % h]
    const zi = zim[k % h]
    const cr = zre[(h - k) % h]
    const ci = -zim[(h - k) % h]
    const er = 0.5 * (zr + cr)
    const ei = 0.5 * (zi + ci)
    const or = 0.5 * (zi - ci)
    const oi = -0.5 * (zr - cr)
    const wr = Math.cos((2 * Math.PI * k) / P)
    const wi = -Math.sin((2 * Math.PI * k) / P)
    re[k] = er + wr * or - wi * oi
    im[k] = ei + wr * oi + wi * or
  }
  return { re, im }
}

/**
 * Σ_{i=0}^{n−1−t} x_i x_{i+t} for t = 0..maxLag (< n), by Wiener–Khinchin on the series padded
 * with zeros to P ≥ 2n (so the circular correlation equals the linear one). O(n log n).
 * The power spectrum S_k = |X_k|² is real and even, so its inverse transform is the real part
 * of its forward transform divided by P.
 */
export function autocorrelationSumsFft(x: ArrayLike<number>, maxLag: number): Float64Array {
  const n = x.length
  if (!(maxLag >= 0 && maxLag < n)) throw new RangeError(`maxLag must be in [0, ${n - 1}], got ${maxLag}`)
  let P = 2
  while (P < 2 * n) P <<= 1
  const padded = new Float64Array(P)
  for (let i = 0; i < n; i++) padded[i] = x[i]
  const X = realFftHalf(padded)
  const h = P >> 1
  const power = padded // reuse: full even spectrum S_0..S_{P−1}
  for (let k = 0; k <= h; k++) power[k] = X.re[k] * X.re[k] + X.im[k] * X.im[k]
  for (let k = h + 1; k < P; k++) power[k] = power[P - k]
  const Y = realFftHalf(power)
  const out = new Float64Array(maxLag + 1)
  for (let t = 0; t <= maxLag; t++) out[t] = Y.re[t] / P
  return out
}
