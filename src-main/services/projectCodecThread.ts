import { parentPort } from 'node:worker_threads'
import { decodeProject, encodeProjectAsync } from '@shared/project/codec'
import { nodeCodecEngine } from './nodeCodecEngine'
import { arrayBuffersOf, type CodecReply, type CodecRequest } from './projectCodecMessages'

/**
 * The project codec on a worker thread (projectCodecPool.ts starts it): opening and saving a
 * project of tens of megabytes takes a second of CPU, which must not stall the Electron main
 * process or the web host's event loop. Results travel back with their ArrayBuffers transferred,
 * not copied.
 */
async function handle(request: CodecRequest): Promise<{ value: unknown; transfer: ArrayBuffer[] }> {
  if (request.op === 'decode') {
    const result = decodeProject(request.bytes, request.limits, nodeCodecEngine)
    return { value: result, transfer: result.ok ? arrayBuffersOf(result.doc) : [] }
  }
  let bytes: Uint8Array
  try {
    bytes = await encodeProjectAsync(request.doc, request.appVersion, nodeCodecEngine)
  } catch (error) {
    return { value: { ok: false, error: { tag: 'invalid', detail: (error as Error).message } }, transfer: [] }
  }
  if (request.check) {
    // A file Blockspin could not read back is never written.
    const check = decodeProject(bytes, request.check, nodeCodecEngine)
    if (!check.ok) return { value: { ok: false, error: check.error }, transfer: [] }
  }
  return { value: { ok: true, bytes }, transfer: [bytes.buffer as ArrayBuffer] }
}

parentPort?.on('message', async (request: CodecRequest) => {
  let reply: CodecReply
  let transfer: ArrayBuffer[] = []
  try {
    const done = await handle(request)
    reply = { id: request.id, value: done.value }
    transfer = done.transfer
  } catch (error) {
    reply = { id: request.id, thrown: error instanceof Error ? error.message : String(error) }
  }
  parentPort!.postMessage(reply, transfer)
})
