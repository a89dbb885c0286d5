import { createServer, type IncomingMessage } from 'node:http'
import { randomBytes } from 'node:crypto'
import type { Duplex } from 'node:stream'
import { WebSocket, WebSocketServer, type RawData } from 'ws'
import { isChannel, validateInput, type ApiHandlers, type EventName, type Events } from '@shared/contract'
import {
  asClientMessage,
  callIdOf,
  callIdOfBytes,
  decodeMessage,
  encodeMessage,
  type ServerMessage
} from '@shared/wire'
import { withCallSignal } from '../services/callSignal'
import { FrameQueue, type FrameEvent } from './frameQueue'
import { hasToken, rendererRoot, requestUrl, staticFileHandler, type PageAccess } from './staticFiles'

/**
 * The web host: static files of the built renderer (staticFiles.ts) and one WebSocket per page
 * carrying RPC calls of the contract and events, job frames through a per-socket back-pressure
 * queue (frameQueue.ts). It listens on 127.0.0.1 only, behind a per-launch token.
 */

export interface WebHostOptions {
  handlers: ApiHandlers
  /** Called once at start; returns the unsubscribe function called by close(). */
  subscribe: (emit: <E extends EventName>(name: E, payload: Events[E]) => void) => () => void
  /** The built renderer (contains index.html). */
  rendererDir: string
  /** 0 = a free port chosen by the system (the default). */
  port?: number
  host?: '127.0.0.1'
  /** Defaults to 32 random bytes in hex. */
  token?: string
  /** Largest accepted WebSocket message, in bytes (default DEFAULT_MAX_PAYLOAD). */
  maxPayload?: number
  /** Most interactive jobs one page may have running at once (default 4). */
  maxInteractiveJobsPerPage?: number
  /** Problems that concern no particular call (default: console.warn). */
  log?: (message: string) => void
  /**
   * A page (identified by the `client` parameter of its socket address) has been gone for
   * `clientGraceMs`: these are the jobs it started, which nobody can see or stop any more.
   */
  onClientGone?: (jobIds: string[]) => void
  /** How long a page may stay disconnected (a network blip, a reconnect) before it counts as gone. Default 20 s. */
  clientGraceMs?: number
}

export interface WebHost {
  /** http://127.0.0.1:PORT/?token=… — the page to open. */
  url: string
  port: number
  token: string
  close(): Promise<void>
}

/**
 * The largest message a page may send: a project save carries its arrays unpacked, and the
 * largest array Blockspin makes is a dataset's samples (MAX_DATASET_SPINS, 256 MiB), so 256 MiB
 * plus 32 MiB for the rest. ws holds a message whole until it is complete, so this is also what
 * one socket can make the host buffer.
 */
export const DEFAULT_MAX_PAYLOAD = 288 * 1024 * 1024
/** A live chain, an exact solution and a sampler or two; more from one page is a runaway. */
export const DEFAULT_MAX_INTERACTIVE_JOBS_PER_PAGE = 4
const FINISHED = new Set(['done', 'failed', 'cancelled'])

