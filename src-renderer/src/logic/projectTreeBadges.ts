import type { LatticeSpecV2 } from '@shared/project/types'
import type { JobInfo } from '@shared/protocol'
import type { LiveStatus } from './liveChain'

/**
 * What the project tree's badges say about each item, as pure functions of the item's state and
 * its job (the jobs store's JobInfo, undefined when there is none or it is not listed yet).
 */

/** A badge's text and its class (the colour: queued, running, paused, failed, done, draft). */
export interface Badge {
  label: string
  kind: string
}

type JobState = Pick<JobInfo, 'status' | 'fraction'> | undefined

const percent = (fraction: number): string => `${Math.floor(fraction * 100)}%`

/** "128²", "12×8", "N = 10": the lattice at a glance. */
export function latticeBadge(l: LatticeSpecV2): string {
  if (l.kind === 'chain' || l.kind === 'graph') return `N = ${l.N}`
  return l.Lx === l.Ly ? `${l.Lx}²` : `${l.Lx}×${l.Ly}`
}

/** Progress of a pending dataset, sweep or exact job: starting (not listed yet), queued, failed, its % or its status. */
export function pendingBadge(job: JobState): string {
  if (!job) return 'starting'
  if (job.status === 'queued') return 'queued'
  if (job.status === 'failed') return 'failed'
  return job.fraction === null ? job.status : percent(job.fraction)
}

/**
 * A run's badge: queued, running with % (a batch run's job) or without (a live chain), failed,
 * paused, else its sweep count, or draft before its first sweep. `chain` is its open live
 * chain, `job` the chain's job or the run's batch job.
 */
export function runBadge(chain: { status: LiveStatus; sweep: number } | undefined, job: JobState): Badge {
  if (job?.status === 'queued') return { label: 'queued', kind: 'queued' }
  if (job?.status === 'running' && job.fraction !== null) return { label: percent(job.fraction), kind: 'running' }
  if (chain?.status === 'running') return { label: 'running', kind: 'running' }
  if (chain?.status === 'failed') return { label: 'failed', kind: 'failed' }
  if (chain?.status === 'paused') return { label: 'paused', kind: 'paused' }
  const sweep = chain?.sweep ?? 0
  return sweep > 0 ? { label: `${sweep} sw`, kind: 'done' } : { label: 'draft', kind: 'draft' }
}

/** A training's badge: queued, running with % when known, else its phase (draft, paused, done, failed). */
export function trainingBadge(phase: string, job: JobState): Badge {
  if (job?.status === 'queued') return { label: 'queued', kind: 'queued' }
  if (phase === 'running') return { label: job?.fraction != null ? percent(job.fraction) : 'running', kind: 'running' }
  return { label: phase, kind: phase }
}

/** A dataset's badge: its sample count. */
export function datasetBadge(samples: number): Badge {
  return { label: samples.toLocaleString('en'), kind: 'done' }
}
