import { strFromU8, strToU8 } from 'fflate'

/**
 * JSON for bundle files (task specs, results, checkpoints), which carry typed arrays (samples,
 * series, a graph's bonds) and numbers JSON lacks (NaN, ±Infinity, from τ_int or an empty
 * estimate). A typed array is written `{"$typed": "Float64Array", "b64": …}` (its bytes,
 * little-endian as every platform Blockspin runs on, in base64) and a non-finite number
 * `{"$num": "NaN"}`. Reading refuses anything else that looks like a tag, so a hostile file
 * cannot smuggle in another type; what the fields must be is checked by the schemas after.
 */

const TYPED = {
  Int8Array,
  Uint8Array,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array
} as const
type TypedName = keyof typeof TYPED

function replacer(this: unknown, _key: string, value: unknown): unknown {
  if (typeof value === 'number' && !Number.isFinite(value)) return { $num: String(value) }
  if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
    const name = value.constructor.name
    if (!(name in TYPED)) throw new TypeError(`cannot write a ${name} to a bundle file`)
    const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength)
    return { $typed: name, b64: btoa(strFromU8(bytes, true)) }
  }
  return value
}

function reviver(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const o = value as Record<string, unknown>
  if ('$num' in o) {
    if (Object.keys(o).length !== 1 || !['NaN', 'Infinity', '-Infinity'].includes(o.$num as string))
      throw new SyntaxError('a number tag is not NaN, Infinity or -Infinity')
    return Number(o.$num)
  }
  if ('$typed' in o) {
    const name = o.$typed
    if (Object.keys(o).length !== 2 || typeof name !== 'string' || !(name in TYPED) || typeof o.b64 !== 'string')
      throw new SyntaxError('an array tag names no known typed array')
    const ctor = TYPED[name as TypedName]
    let bytes: Uint8Array
    try {
      bytes = strToU8(atob(o.b64), true)
    } catch {
      throw new SyntaxError(`a ${name} is not valid base64`)
    }
    if (bytes.byteLength % ctor.BYTES_PER_ELEMENT !== 0)
      throw new SyntaxError(`a ${name} has ${bytes.byteLength} bytes, not a whole number of elements`)
    return new ctor(bytes.buffer as ArrayBuffer, 0, bytes.byteLength / ctor.BYTES_PER_ELEMENT)
  }
  return value
}

/** The value as bundle JSON (pretty-printed when small enough to read). */
export function toBundleJson(value: unknown): string {
  return JSON.stringify(value, replacer, 1)
}

/** Parses bundle JSON; throws a SyntaxError with one clause saying what is wrong. */
export function fromBundleJson(text: string): unknown {
  return JSON.parse(text, reviver)
}
