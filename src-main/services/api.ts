import { mkdir, readFile } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { cpus } from 'node:os'
import type { ApiHandlers, AppInfo, EventName, Events, HostKind, OpenOutcome, SaveOutcome } from '@shared/contract'
import type { ProjectDoc } from '@shared/project/types'
import type { JobBroker } from './jobBroker'
import { describeFsError } from './atomicWrite'
import { createPathPolicy } from './apiPaths'
import { callSignal } from './callSignal'
import { createClusterHandlers, type SlurmCommands } from './clusterApi'
import { slurmCommands } from './clusterSlurm'
import type { ProjectFiles } from './projectFiles'
import { listProjectFolder, PROJECT_EXTENSION, safeFileName, withProjectExtension } from './projectPaths'

/**
 * The services behind the contract, independent of the transport: Electron's IPC and the web
 * host's WebSocket both call these handlers after validating the payload.
 *
 * Path policy. Desktop: a path reaches the file system only if it came from a native dialog, the
 * recent list, or an earlier open/save in this session — never from an arbitrary renderer
 * string. Browser: every path is relative to the projects root the host was started with and must
 * stay inside it (symlinks included).
 */
export interface NativeDialogs {
  open(): Promise<string | null>
  save(defaultPath: string): Promise<string | null>
  /** A folder for a cluster bundle (written to, or read from). */
  folder?(purpose: 'export' | 'merge'): Promise<string | null>
}

export interface ApiDeps {
  host: HostKind
  appVersion: string
  files: ProjectFiles
  broker: JobBroker
  /** Desktop only. */
  dialogs?: NativeDialogs
  /** Browser: the folder the in-app picker is rooted at (required). Desktop: where Save As starts. */
  projectsRoot?: string
  setWindowState?: (state: { title: string; dirty: boolean }) => void
  /** Called after a successful open or save (e.g. to rebuild the Open Recent menu). */
  onRecentChanged?: () => void
  /** The example project shipped with the app (absolute), opened on a first launch; null: none. */
  examplePath?: string | null
  /** Submitting bundles and asking for their state (default: Slurm's own commands, where sbatch is on PATH). */
  slurm?: SlurmCommands
  /**
   * The command a cluster's tasks run Blockspin with when the app submits and $BLOCKSPIN is not
   * set (the web host: its Node and the package's bin/blockspin.mjs); absent: `blockspin` from
   * the nodes' PATH (the desktop app, whose executable is Electron).
   */
  blockspinCommand?: string | null
  /** Desktop: the user's documents folder, where a bundle of an unsaved project goes unless another is chosen. */
  documentsDir?: string
}