const messageOf = (error: unknown): string =>
  (error instanceof Error ? error.message : String(error)) || 'The request failed.'

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return new Uint8Array(Buffer.concat(data))
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
}

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const host = opts.host ?? '127.0.0.1'
  if (host !== '127.0.0.1') throw new Error('The web host only listens on 127.0.0.1.')
  const token = opts.token ?? randomBytes(32).toString('hex')
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token))
    throw new Error('The web host token must be 16–256 letters, digits, "-" or "_".')
  const log = opts.log ?? ((message: string) => console.warn(`Blockspin web host: ${message}`))
  const root = await rendererRoot(opts.rendererDir)

  let port = 0
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`]
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`)
  const access: PageAccess = { token, allowedHosts, port: () => port }
  const server = createServer(staticFileHandler(root, access, log))

  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? DEFAULT_MAX_PAYLOAD })
  const clients = new Map<WebSocket, FrameQueue>()
  /** Per page: its open sockets, the jobs it started, and the timer that declares it gone. */
  const pages = new Map<
    string,
    { sockets: Set<WebSocket>; jobs: Set<string>; gone: ReturnType<typeof setTimeout> | null }
  >()
  const pageOf = new Map<WebSocket, string>()
  const graceMs = opts.clientGraceMs ?? 20_000
  const maxInteractive = opts.maxInteractiveJobsPerPage ?? DEFAULT_MAX_INTERACTIVE_JOBS_PER_PAGE
  /** Per page (or per socket without a page id): its interactive jobs not yet finished, and starts under way. */
  const interactive = new Map<unknown, { live: Set<string>; starting: number }>()
  const interactiveOf = (ws: WebSocket) => {
    const owner = pageOf.get(ws) ?? ws
    let entry = interactive.get(owner)
    if (!entry) interactive.set(owner, (entry = { live: new Set(), starting: 0 }))
    return entry
  }
  const jobFinished = (jobId: string): void => {
    for (const entry of interactive.values()) entry.live.delete(jobId)
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy())
    const refuse = (status: number, text: string): void => {
      socket.end(
        `HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`
      )
    }
    const url = requestUrl(req)
    if (!url || url.pathname !== '/ws') return refuse(404, 'Not Found')
    if (!allowedHosts().includes(req.headers.host ?? '') || !allowedOrigins().includes(req.headers.origin ?? '')) {
      return refuse(403, 'Forbidden')
    }
    if (!hasToken(req, url, access)) return refuse(401, 'Unauthorized')
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req))
  })

  const reply = (ws: WebSocket, message: ServerMessage): void => {
    if (ws.readyState !== WebSocket.OPEN) return
    let bytes: Uint8Array
    try {
      bytes = encodeMessage(message)
    } catch (error) {
      if (message.t !== 'result') return log(`an event could not be sent: ${messageOf(error)}`)
      bytes = encodeMessage({
        t: 'result',
        id: message.id,
        ok: false,
        error: `The answer could not be sent: ${messageOf(error)}`
      })
    }
    ws.send(bytes)
  }

  /** Per socket: aborted when it closes, so an open or save it asked for stops (callSignal.ts). */
  const closed = new Map<WebSocket, AbortController>()

  const answer = async (ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> => {
    let id: number | null = null
    let reserved: { live: Set<string>; starting: number } | null = null
    try {
      if (!isBinary) throw new Error('Malformed message: expected a binary message.')
      const bytes = toBytes(data)
      let raw: unknown
      try {
        // The message is this call's alone: its arrays may be views of it rather than copies.
        raw = decodeMessage(bytes, { alias: true })
      } catch (error) {
        // The call cannot be read, but its id usually can: answer it, so the page's promise settles.
        id = callIdOfBytes(bytes)
        throw error
      }
      id = callIdOf(raw)
      const call = asClientMessage(raw)
      if (!isChannel(call.channel)) throw new Error(`Unknown channel "${String(call.channel).slice(0, 100)}".`)
      const checked = validateInput(call.channel, call.args)
      if (!checked.ok) throw new Error(checked.error)
      const handler = opts.handlers[call.channel] as unknown as ((...args: unknown[]) => Promise<unknown>) | undefined
      if (typeof handler !== 'function') throw new Error(`The host does not implement ${call.channel}.`)
      if (call.channel === 'jobs.start' && (checked.args[0] as { interactive?: unknown }).interactive === true) {
        const entry = interactiveOf(ws)
        if (entry.live.size + entry.starting >= maxInteractive) {
          throw new Error(`This page already runs ${maxInteractive} interactive jobs, the most it may; stop one first.`)
        }
        reserved = entry
        entry.starting++
      }
      const signal = closed.get(ws)?.signal ?? AbortSignal.abort()
      const value = await withCallSignal(signal, () => handler.apply(opts.handlers, checked.args as unknown[]))
      if (call.channel === 'jobs.start') {
        const page = pages.get(pageOf.get(ws) ?? '')
        const jobId = (value as { jobId: string }).jobId
        page?.jobs.add(jobId)
        reserved?.live.add(jobId)
      }
      reply(ws, { t: 'result', id: call.id, ok: true, value })
    } catch (error) {
      if (id === null) log(messageOf(error))
      else reply(ws, { t: 'result', id, ok: false, error: messageOf(error) })
    } finally {
      if (reserved) reserved.starting--
    }
  }

  wss.on('connection', (ws: WebSocket, req: IncomingMessage) => {
    clients.set(ws, new FrameQueue(ws))
    closed.set(ws, new AbortController())
    const pageId = (requestUrl(req)?.searchParams.get('client') ?? '').slice(0, 64)
    if (pageId) {
      const page = pages.get(pageId) ?? { sockets: new Set<WebSocket>(), jobs: new Set<string>(), gone: null }
      if (page.gone) clearTimeout(page.gone)
      page.gone = null
      page.sockets.add(ws)
      pages.set(pageId, page)
      pageOf.set(ws, pageId)
    }
    ws.on('message', (data, isBinary) => void answer(ws, data, isBinary))
    ws.on('error', (error) => log(`a connection failed: ${error.message}`))
    ws.on('close', () => {
      closed.get(ws)?.abort()
      closed.delete(ws)
      clients.get(ws)?.dispose()
      clients.delete(ws)
      interactive.delete(ws)
      const page = pageId ? pages.get(pageId) : undefined
      pageOf.delete(ws)
      if (!page) return
      page.sockets.delete(ws)
      if (page.sockets.size > 0) return
      page.gone = setTimeout(() => {
        pages.delete(pageId)
        interactive.delete(pageId)
        if (page.jobs.size > 0) opts.onClientGone?.([...page.jobs])
      }, graceMs)
      page.gone.unref?.()
    })
  })

  const emit = <E extends EventName>(name: E, payload: Events[E]): void => {
    if (name === 'jobs.update' && FINISHED.has((payload as Events['jobs.update']).status))
      jobFinished((payload as Events['jobs.update']).id)
    if (name === 'jobs.result') jobFinished((payload as Events['jobs.result']).jobId)
    let bytes: Uint8Array | null = null
    try {
      const encoded = (): Uint8Array => (bytes ??= encodeMessage({ t: 'event', name, payload }))
      for (const [ws, queue] of clients) {
        if (name === 'jobs.frame') {
          queue.push(payload as FrameEvent, encoded)
        } else if (ws.readyState === WebSocket.OPEN) {
          queue.flush()
          ws.send(encoded())
        }
      }
    } catch (error) {
      log(`the ${name} event could not be sent: ${messageOf(error)}`)
    }
  }

  server.on('error', (error) => log(`server error: ${error.message}`))
  await new Promise<void>((done, failed) => {
    const onError = (error: NodeJS.ErrnoException): void =>
      failed(
        error.code !== 'EADDRINUSE'
          ? error
          : Object.assign(new Error(`Port ${opts.port} on ${host} is already in use; choose another one.`), {
              code: error.code
            })
      )
    server.once('error', onError)
    server.listen(opts.port ?? 0, host, () => (server.off('error', onError), done()))
  })
  const address = server.address()
  port = typeof address === 'object' && address ? address.port : 0
  const unsubscribe = opts.subscribe(emit)

  let closing: Promise<void> | null = null
  return {
    url: `http://${host}:${port}/?token=${token}`,
    port,
    token,
    close: () =>
      (closing ??= (async () => {
        unsubscribe()
        for (const [ws, queue] of clients) (queue.dispose(), ws.terminate())
        clients.clear()
        for (const page of pages.values()) if (page.gone) clearTimeout(page.gone)
        pages.clear()
        await new Promise<void>((done) => wss.close(() => done()))
        server.closeAllConnections()
        await new Promise<void>((done) => server.close(() => done()))
      })())
  }
}
