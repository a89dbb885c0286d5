import type { Ref } from 'vue'
import type { OpenOutcome } from '@shared/contract'
import { describeProjectError } from '@shared/project/errors'
import type { NpyArray, ProjectJson } from '@shared/project/types'
import { getApi } from '../api'
import { trackFileActivity } from '../composables/useFileActivity'
import type { projectRecovery } from './projectRecovery'
import { useUiStore } from './ui'

/** What the opening part needs of the rest of the project store. */
export interface ProjectOpeningContext {
  path: Ref<string | null>
  /** The native Open dialog is available (the desktop). */
  nativeDialogs(): boolean
  files: ReturnType<typeof projectRecovery>
  touch(): void
  /** Asks before work would be lost; true when it is fine to go on. */
  confirmDiscard(action: string): Promise<boolean>
  resetTo(json: ProjectJson, arrays: Record<string, NpyArray>, where: string | null): void
}

/**
 * The project store's ways of opening a project: the Open dialog or picker, a path (recent
 * files), a dropped file, the bundled example and unsaved work of an earlier session. A part of
 * the project store (project.ts), not a store.
 */
export function projectOpening(ctx: ProjectOpeningContext) {
  const ui = useUiStore()
  const { files, confirmDiscard } = ctx

  function applyOpened(out: OpenOutcome, label: string): boolean {
    if (out.status === 'canceled') return false
    if (out.status === 'error') {
      ui.showError(`“${label}” could not be opened`, describeProjectError(out.error))
      return false
    }
    ctx.resetTo(out.doc.project, out.doc.arrays, out.path)
    if (out.migratedFrom) ui.showNotice(`Upgraded from format ${out.migratedFrom}; saving writes the current format`)
    void files.refreshLists()
    return true
  }

  async function open(): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    const api = getApi()
    if (ctx.nativeDialogs()) {
      applyOpened(await api['project.openDialog'](), 'The project')
      return
    }
    const picked = await ui.pickFile({ mode: 'open', suggestedName: '' })
    if (picked) applyOpened(await trackFileActivity('Opening', api['project.open']({ path: picked })), picked)
  }

  async function openPath(target: string): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    applyOpened(await trackFileActivity('Opening', getApi()['project.open']({ path: target })), target)
  }

  /** A file dropped on the window: opened from its bytes, saved as a new file. */
  async function openFile(file: File): Promise<void> {
    if (!(await confirmDiscard('opening another project'))) return
    const bytes = new Uint8Array(await file.arrayBuffer())
    const opened = trackFileActivity('Opening', getApi()['project.openBytes']({ name: file.name, bytes }))
    const ok = applyOpened(await opened, file.name)
    if (ok) ctx.touch()
  }

  /** The example shipped with the app, as an untitled copy; 'absent' when this copy has none. */
  async function openExample(): Promise<'opened' | 'absent' | 'failed'> {
    const out = await getApi()['project.openExample']()
    if (out.status === 'absent') return 'absent'
    return applyOpened(out, 'The example project') ? 'opened' : 'failed'
  }

  async function restoreRecovery(id: string): Promise<void> {
    const out = await getApi()['recovery.load']({ id })
    const entry = files.recovery.value.find((r) => r.id === id)
    if (applyOpened(out, entry?.name ?? 'Recovered work')) {
      ctx.path.value = entry?.originalPath ?? null
      ctx.touch()
      await files.discardRecovery(id)
    }
  }

  return { open, openPath, openFile, openExample, restoreRecovery }
}
