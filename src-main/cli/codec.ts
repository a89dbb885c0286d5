import {
  decodeProject as decodeWith,
  encodeProject as encodeWith,
  type DecodeLimits,
  type DecodeResult
} from '@shared/project/codec'
import type { ProjectDoc } from '@shared/project/types'
import { nodeCodecEngine } from '../services/nodeCodecEngine'

/**
 * The project codec as the CLI uses it: Node's zlib and SHA-256 (nodeCodecEngine) instead of the
 * pure-JavaScript engine the page needs, for the same bytes several times faster.
 */
export function decodeProject(bytes: Uint8Array, limits: Partial<DecodeLimits> = {}): DecodeResult {
  return decodeWith(bytes, limits, nodeCodecEngine)
}

export function encodeProject(doc: ProjectDoc, appVersion: string): Uint8Array {
  return encodeWith(doc, appVersion, nodeCodecEngine)
}
