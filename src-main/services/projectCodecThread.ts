import { parentPort } from 'node:worker_threads'
import { checkProjectBytes, decodeProject, encodeProjectAsync } from '@shared/project/codec'
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
    // A file Blockspin could not read back is never written. The check reads it as opening
    // would, all but inflating the arrays a second time: encodeProjectAsync already proved that
    // each array's deflated stream unpacks byte for byte to the .npy bytes whose CRC-32 and
    // SHA-256 the file records, and that each .npy header reads back as listed. What is left to
    // go wrong lies in the ZIP's layout and project.json, and that is all checked here.
    const check = checkProjectBytes(bytes, request.check, nodeCodecEngine, { payloads: false })
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
