import type { DatasetChain } from '../ising/torus/chain'
import { integratedAutocorrelationTime } from '../stats'
import type { JobSignal } from './types'

/**
 * The dataset job's pilot (isingDataset.ts): the integrated autocorrelation times that choose
 * the thinning, and the sweeping that yields to the host.
 */

/** The observables whose τ_int the pilot measures: e = H/N, m = Σv/N and |m|. */
export type PilotObservable = 'e' | 'm' | 'absM'

export interface PilotThinning {
  /** Sweeps the pilot ran (the first length doubled until reliable, or the cap). */
  pilotSweeps: number
  /** The longest pilot allowed. */
  pilotMaxSweeps: number
  /** Every τ_int reliable (pilot ≥ 100 τ_int, Sokal); false when the cap was reached first. */
  reliable: boolean
  /** τ_int in sweeps of each observable over the whole pilot. */
  tauSweeps: Record<PilotObservable, number>
  /** The observable with the largest τ_int, which set thin = ⌈2 τ⌉. */
  setBy: PilotObservable
}

export const DEFAULT_PILOT_SWEEPS = 2000
/** 2000 doubled 8 times: enough for τ ≈ 5,000 sweeps (Metropolis m on 40×40 at Kc is ~3,500). */
export const DEFAULT_PILOT_MAX_SWEEPS = 512_000

/**
 * Runs `count` sweeps, yielding to the host every ~30 ms so pause and cancel take effect. Calls
 * that share a `clock` (the host time of the last yield) count their time together, so many
 * short calls (a dataset's few sweeps between samples) still yield every ~30 ms.
 */
export async function sweepWithYield(
  sampler: { sweep(): void },
  count: number,
  signal: JobSignal,
  onSweep?: (k: number) => void,
  clock: { last: number } = { last: signal.now() }
): Promise<boolean> {
  for (let k = 0; k < count; k++) {
    sampler.sweep()
    onSweep?.(k)
    if (signal.now() - clock.last > 30) {
      await signal.next()
      if (signal.cancelled) return false
      clock.last = signal.now()
    }
  }
  return !signal.cancelled
}

/**
 * The pilot: sweeps `first`, then doubles the series (continuing the chain) until τ_int of e, m
 * and |m| over the whole series is reliable or `cap` sweeps are reached. `onSweeps(k, length)`
 * reports k sweeps done towards a pilot of `length`. Null when cancelled.
 */
export async function runPilot(
  chain: DatasetChain,
  first: number,
  cap: number,
  signal: JobSignal,
  onSweeps: (sweeps: number, length: number) => void
): Promise<PilotThinning | null> {
  let e = new Float64Array(0)
  let m = new Float64Array(0)
  let length = Math.min(first, cap)
  for (;;) {
    const from = e.length
    const grownE = new Float64Array(length)
    const grownM = new Float64Array(length)
    grownE.set(e)
    grownM.set(m)
    e = grownE
    m = grownM
    let pending = 0
    const ok = await sweepWithYield(chain, length - from, signal, (k) => {
      e[from + k] = chain.energy()
      m[from + k] = chain.magnetisation()
      if (++pending === 100) {
        onSweeps(pending, length)
        pending = 0
      }
    })
    if (!ok) return null
    onSweeps(pending, length)
    const absM = m.map(Math.abs)
    const times = {
      e: integratedAutocorrelationTime(e),
      m: integratedAutocorrelationTime(m),
      absM: integratedAutocorrelationTime(absM)
    }
    const reliable = times.e.reliable && times.m.reliable && times.absM.reliable
    if (reliable || length >= cap) {
      const tauSweeps = { e: times.e.tauInt, m: times.m.tauInt, absM: times.absM.tauInt }
      const setBy = (['e', 'm', 'absM'] as const).reduce((a, b) => (tauSweeps[b] > tauSweeps[a] ? b : a))
      return { pilotSweeps: length, pilotMaxSweeps: cap, reliable, tauSweeps, setBy }
    }
    length = Math.min(2 * length, cap)
  }
}
