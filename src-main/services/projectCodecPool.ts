import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import type { DecodeLimits, DecodeResult } from '@shared/project/codec'
import type { ProjectError } from '@shared/project/errors'
import type { ProjectDoc } from '@shared/project/types'
import { findPackageRoot } from './nodeWorker'
import { arrayBuffersOf, type CodecReply, type CodecRequest } from './projectCodecMessages'

/**
 * Opening and saving off the main thread: each request runs on a worker thread of its own
 * (projectCodecThread.ts), with a time limit and an AbortSignal. A worker that runs over or is
 * cancelled is terminated, which frees whatever it held; idle workers are kept for a while so a
 * save right after an open does not pay for a new thread.
 */
export type EncodeResult = { ok: true; bytes: Uint8Array } | { ok: false; error: ProjectError }

export interface CodecCallOptions {
  signal?: AbortSignal
  /** Milliseconds before the work is stopped (default: the pool's timeoutMs). */
  timeoutMs?: number
  /**
   * Saving: hand the document's array buffers to the worker instead of copying them. Only for a
   * document nobody reads afterwards (one just decoded from an IPC or WebSocket message): its
   * arrays are empty once the call is made.
   */
  handOver?: boolean
}

export interface ProjectCodecPoolOptions {
  /** Default time limit of one open or save, in milliseconds (default 120 s). */
  timeoutMs?: number
  /** How long an idle worker is kept (default 30 s). */
  idleMs?: number
  /** Most workers kept idle (default 2). */
  maxIdle?: number
  /** Most opens and saves at work at once; later ones wait their turn (default 2). */
  maxWorkers?: number
}

interface Entry {
  /** A file to run, or (with `eval`) the code of a module that loads it. */
  file: string
  eval: boolean
  env: Record<string, string>
}

/**
 * The thread's entry: the built `out/main/projectCodecThread.js` when this code runs from the
 * build (or the sources are absent), else the TypeScript source through tsx's loader.
 */
