import { vi } from 'vitest'
import { setApi } from '../../src-renderer/src/api'
import { useLiveStore } from '../../src-renderer/src/stores/live'
import type {
  AppInfo,
  BlockspinApi,
  OpenOutcome,
  Outputs,
  RecentEntry,
  RecoveryEntry,
  SaveOutcome
} from '@shared/contract'
import type { JobInfo } from '@shared/protocol'
import type { IsingChainResult, IsingFrame, IsingParams } from '@core/ising/types'
import { packSpins } from '@core/ising/spinBits'

/** A BlockspinApi double for the renderer's stores: records every call, emits events on demand. */
export function createFakeApi() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>()
  let nextJob = 1
  let snapshotReply: { ok: true; data: unknown } | { ok: false; error: string } = { ok: false, error: 'no job' }
  /** When set, jobs.start waits for this before answering (to race events ahead of the reply). */
  let startGate: Promise<void> | null = null
  /** What the project, files and recovery channels answer; tests overwrite fields as needed. */
  const replies = {
    info: {
      appName: 'Blockspin',
      version: '9.9.9',
      host: 'web',
      nativeDialogs: false,
      projectsRoot: 'projects',
      cores: 4,
      maxBatchJobs: 3,
      platform: 'linux'
    } as AppInfo,
    /** project.open / project.openDialog / project.openBytes. */
    open: { status: 'canceled' } as OpenOutcome,
    /** null: saved where asked (or at /chosen/by-dialog.blockspin when no path was given). */
    save: null as SaveOutcome | null,
    recent: [] as RecentEntry[],
    recovery: [] as RecoveryEntry[],
    recoveryLoad: { status: 'canceled' } as OpenOutcome,
    example: { status: 'absent' } as Outputs['project.openExample'],
    files: (dir: string): Outputs['files.list'] => ({ dir, entries: [] }),
    mkdir: { ok: true } as Outputs['files.mkdir'],
    jobs: [] as JobInfo[]
  }
  const api = {
    'app.info': vi.fn(async () => ({ ...replies.info })),
    'project.openDialog': vi.fn(async () => replies.open),
    'project.open': vi.fn(async (_args: Parameters<BlockspinApi['project.open']>[0]) => replies.open),
    'project.openBytes': vi.fn(async (_args: Parameters<BlockspinApi['project.openBytes']>[0]) => replies.open),
    'project.openExample': vi.fn(async () => replies.example),
    'project.save': vi.fn(async (args: Parameters<BlockspinApi['project.save']>[0]): Promise<SaveOutcome> => {
      if (replies.save) return replies.save
      const path = args.path ?? '/chosen/by-dialog.blockspin'
      return { status: 'saved', path, name: path.split('/').pop()! }
    }),
    'project.recent': vi.fn(async () => replies.recent),
    'files.list': vi.fn(async (args: Parameters<BlockspinApi['files.list']>[0]) => replies.files(args.dir)),
    'files.mkdir': vi.fn(async (_args: Parameters<BlockspinApi['files.mkdir']>[0]) => replies.mkdir),
    'recovery.save': vi.fn(async (_args: Parameters<BlockspinApi['recovery.save']>[0]) => ({ ok: true }) as const),
    'recovery.list': vi.fn(async () => replies.recovery),
    'recovery.load': vi.fn(async (_args: Parameters<BlockspinApi['recovery.load']>[0]) => replies.recoveryLoad),
    'recovery.discard': vi.fn(
      async (_args: Parameters<BlockspinApi['recovery.discard']>[0]) => ({ ok: true }) as const
    ),
    'window.setState': vi.fn(async (_args: Parameters<BlockspinApi['window.setState']>[0]) => undefined),
    'jobs.list': vi.fn(async () => replies.jobs),
    'jobs.dismiss': vi.fn(async (_args: Parameters<BlockspinApi['jobs.dismiss']>[0]) => ({ ok: true })),
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
    replies,
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
    sites: L * L,
    spinBits: packSpins(new Int8Array(L * L).fill(sweep % 2 ? 1 : -1)),
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

/**
 * After a test: closes the live chains of the active store (their 16 ms edit timers would fire
 * after the test environment is gone), then forgets the API double.
 */
export function closeLiveChains(): void {
  const live = useLiveStore()
  for (const runId of Object.keys(live.chains)) live.close(runId)
  setApi(null)
}
