import type { Channel, EventName, Events } from './contract'

/**
 * Binary message codec of the web host's WebSocket (browser and Node; no node:* imports).
 *
 * Layout, all integers little-endian:
 *   bytes 0..3   magic "BSW1"
 *   bytes 4..7   uint32 length J of the structure
 *   bytes 8..    J bytes of UTF-8 JSON (the structure), zero-padded to a multiple of 8
 *   then         the binary blocks, each starting at a multiple of 8 from the message start
 *
 * Values JSON cannot carry are tagged objects `{"$": tag, ...}`: typed arrays and ArrayBuffers
 * (`{"$":"Float64Array","o":offset,"n":length}`, the data in a block), `undefined` (`{"$":"u"}`),
 * NaN / ±Infinity / −0 (`{"$":"f","v":"NaN"}`) and Dates (`{"$":"d","v":iso}`). A plain object
 * that itself has a "$" key is sent as `{"$":"o","e":[[key, value], ...]}`, so nothing sent can
 * be mistaken for a tag. Decoding copies, so no result aliases the input bytes, unless the caller
 * owns them and asks for views (`alias`): then arrays whose data is aligned for their type are
 * views of the message's buffer, which saves copying tens of megabytes of a project's arrays.
 */

export type CallMessage = { t: 'call'; id: number; channel: Channel; args: unknown[] }
export type ResultMessage =
  { t: 'result'; id: number; ok: true; value: unknown } | { t: 'result'; id: number; ok: false; error: string }
export type EventMessage<E extends EventName = EventName> = { t: 'event'; name: E; payload: Events[E] }
/** Browser → host. */
export type ClientMessage = CallMessage
/** Host → browser. */
export type ServerMessage = ResultMessage | EventMessage
export type WireMessage = ClientMessage | ServerMessage

const MAGIC = [0x42, 0x53, 0x57, 0x31] // "BSW1"
const HEADER = 8

type ArrayCtor = {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): ArrayBufferView
  readonly BYTES_PER_ELEMENT: number
  readonly name: string
}
const ARRAY_KINDS = new Map<string, ArrayCtor>(
  [
    Int8Array,
    Uint8Array,
    Uint8ClampedArray,
    Int16Array,
    Uint16Array,
    Int32Array,
    Uint32Array,
    Float32Array,
    Float64Array
  ].map((ctor) => [ctor.name, ctor])
)
const SPECIAL_NUMBERS = new Map<string, number>([
  ['NaN', NaN],
  ['Infinity', Infinity],
  ['-Infinity', -Infinity],
  ['-0', -0]
])
const UNSENDABLE: (abstract new (...args: never[]) => unknown)[] = [Map, Set, WeakMap, WeakSet, RegExp, Promise, Error]
/** Deeper structures are refused rather than risking the stack. */
const MAX_DEPTH = 1000
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

const align8 = (n: number): number => (n + 7) & ~7

function fail(message: string): never {
  throw new Error(`Malformed message: ${message}`)
}

/** Bytes of a view in little-endian order (a copy is made only on big-endian hosts). */
function leBytes(view: ArrayBufferView, size: number): Uint8Array {
  const bytes = new Uint8Array(view.buffer, view.byteOffset, view.byteLength)
  if (LITTLE_ENDIAN || size === 1) return bytes
  const out = new Uint8Array(bytes.length)
  for (let i = 0; i < bytes.length; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]
  return out
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // defineProperty, so that a "__proto__" key stays an ordinary own property.
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true })
}

