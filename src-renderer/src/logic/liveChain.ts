import { markRaw } from 'vue'
import { SeriesBuffer } from './seriesBuffer'
import type { JobInfo } from '@shared/protocol'
import type { ChainSource } from '@shared/project/runs'
import type { IsingChainResult, IsingFrame, IsingParams } from '@core/ising/types'
import { frameSpins } from '@core/ising/spinBits'
import type { JobHandlers } from './jobEvents'
import { createThrottle, type Throttle } from './throttle'
import { isChainResult, type ChainSetup } from './liveSetup'

export {
  LIVE_MAX_FPS,
  buildJobSpec,
  isChainResult,
  sameModelData,
  sameSource,
  setupFromSpec,
  sourceNeeds,
  specFromSetup,
  stateOf,
  type ChainSetup
} from './liveSetup'

/**
 * The live-chain store's plain parts: the chain record, its runtime bookkeeping, and what
 * frames, status updates and results of its job do to it (tested directly, without a store).
 */

/**
 * Sweep numbers of the last `count` points of a series that ends at `lastSweep`: frames and
 * saved states carry one value per sweep, the newest belonging to the current sweep.
 */
export function sweepsEndingAt(lastSweep: number, count: number): Float64Array {
  const out = new Float64Array(count)
  const first = lastSweep - count + 1
  for (let i = 0; i < count; i++) out[i] = first + i
  return out
}

export type LiveStatus = 'idle' | 'running' | 'paused' | 'failed'

/** One open live chain, as the view shows it. Typed arrays are raw (Vue does not track them). */
export interface LiveChain extends ChainSetup {
  runId: string
  jobId: string | null
  status: LiveStatus
  /** One sentence saying why the chain stopped, when it failed. */
  error: string | null
  sweep: number
  /** Latest configuration (L×L, or N on a general model), replaced (never mutated) on every frame. */
  spins: Int8Array | null
  /** Per-sweep series: `sweeps[i]` is the sweep number of `energy[i]` and `absM[i]`. */
  series: { sweeps: SeriesBuffer; energy: SeriesBuffer; absM: SeriesBuffer }
  /** Number of points in `series`; watch this (or `seriesVersion`) to redraw charts. */
  seriesLength: number
  /** Bumped whenever the series are rebuilt or cleared. */
  seriesVersion: number
  framesPerSecond: number
  sweepsPerSecond: number
  acceptance: number | null
  /** The state to continue from when no job runs (loaded from the project or a finished job). */
  saved: IsingChainResult | null
  /**
   * Where the series' sweeps changed K or h: from sweep `from` on, the job ran at `K` and `h`
   * (read from the frames, so an edit counts from the first sweep made with it). Raw, replaced
   * with the series.
   */
  paramChanges: ParamChange[]
}

export interface ParamChange {
  from: number
  K: number
  h: number
}

/** The sweeps each K and h ran, for the charts: the last span ends at `lastSweep`. */
export function paramSpans(
  changes: readonly ParamChange[],
  lastSweep: number
): { from: number; to: number; K: number; h: number }[] {
  return changes.map((c, i) => ({ ...c, to: i + 1 < changes.length ? changes[i + 1]!.from - 1 : lastSweep }))
}

/** A chain with nothing run yet. */
export function newChain(runId: string, setup: ChainSetup): LiveChain {
  return {
    runId,
    ...setup,
    jobId: null,
    status: 'idle',
    error: null,
    sweep: 0,
    spins: null,
    series: markRaw({ sweeps: new SeriesBuffer(), energy: new SeriesBuffer(), absM: new SeriesBuffer() }),
    seriesLength: 0,
    seriesVersion: 0,
    framesPerSecond: 0,
    sweepsPerSecond: 0,
    acceptance: null,
    saved: null,
    paramChanges: markRaw([])
  }
}

/** Back to sweep 0 with no configuration and empty series. */
export function clearChain(c: LiveChain): void {
  c.sweep = 0
  c.spins = null
  c.series.sweeps.clear()
  c.series.energy.clear()
  c.series.absM.clear()
  c.seriesLength = 0
  c.seriesVersion++
  c.framesPerSecond = 0
  c.sweepsPerSecond = 0
  c.acceptance = null
  c.paramChanges = markRaw([])
}

/** Shows a full state (series rebuilt from it); with `keep`, it becomes the state to continue from. */
export function loadState(c: LiveChain, state: IsingChainResult, keep: boolean): void {
  if (keep) c.saved = markRaw(state)
  c.L = state.L
  c.sweep = state.sweep
  c.spins = markRaw(state.spins)
  c.series = markRaw({
    sweeps: SeriesBuffer.from(sweepsEndingAt(state.sweep, state.energy.length)),
    energy: SeriesBuffer.from(state.energy),
    absM: SeriesBuffer.from(state.absM)
  })
  c.seriesLength = state.energy.length
  c.seriesVersion++
  // A saved state keeps no history of edits: its series count as made at its last K and h.
  const params = state.params ?? c.params
  const n = state.energy.length
  c.paramChanges = markRaw(n > 0 ? [{ from: state.sweep - n + 1, K: params.K, h: params.h }] : [])
}

/** Appends a frame: its series hold only the points since the previous frame; its spins arrive at one bit each. */
export function appendFrame(c: LiveChain, frame: IsingFrame): void {
  const energy = frame.series?.energy ?? new Float64Array(0)
  const absM = frame.series?.absM ?? new Float64Array(0)
  const last = c.paramChanges.at(-1)
  if (energy.length > 0 && frame.params && (!last || last.K !== frame.params.K || last.h !== frame.params.h))
    c.paramChanges.push({ from: frame.sweep - energy.length + 1, K: frame.params.K, h: frame.params.h })
  c.series.sweeps.append(sweepsEndingAt(frame.sweep, energy.length))
  c.series.energy.append(energy)
  c.series.absM.append(absM)
  c.seriesLength = c.series.energy.length
  c.sweep = frame.sweep
  c.spins = markRaw(frameSpins(frame))
  c.sweepsPerSecond = frame.sweepsPerSecond
  c.acceptance = frame.acceptance
}