export function codecThreadEntry(fromUrl: string = import.meta.url): Entry {
  const here = fileURLToPath(fromUrl)
  if (here.endsWith('.js') && existsSync(join(dirname(here), 'projectCodecThread.js'))) {
    return { file: join(dirname(here), 'projectCodecThread.js'), eval: false, env: {} }
  }
  const root = findPackageRoot(dirname(here))
  const built = join(root, 'out', 'main', 'projectCodecThread.js')
  const source = join(root, 'src-main', 'services', 'projectCodecThread.ts')
  if ((here.startsWith(join(root, 'out') + sep) || !existsSync(source)) && existsSync(built))
    return { file: built, eval: false, env: {} }
  // From the sources (tests, `npm run web` without a build): tsx's loader registered in the
  // thread itself, since a worker thread does not take `--import` in its execArgv.
  const tsxRoot = dirname(createRequire(join(root, 'package.json')).resolve('tsx/package.json'))
  const api = pathToFileURL(join(tsxRoot, 'dist', 'esm', 'api', 'index.mjs')).href
  const code = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(pathToFileURL(source).href)}) })`
  return {
    file: code,
    eval: true,
    env: { TSX_TSCONFIG_PATH: process.env['TSX_TSCONFIG_PATH'] ?? join(root, 'tsconfig.json') }
  }
}

export class ProjectCodecPool {
  private readonly idle: { worker: Worker; timer: ReturnType<typeof setTimeout> }[] = []
  private readonly entry: Entry
  private readonly timeoutMs: number
  private readonly idleMs: number
  private readonly maxIdle: number
  private readonly maxWorkers: number
  /** Calls waiting for a worker, first come first served. */
  private readonly waiting: (() => void)[] = []
  private nextId = 1
  private closed = false
  private readonly busy = new Set<Worker>()

  constructor(options: ProjectCodecPoolOptions = {}, entry: Entry = codecThreadEntry()) {
    this.entry = entry
    this.timeoutMs = options.timeoutMs ?? 120_000
    this.idleMs = options.idleMs ?? 30_000
    this.maxIdle = options.maxIdle ?? 2
    this.maxWorkers = Math.max(1, options.maxWorkers ?? 2)
  }

  /** Opens project bytes. `bytes` is handed over: its buffer is transferred when it is the whole of it. */
  decode(bytes: Uint8Array, limits: DecodeLimits, options: CodecCallOptions = {}): Promise<DecodeResult> {
    const whole =
      bytes.byteOffset === 0 && bytes.buffer.byteLength === bytes.length && bytes.buffer instanceof ArrayBuffer
    const transfer = whole ? [bytes.buffer as ArrayBuffer] : []
    return this.call({ op: 'decode', bytes, limits }, transfer, options, 'reading it')
  }

  /** Encodes a project, checked to open again under `check` unless that is null. The doc is copied unless handed over. */
  encode(
    doc: ProjectDoc,
    appVersion: string,
    check: DecodeLimits | null,
    options: CodecCallOptions = {}
  ): Promise<EncodeResult> {
    const transfer = options.handOver ? arrayBuffersOf(doc) : []
    return this.call({ op: 'encode', doc, appVersion, check }, transfer, options, 'writing it')
  }

  /** Workers at work now. */
  get running(): number {
    return this.busy.size
  }

  /** Stops every worker; later calls fail. */
  async close(): Promise<void> {
    this.closed = true
    for (const wake of this.waiting.splice(0)) wake()
    const all = [...this.idle.map((i) => (clearTimeout(i.timer), i.worker)), ...this.busy]
    this.idle.length = 0
    await Promise.all(all.map((w) => w.terminate()))
  }

  private take(): Worker {
    const kept = this.idle.pop()
    if (kept) {
      clearTimeout(kept.timer)
      return kept.worker
    }
    return new Worker(this.entry.file, {
      eval: this.entry.eval,
      env: { ...process.env, ...this.entry.env },
      stdout: false,
      stderr: false
    })
  }

  /** Resolves when a worker's place may be free (or the wait was cancelled). */
  private turn(signal: AbortSignal | undefined): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        const k = this.waiting.indexOf(wake)
        if (k >= 0) this.waiting.splice(k, 1)
        resolve()
      }
      this.waiting.push(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  /** A worker's place is free: the longest-waiting call goes next. */
  private release(worker: Worker): void {
    this.busy.delete(worker)
    this.waiting.shift()?.()
  }

  private giveBack(worker: Worker): void {
    this.release(worker)
    if (this.closed || this.idle.length >= this.maxIdle) return void worker.terminate()
    worker.unref()
    const timer = setTimeout(() => {
      const k = this.idle.findIndex((i) => i.worker === worker)
      if (k >= 0) this.idle.splice(k, 1)
      void worker.terminate()
    }, this.idleMs)
    timer.unref?.()
    this.idle.push({ worker, timer })
  }

  private async call<T extends DecodeResult | EncodeResult>(
    request: CodecRequest extends infer R ? (R extends unknown ? Omit<R, 'id'> : never) : never,
    transfer: ArrayBuffer[],
    options: CodecCallOptions,
    doing: string
  ): Promise<T> {
    const fail = (detail: string): T => ({ ok: false, error: { tag: 'io', detail } }) as T
    while (!this.closed && !options.signal?.aborted && this.busy.size >= this.maxWorkers)
      await this.turn(options.signal)
    if (this.closed) return fail(`${doing} was stopped: the application is closing`)
    if (options.signal?.aborted) return fail(`${doing} was cancelled`)
    const worker = this.take()
    this.busy.add(worker)
    worker.ref()
    const id = this.nextId++
    const limitMs = options.timeoutMs ?? this.timeoutMs
    return new Promise<T>((resolve) => {
      let settled = false
      const finish = (result: T, keep: boolean): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        options.signal?.removeEventListener('abort', onAbort)
        worker.off('message', onMessage)
        worker.off('error', onError)
        worker.off('exit', onExit)
        if (keep) this.giveBack(worker)
        else (this.release(worker), void worker.terminate())
        resolve(result)
      }
      const onMessage = (reply: CodecReply): void => {
        if (reply.id !== id) return
        if ('thrown' in reply) finish(fail(`${doing} failed (${reply.thrown.split('\n')[0]})`), false)
        else finish(reply.value as T, true)
      }
      const onError = (error: Error): void =>
        finish(fail(`${doing} failed (${error.message.split('\n')[0] || 'the worker stopped'})`), false)
      const onExit = (code: number): void =>
        finish(fail(`${doing} failed (its worker stopped with code ${code})`), false)
      const onAbort = (): void => finish(fail(`${doing} was cancelled`), false)
      const timer = setTimeout(
        () => finish(fail(`${doing} took longer than ${Math.round(limitMs / 1000)} s, so it was stopped`), false),
        limitMs
      )
      worker.on('message', onMessage)
      worker.on('error', onError)
      worker.on('exit', onExit)
      options.signal?.addEventListener('abort', onAbort, { once: true })
      try {
        worker.postMessage({ ...request, id }, transfer)
      } catch (error) {
        finish(fail(`${doing} failed (${(error as Error).message})`), false)
      }
    })
  }
}
