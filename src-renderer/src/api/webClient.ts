import { channels, type BlockspinApi, type Channel, type EventName, type Events } from '@shared/contract'
import { asServerMessage, decodeMessage, encodeMessage, type CallMessage } from '@shared/wire'

/**
 * The browser's BlockspinApi: the web host's contract over one WebSocket at /ws. Calls carry ids
 * and resolve with their result; events go to `on()` listeners. When the socket closes, every
 * call not yet answered is rejected and the client reconnects with backoff.
 *
 * Typed only structurally (no DOM types), so that it also compiles and runs under Node in tests.
 */

/** What the client needs of a page address: `window.location` or a URL. */
export type PageLocation = { readonly href: string }

/** The subset of the WebSocket API used here (the browser's WebSocket and `ws` both fit). */
export interface SocketLike {
  binaryType: string
  readonly readyState: number
  send(data: Uint8Array): void
  close(code?: number, reason?: string): void
  onopen: ((event: never) => unknown) | null
  onmessage: ((event: never) => unknown) | null
  onclose: ((event: never) => unknown) | null
  onerror: ((event: never) => unknown) | null
}
export type SocketConstructor = new (url: string) => SocketLike

interface StorageLike {
  getItem(key: string): string | null
  setItem(key: string, value: string): void
}

export interface WebApiOptions {
  /** Defaults to the global WebSocket (Node 20 has none: pass `ws`'s). */
  WebSocket?: SocketConstructor
  /** Where the token is remembered across reloads (default: sessionStorage, when there is one). */
  storage?: StorageLike | null
  /** Reconnect delays: the first, doubled after each failure up to the last. */
  minDelayMs?: number
  maxDelayMs?: number
}

/** BlockspinApi plus a way to stop (tests, page teardown). */
export type WebApi = BlockspinApi & {
  /** Closes the socket, stops reconnecting and rejects unanswered calls. */
  dispose(): void
}

export const CONNECTION_LOST = 'The connection to the Blockspin host was lost.'
const TOKEN_KEY = 'blockspin.token'
const OPEN = 1

function defaultStorage(): StorageLike | null {
  try {
    return (globalThis as { sessionStorage?: StorageLike }).sessionStorage ?? null
  } catch {
    return null // storage can be denied by browser settings
  }
}

/** The WebSocket address for a page: same host, /ws, with the page's (or the remembered) token. */
export function socketUrl(location: PageLocation, storage: StorageLike | null = defaultStorage()): string {
  const page = new URL(location.href)
  let token = page.searchParams.get('token')
  try {
    if (token) storage?.setItem(TOKEN_KEY, token)
    else token = storage?.getItem(TOKEN_KEY) ?? null
  } catch {
    // without storage, the HttpOnly cookie set with the page still authenticates the socket
  }
  const url = new URL('/ws', page)
  url.protocol = page.protocol === 'https:' ? 'wss:' : 'ws:'
  if (token) url.searchParams.set('token', token)
  return url.href
}

function bytesOf(data: unknown): Uint8Array | null {
  if (data instanceof ArrayBuffer) return new Uint8Array(data)
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength)
  return null
}

export function createWebApi(location: PageLocation, options: WebApiOptions = {}): WebApi {
  const Socket = options.WebSocket ?? (globalThis as { WebSocket?: SocketConstructor }).WebSocket
  if (!Socket) throw new Error('This browser has no WebSocket support, which Blockspin needs.')
  // A random id per page, so the host can stop this page's jobs once the page is gone for good.
  const pageId = Math.random().toString(36).slice(2, 12) + Date.now().toString(36)
  const address = new URL(socketUrl(location, options.storage === undefined ? defaultStorage() : options.storage))
  address.searchParams.set('client', pageId)
  const url = address.href
  const minDelay = options.minDelayMs ?? 250
  const maxDelay = options.maxDelayMs ?? 5000

  type Pending = { resolve(value: unknown): void; reject(error: Error): void }
  const pending = new Map<number, Pending>()
  /** Calls made while the socket was not open yet; sent as soon as it opens. */
  let outbox: Uint8Array[] = []
  const listeners = new Map<EventName, Set<(payload: never) => void>>()
  let nextId = 1
  let socket: SocketLike | null = null
  let delay = minDelay
  let timer: ReturnType<typeof setTimeout> | null = null
  let disposed = false

  const failAll = (): void => {
    const waiting = [...pending.values()]
    pending.clear()
    outbox = []
    for (const call of waiting) call.reject(new Error(CONNECTION_LOST))
  }

  const dispatch = (name: string, payload: unknown): void => {
    for (const listener of listeners.get(name as EventName) ?? []) {
      try {
        ;(listener as (payload: unknown) => void)(payload)
      } catch (error) {
        console.error(`A listener of ${name} failed:`, error)
      }
    }
  }

  const receive = (data: unknown): void => {
    const bytes = bytesOf(data)
    if (!bytes) return
    let message
    try {
      message = asServerMessage(decodeMessage(bytes))
    } catch (error) {
      console.error('Blockspin: ignored a message from the host:', error)
      return
    }
    if (message.t === 'event') return dispatch(message.name, message.payload)
    const call = pending.get(message.id)
    if (!call) return
    pending.delete(message.id)
    if (message.ok) call.resolve(message.value)
    else call.reject(new Error(message.error))
  }

  const connect = (): void => {
    timer = null
    if (disposed) return
    const ws = new Socket(url)
    socket = ws
    ws.binaryType = 'arraybuffer'
    ws.onopen = () => {
      delay = minDelay
      const queued = outbox
      outbox = []
      for (const bytes of queued) ws.send(bytes)
    }
    ws.onmessage = (event: { data: unknown }) => receive(event.data)
    ws.onerror = () => {
      // a close event follows; it does the work
    }
    ws.onclose = () => {
      if (socket !== ws) return
      socket = null
      failAll()
      if (disposed) return
      timer = setTimeout(connect, delay)
      delay = Math.min(delay * 2, maxDelay)
    }
  }

  const call = (channel: Channel, args: unknown[]): Promise<unknown> => {
    if (disposed) return Promise.reject(new Error(CONNECTION_LOST))
    const id = nextId++
    let bytes: Uint8Array
    try {
      bytes = encodeMessage({ t: 'call', id, channel, args } satisfies CallMessage)
    } catch (error) {
      return Promise.reject(error)
    }
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject })
      if (socket && socket.readyState === OPEN) socket.send(bytes)
      else {
        outbox.push(bytes)
        if (!socket && timer) (clearTimeout(timer), connect()) // waiting to reconnect: try now
      }
    })
  }

  const api: Record<string, unknown> = {
    on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void {
      let set = listeners.get(event)
      if (!set) listeners.set(event, (set = new Set()))
      const entry = listener as (payload: never) => void
      set.add(entry)
      return () => void set.delete(entry)
    },
    dispose(): void {
      disposed = true
      if (timer) clearTimeout(timer)
      timer = null
      const ws = socket
      socket = null
      failAll()
      ws?.close(1000, 'closed by the page')
    }
  }
  for (const channel of channels) api[channel] = (...args: unknown[]) => call(channel, args)
  connect()
  return api as unknown as WebApi
}
