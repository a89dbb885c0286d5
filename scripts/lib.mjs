// Helpers shared by the npm scripts: building only when sources changed.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stamp = join(root, 'out', '.build-stamp')
const sourceDirs = ['src-core', 'src-main', 'src-renderer']
const sourceFiles = ['electron.vite.config.ts', 'package.json', 'package-lock.json']

function newestMtime(path) {
  if (!existsSync(path)) return 0
  const st = statSync(path)
  if (!st.isDirectory()) return st.mtimeMs
  let newest = st.mtimeMs
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)))
  return newest
}

/** Runs `electron-vite build` unless out/ is newer than every source file. */
export function ensureBuilt({ quiet = false } = {}) {
  const sourcesAt = Math.max(
    ...sourceDirs.map((d) => newestMtime(join(root, d))),
    ...sourceFiles.map((f) => newestMtime(join(root, f)))
  )
  if (existsSync(stamp) && statSync(stamp).mtimeMs >= sourcesAt) return
  if (!quiet) console.error('Building Blockspin…')
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    {
      cwd: root,
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit'
    }
  )
  if (r.status !== 0) {
    console.error('The build failed; see the messages above.')
    process.exit(r.status ?? 1)
  }
  writeFileSync(stamp, new Date().toISOString())
}
