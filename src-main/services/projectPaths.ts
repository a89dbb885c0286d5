import { existsSync, readFileSync } from 'node:fs'
import { readdir, realpath, stat } from 'node:fs/promises'
import { homedir } from 'node:os'
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path'
import type { FileEntry } from '@shared/contract'

/**
 * The browser host's view of the disk: paths relative to the projects root that must stay
 * inside it (symlinks included), and the folder listing of its in-app file picker. The desktop
 * app's rule (only paths a dialog, the recent list or this session gave) is in api.ts.
 */

export const PROJECT_EXTENSION = '.blockspin'

/** `rel` resolved against `root`, or null when it leaves the root (by `..`, absolute paths or symlinks). */
export async function pathInsideRoot(root: string, rel: string): Promise<string | null> {
  if (rel.includes('\0')) return null
  const cleaned = rel.replace(/\\/g, '/')
  // An absolute path is not a path inside the root, whatever folder it names.
  if (cleaned.startsWith('/') || isAbsolute(rel)) return null
  const full = resolve(root, cleaned)
  const realRoot = await realpath(root).catch(() => resolve(root))
  if (full !== resolve(root) && !full.startsWith(resolve(root) + sep)) return null
  // Symlinks: the deepest existing ancestor must also resolve inside the root.
  let probe = full
  for (;;) {
    const real = await realpath(probe).catch(() => null)
    if (real !== null) {
      if (real !== realRoot && !real.startsWith(realRoot + sep)) return null
      break
    }
    const parent = dirname(probe)
    if (parent === probe) return null
    probe = parent
  }
  return full
}

/**
 * The folders and project files in `full` (hidden ones left out), folders first, each by name;
 * paths as `display` shows them. Throws what readdir throws.
 */
export async function listProjectFolder(full: string, display: (path: string) => string): Promise<FileEntry[]> {
  const names = await readdir(full, { withFileTypes: true })
  const entries: FileEntry[] = []
  for (const d of names) {
    if (d.name.startsWith('.')) continue
    const isDir = d.isDirectory()
    if (!isDir && !d.name.toLowerCase().endsWith(PROJECT_EXTENSION)) continue
    const st = await stat(join(full, d.name)).catch(() => null)
    if (!st) continue
    entries.push({
      path: display(join(full, d.name)),
      name: d.name,
      kind: isDir ? 'dir' : 'project',
      size: st.size,
      modifiedAt: st.mtime.toISOString()
    })
  }
  entries.sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === 'dir' ? -1 : 1))
  return entries
}

export function withProjectExtension(path: string): string {
  return path.toLowerCase().endsWith(PROJECT_EXTENSION) ? path : path + PROJECT_EXTENSION
}

/** A project name as a file name: letters, digits, spaces, '_', '.', '-' ("Untitled" if none). */
export function safeFileName(name: string): string {
  const cleaned = basename(name || 'Untitled')
    .replace(/[^\p{L}\p{N} _.-]+/gu, '')
    .trim()
  return cleaned || 'Untitled'
}

/** Where recent.json and recovery/ live when Electron does not say (the web host, the CLI). */
export function defaultStateDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  if (env.BLOCKSPIN_STATE_DIR) return env.BLOCKSPIN_STATE_DIR
  // The per-user app-data folder; Electron's app.getPath('userData') agrees when the product
  // name is "Blockspin", and then desktop and web host share one recent list.
  if (platform === 'win32') return join(env.APPDATA || join(home, 'AppData', 'Roaming'), 'Blockspin')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Blockspin')
  return join(env.XDG_CONFIG_HOME || join(home, '.config'), 'Blockspin')
}

/** Documents/Blockspin (the XDG documents folder on Linux), or ~/Blockspin without one. */
export function defaultProjectsRoot(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  let documents: string
  if (platform === 'win32') documents = join(env.USERPROFILE || home, 'Documents')
  else if (platform === 'darwin') documents = join(home, 'Documents')
  else documents = env.XDG_DOCUMENTS_DIR || xdgUserDir(env, home, 'DOCUMENTS') || join(home, 'Documents')
  return existsSync(documents) ? join(documents, 'Blockspin') : join(home, 'Blockspin')
}

/** Reads XDG_<NAME>_DIR from user-dirs.dirs ("$HOME/Documents" style values). */
function xdgUserDir(env: NodeJS.ProcessEnv, home: string, name: string): string | null {
  try {
    const text = readFileSync(join(env.XDG_CONFIG_HOME || join(home, '.config'), 'user-dirs.dirs'), 'utf8')
    const match = new RegExp(`^XDG_${name}_DIR="([^"]*)"`, 'm').exec(text)
    if (!match) return null
    const value = match[1].replace(/^\$HOME/, home)
    return value.startsWith('/') && value !== home && value !== `${home}/` ? value : null
  } catch {
    return null
  }
}
