import { acceptHMRUpdate, defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { AppInfo, OpenOutcome, RecentEntry, RecoveryEntry } from '../../../src-main/shared/contract'
import { describeProjectError } from '../../../src-main/shared/project/errors'
import type { NpyArray, ProjectDoc, ProjectJson, RunV1 } from '../../../src-main/shared/project/types'
import type { IsingChainResult } from '../../../src-core/ising/types'
import { getApi } from '../api'
import { useJobsStore } from './jobs'
import { chainSetupOf, defaultModel, emptyProject, jobSpecOfRun, nextId, runWithState, specFromModel, stateFromArrays, stateToArrays } from '../../../src-main/shared/project/model'
import type { ChainStart } from '../../../src-core/ising/types'
import type { ChainSource } from '../../../src-main/shared/project/runs'
import { useDataStore } from './data'
import { useLiveStore } from './live'
import { useModelsStore } from './models'
import { useTrainingsStore } from './trainings'
import { useUiStore } from './ui'

const AUTOSAVE_MS = 15_000

/**
 * The open project: what the tree shows is what gets saved. Owns New/Open/Save/Save As/Close,
 * the dirty marker and title, and autosave to the recovery folder. Chain state lives in the
 * live store and is collected (snapshotted) only when saving.
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
  /** Run or model shown in the centre and inspector. */
  const selectedId = ref<string | null>(null)
  /** Open tabs (run ids). */
  const tabs = ref<string[]>([])
  const recent = ref<RecentEntry[]>([])
  /** Unsaved work found from an earlier session. */
  const recovery = ref<RecoveryEntry[]>([])
  /** Results of batch runs that finished while the project was open, by run id. */
  const batchJobs = shallowRef<Record<string, string>>({})
  const busy = ref(false)
  /** Recovery entries restored or discarded in this session. */
  const recoveryGone = new Set<string>()
  const recoveryKey = `session-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`

  const dirty = computed(() => revision.value !== savedRevision.value)
  /** What the title bar calls the project: its file's name once saved, like any document. */
  const name = computed(() => {
    const file = path.value?.split(/[\\/]/).pop()?.replace(/\.blockspin$/i, '')
    return file || project.value.name || 'Untitled'
  })
  const title = computed(() => `${name.value}${dirty.value ? ' ●' : ''} — Blockspin`)
  const selectedRun = computed(() => project.value.runs.find((r) => r.id === selectedId.value) ?? null)
  /** The selected model, or the model of the selected run or dataset. */
  const selectedModel = computed(() => {
    const p = project.value
    const id = selectedId.value
    const owner = p.runs.find((r) => r.id === id)?.modelId ?? p.datasets.find((d) => d.id === id)?.modelId ?? id
    return p.models.find((m) => m.id === owner) ?? null
  })

  function touch(): void {
    revision.value++
  }
  /** Chains take their model as edited (and its painted spins) from the models store, at every start. */
  function chainSource(runId: string, needs: { model: boolean; painted: boolean }): ChainSource {
    if (!needs.model && !needs.painted) return {}
    const run = project.value.runs.find((r) => r.id === runId)
    const record = project.value.models.find((m) => m.id === run?.modelId)
    if (!record) throw new Error(`the model of this run (“${run?.modelId ?? runId}”) is not in the project`)
    return {
      ...(needs.model ? { model: models.dataOf(record) } : {}),
      ...(needs.painted ? { startSpins: Int8Array.from(models.docFor(record).spins) } : {})
    }
  }
  live.setChainSource(chainSource)
  watch(() => live.revision, touch)
  watch(() => models.revision, touch)
  watch(() => trainings.revision, touch)
  watch(title, (t) => {
    document.title = t
    void getApi()['window.setState']({ title: t, dirty: dirty.value }).catch(() => undefined)
  })

  async function init(): Promise<void> {
    const api = getApi()
    info.value = await api['app.info']()
    api.on('jobs.result', ({ jobId, result }) => onBatchResult(jobId, result))
    api.on('menu', ({ command }) => void onMenu(command))
    data.onFinished(({ dataset, analysis }) => {
      if (dataset) project.value.datasets.push(dataset)
      if (analysis) project.value.analyses.push(analysis)
      // Datasets and sweeps open in a tab; an exact solution shows with its model.
      const id = dataset?.id ?? (analysis && analysis.kind !== 'exact' ? analysis.id : undefined)
      if (id) openTab(id)
      touch()
    })
    newProject()
    await refreshLists()
    setInterval(() => void autosave(), AUTOSAVE_MS)
  }

  async function refreshLists(): Promise<void> {
    const api = getApi()
    const [recentList, recoveryList] = await Promise.all([api['project.recent'](), api['recovery.list']()])
    recent.value = recentList
    // This session's own autosave is not "work from an earlier session"; entries restored or
    // discarded here stay gone even when a listing asked for before the discard answers after it.
    recovery.value = recoveryList.filter((r) => r.id !== recoveryKey && !recoveryGone.has(r.id))
  }

  function resetTo(json: ProjectJson, arrays: Record<string, NpyArray>, where: string | null): void {
    for (const run of project.value.runs) live.close(run.id)
    // Batch jobs of the project being replaced: their results must not land on a run of the
    // next project that happens to reuse the run id.
    for (const jobId of Object.keys(batchJobs.value)) void getApi()['jobs.control']({ jobId, action: 'cancel' }).catch(() => undefined)
    batchJobs.value = {}
    project.value = { ...json, trainings: json.trainings ?? [], arrays: {} }
    path.value = where
    models.load(arrays)
    data.load(arrays, json.datasets, json.analyses)
    trainings.load(json.trainings ?? [], arrays)
    for (const run of json.runs) live.open(run.id, run.spec, stateFromArrays(run, arrays))
    tabs.value = json.runs.slice(0, 1).map((r) => r.id)
    selectedId.value = json.runs[0]?.id ?? json.models[0]?.id ?? null
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

  function newRunRecord(json: ProjectJson, modelId: string, label: string, targetSweeps?: number, start: ChainStart = 'hot'): RunV1 {
    const model = json.models.find((m) => m.id === modelId)!
    const id = nextId('run', json.runs.map((r) => r.id))
    const seed = (Date.now() ^ (Math.random() * 0xffffffff)) >>> 0
    return {
      id,
      name: `${label} ${id.slice(3)}`,
      modelId,
      kind: 'ising.chain',
      spec: specFromModel(model, seed, targetSweeps, start),
      status: targetSweeps === undefined ? 'live' : 'pending',
      sweep: 0,
      arrays: {},
      createdAt: new Date().toISOString()
    }
  }

  /**
   * A live chain on a model: the fast square kernels when the model is a uniform periodic L×L
   * square lattice, else the general samplers on the model as edited (liveChainKernel). Start
   * 'painted' begins from the spins painted in the model editor.
   */
  function addLiveRun(modelId: string, start: ChainStart = 'hot'): string | null {
    if (!project.value.models.some((m) => m.id === modelId)) return null
    const run = newRunRecord(project.value, modelId, 'Live chain', undefined, start)
    project.value.runs.push(run)
    live.open(run.id, run.spec, null)
    openTab(run.id)
    touch()
    return run.id
  }

  /** A batch run: queued like any batch job, results stored in the project when done. */
  async function addBatchRun(modelId: string, targetSweeps: number): Promise<string> {
    const run = newRunRecord(project.value, modelId, 'Batch run', targetSweeps)
    project.value.runs.push(run)
    live.open(run.id, run.spec, null)
    touch()
    await startBatch(run)
    return run.id
  }

  async function startBatch(run: RunV1): Promise<void> {
    const saved = await live.snapshot(run.id)
    const setup = chainSetupOf(run.spec)
    const source = chainSource(run.id, { model: setup.general, painted: setup.start === 'painted' })
    const spec = { ...jobSpecOfRun(run.spec, source), maxFps: 0, ...(saved && saved.sweep > 0 ? { resume: saved } : {}) }
    const { jobId } = await getApi()['jobs.start']({
      kind: 'ising.chain',
      title: batchTitle(run),
      interactive: false,
      spec,
      seed: run.spec.seed,
      ...(saved && saved.sweep > 0 ? { rngState: saved.rngState } : {})
    })
    batchJobs.value = { ...batchJobs.value, [jobId]: run.id }
  }

  function onBatchResult(jobId: string, result: unknown): void {
    const runId = batchJobs.value[jobId]
    if (!runId) return
    const run = project.value.runs.find((r) => r.id === runId)
    if (!run || !result) return
    const state = result as IsingChainResult
    live.open(run.id, run.spec, state)
    Object.assign(run, runWithState(run, state, { seed: run.spec.seed, start: chainSetupOf(run.spec).start }))
    touch()
  }

  /** The batch job computing a run, if one was started in this session. */
  function batchJobFor(runId: string): string | null {
    for (const [jobId, id] of Object.entries(batchJobs.value)) if (id === runId) return jobId
    return null
  }

  function removeRun(runId: string): void {
    live.close(runId)
    project.value.runs = project.value.runs.filter((r) => r.id !== runId)
    tabs.value = tabs.value.filter((t) => t !== runId)
    if (selectedId.value === runId) selectedId.value = tabs.value[0] ?? project.value.models[0]?.id ?? null
    touch()
  }

  function renameRun(runId: string, newName: string): void {
    const run = project.value.runs.find((r) => r.id === runId)
    if (!run || !newName.trim()) return
    run.name = newName.trim().slice(0, 200)
    const jobId = batchJobFor(runId)
    if (jobId) useJobsStore().retitle(jobId, batchTitle(run))
    touch()
  }

  /** A batch run's job title: its name, lattice and length. */
  function batchTitle(run: RunV1): string {
    return `${run.name} (${run.spec.L}², ${run.spec.targetSweeps} sweeps)`
  }

  function rename(newName: string): void {
    if (!newName.trim()) return
    project.value.name = newName.trim().slice(0, 200)
    touch()
  }

  /** Every item the tree shows, by id: models, runs, datasets and analyses open in tabs. */
  function itemKind(id: string): 'model' | 'run' | 'dataset' | 'analysis' | 'training' | null {
    const p = project.value
    if (p.models.some((m) => m.id === id)) return 'model'
    if (p.runs.some((r) => r.id === id)) return 'run'
    if (p.datasets.some((d) => d.id === id)) return 'dataset'
    if (p.analyses.some((a) => a.id === id)) return 'analysis'
    if (p.trainings?.some((t) => t.id === id)) return 'training'
    return null
  }
  function itemName(id: string): string {
    const p = project.value
    const item = p.models.find((m) => m.id === id) ?? p.runs.find((r) => r.id === id) ?? p.datasets.find((d) => d.id === id) ?? p.analyses.find((a) => a.id === id)
    return (item ?? p.trainings?.find((t) => t.id === id))?.name ?? id
  }


  function openTab(id: string): void {
    if (itemKind(id) && !tabs.value.includes(id)) tabs.value.push(id)
    selectedId.value = id
  }
  function closeTab(id: string): void {
    tabs.value = tabs.value.filter((t) => t !== id)
    if (selectedId.value === id) selectedId.value = tabs.value[tabs.value.length - 1] ?? null
  }

  /** project.json plus every run's current arrays (running chains are snapshotted). */
  async function buildDoc(): Promise<ProjectDoc> {
    const arrays: Record<string, NpyArray> = {}
    const runs: RunV1[] = []
    for (const stored of project.value.runs) {
      const state = await live.snapshot(stored.id)
      // The chain's setup as the user last edited it (K, h, L, seed, …), not as it was opened.
      const spec = live.specOf(stored.id) ?? stored.spec
      const run = { ...stored, spec }
      if (state && state.sweep > 0) {
        Object.assign(arrays, stateToArrays(run.id, state))
        const { params, start } = chainSetupOf(spec)
        runs.push(runWithState(run, { ...state, params }, { seed: spec.seed, start }))
      } else {
        runs.push({ ...run, sweep: 0, arrays: {}, status: spec.targetSweeps === undefined ? 'live' : 'pending' })
      }
    }
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
      runs,
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

  async function save(saveAs = false): Promise<boolean> {
    if (busy.value) return false
    const api = getApi()
    let target = path.value
    if (info.value?.host === 'web' && (saveAs || !target)) {
      target = await ui.pickFile({ mode: 'save', suggestedName: `${name.value}.blockspin` })
      if (!target) return false
    }
    busy.value = true
    try {
      const startedAt = revision.value
      const doc = await buildDoc()
      const out = await api['project.save']({ doc, path: target, saveAs: info.value?.host === 'electron' && saveAs })
      if (out.status === 'canceled') return false
      if (out.status === 'error') {
        ui.showError('The project was not saved', describeProjectError(out.error))
        return false
      }
      path.value = out.path
      savedRevision.value = startedAt
      ui.showNotice(`Saved ${out.name}`)
      void api['recovery.discard']({ id: recoveryKey }).catch(() => undefined)
      void refreshLists()
      return true
    } finally {
      busy.value = false
    }
  }

  function applyOpened(out: OpenOutcome, label: string): boolean {
    if (out.status === 'canceled') return false
    if (out.status === 'error') {
      ui.showError(`“${label}” could not be opened`, describeProjectError(out.error))
      return false
    }
    resetTo(out.doc.project, out.doc.arrays, out.path)
    if (out.migratedFrom) ui.showNotice(`Upgraded from format ${out.migratedFrom}; saving writes the current format`)
    void refreshLists()
    return true
  }

  async function open(): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    const api = getApi()
    if (info.value?.nativeDialogs) {
      applyOpened(await api['project.openDialog'](), 'The project')
      return
    }
    const picked = await ui.pickFile({ mode: 'open', suggestedName: '' })
    if (picked) applyOpened(await api['project.open']({ path: picked }), picked)
  }

  async function openPath(target: string): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    applyOpened(await getApi()['project.open']({ path: target }), target)
  }

  /** A file dropped on the window: opened from its bytes, saved as a new file. */
  async function openFile(file: File): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    const bytes = new Uint8Array(await file.arrayBuffer())
    const ok = applyOpened(await getApi()['project.openBytes']({ name: file.name, bytes }), file.name)
    if (ok) touch()
  }

  async function close(): Promise<void> {
    if (!(await confirmDiscard('closing it'))) return
    newProject()
  }

  async function restoreRecovery(id: string): Promise<void> {
    const out = await getApi()['recovery.load']({ id })
    const entry = recovery.value.find((r) => r.id === id)
    if (applyOpened(out, entry?.name ?? 'Recovered work')) {
      path.value = entry?.originalPath ?? null
      touch()
      recoveryGone.add(id)
      await getApi()['recovery.discard']({ id })
      recovery.value = recovery.value.filter((r) => r.id !== id)
    }
  }

  async function discardRecovery(id: string): Promise<void> {
    recoveryGone.add(id)
    await getApi()['recovery.discard']({ id })
    recovery.value = recovery.value.filter((r) => r.id !== id)
  }

  let autosavedRevision = -1
  async function autosave(): Promise<void> {
    if (!dirty.value || busy.value || autosavedRevision === revision.value) return
    autosavedRevision = revision.value
    const doc = await buildDoc()
    await getApi()['recovery.save']({ key: recoveryKey, name: name.value, originalPath: path.value, doc }).catch(() => undefined)
  }

  async function onMenu(command: string): Promise<void> {
    if (command === 'new') {
      if (await confirmDiscard('starting a new project')) newProject()
    } else if (command === 'open') await open()
    else if (command === 'save') await save(false)
    else if (command === 'saveAs') await save(true)
    else if (command === 'close') await close()
    else if (command === 'closeWindow') {
      if (await save(false)) {
        await getApi()['window.setState']({ title: title.value, dirty: false })
        window.close()
      }
    } else if (command.startsWith('openRecent:')) await openPath(command.slice('openRecent:'.length))
  }

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
    tabs,
    recent,
    recovery,
    busy,
    init,
    newProject,
    addLiveRun,
    itemKind,
    itemName,
    addBatchRun,
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
    close,
    onMenu,
    confirmDiscard,
    restoreRecovery,
    discardRecovery,
    touch
  }
})

if (import.meta.hot) import.meta.hot.accept(acceptHMRUpdate(useProjectStore, import.meta.hot))
