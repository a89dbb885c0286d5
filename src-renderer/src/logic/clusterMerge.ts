import type { BundleManifest, BundleTask, TaskResult } from '@shared/cluster/bundle'
import { mergeInto } from '@shared/cluster/merge'
import type { NpyArray, ProjectAnalysis, ProjectDataset, ProjectJson, ProjectTraining } from '@shared/project/types'

/**
 * "Merge results…" on the open project: the CLI's pure merge (mergeInto) run on a copy of the
 * project's records, and what it changed as a record to put in the tree. Merging the same
 * results again finds the record unchanged and changes nothing.
 */

export interface BundleResults {
  manifest: BundleManifest
  tasks: BundleTask[]
  units: TaskResult['units'][number][]
  notes: string[]
}

/** What the report shows: the merged sentence (or why nothing was), and one sentence per missing or failed task. */
export interface MergeReport {
  title: string
  summary: string
  notes: string[]
  /** The record to show, when there is one. */
  itemId: string | null
}

type Collections = {
  analyses: ProjectAnalysis
  datasets: ProjectDataset
  trainings: ProjectTraining
}
/** One record the merge made or replaced, with its arrays. */
export type MergeChange = {
  [C in keyof Collections]: {
    collection: C
    record: Collections[C]
    arrays: Record<string, NpyArray>
    replaces: boolean
  }
}[keyof Collections]

export interface MergePlan {
  /** Empty when nothing is to change. */
  changes: MergeChange[]
  report: MergeReport
}

export function planMerge(project: ProjectJson, arrays: Record<string, NpyArray>, r: BundleResults): MergePlan {
  const m = r.manifest
  const units = `${m.units} unit${m.units === 1 ? '' : 's'}`
  const nothing = (summary: string): MergePlan => ({
    changes: [],
    report: { title: 'Nothing merged', summary, notes: r.notes, itemId: null }
  })
  if (r.units.length === 0) return nothing(`No task of the bundle of “${m.item.name}” has a result to merge yet.`)
  const lists = {
    analyses: [...project.analyses],
    datasets: [...project.datasets],
    trainings: [...(project.trainings ?? [])]
  }
  const doc = { project: { ...project, ...lists }, arrays: { ...arrays } }
  // The open project's records as they were (mergeInto changes the lists above).
  const before = {
    analyses: new Map(lists.analyses.map((x) => [x.id, JSON.stringify(x)])),
    datasets: new Map(lists.datasets.map((x) => [x.id, JSON.stringify(x)])),
    trainings: new Map(lists.trainings.map((x) => [x.id, JSON.stringify(x)]))
  }
  const out = mergeInto(doc, m, r.tasks, r.units)
  if (out.problem) return nothing(`${out.problem} The project was left as it was.`)
  const as = m.kind === 'training' ? 'as trainings' : `as “${m.target.name}”`
  const what = `${out.merged} of ${units} of “${m.item.name}” ${as}`
  if (!out.changed)
    return {
      changes: [],
      report: {
        title: 'Already merged',
        summary: `The project already holds ${what}; nothing changed.`,
        notes: r.notes,
        itemId: null
      }
    }
  const pick = (ids: (string | undefined)[]) =>
    Object.fromEntries(ids.filter((id): id is string => !!id && !!doc.arrays[id]).map((id) => [id, doc.arrays[id]!]))
  const changes: MergeChange[] = []
  // Records of the merged project that are new or differ from the open one's.
  for (const collection of ['analyses', 'datasets', 'trainings'] as const) {
    for (const record of doc.project[collection] ?? []) {
      const held = before[collection].get(record.id)
      if (held === JSON.stringify(record)) continue
      const arrayIds = Object.values(record.arrays as Record<string, string | undefined>)
      changes.push({ collection, record, arrays: pick(arrayIds), replaces: held !== undefined } as MergeChange)
    }
  }
  return {
    changes,
    report: {
      title: 'Results merged',
      summary: `Merged ${what}.`,
      notes: r.notes,
      itemId: changes[0]?.record.id ?? null
    }
  }
}
