import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, watch } from 'vue'
import type { AppInfo } from '@shared/contract'
import { describeProjectError } from '@shared/project/errors'
import type { NpyArray, ProjectDoc, ProjectJson } from '@shared/project/types'
import { getApi } from '../api'
import { defaultModel, emptyProject, stateFromArrays } from '@shared/project/model'
import { useDataStore } from './data'
import { useJobsStore } from './jobs'
import { newRunRecord, projectRuns } from './projectRuns'
import { projectOpening } from './projectOpening'
import { projectRecords } from './projectRecords'
import { projectRecovery } from './projectRecovery'
import { projectTabs } from './projectTabs'
import { useLiveStore } from './live'
import { useModelsStore } from './models'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'
import { trackFileActivity } from '../composables/useFileActivity'

/**
 * The open project: what the tree shows is what gets saved. Owns the document and its dirty
 * marker and title, and New/Save/Save As/Close; its parts own the tabs and selection
 * (projectTabs.ts), the runs and their batch jobs (projectRuns.ts), opening a project
 * (projectOpening.ts), and recent files, recovery and autosave (projectRecovery.ts). Chain state lives in the live store and is collected
 * (snapshotted) only when saving; other stores change the project's records through its actions.
 */
export const useProjectStore = defineStore('project', () => {
  const live = useLiveStore()
  const ui = useUiStore()
  const models = useModelsStore()
  const data = useDataStore()
  const trainings = useTrainingsStore()

  /** Facts about the host (desktop or browser), loaded once. */
  const info = ref<AppInfo | null>(null)
  /** Where the project is saved: absolute on the desktop, relative to the projects folder in a browser; null until saved. */
  const path = ref<string | null>(null)
  /** project.json without its array listing (rebuilt on save). */
  const project = ref<ProjectJson>(emptyProject('0.0.0'))
  /** Bumped on every change; the project is dirty while it differs from the saved revision. */
  const revision = ref(0)
  const savedRevision = ref(0)
  const busy = ref(false)
  const dirty = computed(() => revision.value !== savedRevision.value)
  /** What the title bar calls the project: its file's name once saved, like any document. */
  const name = computed(() => {
    const file = path.value
      ?.split(/[\\/]/)
      .pop()
      ?.replace(/\.blockspin$/i, '')
    return file || project.value.name || 'Untitled'
  })
  const title = computed(() => `${name.value}${dirty.value ? ' ●' : ''} — Blockspin`)
  function touch(): void {
    revision.value++
  }
  const tabs = projectTabs(project)
  const runs = projectRuns({ project, touch, openTab: tabs.openTab, dropItem: tabs.dropItem })
  const files = projectRecovery({ name, path, dirty, revision, busy, buildDoc })
  const { openTab } = tabs
  const records = projectRecords({ project, touch, openTab, closeTab: tabs.closeTab })
  const opening = projectOpening({
    path,
    nativeDialogs: () => info.value?.nativeDialogs === true,
    files,
    touch,
    confirmDiscard,
    resetTo
  })
  const { open, openPath, openFile, openExample, restoreRecovery } = opening
  // The trainings store changes the project's training records only through these.
  trainings.setRecordActions(records.trainingActions)

  watch(() => live.revision, touch)
  watch(() => models.revision, touch)
  watch(() => trainings.revision, touch)
  watch(title, (t) => {
    document.title = t
    void getApi()
      ['window.setState']({ title: t, dirty: dirty.value })
      .catch(() => undefined)
  })

  async function init(): Promise<void> {
    const api = getApi()
    info.value = await api['app.info']()
    api.on('menu', ({ command }) => void onMenu(command))
    data.onFinished(({ dataset, datasets, analysis }) => {
      // Datasets, sweeps and RG analyses open in a tab; an exact solution shows with its model,
      // and a cascade's coarse datasets join the tree without a tab each.
      if (dataset) records.addRecord('datasets', dataset)
      for (const d of datasets ?? []) records.addRecord('datasets', d, false)
      // Samples drawn in a training's view join the tree without taking the view away.
      if (analysis)
        records.addRecord('analyses', analysis, analysis.kind !== 'exact' && analysis.kind !== 'rbm.samples')
    })
    newProject()
    await files.refreshLists()
    files.startAutosave()
  }

  function resetTo(json: ProjectJson, arrays: Record<string, NpyArray>, where: string | null): void {
    for (const run of project.value.runs) live.close(run.id)
    runs.cancelBatchJobs()
    useJobsStore().forgetProject()
    project.value = { ...json, trainings: json.trainings ?? [], arrays: {} }
    path.value = where
    models.load(arrays)
    data.load(arrays, json.datasets, json.analyses)
    trainings.load(json.trainings ?? [], arrays)
    for (const run of json.runs) live.open(run.id, run.spec, stateFromArrays(run, arrays))
    tabs.resetTabs(json)
    revision.value++
    savedRevision.value = revision.value
  }

  /** A fresh project: one 128² model at the critical coupling and one live chain on it. */
  function newProject(): void {
    const json = emptyProject(info.value?.version ?? '0.0.0')
    const model = defaultModel('model1')
    json.models.push(model)
    json.runs.push(newRunRecord(json, model.id, 'Live chain'))
    resetTo(json, {}, null)
  }

  function rename(newName: string): void {
    if (!newName.trim()) return
    project.value.name = newName.trim().slice(0, 200)
    touch()
  }

  /** project.json plus every run's current arrays (running chains are snapshotted). */
  async function buildDoc(): Promise<ProjectDoc> {
    const { runs: savedRuns, arrays } = await runs.collect()
    const collected = models.collect(project.value.models)
    Object.assign(arrays, collected.arrays, data.collect(project.value.datasets, project.value.analyses))
    // Running and paused trainings are saved with a fresh checkpoint, as 'paused'.
    const trained = await trainings.collect(project.value.trainings ?? [])
    Object.assign(arrays, trained.arrays)
    const json: ProjectJson = {
      ...project.value,
      appVersion: info.value?.version ?? project.value.appVersion,
      modifiedAt: new Date().toISOString(),
      models: collected.models,
      runs: savedRuns,
      trainings: trained.trainings,
      arrays: {}
    }
    return { project: JSON.parse(JSON.stringify(json)) as ProjectJson, arrays }
  }

  /** Asks before work would be lost. Resolves true when it is fine to go on. */
  async function confirmDiscard(action: string): Promise<boolean> {
    if (!dirty.value) return true
    const answer = await ui.confirm({
      title: 'Unsaved changes',
      message: `Save the changes to “${name.value}” before ${action}?`,
      buttons: ['Save', "Don't Save", 'Cancel'],
      cancelIndex: 2
    })
    if (answer === 0) return save(false)
    return answer === 1
  }

  /** A project still named Untitled takes the name of its first file ("reading-group.blockspin" → reading-group). */
  function adoptFileName(file: string | null): boolean {
    const current = project.value.name.trim()
    if (!file || (current && current !== 'Untitled')) return false
    const stem = file
      .replace(/^.*[\\/]/, '')
      .replace(/\.blockspin$/i, '')
      .trim()
    if (!stem) return false
    project.value.name = stem.slice(0, 200)
    return true
  }

  async function save(saveAs = false): Promise<boolean> {
    if (busy.value) return false
    const api = getApi()
    let target = path.value
    if (info.value?.host === 'web' && (saveAs || !target)) {
      target = await ui.pickFile({ mode: 'save', suggestedName: `${name.value}.blockspin` })
      if (!target) return false
    }
    const nameBefore = project.value.name
    adoptFileName(target)
    let renamedAfter: boolean
    busy.value = true
    try {
      const startedAt = revision.value
      const saveAsDialog = info.value?.host === 'electron' && saveAs
      const out = await trackFileActivity(
        'Saving',
        buildDoc().then((doc) => api['project.save']({ doc, path: target, saveAs: saveAsDialog }))
      )
      if (out.status !== 'saved') project.value.name = nameBefore
      if (out.status === 'canceled') return false
      if (out.status === 'error') {
        ui.showError('The project was not saved', describeProjectError(out.error))
        return false
      }
      path.value = out.path
      savedRevision.value = startedAt
      // A native Save As dialog chose the file: the name goes into the file with a second write.
      renamedAfter = adoptFileName(out.path)
      ui.showNotice(`Saved ${out.name}`)
      files.saved()
    } finally {
      busy.value = false
    }
    return renamedAfter ? save(false) : true
  }

  async function close(): Promise<void> {
    if (!(await confirmDiscard('closing it'))) return
    newProject()
  }

  async function onMenu(command: string): Promise<void> {
    if (command === 'new') {
      if (await confirmDiscard('starting a new project')) newProject()
    } else if (command === 'open') await open()
    else if (command === 'save') await save(false)
    else if (command === 'saveAs') await save(true)
    else if (command === 'close') await close()
    else if (command === 'guide') ui.guideOpen = true
    else if (command === 'closeWindow') {
      if (await save(false)) {
        await getApi()['window.setState']({ title: title.value, dirty: false })
        window.close()
      }
    } else if (command.startsWith('openRecent:')) await openPath(command.slice('openRecent:'.length))
  }

  const { recent, recovery, discardRecovery } = files
  const { selectedId, selectedRun, selectedModel, itemKind, itemName, closeTab } = tabs
  const { addLiveRun, addBatchRun, batchJobFor, removeRun, renameRun } = runs
  const { addRecord, removeRecord, renameRecord } = records
  return {
    info,
    path,
    project,
    revision,
    dirty,
    name,
    title,
    selectedId,
    selectedRun,
    selectedModel,
    tabs: tabs.tabs,
    recent,
    recovery,
    busy,
    init,
    newProject,
    addLiveRun,
    itemKind,
    itemName,
    addBatchRun,
    addRecord,
    removeRecord,
    renameRecord,
    batchJobFor,
    removeRun,
    renameRun,
    rename,
    openTab,
    closeTab,
    buildDoc,
    save,
    open,
    openPath,
    openFile,
    openExample,
    close,
    onMenu,
    confirmDiscard,
    restoreRecovery,
    discardRecovery,
    touch
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectStore, import.meta.hot))