/** The store's per-chain bookkeeping, which the view never sees. */
export interface Runtime {
  generation: number
  startingGen: number | null
  wantPaused: boolean
  sentParams: IsingParams | null
  /** Sends parameter edits to the job at most every EDIT_INTERVAL_MS (merging those in between). */
  edits: Throttle
  /** Arrival time and sweep of the frames of the last second: frames/s and the sweeps/s actually achieved. */
  frameTimes: { t: number; sweep: number }[]
  pendingReset: boolean
  resumed: boolean
  /** The model and painted spins the current job was started with. */
  sentSource: ChainSource
  /** The generator state of the job's last frame: with the chain's spins and series, where Play continues if the job dies. */
  lastRngState: Uint32Array | null
}

/** Edits closer together than this are merged (the chain must see them within 100 ms). */
export const EDIT_INTERVAL_MS = 16

/** Host time in milliseconds, for frame rates and edit pacing. */
export const now = (): number => (typeof performance !== 'undefined' ? performance.now() : Date.now())

/** `sendEdit` sends the chain's parameters to its job, returning false when there was nothing to send. */
export function newRuntime(sendEdit: () => boolean): Runtime {
  return {
    generation: 0,
    startingGen: null,
    wantPaused: false,
    sentParams: null,
    edits: createThrottle(EDIT_INTERVAL_MS, sendEdit, now),
    frameTimes: [],
    pendingReset: false,
    resumed: false,
    sentSource: {},
    lastRngState: null
  }
}

/** Shows a frame of the chain's job (false: dropped, computed before a reset); `t` is its arrival time in ms. */
export function onFrame(c: LiveChain, rt: Runtime, frame: IsingFrame, t: number): boolean {
  const n = frame.series?.energy?.length ?? 0
  if (rt.pendingReset) {
    // Frames computed before the reset may still be in flight: theirs do not start at sweep 0.
    if (frame.sweep - n > 0) return false
    rt.pendingReset = false
    clearChain(c)
  }
  appendFrame(c, frame)
  rt.lastRngState = frame.rngState ?? null
  rt.frameTimes.push({ t, sweep: frame.sweep })
  while (rt.frameTimes.length > 2 && t - rt.frameTimes[0]!.t > 1000) rt.frameTimes.shift()
  const first = rt.frameTimes[0]!
  const span = t - first.t
  c.framesPerSecond = span > 0 ? ((rt.frameTimes.length - 1) * 1000) / span : 0
  // What the chain achieved (paced to the frame rate), not the kernel's burst speed.
  c.sweepsPerSecond = span > 0 ? ((frame.sweep - first.sweep) * 1000) / span : 0
  return true
}

/** Follows the job's status. */
export function onUpdate(c: LiveChain, rt: Runtime, info: JobInfo): void {
  if (info.status === 'running' || info.status === 'queued') c.status = rt.wantPaused ? 'paused' : 'running'
  else if (info.status === 'paused') c.status = 'paused'
  else {
    // The result event (which carries the final state) may still follow.
    c.status = info.status === 'failed' ? 'failed' : 'idle'
    c.error = info.status === 'failed' ? (info.error ?? 'The chain stopped unexpectedly.') : null
    c.jobId = null
    if (info.status === 'failed') {
      const state = stateFromFrames(c, rt)
      if (state) {
        c.saved = markRaw(state)
        c.error = `${c.error} Play continues from sweep ${c.sweep}.`
      }
    }
  }
}

/**
 * The chain as its frames left it (spins shown, every series point, the last frame's generator
 * state), in the form of a saved state; null before a frame with a generator state arrived.
 */
export function stateFromFrames(c: LiveChain, rt: Runtime): IsingChainResult | null {
  const n = c.seriesLength
  if (!rt.lastRngState || !c.spins || c.sweep === 0 || n !== c.sweep || c.series.absM.length !== n) return null
  return {
    L: c.L,
    sweep: c.sweep,
    spins: Int8Array.from(c.spins),
    energy: Float64Array.from(c.series.energy.view()),
    absM: Float64Array.from(c.series.absM.view()),
    rngState: Uint32Array.from(rt.lastRngState),
    params: { ...c.params }
  }
}

/** A chain's job ended with `result` (null: stopped before it could answer); false when it is not the chain's job. */
export function onResult(c: LiveChain, jobId: string, result: IsingChainResult | null): boolean {
  if (c.jobId !== null && c.jobId !== jobId) return false
  if (isChainResult(result)) loadState(c, result, true)
  c.jobId = null
  if (c.status !== 'failed') c.status = 'idle'
  return true
}

/**
 * What happens to a chain as its job `jobId` sends frames, status updates and its result;
 * `current` finds the chain (it may have been closed since), `touch` marks a visible change.
 */
export function chainJobHandlers(
  jobId: string,
  current: () => [LiveChain, Runtime] | null,
  touch: () => void
): JobHandlers<'ising.chain'> {
  return {
    frame(frame) {
      const [c, rt] = current() ?? []
      if (c && rt && c.jobId === jobId && onFrame(c, rt, frame, now())) touch()
    },
    update(info) {
      const [c, rt] = current() ?? []
      if (c && rt && c.jobId === jobId) onUpdate(c, rt, info)
    },
    result(result) {
      const [c] = current() ?? []
      if (c && onResult(c, jobId, result)) touch()
    }
  }
}
