import { WebSocket } from 'ws'
import { coalesceFrames } from '@core/jobs/frames'
import type { JobFrame } from '@core/jobs/types'
import type { Events } from '@shared/contract'
import { encodeMessage } from '@shared/wire'

/** Beyond this many unsent bytes on a socket, job frames are merged instead of queued. */
export const FRAME_BUFFER_LIMIT = 8 * 1024 * 1024
/**
 * Beyond this many bytes of merged frames waiting for one socket, the page is not keeping up at
 * all (a stalled tab, a socket nobody reads): the socket is closed rather than the host's memory
 * growing with every frame. The page reconnects and asks for the jobs' state afresh.
 */
export const MAX_PENDING_FRAME_BYTES = 64 * 1024 * 1024

export type FrameEvent = Events['jobs.frame']

const isFrame = (v: unknown): v is JobFrame =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !ArrayBuffer.isView(v)

/**
 * Merges two frame events of one job that a slow client has not received yet, with the one
 * frame merge (src-core/jobs/frames.ts): the newer frame's fields win and each `series[k]`
 * chunk is appended to the older one, so no sample is lost. A frame that is not an object
 * replaces what was pending. Pure: neither input is modified.
 */
export function coalesceFrameEvents(older: FrameEvent, newer: FrameEvent): FrameEvent {
  if (!isFrame(older.frame) || !isFrame(newer.frame)) return newer
  return { jobId: newer.jobId, frame: coalesceFrames(older.frame, newer.frame) }
}

/** What FrameQueue needs of a socket (a `ws` WebSocket, or a fake in tests). */
export interface FrameSocket {
  readonly bufferedAmount: number
  readonly readyState: number
  send(data: Uint8Array): void
  /** Drops the connection at once (ws's terminate); a queue that cannot drain calls it. */
  terminate?(): void
}

/** Bytes a frame holds in typed arrays, its own and its series' (what merging makes grow). */
export function frameBytes(event: FrameEvent): number {
  if (!isFrame(event.frame)) return 0
  let bytes = 0
  const count = (v: unknown): void => {
    if (ArrayBuffer.isView(v)) bytes += v.byteLength
    else if (Array.isArray(v)) bytes += 8 * v.length
  }
  for (const value of Object.values(event.frame)) count(value)
  const series = (event.frame as JobFrame).series
  if (isFrame(series)) for (const value of Object.values(series)) count(value)
  return bytes
}

const encodeFrame = (payload: FrameEvent): Uint8Array => encodeMessage({ t: 'event', name: 'jobs.frame', payload })

/**
 * Per-client back-pressure for job frames: while the socket has more than `limit` bytes unsent,
 * frames wait here, merged per job (latest fields, concatenated series), and a timer sends them
 * once the socket has drained. (This waits on the socket, not on a clock, so it is not the
 * broker's time throttle, which has already paced the frames it receives.)
 */
export class FrameQueue {
  private readonly pending = new Map<string, FrameEvent>()
  private readonly pendingBytes = new Map<string, number>()
  private timer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly socket: FrameSocket,
    private readonly limit = FRAME_BUFFER_LIMIT,
    private readonly intervalMs = 20,
    private readonly maxPendingBytes = MAX_PENDING_FRAME_BYTES
  ) {}

  get size(): number {
    return this.pending.size
  }

  /** `encoded` returns the frame's bytes, shared by every client that sends it as is. */
  push(event: FrameEvent, encoded: () => Uint8Array = () => encodeFrame(event)): void {
    if (this.socket.readyState !== WebSocket.OPEN) return
    if (this.pending.size === 0 && this.socket.bufferedAmount <= this.limit) {
      this.socket.send(encoded())
      return
    }
    const previous = this.pending.get(event.jobId)
    const merged = previous ? coalesceFrameEvents(previous, event) : event
    this.pending.set(event.jobId, merged)
    this.pendingBytes.set(event.jobId, frameBytes(merged))
    let total = 0
    for (const bytes of this.pendingBytes.values()) total += bytes
    if (total > this.maxPendingBytes) {
      this.dispose()
      this.socket.terminate?.()
      return
    }
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs)
      this.timer.unref?.()
    }
  }

  /** Sends everything pending now (before any other event, so the order of events is kept). */
  flush(): void {
    this.stop()
    const frames = [...this.pending.values()]
    this.pending.clear()
    this.pendingBytes.clear()
    if (this.socket.readyState !== WebSocket.OPEN) return
    for (const frame of frames) this.socket.send(encodeFrame(frame))
  }

  dispose(): void {
    this.stop()
    this.pending.clear()
    this.pendingBytes.clear()
  }

  private tick(): void {
    if (this.socket.readyState !== WebSocket.OPEN) this.dispose()
    else if (this.socket.bufferedAmount <= this.limit) this.flush()
  }

  private stop(): void {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
  }
}
