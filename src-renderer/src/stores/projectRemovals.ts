import type { TrainingRecord } from '../logic/trainingSpec'
import { useDataStore } from './data'
import { useModelsStore } from './models'
import { useProjectStore } from './project'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'

/** "1 run", "3 datasets"; '' for none. */
const count = (n: number, noun: string) => (n ? `${n} ${noun}${n > 1 ? 's' : ''}` : '')

/**
 * Deleting models, datasets, analyses and trainings with what depends on them, asking first when
 * more than the item itself, or work, would be lost. The records change through the project
 * store's actions (removeRecord, removeRun).
 */
export function useProjectRemovals() {
  const project = useProjectStore()
  const models = useModelsStore()
  const data = useDataStore()
  const ui = useUiStore()
  const trainings = useTrainingsStore()

  async function removeModel(id: string): Promise<void> {
    const p = project.project
    const model = p.models.find((m) => m.id === id)
    if (!model) return
    const runs = p.runs.filter((r) => r.modelId === id)
    const datasets = p.datasets.filter((d) => d.modelId === id)
    const trained = datasets.reduce((n, d) => n + trainingsOf(d.id).length, 0)
    const also = [count(runs.length, 'run'), count(datasets.length, 'dataset'), count(trained, 'training')].filter(
      Boolean
    )
    const answer = await ui.confirm({
      title: 'Delete model',
      message: `Delete “${model.name}”${also.length ? ` with its ${also.length > 1 ? `${also.slice(0, -1).join(', ')} and ${also.at(-1)}` : also[0]}` : ''}?`,
      buttons: ['Delete', 'Cancel'],
      cancelIndex: 1
    })
    if (answer !== 0) return
    for (const r of runs) project.removeRun(r.id)
    for (const d of datasets) dropDataset(d.id)
    // Its exact solutions describe nothing once it is gone.
    for (const a of p.analyses.filter((x) => x.kind === 'exact' && x.sourceId === id)) removeAnalysis(a.id)
    project.removeRecord('models', id)
    models.forget(id)
  }

  /** The trainings of a dataset. */
  const trainingsOf = (datasetId: string) => (project.project.trainings ?? []).filter((t) => t.datasetId === datasetId)

  /** Deletes a dataset, asking first when trainings go with it (one without trainings goes at once). */
  async function removeDataset(id: string): Promise<void> {
    const d = project.project.datasets.find((x) => x.id === id)
    if (!d) return
    const trained = trainingsOf(id).length
    if (trained) {
      const answer = await ui.confirm({
        title: 'Delete dataset',
        message: `Delete “${d.name}” with its ${count(trained, 'training')}?`,
        buttons: ['Delete', 'Cancel'],
        cancelIndex: 1
      })
      if (answer !== 0) return
    }
    dropDataset(id)
  }

  /** Deletes a dataset and its trainings at once (the user agreed, or nothing else goes with it). */
  function dropDataset(id: string): void {
    const d = project.project.datasets.find((x) => x.id === id)
    if (!d) return
    // Its trainings describe nothing without it (and the file format refuses them).
    for (const t of trainingsOf(id)) dropTraining(t.id)
    project.removeRecord('datasets', id)
    data.forget(Object.values(d.arrays))
  }

  function removeAnalysis(id: string): void {
    const a = project.project.analyses.find((x) => x.id === id)
    if (!a) return
    project.removeRecord('analyses', id)
    data.forget(Object.values(a.arrays))
  }

  /** What deleting a training throws away: its weights, its progress, or nothing (a draft: ''). */
  function trainingLoss(t: TrainingRecord): string {
    const r = trainings.of(t.id)
    if (r.dbn || t.status === 'done') return 'its trained weights'
    const cp = r.checkpoint
    if (cp) return `its progress (${t.layers.length > 1 ? `layer ${cp.layer + 1}, ` : ''}epoch ${cp.trainer.epoch})`
    return r.jobId || t.status !== 'draft' ? 'its progress' : ''
  }

  /** Deletes a training, asking first unless it is a draft with nothing to lose. */
  async function removeTraining(id: string): Promise<void> {
    const t = project.project.trainings?.find((x) => x.id === id)
    if (!t) return
    const loss = trainingLoss(t)
    if (loss) {
      const answer = await ui.confirm({
        title: 'Delete training',
        message: `Delete “${t.name}” and ${loss}?`,
        buttons: ['Delete', 'Cancel'],
        cancelIndex: 1
      })
      if (answer !== 0) return
    }
    dropTraining(id)
  }

  /** Deletes a training at once (with its dataset, or once the user agreed); its job is stopped. */
  function dropTraining(id: string): void {
    if (!project.project.trainings?.some((t) => t.id === id)) return
    trainings.forget(id)
    // Samples drawn from it describe nothing once it is gone.
    for (const a of project.project.analyses.filter((x) => x.kind === 'rbm.samples' && x.sourceId === id))
      removeAnalysis(a.id)
    project.removeRecord('trainings', id)
  }

  return { removeModel, removeDataset, removeAnalysis, removeTraining }
}
