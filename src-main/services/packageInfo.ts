import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { findPackageRoot } from './nodeWorker'

/** The installed package's folder and version, for the web host and CLI (Electron has app.getVersion()). */
export function packageInfo(fromUrl: string = import.meta.url): { root: string; version: string } {
  const root = findPackageRoot(dirname(fileURLToPath(fromUrl)))
  const version = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version
  return { root, version }
}