export function encodeMessage(value: unknown): Uint8Array {
  const blocks: Uint8Array[] = []
  let offset = 0
  const seen = new Set<object>()
  const path: (string | number)[] = []
  const where = (): string => path.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('') || '(root)'
  const child = (parent: unknown, key: string | number, depth: number): unknown => {
    path.push(key)
    const out = walk((parent as Record<string | number, unknown>)[key], depth + 1)
    path.pop()
    return out
  }

  const addBlock = (tag: string, bytes: Uint8Array, length: number): unknown => {
    const ref = { $: tag, o: offset, n: length }
    blocks.push(bytes)
    offset = align8(offset + bytes.byteLength)
    return ref
  }

  const walk = (v: unknown, depth: number): unknown => {
    if (depth > MAX_DEPTH) throw new Error(`Cannot send a structure nested more than ${MAX_DEPTH} levels deep.`)
    if (v === undefined) return { $: 'u' }
    if (v === null || typeof v === 'string' || typeof v === 'boolean') return v
    if (typeof v === 'number') {
      if (Number.isFinite(v) && !Object.is(v, -0)) return v
      return { $: 'f', v: Object.is(v, -0) ? '-0' : String(v) }
    }
    if (typeof v !== 'object') throw new Error(`Cannot send a ${typeof v} (at ${where()}).`)
    if (ArrayBuffer.isView(v)) {
      for (const [name, kind] of ARRAY_KINDS) {
        if (v instanceof kind)
          return addBlock(name, leBytes(v, kind.BYTES_PER_ELEMENT), v.byteLength / kind.BYTES_PER_ELEMENT)
      }
      throw new Error(`Cannot send a ${v.constructor.name} (at ${where()}).`)
    }
    if (v instanceof ArrayBuffer) return addBlock('ArrayBuffer', new Uint8Array(v), v.byteLength)
    if (v instanceof Date) return { $: 'd', v: Number.isNaN(v.getTime()) ? null : v.toISOString() }
    if (seen.has(v)) throw new Error(`Cannot send a structure that contains itself (at ${where()}).`)
    seen.add(v)
    let out: unknown
    if (Array.isArray(v)) {
      out = Array.from(v, (item, i) =>
        typeof item === 'number' && Number.isFinite(item) && item !== 0 ? item : child(v, i, depth)
      )
    } else {
      // Like structured cloning, class instances travel as their own enumerable properties; the
      // built-ins whose contents that would silently drop are refused instead.
      if (UNSENDABLE.some((ctor) => v instanceof ctor)) {
        throw new Error(`Cannot send a ${(v as object).constructor.name} (at ${where()}).`)
      }
      const keys = Object.keys(v)
      if (keys.includes('$')) {
        out = { $: 'o', e: keys.map((k) => [k, child(v, k, depth)]) }
      } else {
        const obj: Record<string, unknown> = {}
        for (const k of keys) setOwn(obj, k, child(v, k, depth))
        out = obj
      }
    }
    seen.delete(v)
    return out
  }

  const json = new TextEncoder().encode(JSON.stringify(walk(value, 0)))
  const start = align8(HEADER + json.length)
  const out = new Uint8Array(start + offset)
  out.set(MAGIC, 0)
  new DataView(out.buffer).setUint32(4, json.length, true)
  out.set(json, HEADER)
  let at = start
  for (const block of blocks) {
    out.set(block, at)
    at += align8(block.byteLength)
  }
  return out
}

