import { acceptHMRUpdate, defineStore } from 'pinia'
import { ref } from 'vue'
import type { ProjectDoc } from '@shared/project/types'
import { getApi } from '../api'
import { clusterCapable, splitDoc } from '../logic/clusterForm'
import { planMerge, type BundleResults, type MergeReport } from '../logic/clusterMerge'
import { useDataStore } from './data'
import { useModelsStore } from './models'
import { useProjectStore } from './project'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'

/**
 * Slurm bundles from the app: which item's "Run on a cluster…" dialog is open, choosing a folder
 * (the system's dialog on the desktop, the in-app picker in a browser), and "Merge results…",
 * which reads a bundle's results through the services and merges them into the open project in
 * memory (the project is then modified, to be saved as usual), with its report.
 */
export const useClusterStore = defineStore('cluster', () => {
  const project = useProjectStore()
  const data = useDataStore()
  const models = useModelsStore()
  const ui = useUiStore()
  const trainings = useTrainingsStore()

  /** The item whose "Run on a cluster…" dialog is open. */
  const exportItem = ref<string | null>(null)
  /** The last merge's report, shown until closed. */
  const report = ref<MergeReport | null>(null)
  const merging = ref(false)

  /** The project as the split reads it; `light`: the datasets' configurations stood in by one each (splitDoc). */
  function splitSource(light = false): ProjectDoc {
    const collected = models.collect(project.project.models)
    return splitDoc(project.project, collected.models, { ...data.arrays, ...collected.arrays }, light)
  }

  /**
   * Whether the item can go to a cluster, asked of its records (clusterCapable): cheap enough for
   * the inspector to ask on every change, however large the item's model or data.
   */
  function canExport(itemId: string): boolean {
    try {
      return clusterCapable(project.project, itemId, (id) => id in data.arrays)
    } catch {
      return false
    }
  }

  /** A folder chosen by the user; null when cancelled ('' is the browser's projects folder). */
  async function chooseFolder(purpose: 'export' | 'merge'): Promise<string | null> {
    if (project.info?.host === 'web')
      return ui.pickFile({
        mode: 'folder',
        suggestedName: '',
        title: purpose === 'export' ? 'Folder to write the bundle in' : 'Bundle folder to merge'
      })
    const out = await getApi()['cluster.chooseFolder']({ purpose })
    if ('error' in out) ui.showError('No folder was chosen', out.error)
    return 'path' in out ? out.path : null
  }

  /** Merges what a bundle's tasks made into the open project and shows the report. */
  async function mergeResults(results: BundleResults): Promise<void> {
    // A training bundle's merge compares the trainings' networks too (the trainings store holds them).
    const held =
      results.manifest.kind === 'training' ? (await trainings.collect(project.project.trainings ?? [])).arrays : {}
    const plan = planMerge(project.project, { ...data.arrays, ...held }, results)
    for (const [k, change] of plan.changes.entries()) {
      const open = k === 0
      if (change.replaces) {
        const old = (project.project[change.collection] ?? []).find((x) => x.id === change.record.id)
        if (change.collection === 'trainings') trainings.forget(change.record.id)
        else data.forget(Object.values(old?.arrays ?? {}))
        project.removeRecord(change.collection, change.record.id)
      }
      if (change.collection === 'trainings') {
        trainings.adopt(change.record, change.arrays)
        project.addRecord('trainings', change.record, open)
      } else if (change.collection === 'analyses') data.deliver({ analysis: change.record }, change.arrays)
      else data.deliver({ dataset: change.record }, change.arrays)
    }
    report.value = plan.report
  }

  /** "Merge results…": choose the bundle's folder, read its results, merge them. */
  async function mergeFromFolder(): Promise<void> {
    if (merging.value) return
    const dir = await chooseFolder('merge')
    if (dir !== null) await mergeDir(dir)
  }

  /** Reads the results of the bundle in `dir` (a folder the services gave out) and merges them. */
  async function mergeDir(dir: string): Promise<void> {
    if (merging.value) return
    merging.value = true
    try {
      const read = await getApi()['cluster.read']({ dir })
      if (!read.ok) report.value = { title: 'Nothing merged', summary: read.error, notes: [], itemId: null }
      else await mergeResults(read)
    } finally {
      merging.value = false
    }
  }

  // File → Merge Cluster Results… on the desktop.
  getApi().on('menu', ({ command }) => {
    if (command === 'mergeResults') void mergeFromFolder()
  })

  return { exportItem, report, merging, splitSource, canExport, chooseFolder, mergeResults, mergeFromFolder, mergeDir }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useClusterStore, import.meta.hot))
