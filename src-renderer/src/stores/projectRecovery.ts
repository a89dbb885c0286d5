import { ref, type ComputedRef, type Ref } from 'vue'
import type { RecentEntry, RecoveryEntry } from '@shared/contract'
import type { ProjectDoc } from '@shared/project/types'
import { getApi } from '../api'

const AUTOSAVE_MS = 15_000

/** What the recovery part needs of the rest of the project store. */
export interface ProjectRecoveryContext {
  name: ComputedRef<string>
  path: Ref<string | null>
  dirty: ComputedRef<boolean>
  revision: Ref<number>
  busy: Ref<boolean>
  buildDoc(): Promise<ProjectDoc>
}

/**
 * The project store's recent files, unsaved work of earlier sessions, and the autosave of this
 * session's work to the recovery folder. A part of the project store (project.ts), not a store.
 */
export function projectRecovery(ctx: ProjectRecoveryContext) {
  const recent = ref<RecentEntry[]>([])
  /** Unsaved work found from an earlier session. */
  const recovery = ref<RecoveryEntry[]>([])
  /** Recovery entries restored or discarded in this session. */
  const recoveryGone = new Set<string>()
  /** This session's own entry in the recovery folder. */
  const recoveryKey = `session-${Date.now().toString(36)}-${Math.floor(Math.random() * 1e9).toString(36)}`

  async function refreshLists(): Promise<void> {
    const api = getApi()
    const [recentList, recoveryList] = await Promise.all([api['project.recent'](), api['recovery.list']()])
    recent.value = recentList
    // This session's own autosave is not "work from an earlier session"; entries restored or
    // discarded here stay gone even when a listing asked for before the discard answers after it.
    recovery.value = recoveryList.filter((r) => r.id !== recoveryKey && !recoveryGone.has(r.id))
  }

  /** Forgets an entry of the recovery folder (restored, or not wanted). */
  async function discardRecovery(id: string): Promise<void> {
    recoveryGone.add(id)
    await getApi()['recovery.discard']({ id })
    recovery.value = recovery.value.filter((r) => r.id !== id)
  }

  /** The project was saved: this session's autosave is not needed any more. */
  function saved(): void {
    void getApi()
      ['recovery.discard']({ id: recoveryKey })
      .catch(() => undefined)
    void refreshLists()
  }

  let autosavedRevision = -1
  async function autosave(): Promise<void> {
    if (!ctx.dirty.value || ctx.busy.value || autosavedRevision === ctx.revision.value) return
    autosavedRevision = ctx.revision.value
    const doc = await ctx.buildDoc()
    const entry = { key: recoveryKey, name: ctx.name.value, originalPath: ctx.path.value, doc }
    await getApi()
      ['recovery.save'](entry)
      .catch(() => undefined)
  }
  const startAutosave = (): void => void setInterval(() => void autosave(), AUTOSAVE_MS)

  return { recent, recovery, refreshLists, discardRecovery, saved, startAutosave }
}