export function createApiHandlers(deps: ApiDeps): ApiHandlers {
  const { files, broker } = deps
  /** Files whose last open failed: never written over (the user may still want them). */
  const unreadable = new Set<string>()
  const cores = Math.max(1, cpus().length)

  const { granted, isGranted, insideRoot, saveKey, readKey, toDisplay, resolvePath } = createPathPolicy(deps)

  async function openFull(full: string): Promise<OpenOutcome> {
    // Whatever goes wrong while opening, the file counts as unreadable: Save must not replace it.
    // An open stopped because its page went away (callSignal.ts) says nothing about the file.
    const signal = callSignal()
    const outcome: OpenOutcome = await files.open(full, { signal }).catch((error: unknown) => ({
      status: 'error' as const,
      path: full,
      error: {
        tag: 'io' as const,
        detail: `it could not be opened (${error instanceof Error ? error.message.split('\n')[0] : 'unknown error'})`
      }
    }))
    if (outcome.status === 'opened') {
      granted.add(full)
      const key = await readKey(full)
      if (key) unreadable.delete(key)
      deps.onRecentChanged?.()
      return { ...outcome, path: toDisplay(full) }
    }
    if (outcome.status === 'error' && signal?.aborted) return outcome
    if (outcome.status === 'error') {
      // A missing file has nothing to protect: new work may still be saved under its name.
      const key = await readKey(full)
      if (key) unreadable.add(key)
      return { ...outcome, path: toDisplay(full) }
    }
    return outcome
  }

  async function saveFull(full: string, doc: ProjectDoc): Promise<SaveOutcome> {
    if (unreadable.has(await saveKey(full))) {
      return {
        status: 'error',
        path: toDisplay(full),
        error: {
          tag: 'io',
          detail: 'that file could not be read, so Blockspin will not write over it; choose another name'
        }
      }
    }
    // The document was decoded from this call's message and is not read again: its arrays move to the encoder.
    const outcome = await files.save(full, doc, { handOver: true, signal: callSignal() })
    if (outcome.status === 'saved') {
      granted.add(full)
      deps.onRecentChanged?.()
      return { ...outcome, path: toDisplay(full) }
    }
    return outcome
  }

  const info: AppInfo = {
    appName: 'Blockspin',
    version: deps.appVersion,
    host: deps.host,
    nativeDialogs: deps.host === 'electron' && !!deps.dialogs,
    projectsRoot: deps.host === 'web' ? (deps.projectsRoot ?? null) : null,
    cores,
    maxBatchJobs: Math.max(1, cores - 1),
    platform: process.platform
  }

  const handlers: ApiHandlers = {
    'app.info': async () => info,

    'project.openDialog': async () => {
      if (!deps.dialogs) return { status: 'canceled' }
      const path = await deps.dialogs.open()
      if (!path) return { status: 'canceled' }
      granted.add(path)
      return openFull(path)
    },

    'project.open': async ({ path }) => {
      const r = await resolvePath(path, 'open')
      if (!r.ok) return r.outcome
      return openFull(r.full)
    },

    'project.openBytes': async ({ name, bytes }) => {
      const decoded = await files.decodeBytes(bytes, { signal: callSignal() })
      if (!decoded.ok) return { status: 'error', path: null, error: decoded.error }
      return {
        status: 'opened',
        path: null,
        name: name.replace(/\.blockspin$/i, ''),
        doc: decoded.doc,
        migratedFrom: decoded.migratedFrom
      }
    },

    // Read from where the app is installed, never granted or remembered: it opens untitled, so
    // Save asks where and the shipped file stays as it is.
    'project.openExample': async () => {
      const bytes = deps.examplePath ? await readFile(deps.examplePath).catch(() => null) : null
      if (!bytes) return { status: 'absent' }
      return handlers['project.openBytes']({ name: basename(deps.examplePath!), bytes: new Uint8Array(bytes) })
    },

    'project.save': async ({ doc, path, saveAs }) => {
      const full = doc as unknown as ProjectDoc
      if (deps.host === 'electron') {
        if (saveAs || path === null) {
          if (!deps.dialogs) return { status: 'canceled' }
          const suggested =
            path ?? join(deps.projectsRoot ?? '.', `${safeFileName(full.project.name)}${PROJECT_EXTENSION}`)
          const chosen = await deps.dialogs.save(suggested)
          if (!chosen) return { status: 'canceled' }
          const target = withProjectExtension(chosen)
          granted.add(target)
          unreadable.delete(await saveKey(target))
          return saveFull(target, full)
        }
      } else if (path === null) {
        return { status: 'canceled' }
      }
      const r = await resolvePath(deps.host === 'web' ? withProjectExtension(path!) : path!, 'save')
      if (!r.ok) return r.outcome
      return saveFull(r.full, full)
    },

    'project.recent': async () => {
      const list = await files.recent()
      if (deps.host !== 'web') return list
      const out = []
      for (const entry of list) {
        const rel = deps.projectsRoot ? relative(resolve(deps.projectsRoot), entry.path) : ''
        if (!rel || rel.startsWith('..') || isAbsolute(rel)) continue
        out.push({ ...entry, path: rel.split(sep).join('/') })
      }
      return out
    },

    'files.list': async ({ dir }) => {
      if (deps.host !== 'web') return { error: 'The desktop app uses the system file dialogs.' }
      const full = await insideRoot(dir || '.')
      if (!full) return { error: `"${dir}" is outside the projects folder.` }
      try {
        return { dir: toDisplay(full), entries: await listProjectFolder(full, toDisplay) }
      } catch (e) {
        return { error: `The folder could not be listed: ${describeFsError(e)}.` }
      }
    },

    'files.mkdir': async ({ dir }) => {
      if (deps.host !== 'web') return { error: 'The desktop app uses the system file dialogs.' }
      const full = await insideRoot(dir)
      if (!full) return { error: `"${dir}" is outside the projects folder.` }
      try {
        await mkdir(full, { recursive: true })
        return { ok: true }
      } catch (e) {
        return { error: `The folder could not be created: ${describeFsError(e)}.` }
      }
    },

    'recovery.save': async ({ key, name, originalPath, doc }) => {
      try {
        await files.recoverySave(key, name, originalPath, doc as unknown as ProjectDoc)
        return { ok: true }
      } catch (e) {
        return { error: (e as Error).message }
      }
    },
    'recovery.list': async () => files.recoveryList(),
    'recovery.load': async ({ id }) => files.recoveryLoad(id),
    'recovery.discard': async ({ id }) => {
      await files.recoveryDiscard(id)
      return { ok: true }
    },

    'window.setState': async (state) => {
      deps.setWindowState?.(state)
    },

    'jobs.start': async (req) => ({ jobId: broker.start(req) }),
    'jobs.control': async ({ jobId, action }) => ({ ok: broker.control(jobId, action) }),
    'jobs.command': async ({ jobId, command }) => ({ ok: broker.command(jobId, command) }),
    'jobs.snapshot': async ({ jobId }) => broker.snapshot(jobId),
    'jobs.list': async () => broker.list(),
    'jobs.dismiss': async ({ jobId }) => ({ ok: broker.dismiss(jobId) }),

    ...createClusterHandlers({
      host: deps.host,
      ...(deps.projectsRoot ? { projectsRoot: deps.projectsRoot } : {}),
      ...(deps.dialogs?.folder ? { chooseFolder: (purpose) => deps.dialogs!.folder!(purpose) } : {}),
      // Beside the open project's file when main knows that file, else the documents folder.
      defaultFolder: async (projectPath) =>
        projectPath && isAbsolute(projectPath) && (await isGranted(projectPath))
          ? dirname(projectPath)
          : (deps.documentsDir ?? null),
      slurm: deps.slurm ?? slurmCommands({ blockspin: deps.blockspinCommand ?? null })
    })
  }
  return handlers
}

/** Forwards broker events to a transport's emitter; returns the unsubscribe function. */
export function subscribeBrokerEvents(
  broker: JobBroker,
  emit: <E extends EventName>(name: E, payload: Events[E]) => void
): () => void {
  const offs = [
    broker.on('update', (info) => emit('jobs.update', info)),
    broker.on('frame', (e) => emit('jobs.frame', e)),
    broker.on('result', (e) => emit('jobs.result', e))
  ]
  return () => offs.forEach((off) => off())
}
