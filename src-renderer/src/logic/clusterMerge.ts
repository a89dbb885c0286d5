import type { BundleManifest, BundleTask, TaskResult } from '@shared/cluster/bundle'
import { mergeInto } from '@shared/cluster/merge'
import type { NpyArray, ProjectAnalysis, ProjectDataset, ProjectJson } from '@shared/project/types'

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

export type MergePlan =
  | { change: null; report: MergeReport }
  | {
      change:
        | { collection: 'analyses'; record: ProjectAnalysis; arrays: Record<string, NpyArray>; replaces: boolean }
        | { collection: 'datasets'; record: ProjectDataset; arrays: Record<string, NpyArray>; replaces: boolean }
      report: MergeReport
    }

export function planMerge(project: ProjectJson, arrays: Record<string, NpyArray>, r: BundleResults): MergePlan {
  const m = r.manifest
  const units = `${m.units} unit${m.units === 1 ? '' : 's'}`
  const nothing = (summary: string): MergePlan => ({
    change: null,
    report: { title: 'Nothing merged', summary, notes: r.notes, itemId: null }
  })
  if (m.kind === 'training')
    return nothing(
      'A training bundle is merged with blockspin cluster merge PROJECT FOLDER for now; the app merges sweeps, datasets and MCRG analyses.'
    )
  if (r.units.length === 0) return nothing(`No task of the bundle of “${m.item.name}” has a result to merge yet.`)
  const doc = {
    project: {
      ...project,
      analyses: [...project.analyses],
      datasets: [...project.datasets],
      trainings: [...(project.trainings ?? [])]
    },
    arrays: { ...arrays }
  }
  const before = new Set([...project.analyses, ...project.datasets].map((x) => x.id))
  const out = mergeInto(doc, m, r.tasks, r.units)
  if (out.problem) return nothing(`${out.problem} The project was left as it was.`)
  const what = `${out.merged} of ${units} of “${m.item.name}” as “${m.target.name}”`
  if (!out.changed)
    return {
      change: null,
      report: {
        title: 'Already merged',
        summary: `The project already holds ${what}; nothing changed.`,
        notes: r.notes,
        itemId: m.target.id
      }
    }
  const report: MergeReport = {
    title: 'Results merged',
    summary: `Merged ${what}.`,
    notes: r.notes,
    itemId: m.target.id
  }
  const replaces = before.has(m.target.id)
  const analysis = doc.project.analyses.find((a) => a.id === m.target.id)
  const pick = (ids: (string | undefined)[]) =>
    Object.fromEntries(ids.filter((id): id is string => !!id && !!doc.arrays[id]).map((id) => [id, doc.arrays[id]!]))
  if (analysis)
    return {
      change: { collection: 'analyses', record: analysis, arrays: pick(Object.values(analysis.arrays)), replaces },
      report
    }
  const dataset = doc.project.datasets.find((d) => d.id === m.target.id)
  if (dataset)
    return {
      change: { collection: 'datasets', record: dataset, arrays: pick(Object.values(dataset.arrays)), replaces },
      report
    }
  return nothing(`The merge of “${m.item.name}” made no sweep, dataset or analysis; the project was left as it was.`)
}