export function decodeMessage(bytes: Uint8Array, options: { alias?: boolean } = {}): unknown {
  if (!(bytes instanceof Uint8Array)) fail('expected bytes.')
  // Views only of a buffer the message has to itself (never of a slice of a shared pool).
  const alias =
    options.alias === true &&
    LITTLE_ENDIAN &&
    bytes.byteOffset === 0 &&
    bytes.buffer instanceof ArrayBuffer &&
    bytes.buffer.byteLength === bytes.byteLength
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) fail('not a Blockspin message.')
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
  if (HEADER + jsonLength > bytes.length) fail('the structure is cut short.')
  let tree: unknown
  try {
    tree = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength)))
  } catch {
    fail('the structure is not valid JSON.')
  }
  const base = align8(HEADER + jsonLength)

  const block = (tag: string, ref: Record<string, unknown>): unknown => {
    const kind = ARRAY_KINDS.get(tag)
    const size = kind ? kind.BYTES_PER_ELEMENT : 1
    const { o, n } = ref
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || (o as number) < 0 || (n as number) < 0) {
      fail(`a ${tag} has an invalid offset or length.`)
    }
    const from = base + (o as number)
    const to = from + (n as number) * size
    if ((o as number) % 8 !== 0 || to > bytes.length) fail(`a ${tag} lies outside the message.`)
    if (alias && kind) return new kind(bytes.buffer as ArrayBuffer, from, n as number)
    const copy = bytes.slice(from, to)
    if (!kind) return copy.buffer
    if (!LITTLE_ENDIAN) copy.set(leBytes(copy, size)) // the swap is its own inverse
    return new kind(copy.buffer)
  }

  const walk = (v: unknown, depth: number): unknown => {
    if (v === null || typeof v !== 'object') return v
    if (depth > MAX_DEPTH) fail(`nested more than ${MAX_DEPTH} levels deep.`)
    if (Array.isArray(v)) return v.map((item) => walk(item, depth + 1))
    const obj = v as Record<string, unknown>
    if (!Object.prototype.hasOwnProperty.call(obj, '$')) {
      const out: Record<string, unknown> = {}
      for (const k of Object.keys(obj)) setOwn(out, k, walk(obj[k], depth + 1))
      return out
    }
    const tag = obj.$
    if (tag === 'u') return undefined
    if (tag === 'f') {
      const n = typeof obj.v === 'string' ? SPECIAL_NUMBERS.get(obj.v) : undefined
      if (n === undefined) fail('an unknown special number.')
      return n
    }
    if (tag === 'd') return new Date(typeof obj.v === 'string' ? obj.v : NaN)
    if (tag === 'o') {
      if (!Array.isArray(obj.e)) fail('an escaped object without entries.')
      const out: Record<string, unknown> = {}
      for (const entry of obj.e as unknown[]) {
        if (!Array.isArray(entry) || entry.length !== 2 || typeof entry[0] !== 'string')
          fail('an escaped object entry is invalid.')
        setOwn(out, entry[0], walk(entry[1], depth + 1))
      }
      return out
    }
    if (typeof tag === 'string' && (tag === 'ArrayBuffer' || ARRAY_KINDS.has(tag))) return block(tag, obj)
    return fail(`unknown tag ${JSON.stringify(tag)}.`)
  }
  return walk(tree, 0)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const isId = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0

/** Checks the envelope of a decoded browser → host message; throws with a readable message. */
export function asClientMessage(v: unknown): ClientMessage {
  if (!isObject(v) || v.t !== 'call') fail('expected a call.')
  if (!isId(v.id)) fail('the call has no valid id.')
  if (typeof v.channel !== 'string') fail('the call has no channel.')
  if (!Array.isArray(v.args)) fail('the call arguments are not a list.')
  return v as ClientMessage
}

/** Checks the envelope of a decoded host → browser message; throws with a readable message. */
export function asServerMessage(v: unknown): ServerMessage {
  if (!isObject(v)) fail('expected an object.')
  if (v.t === 'result') {
    if (!isId(v.id) || typeof v.ok !== 'boolean') fail('the result has no valid id.')
    if (v.ok === false && typeof v.error !== 'string') fail('the failed result has no error text.')
    return v as ServerMessage
  }
  if (v.t === 'event' && typeof v.name === 'string') return v as ServerMessage
  return fail('expected a result or an event.')
}

/** The id of a call, when one can be recovered from a message that is otherwise invalid. */
export function callIdOf(v: unknown): number | null {
  return isObject(v) && isId(v.id) ? v.id : null
}

/**
 * The call id of a message that decodeMessage refused (an unknown tag, an array reference
 * outside the message), read from its JSON structure alone, so the caller can still be answered.
 */
export function callIdOfBytes(bytes: Uint8Array): number | null {
  if (bytes.length < HEADER || MAGIC.some((b, i) => bytes[i] !== b)) return null
  const jsonLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true)
  if (HEADER + jsonLength > bytes.length) return null
  try {
    const tree: unknown = JSON.parse(
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(HEADER, HEADER + jsonLength))
    )
    return isObject(tree) && tree.t === 'call' ? callIdOf(tree) : null
  } catch {
    return null
  }
}
