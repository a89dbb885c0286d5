import { describe, expect, it } from 'vitest'
import {
  datasetBadge,
  latticeBadge,
  pendingBadge,
  runBadge,
  trainingBadge
} from '../../src-renderer/src/logic/projectTreeBadges'

/** The project tree's badges as functions of an item's state and its job. */
const job = (
  status: 'queued' | 'running' | 'paused' | 'done' | 'failed' | 'cancelled',
  fraction: number | null = null
) => ({ status, fraction })

describe('project tree badges', () => {
  it('show a lattice as L², Lx×Ly or N', () => {
    expect(latticeBadge({ kind: 'square', Lx: 128, Ly: 128, periodicX: true, periodicY: true })).toBe('128²')
    expect(latticeBadge({ kind: 'triangular', Lx: 12, Ly: 8 })).toBe('12×8')
    expect(latticeBadge({ kind: 'chain', N: 10, periodic: false })).toBe('N = 10')
    expect(latticeBadge({ kind: 'graph', N: 5, bonds: 'g.bonds' })).toBe('N = 5')
  })

  it('give a pending job’s progress: starting before it is listed, queued, failed, whole percent, else its status', () => {
    expect(pendingBadge(undefined)).toBe('starting')
    expect(pendingBadge(job('queued', 0.5))).toBe('queued')
    expect(pendingBadge(job('failed', 0.5))).toBe('failed')
    expect(pendingBadge(job('running', 0.999))).toBe('99%')
    expect(pendingBadge(job('running'))).toBe('running')
    expect(pendingBadge(job('paused'))).toBe('paused')
  })

  it('give a run’s job before its chain, then the chain’s state, then its sweeps', () => {
    const chain = (status: 'idle' | 'running' | 'paused' | 'failed', sweep = 0) => ({ status, sweep })
    expect(runBadge(chain('running'), job('queued'))).toEqual({ label: 'queued', kind: 'queued' })
    expect(runBadge(undefined, job('running', 0.256))).toEqual({ label: '25%', kind: 'running' })
    expect(runBadge(chain('running'), job('running'))).toEqual({ label: 'running', kind: 'running' })
    expect(runBadge(chain('failed', 5), undefined)).toEqual({ label: 'failed', kind: 'failed' })
    expect(runBadge(chain('paused', 5), job('paused'))).toEqual({ label: 'paused', kind: 'paused' })
    expect(runBadge(chain('idle', 1200), undefined)).toEqual({ label: '1200 sw', kind: 'done' })
    expect(runBadge(chain('idle'), undefined)).toEqual({ label: 'draft', kind: 'draft' })
    expect(runBadge(undefined, undefined)).toEqual({ label: 'draft', kind: 'draft' })
  })

  it('give a training’s queue or progress while it runs, else its phase', () => {
    expect(trainingBadge('running', job('queued'))).toEqual({ label: 'queued', kind: 'queued' })
    expect(trainingBadge('running', job('running', 0.5))).toEqual({ label: '50%', kind: 'running' })
    expect(trainingBadge('running', undefined)).toEqual({ label: 'running', kind: 'running' })
    for (const phase of ['draft', 'paused', 'done', 'failed'])
      expect(trainingBadge(phase, undefined)).toEqual({ label: phase, kind: phase })
    // A paused job's fraction is not shown: the phase says paused.
    expect(trainingBadge('paused', job('paused', 0.5))).toEqual({ label: 'paused', kind: 'paused' })
  })

  it('give a dataset’s sample count with thousands separators', () => {
    expect(datasetBadge(20000)).toEqual({ label: '20,000', kind: 'done' })
  })
})
