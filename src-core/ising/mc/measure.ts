import type { Lattice } from '../../lattice/types'
import { type JackknifeResult, jackknife } from '../../stats/jackknife'
import type { McSamples } from '../../stats/summary'

/**
 * Per-sample measurements of a chain, stored in preallocated series (no allocation per sample):
 * H, M = Σv, |M|, M²; on grid lattices the axis correlation sums for C(r); on periodic square
 * lattices and rings the structure factor at the smallest non-zero wave vector for ξ.
 *
 * Connected correlation along an axis, averaged over the P_r pairs (i, i + r ê) of the lattice:
 *   C(r) = (1/P_r) Σ_pairs (⟨v_i v_{i+r}⟩ − ⟨v_i⟩⟨v_{i+r}⟩),
 * with per-site means ⟨v_i⟩, so it stays the connected function when fields vary from site to site.
 * Open axes pair only x + r < L. Cost O(N·(L/2)) per sample and axis.
 *
 * Second-moment correlation length (F. Cooper, B. Freedman & D. Preston, Nucl. Phys. B 210, 210,
 * 1982; e.g. Caracciolo et al., Phys. Rev. Lett. 74, 2969, 1995, Eq. 4):
 *   ξ = √(S(0)/S(k_min) − 1) / (2 sin(k_min/2)),  k_min = 2π/L,  S(k) = ⟨|Σ_j v_j e^{ik·x_j}|²⟩/N,
 * so S(0) = ⟨M²⟩/N. Negative S(0)/S(k_min) − 1 (noise at high temperature) is reported as ξ = 0.
 */
export interface AxisCorrelation {
  readonly periodic: boolean
  /** Largest r: ⌊L/2⌋ on periodic axes, min(⌊L/2⌋, L − 1) on open ones. */
  readonly rMax: number
  /** Σ over samples and pairs of v_i v_{i+r}. */
  readonly pairSum: Float64Array
  /** Pairs per sample at each r. */
  readonly pairs: Float64Array
}

export interface McMeasurements {
  readonly lattice: Lattice
  readonly capacity: number
  count: number
  readonly H: Float64Array
  readonly M: Float64Array
  readonly absM: Float64Array
  readonly M2: Float64Array
  /** |F(2π/Lx ê_x)|²/N and |F(2π/Ly ê_y)|²/N per sample (periodic square lattices / rings). */
  readonly SkX: Float64Array | null
  readonly SkY: Float64Array | null
  /** Σ over samples of v_i, for the connected part. */
  readonly siteSum: Float64Array | null
  readonly corrX: AxisCorrelation | null
  readonly corrY: AxisCorrelation | null
  /** Scratch: column and row sums of the current sample. */
  readonly colSum: Float64Array
  readonly rowSum: Float64Array
  readonly cosX: Float64Array
  readonly sinX: Float64Array
  readonly cosY: Float64Array
  readonly sinY: Float64Array
}

function axes(lattice: Lattice): { grid: boolean; periodicX: boolean; periodicY: boolean; square: boolean } {
  const spec = lattice.spec
  switch (spec.kind) {
    case 'chain':
      return { grid: true, periodicX: spec.periodic, periodicY: false, square: true }
    case 'square':
      return { grid: true, periodicX: spec.periodicX, periodicY: spec.periodicY, square: true }
    case 'triangular':
      return { grid: true, periodicX: true, periodicY: true, square: false }
    case 'graph':
      return { grid: false, periodicX: false, periodicY: false, square: false }
  }
}

function axis(L: number, other: number, periodic: boolean): AxisCorrelation | null {
  if (L < 2) return null
  const rMax = periodic ? Math.floor(L / 2) : Math.min(Math.floor(L / 2), L - 1)
  const pairs = new Float64Array(rMax + 1)
  for (let r = 0; r <= rMax; r++) pairs[r] = (periodic ? L : L - r) * other
  return { periodic, rMax, pairSum: new Float64Array(rMax + 1), pairs }
}

