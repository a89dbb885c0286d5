import * as fsp from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import type { OpenOutcome, RecentEntry, RecoveryEntry, SaveOutcome } from '@shared/contract'
import {
  DEFAULT_DECODE_LIMITS,
  decodeProject,
  encodeProject,
  sha256Hex,
  type DecodeLimits,
  type DecodeResult
} from '@shared/project/codec'
import { describeProjectError, type ProjectError } from '@shared/project/errors'
import type { ProjectDoc } from '@shared/project/types'
import { atomicWriteFile, describeFsError, type AtomicFs } from './atomicWrite'
import { nodeCodecEngine } from './nodeCodecEngine'
import { ProjectCodecPool, type CodecCallOptions, type EncodeResult } from './projectCodecPool'
import { defaultProjectsRoot, defaultStateDir } from './projectPaths'

/**
 * Project files on disk (plain Node, no Electron): open, atomic save (atomicWrite.ts), the
 * recent list and the recovery folder. Everything a user can cause is returned as a value; nothing here throws for
 * a bad or unreadable file. Encoding and decoding run on worker threads (projectCodecPool.ts), so
 * a large project never stalls the process that serves the windows.
 */

const EXTENSION = '.blockspin'
const MAX_RECENT = 10
const RECOVERY_ID = /^[A-Za-z0-9_-]{1,100}$/

/** "runs/ising 40.blockspin" → "ising 40". */
function displayName(path: string): string {
  const base = basename(path)
  return base.toLowerCase().endsWith(EXTENSION) ? base.slice(0, -EXTENSION.length) : base
}

type StoredRecent = Pick<RecentEntry, 'path' | 'name'>

interface RecoverySidecar {
  id: string
  key: string
  name: string
  originalPath: string | null
  savedAt: string
  appVersion: string
}

export interface ProjectFilesOptions {
  appVersion: string
  /** Holds recent.json and the recovery/ folder. */
  stateDir: string
  /** Default folder for new projects; ProjectFiles.defaultProjectsRoot() when absent. */
  projectsRoot?: string
  limits?: Partial<DecodeLimits>
  /** File-system calls used for atomic writes (tests inject failures here). */
  fs?: AtomicFs
  /** Where projects are encoded and decoded: worker threads (the default), or null for this thread. */
  codec?: ProjectCodecPool | null
}

export class ProjectFiles {
  private readonly appVersion: string
  private readonly stateDir: string
  private readonly root: string
  private readonly limits: DecodeLimits
  private readonly fs: AtomicFs
  private readonly codec: ProjectCodecPool | null
  private readonly recoveryDir: string
  /** Serialises read-modify-write of recent.json within this process. */
  private recentQueue: Promise<unknown> = Promise.resolve()

  constructor(options: ProjectFilesOptions) {
    this.appVersion = options.appVersion
    this.stateDir = options.stateDir
    this.root = options.projectsRoot ?? ProjectFiles.defaultProjectsRoot()
    this.limits = { ...DEFAULT_DECODE_LIMITS, ...options.limits }
    this.fs = options.fs ?? fsp
    this.codec = options.codec === undefined ? new ProjectCodecPool() : options.codec
    this.recoveryDir = join(options.stateDir, 'recovery')
  }

  projectsRoot(): string {
    return this.root
  }

  async open(path: string, options: CodecCallOptions = {}): Promise<OpenOutcome> {
    const read = await this.readProject(path, options)
    if (read.status !== 'opened') return read
    await this.addRecent(path)
    return read
  }

  /**
   * Encodes, checks that the bytes open again (so a file Blockspin cannot read back is never
   * written), then replaces the file atomically and records it as recent.
   */
  async save(path: string, doc: ProjectDoc, options: CodecCallOptions = {}): Promise<SaveOutcome> {
    // handOver (see CodecCallOptions) empties the document's arrays, so it is only for callers that are done with it.
    const encoded = await this.encode(doc, this.limits, options)
    if (!encoded.ok) return { status: 'error', path, error: encoded.error }
    const written = await atomicWriteFile(path, encoded.bytes, this.fs)
    if (!written.ok) return { status: 'error', path, error: { tag: 'io', detail: written.detail } }
    await this.addRecent(path)
    return { status: 'saved', path, name: displayName(path) }
  }

