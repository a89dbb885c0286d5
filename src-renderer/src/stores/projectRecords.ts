import type { Ref } from 'vue'
import type { ProjectJson, ProjectTraining } from '@shared/project/types'
import type { TrainingRecordActions } from './trainings'

/** The project's collections of records other than runs (those are projectRuns.ts's). */
export interface ProjectCollections {
  models: ProjectJson['models'][number]
  datasets: ProjectJson['datasets'][number]
  analyses: ProjectJson['analyses'][number]
  trainings: ProjectTraining
}
export type ProjectCollection = keyof ProjectCollections

/** What the records part needs of the rest of the project store. */
export interface ProjectRecordsContext {
  project: Ref<ProjectJson>
  touch(): void
  openTab(id: string): void
  closeTab(id: string): void
}

/**
 * The actions through which anything outside the project store (the item commands of
 * projectItems.ts, the data and trainings stores) adds, renames and removes the project's
 * models, datasets, analyses and trainings. A part of the project store (project.ts).
 */
export function projectRecords(ctx: ProjectRecordsContext) {
  const { project, touch } = ctx
  const list = <C extends ProjectCollection>(collection: C): ProjectCollections[C][] =>
    (project.value[collection] ?? []) as ProjectCollections[C][]
  // A new array each time (watchers of the collection see the change); the four are arrays of their records.
  const setList = <C extends ProjectCollection>(collection: C, items: ProjectCollections[C][]): void => {
    ;(project.value as unknown as Record<ProjectCollection, unknown[]>)[collection] = items
  }

  /** Adds a record (opened in a tab unless `open` is false). */
  function addRecord<C extends ProjectCollection>(collection: C, record: ProjectCollections[C], open = true): void {
    setList(collection, [...list(collection), record])
    if (open) ctx.openTab(record.id)
    touch()
  }

  /** Removes a record and closes its tab. */
  function removeRecord(collection: ProjectCollection, id: string): void {
    setList(
      collection,
      list(collection).filter((r) => r.id !== id)
    )
    ctx.closeTab(id)
    touch()
  }

  /** Renames a record (trimmed, at most 200 characters); empty or unchanged names change nothing. */
  function renameRecord<C extends ProjectCollection>(
    collection: C,
    id: string,
    name: string
  ): ProjectCollections[C] | null {
    const record = list(collection).find((r) => r.id === id)
    const trimmed = name.trim().slice(0, 200)
    if (!record || !trimmed || trimmed === record.name) return null
    record.name = trimmed
    touch()
    return record
  }

  const training = (id: string): ProjectTraining | undefined => list('trainings').find((t) => t.id === id)
  /** How the trainings store changes training records (registered with it by the project store). */
  const trainingActions: TrainingRecordActions = {
    setStatus(id, status) {
      const t = training(id)
      if (t) t.status = status
    },
    resetToDraft(id) {
      const t = training(id)
      if (!t) return
      Object.assign(t, { status: 'draft', arrays: {} })
      delete t.checkpoint
      delete t.history
    }
  }

  return { addRecord, removeRecord, renameRecord, trainingActions }
}