function phases(L: number): [Float64Array, Float64Array] {
  const c = new Float64Array(L)
  const s = new Float64Array(L)
  for (let x = 0; x < L; x++) {
    c[x] = Math.cos((2 * Math.PI * x) / L)
    s[x] = Math.sin((2 * Math.PI * x) / L)
  }
  return [c, s]
}

export function createMeasurements(
  lattice: Lattice,
  capacity: number,
  options: { correlations?: boolean } = {}
): McMeasurements {
  if (!Number.isInteger(capacity) || capacity < 1)
    throw new RangeError(`capacity must be a positive integer, got ${capacity}`)
  const { Lx, Ly, N } = lattice
  const a = axes(lattice)
  const correlations = a.grid && options.correlations !== false
  const structureX = a.square && a.periodicX
  const structureY = a.square && a.periodicY && Ly > 1
  const [cosX, sinX] = phases(Lx)
  const [cosY, sinY] = phases(Ly)
  return {
    lattice,
    capacity,
    count: 0,
    H: new Float64Array(capacity),
    M: new Float64Array(capacity),
    absM: new Float64Array(capacity),
    M2: new Float64Array(capacity),
    SkX: structureX ? new Float64Array(capacity) : null,
    SkY: structureY ? new Float64Array(capacity) : null,
    siteSum: correlations ? new Float64Array(N) : null,
    corrX: correlations ? axis(Lx, Ly, a.periodicX) : null,
    corrY: correlations ? axis(Ly, Lx, a.periodicY) : null,
    colSum: new Float64Array(Lx),
    rowSum: new Float64Array(Ly),
    cosX,
    sinX,
    cosY,
    sinY
  }
}

function structureFactor(sums: Float64Array, cos: Float64Array, sin: Float64Array, N: number): number {
  let re = 0
  let im = 0
  for (let x = 0; x < sums.length; x++) {
    re += cos[x] * sums[x]
    im += sin[x] * sums[x]
  }
  return (re * re + im * im) / N
}

/** Records one sample: the spins and their energy H (the sampler's incremental value). */
export function recordSample(meas: McMeasurements, spins: Int8Array, H: number): void {
  const k = meas.count
  if (k >= meas.capacity) throw new RangeError(`measurement series is full (${meas.capacity} samples)`)
  const { Lx, Ly, N } = meas.lattice
  const { colSum, rowSum, siteSum, corrX, corrY } = meas
  colSum.fill(0)
  rowSum.fill(0)
  let M = 0
  for (let y = 0, i = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++, i++) {
      const v = spins[i]
      M += v
      colSum[x] += v
      rowSum[y] += v
      if (siteSum !== null) siteSum[i] += v
    }
  }
  meas.H[k] = H
  meas.M[k] = M
  meas.absM[k] = Math.abs(M)
  meas.M2[k] = M * M
  if (meas.SkX !== null) meas.SkX[k] = structureFactor(colSum, meas.cosX, meas.sinX, N)
  if (meas.SkY !== null) meas.SkY[k] = structureFactor(rowSum, meas.cosY, meas.sinY, N)
  if (corrX !== null) {
    for (let y = 0; y < Ly; y++) {
      const row = y * Lx
      for (let x = 0; x < Lx; x++) {
        const v = spins[row + x]
        for (let r = 0; r <= corrX.rMax; r++) {
          let x2 = x + r
          if (x2 >= Lx) {
            if (!corrX.periodic) break
            x2 -= Lx
          }
          corrX.pairSum[r] += v * spins[row + x2]
        }
      }
    }
  }
  if (corrY !== null) {
    for (let y = 0; y < Ly; y++) {
      for (let r = 0; r <= corrY.rMax; r++) {
        let y2 = y + r
        if (y2 >= Ly) {
          if (!corrY.periodic) break
          y2 -= Ly
        }
        const a = y * Lx
        const b = y2 * Lx
        let s = 0
        for (let x = 0; x < Lx; x++) s += spins[a + x] * spins[b + x]
        corrY.pairSum[r] += s
      }
    }
  }
  meas.count = k + 1
}

