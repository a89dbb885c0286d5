import { realpath } from 'node:fs/promises'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import type { HostKind, OpenOutcome, SaveOutcome } from '@shared/contract'
import type { ProjectFiles } from './projectFiles'
import { pathInsideRoot } from './projectPaths'

/**
 * The services' path policy (api.ts). Desktop: a path reaches the file system only if it came
 * from a native dialog, the recent list, or an earlier open/save in this session (`granted`) —
 * never from an arbitrary renderer string. Browser: every path is relative to the projects root
 * the host was started with and must stay inside it (symlinks included).
 */
export function createPathPolicy(deps: { host: HostKind; projectsRoot?: string; files: Pick<ProjectFiles, 'recent'> }) {
  const { files } = deps
  /** Paths this session's dialogs and opens/saves handed over (desktop). */
  const granted = new Set<string>()

  async function isGranted(path: string): Promise<boolean> {
    if (granted.has(path)) return true
    const recent = await files.recent()
    return recent.some((r) => r.path === path)
  }

  /** Browser paths: relative to the root, resolved, checked to stay inside it. */
  async function insideRoot(rel: string): Promise<string | null> {
    return deps.projectsRoot ? pathInsideRoot(deps.projectsRoot, rel) : null
  }

  /**
   * Keys of `unreadable`. A save renames over the entry `basename` of the real folder, so the
   * same file is recognised however the folder is spelled (symlinked folders, '.', '..').
   */
  async function saveKey(full: string): Promise<string> {
    const folder = await realpath(dirname(full)).catch(() => dirname(full))
    return join(folder, basename(full))
  }

  /** The file an open actually read (symlinks resolved), or null when there is none. */
  async function readKey(full: string): Promise<string | null> {
    return realpath(full).catch(() => null)
  }

  function toDisplay(full: string): string {
    if (deps.host === 'web' && deps.projectsRoot) return relative(resolve(deps.projectsRoot), full).split(sep).join('/')
    return full
  }

  async function resolvePath(
    path: string,
    purpose: 'open' | 'save'
  ): Promise<{ ok: true; full: string } | { ok: false; outcome: OpenOutcome & SaveOutcome }> {
    if (deps.host === 'web') {
      const full = await insideRoot(path)
      if (!full) return { ok: false, outcome: { status: 'error', path, error: { tag: 'outside-root', path } } }
      return { ok: true, full }
    }
    if (!isAbsolute(path) || !(await isGranted(path))) {
      return { ok: false, outcome: { status: 'error', path, error: { tag: 'not-permitted', path } } }
    }
    void purpose
    return { ok: true, full: path }
  }

  return { granted, isGranted, insideRoot, saveKey, readKey, toDisplay, resolvePath }
}
