import { vi } from 'vitest'
import type { BlockspinApi } from '../../src-main/shared/contract'
import type { IsingChainResult, IsingFrame, IsingParams } from '../../src-core/ising/types'

/** A BlockspinApi double for the renderer's stores: records job calls, emits events on demand. */
export function createFakeApi() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextJob = 1
  let snapshotReply: { ok: true; data: unknown } | { ok: false; error: string } = { ok: false, error: 'no job' }
  /** When set, jobs.start waits for this before answering (to race events ahead of the reply). */
  let startGate: Promise<void> | null = null
  const api = {
    'jobs.start': vi.fn(async (_args: Parameters<BlockspinApi['jobs.start']>[0]) => {
      const jobId = `job-${nextJob++}`
      if (startGate) await startGate
      return { jobId }
    }),
    'jobs.control': vi.fn(async (_args: Parameters<BlockspinApi['jobs.control']>[0]) => ({ ok: true })),
    'jobs.command': vi.fn(async (_args: Parameters<BlockspinApi['jobs.command']>[0]) => ({ ok: true })),
    'jobs.snapshot': vi.fn(async (_args: { jobId: string }) => snapshotReply),
    on(event: string, listener: (payload: unknown) => void) {
      if (!listeners.has(event)) listeners.set(event, new Set())
      listeners.get(event)!.add(listener)
      return () => listeners.get(event)?.delete(listener)
    }
  }
  return {
    api: api as unknown as BlockspinApi,
    raw: api,
    emit(event: string, payload: unknown) {
      listeners.get(event)?.forEach((l) => l(payload))
    },
    setSnapshot(reply: typeof snapshotReply) {
      snapshotReply = reply
    },
    gateStarts(gate: Promise<void> | null) {
      startGate = gate
    }
  }
}

export const PARAMS: IsingParams = { K: 0.4, h: 0, algorithm: 'metropolis', sweepsPerFrame: 2 }

/** A frame at `sweep` carrying the `count` newest per-sweep points (values encode the sweep). */
export function makeFrame(L: number, sweep: number, count: number, params = PARAMS): IsingFrame {
  const series = (scale: number) => new Float64Array(count).map((_, i) => scale * (sweep - count + 1 + i))
  return {
    L,
    sweep,
    spins: new Int8Array(L * L).fill(sweep % 2 ? 1 : -1),
    params,
    sweepsPerSecond: 1000,
    acceptance: 0.25,
    series: { energy: series(-0.001), absM: series(0.0001) }
  }
}

export function makeState(L: number, sweep: number, params = PARAMS): IsingChainResult {
  return {
    L,
    sweep,
    spins: new Int8Array(L * L).fill(1),
    energy: new Float64Array(sweep).map((_, i) => -0.001 * (i + 1)),
    absM: new Float64Array(sweep).map((_, i) => 0.0001 * (i + 1)),
    rngState: new Uint32Array([1, 2, 3, 4]),
    params
  }
}
