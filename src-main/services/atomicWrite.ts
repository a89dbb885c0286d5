import * as fsp from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { basename, dirname, join } from 'node:path'

/**
 * Durable file replacement for project saves, recovery copies and the CLI's outputs, and the
 * short phrases that say why a file-system call failed.
 */

export type WriteResult = { ok: true } | { ok: false; detail: string }

/** The file-system calls an atomic write makes; injectable so tests can make one fail. */
export type AtomicFs = Pick<typeof fsp, 'open' | 'rename' | 'unlink' | 'stat'>

const FS_ERROR_PHRASES: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the disk is read-only',
  ENAMETOOLONG: 'the name is too long',
  EBUSY: 'the file is in use by another program',
  EMFILE: 'too many files are open'
}

/** A short human phrase for a Node file-system error ("no such file", "permission denied"). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code
  return (code && FS_ERROR_PHRASES[code]) || (error as Error | null)?.message || String(error)
}

/**
 * Replaces `path` with `bytes` or leaves it untouched: write a temporary file in the same
 * folder, fsync it, rename it over the target, then fsync the folder so the rename itself is
 * durable (not possible on Windows, where it is skipped). On failure the temporary is removed.
 */
export async function atomicWriteFile(path: string, bytes: Uint8Array, fs: AtomicFs = fsp): Promise<WriteResult> {
  const dir = dirname(path)
  const temp = join(dir, `.${basename(path)}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  const mode = await fs.stat(path).then(
    (s) => s.mode & 0o777,
    () => 0o666
  )
  let created = false
  try {
    const handle = await fs.open(temp, 'wx', mode)
    created = true
    try {
      await handle.writeFile(bytes)
      await handle.sync()
    } finally {
      await handle.close()
    }
    await renameWithRetry(fs, temp, path)
    created = false
  } catch (error) {
    if (created) await fs.unlink(temp).catch(() => undefined)
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && !created)
      return { ok: false, detail: 'the folder does not exist' }
    return { ok: false, detail: describeFsError(error) }
  }
  await fsyncDir(fs, dir)
  await removeStaleTemporaries(dir)
  return { ok: true }
}

/** `.NAME.PID-HEX.tmp`, as atomicWriteFile names its temporaries. */
const TEMPORARY = /^\..+\.(\d+)-[0-9a-f]{12}\.tmp$/

/** True when a process with this id exists (EPERM: it exists but belongs to someone else). */
function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Removes the temporaries that saves interrupted by a crash or kill -9 left in `dir`: those
 * whose writing process is gone. A temporary of a live process (another save under way, here
 * or in another Blockspin) is left alone; so is everything else. Best effort: never fails.
 */
export async function removeStaleTemporaries(dir: string): Promise<string[]> {
  const names = await fsp.readdir(dir).catch(() => [] as string[])
  const removed: string[] = []
  for (const name of names) {
    const match = TEMPORARY.exec(name)
    if (!match) continue
    const pid = Number(match[1])
    if (pid === process.pid || processExists(pid)) continue
    if (
      await fsp.unlink(join(dir, name)).then(
        () => true,
        () => false
      )
    )
      removed.push(name)
  }
  return removed
}

/** Windows refuses a rename while a virus scanner or indexer holds the target: retry briefly. */
async function renameWithRetry(fs: AtomicFs, from: string, to: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fs.rename(from, to)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (process.platform !== 'win32' || attempt >= 4 || !['EPERM', 'EACCES', 'EBUSY'].includes(code ?? ''))
        throw error
      await new Promise((r) => setTimeout(r, 50 * (attempt + 1)))
    }
  }
}

async function fsyncDir(fs: AtomicFs, dir: string): Promise<void> {
  if (process.platform === 'win32') return
  const handle = await fs.open(dir, 'r').catch(() => null)
  if (!handle) return
  await handle.sync().catch(() => undefined)
  await handle.close().catch(() => undefined)
}
