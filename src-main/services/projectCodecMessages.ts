import type { DecodeLimits } from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'

/** Messages between projectCodecPool.ts and its worker threads (projectCodecThread.ts). */
export type CodecRequest =
  | { id: number; op: 'decode'; bytes: Uint8Array; limits: DecodeLimits }
  | { id: number; op: 'encode'; doc: ProjectDoc; appVersion: string; check: DecodeLimits | null }

export type CodecReply = { id: number; value: unknown } | { id: number; thrown: string }

/** The distinct ArrayBuffers under a document's arrays (several views may share one). */
export function arrayBuffersOf(doc: ProjectDoc): ArrayBuffer[] {
  const buffers = new Set<ArrayBuffer>()
  for (const array of Object.values(doc.arrays)) {
    if (array.data.buffer instanceof ArrayBuffer) buffers.add(array.data.buffer)
  }
  return [...buffers]
}