  /** Most recent first, at most ten, each marked with whether the file still exists. */
  async recent(): Promise<RecentEntry[]> {
    const list = await this.readRecent()
    return Promise.all(
      list.map(async (entry) => ({
        ...entry,
        exists: await fsp.stat(entry.path).then(
          (s) => s.isFile(),
          () => false
        )
      }))
    )
  }

  addRecent(path: string): Promise<void> {
    const full = resolve(path)
    return this.updateRecent((list) => [
      { path: full, name: displayName(full) },
      ...list.filter((e) => e.path !== full)
    ])
  }

  removeRecent(path: string): Promise<void> {
    const full = resolve(path)
    return this.updateRecent((list) => list.filter((e) => e.path !== full))
  }

  /**
   * Saves unsaved work under `key` (one slot per key; a later save replaces it). Rejects with a
   * readable Error when the recovery folder cannot be written — the caller reports it.
   */
  async recoverySave(key: string, name: string, originalPath: string | null, doc: ProjectDoc): Promise<void> {
    const id = ProjectFiles.recoveryId(key)
    await fsp.mkdir(this.recoveryDir, { recursive: true }).catch((error) => {
      throw new Error(`Unsaved work could not be kept for recovery: ${describeFsError(error)}.`)
    })
    const encoded = await this.encode(doc, null)
    if (!encoded.ok)
      throw new Error(`Unsaved work could not be kept for recovery: ${describeProjectError(encoded.error)}`)
    const bytes = encoded.bytes
    const sidecar: RecoverySidecar = {
      id,
      key,
      name,
      originalPath,
      savedAt: new Date().toISOString(),
      appVersion: this.appVersion
    }
    for (const [file, data] of [
      [`${id}${EXTENSION}`, bytes],
      [`${id}.json`, new TextEncoder().encode(JSON.stringify(sidecar, null, 2) + '\n')]
    ] as const) {
      const written = await atomicWriteFile(join(this.recoveryDir, file), data, this.fs)
      if (!written.ok) throw new Error(`Unsaved work could not be kept for recovery: ${written.detail}.`)
    }
  }

  /** Recoverable work, newest first. */
  async recoveryList(): Promise<RecoveryEntry[]> {
    const names = await fsp.readdir(this.recoveryDir).catch(() => [] as string[])
    const entries: RecoveryEntry[] = []
    for (const file of names) {
      if (!file.endsWith('.json')) continue
      const sidecar = await this.readSidecar(file.slice(0, -'.json'.length))
      if (!sidecar) continue
      const saved = await fsp.stat(join(this.recoveryDir, `${sidecar.id}${EXTENSION}`)).catch(() => null)
      if (!saved?.isFile()) continue
      entries.push({ id: sidecar.id, name: sidecar.name, originalPath: sidecar.originalPath, savedAt: sidecar.savedAt })
    }
    return entries.sort((a, b) => (a.savedAt < b.savedAt ? 1 : a.savedAt > b.savedAt ? -1 : 0))
  }

  /** Opens recovered work. `path` is the recovery file itself; save it to its entry's originalPath or a new one. */
  async recoveryLoad(id: string): Promise<OpenOutcome> {
    const sidecar = RECOVERY_ID.test(id) ? await this.readSidecar(id) : null
    if (!sidecar) return { status: 'error', path: null, error: { tag: 'io', detail: 'no such recovered project' } }
    const read = await this.readProject(join(this.recoveryDir, `${id}${EXTENSION}`))
    return read.status === 'opened' ? { ...read, name: sidecar.name } : read
  }

  async recoveryDiscard(id: string): Promise<void> {
    if (!RECOVERY_ID.test(id)) return
    for (const file of [`${id}.json`, `${id}${EXTENSION}`])
      await fsp.unlink(join(this.recoveryDir, file)).catch(() => undefined)
  }

  /** The recovery id of a key: the key itself when it is a safe file name, else a hash of it. */
  static recoveryId(key: string): string {
    return RECOVERY_ID.test(key) ? key : `k${sha256Hex(new TextEncoder().encode(key)).slice(0, 32)}`
  }

  /** Where recent.json and recovery/ live when Electron does not say (the web host, the CLI). */
  static defaultStateDir = defaultStateDir