/** The recorded series (views of length count), in the shape summarise() takes. */
export function measuredSeries(
  meas: McMeasurements
): McSamples & { H: Float64Array; M: Float64Array; absM: Float64Array; M2: Float64Array } {
  const n = meas.count
  return {
    H: meas.H.subarray(0, n),
    M: meas.M.subarray(0, n),
    absM: meas.absM.subarray(0, n),
    M2: meas.M2.subarray(0, n)
  }
}

function connected(meas: McMeasurements, c: AxisCorrelation, along: 'x' | 'y'): Float64Array {
  const { Lx, Ly } = meas.lattice
  const n = meas.count
  const site = meas.siteSum!
  const out = new Float64Array(c.rMax + 1)
  for (let r = 0; r <= c.rMax; r++) {
    let product = 0
    for (let y = 0; y < Ly; y++) {
      for (let x = 0; x < Lx; x++) {
        let x2 = x
        let y2 = y
        if (along === 'x') x2 += r
        else y2 += r
        if (x2 >= Lx || y2 >= Ly) {
          if (!c.periodic) continue
          x2 %= Lx
          y2 %= Ly
        }
        product += (site[y * Lx + x] / n) * (site[y2 * Lx + x2] / n)
      }
    }
    out[r] = (c.pairSum[r] / n - product) / c.pairs[r]
  }
  return out
}

/** Connected C(r), r = 0..rMax, along x and y (null where the lattice has no such axis). */
export function correlationFunction(meas: McMeasurements): { x: Float64Array | null; y: Float64Array | null } {
  if (meas.count === 0) throw new RangeError('no samples recorded')
  return {
    x: meas.corrX ? connected(meas, meas.corrX, 'x') : null,
    y: meas.corrY ? connected(meas, meas.corrY, 'y') : null
  }
}

function xiFrom(M2: Float64Array, Sk: Float64Array, L: number, N: number, tauInt?: number): JackknifeResult {
  const scale = 1 / (2 * Math.sin(Math.PI / L))
  return jackknife(
    [M2, Sk],
    (x) => scale * Math.sqrt(Math.max(0, x[0] / N / x[1] - 1)),
    tauInt === undefined ? {} : { tauInt }
  )
}

/**
 * Second-moment correlation length along x and y, and their average ξ (from the averaged S(k_min))
 * when Lx = Ly, each with a jackknife error. Only for periodic square lattices (and rings: x only).
 */
export function secondMomentCorrelationLength(
  meas: McMeasurements,
  options: { tauInt?: number } = {}
): { xi: JackknifeResult | null; xiX: JackknifeResult | null; xiY: JackknifeResult | null } {
  const n = meas.count
  const { Lx, Ly, N } = meas.lattice
  if (meas.SkX === null)
    throw new RangeError('the second-moment correlation length needs a periodic square lattice or ring')
  const M2 = meas.M2.subarray(0, n)
  const SkX = meas.SkX.subarray(0, n)
  const xiX = xiFrom(M2, SkX, Lx, N, options.tauInt)
  if (meas.SkY === null) return { xi: Ly === 1 ? xiX : null, xiX, xiY: null }
  const SkY = meas.SkY.subarray(0, n)
  const xiY = xiFrom(M2, SkY, Ly, N, options.tauInt)
  let xi: JackknifeResult | null = null
  if (Lx === Ly) {
    const Sk = new Float64Array(n)
    for (let i = 0; i < n; i++) Sk[i] = 0.5 * (SkX[i] + SkY[i])
    xi = xiFrom(M2, Sk, Lx, N, options.tauInt)
  }
  return { xi, xiX, xiY }
}
