import { modelEnergy } from '@core/lattice/model'
import type { IsingModel } from '@core/lattice/types'

/**
 * Brute-force reference for the Monte Carlo tests: every one of the 2^N states (N ≤ 16) weighted
 * by e^{−H} with H from modelEnergy, the paper's Eq. 3. Independent of the samplers: it shares
 * only the lattice and modelEnergy with them.
 */
export interface ExactAverages {
  e: number
  m: number
  absM: number
  m2: number
  c: number
  chi: number
  chiAbs: number
  u4: number
  /** Connected C(r) along x and y, same pair conventions as measure.ts. */
  corrX: number[]
  corrY: number[]
  /** Second-moment ξ from S(0) and S(2π/L) averaged over x and y (periodic square only). */
  xi: number
}

function pairsAlong(model: IsingModel, axis: 'x' | 'y', r: number, periodic: boolean): [number, number][] {
  const { Lx, Ly } = model.lattice
  const out: [number, number][] = []
  for (let y = 0; y < Ly; y++) {
    for (let x = 0; x < Lx; x++) {
      let x2 = axis === 'x' ? x + r : x
      let y2 = axis === 'y' ? y + r : y
      if (x2 >= Lx || y2 >= Ly) {
        if (!periodic) continue
        x2 %= Lx
        y2 %= Ly
      }
      out.push([y * Lx + x, y2 * Lx + x2])
    }
  }
  return out
}

export function exactAverages(model: IsingModel, periodicX: boolean, periodicY: boolean): ExactAverages {
  const { N, Lx, Ly } = model.lattice
  if (N > 16) throw new RangeError(`exact enumeration is for N ≤ 16, got ${N}`)
  const states = 1 << N
  const spins = new Int8Array(N)
  const energies = new Float64Array(states)
  for (let s = 0; s < states; s++) {
    for (let i = 0; i < N; i++) spins[i] = (s >> i) & 1 ? 1 : -1
    energies[s] = modelEnergy(model, spins)
  }
  const Hmin = Math.min(...energies)
  let Z = 0
  let sH = 0
  let sH2 = 0
  let sM = 0
  let sAbs = 0
  let sM2 = 0
  let sM4 = 0
  let sSk = 0
  const site = new Float64Array(N)
  const pair = new Float64Array(N * N)
  for (let s = 0; s < states; s++) {
    const w = Math.exp(-(energies[s] - Hmin))
    let M = 0
    for (let i = 0; i < N; i++) {
      spins[i] = (s >> i) & 1 ? 1 : -1
      M += spins[i]
      site[i] += w * spins[i]
    }
    for (let i = 0; i < N; i++) for (let j = 0; j < N; j++) pair[i * N + j] += w * spins[i] * spins[j]
    let fxr = 0
    let fxi = 0
    let fyr = 0
    let fyi = 0
    for (let i = 0; i < N; i++) {
      const x = i % Lx
      const y = Math.floor(i / Lx)
      fxr += spins[i] * Math.cos((2 * Math.PI * x) / Lx)
      fxi += spins[i] * Math.sin((2 * Math.PI * x) / Lx)
      fyr += spins[i] * Math.cos((2 * Math.PI * y) / Ly)
      fyi += spins[i] * Math.sin((2 * Math.PI * y) / Ly)
    }
    Z += w
    sH += w * energies[s]
    sH2 += w * energies[s] ** 2
    sM += w * M
    sAbs += w * Math.abs(M)
    sM2 += w * M * M
    sM4 += w * M ** 4
    sSk += (w * (fxr * fxr + fxi * fxi + fyr * fyr + fyi * fyi)) / (2 * N)
  }
  const mean = (x: number) => x / Z
  for (let i = 0; i < N; i++) site[i] /= Z
  for (let k = 0; k < N * N; k++) pair[k] /= Z
  const corr = (axis: 'x' | 'y', L: number, periodic: boolean): number[] => {
    const out: number[] = []
    for (let r = 0; r <= (periodic ? Math.floor(L / 2) : Math.min(Math.floor(L / 2), L - 1)); r++) {
      const pairs = pairsAlong(model, axis, r, periodic)
      out.push(pairs.reduce((a, [i, j]) => a + pair[i * N + j] - site[i] * site[j], 0) / pairs.length)
    }
    return out
  }
  const H = mean(sH)
  const M = mean(sM)
  const absM = mean(sAbs)
  const M2 = mean(sM2)
  const S0 = M2 / N
  const Sk = mean(sSk)
  return {
    e: H / N,
    m: M / N,
    absM: absM / N,
    m2: M2 / (N * N),
    c: (mean(sH2) - H * H) / N,
    chi: (M2 - M * M) / N,
    chiAbs: (M2 - absM * absM) / N,
    u4: 1 - mean(sM4) / (3 * M2 * M2),
    corrX: corr('x', Lx, periodicX),
    corrY: Ly > 1 ? corr('y', Ly, periodicY) : [],
    xi: Math.sqrt(Math.max(0, S0 / Sk - 1)) / (2 * Math.sin(Math.PI / Lx))
  }
}

/** The same model with every |K_ij| larger by `delta` (signs kept): a deliberately wrong parameter. */
export function withShiftedCouplings(model: IsingModel, delta: number): IsingModel {
  const couplings = Float64Array.from(model.couplings, (k) => k + Math.sign(k) * delta)
  return { ...model, couplings }
}