  /** Documents/Blockspin (the XDG documents folder on Linux), or ~/Blockspin without one. */
  static defaultProjectsRoot = defaultProjectsRoot

  /** Project bytes, from a dropped file or the browser's file input, opened off this thread. */
  async decodeBytes(bytes: Uint8Array, options: CodecCallOptions = {}): Promise<DecodeResult> {
    if (bytes.length > this.limits.maxTotalBytes)
      return { ok: false, error: { tag: 'too-large', bytes: bytes.length, limit: this.limits.maxTotalBytes } }
    if (this.codec) return this.codec.decode(bytes, this.limits, options)
    return decodeProject(bytes, this.limits, nodeCodecEngine)
  }

  /** Stops the codec's worker threads. */
  async close(): Promise<void> {
    await this.codec?.close()
  }

  /** Encodes `doc`; with `check`, also makes sure the bytes open again (a file Blockspin cannot read back is never written). */
  private async encode(
    doc: ProjectDoc,
    check: DecodeLimits | null,
    options: CodecCallOptions = {}
  ): Promise<EncodeResult> {
    if (this.codec) return this.codec.encode(doc, this.appVersion, check, options)
    let bytes: Uint8Array
    try {
      bytes = encodeProject(doc, this.appVersion, nodeCodecEngine)
    } catch (error) {
      return { ok: false, error: { tag: 'invalid', detail: (error as Error).message } }
    }
    const read = check ? decodeProject(bytes, check, nodeCodecEngine) : null
    return !read || read.ok ? { ok: true, bytes } : { ok: false, error: read.error }
  }

  private async readProject(path: string, options: CodecCallOptions = {}): Promise<OpenOutcome> {
    const fail = (error: ProjectError): OpenOutcome => ({ status: 'error', path, error })
    let bytes: Uint8Array
    try {
      const info = await fsp.stat(path)
      if (info.isDirectory()) return fail({ tag: 'io', detail: 'it is a folder, not a file' })
      if (info.size > this.limits.maxTotalBytes)
        return fail({ tag: 'too-large', bytes: info.size, limit: this.limits.maxTotalBytes })
      bytes = await fsp.readFile(path)
    } catch (error) {
      return fail({ tag: 'io', detail: describeFsError(error) })
    }
    const decoded = await this.decodeBytes(bytes, options)
    if (!decoded.ok) return fail(decoded.error)
    return { status: 'opened', path, name: displayName(path), doc: decoded.doc }
  }

  private async readSidecar(id: string): Promise<RecoverySidecar | null> {
    const text = await fsp.readFile(join(this.recoveryDir, `${id}.json`), 'utf8').catch(() => null)
    try {
      const s = JSON.parse(text ?? 'null') as Partial<RecoverySidecar> | null
      if (!s) return null
      const valid =
        s.id === id &&
        typeof s.name === 'string' &&
        typeof s.savedAt === 'string' &&
        (s.originalPath === null || typeof s.originalPath === 'string')
      return valid ? (s as RecoverySidecar) : null
    } catch {
      return null
    }
  }

  private async readRecent(): Promise<StoredRecent[]> {
    try {
      const parsed: unknown = JSON.parse(await fsp.readFile(join(this.stateDir, 'recent.json'), 'utf8'))
      if (!Array.isArray(parsed)) return []
      return parsed
        .filter((e): e is StoredRecent => typeof e?.path === 'string' && typeof e?.name === 'string')
        .map((e) => ({ path: e.path, name: e.name }))
        .slice(0, MAX_RECENT)
    } catch {
      return []
    }
  }

  /** A failure to record a recent file is not worth failing an open or save over. */
  private updateRecent(change: (list: StoredRecent[]) => StoredRecent[]): Promise<void> {
    const run = async (): Promise<void> => {
      const next = change(await this.readRecent()).slice(0, MAX_RECENT)
      await fsp.mkdir(this.stateDir, { recursive: true }).catch(() => undefined)
      await atomicWriteFile(
        join(this.stateDir, 'recent.json'),
        new TextEncoder().encode(JSON.stringify(next, null, 2) + '\n'),
        this.fs
      )
    }
    const result = this.recentQueue.then(run, run)
    this.recentQueue = result.catch(() => undefined)
    return result.catch(() => undefined)
  }
}
