import type { ProjectAnalysis } from '../project/types'

/**
 * An analysis planned for a cluster: made by a launch dialog's "Run on a cluster…" (a sweep, an
 * MCRG or an RG flow of a size meant for a cluster), its spec and seed as a run here would have them and no
 * result yet. Its bundle merges into the item itself, so the results arrive where it was planned;
 * anything else a bundle makes is a new item beside its source.
 */

/** The kinds a launch dialog can plan for a cluster. */
export type PlannedKind = 'sweep' | 'rg.mcrg' | 'rg.flow'

/** Whether the analysis is planned and still has no result. */
export function isPlanned(a: Pick<ProjectAnalysis, 'result'> | { result?: unknown }): boolean {
  const r = (a as { result?: unknown }).result
  return typeof r === 'object' && r !== null && (r as Record<string, unknown>)['planned'] === true
}

/** The record of an analysis planned for a cluster. */
export function plannedAnalysis(opts: {
  id: string
  name: string
  kind: PlannedKind
  spec: object
  seed: number
  now?: Date
}): ProjectAnalysis {
  return {
    id: opts.id,
    name: opts.name,
    kind: opts.kind,
    sourceId: null,
    spec: { ...(JSON.parse(JSON.stringify(opts.spec)) as Record<string, unknown>), seed: opts.seed },
    createdAt: (opts.now ?? new Date()).toISOString(),
    arrays: {},
    result: { planned: true }
  }
}
