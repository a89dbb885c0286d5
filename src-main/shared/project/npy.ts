import type { NpyArray, NpyData, NpyDtype } from './types'

/**
 * NumPy's `.npy` format, the subset Blockspin writes and reads: C-ordered, little-endian arrays
 * of six dtypes. Reference: numpy/lib/format.py ("A Simple File Format for NumPy Arrays",
 * NEP 1) — magic "\x93NUMPY", a version pair, a little-endian header length (uint16 for 1.0,
 * uint32 for 2.0), then an ASCII Python dict literal padded with spaces and a final '\n' so the
 * data starts at a multiple of 64 bytes (NumPy ≥ 1.16 uses 64; older versions used 16; any
 * padding is accepted when reading).
 */

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59] // \x93 N U M P Y
const ALIGN = 64
const GROWTH_AXIS_MAX_DIGITS = 21

interface DtypeInfo {
  itemsize: number
  make: (buffer: ArrayBuffer) => NpyData
  view: (buffer: ArrayBuffer, offset: number, length: number) => NpyData
  is: (data: NpyData) => boolean
}

const DTYPES: Record<NpyDtype, DtypeInfo> = {
  '|i1': {
    itemsize: 1,
    make: (b) => new Int8Array(b),
    view: (b, o, n) => new Int8Array(b, o, n),
    is: (d) => d instanceof Int8Array
  },
  '|u1': {
    itemsize: 1,
    make: (b) => new Uint8Array(b),
    view: (b, o, n) => new Uint8Array(b, o, n),
    is: (d) => d instanceof Uint8Array
  },
  '<i4': {
    itemsize: 4,
    make: (b) => new Int32Array(b),
    view: (b, o, n) => new Int32Array(b, o, n),
    is: (d) => d instanceof Int32Array
  },
  '<u4': {
    itemsize: 4,
    make: (b) => new Uint32Array(b),
    view: (b, o, n) => new Uint32Array(b, o, n),
    is: (d) => d instanceof Uint32Array
  },
  '<f4': {
    itemsize: 4,
    make: (b) => new Float32Array(b),
    view: (b, o, n) => new Float32Array(b, o, n),
    is: (d) => d instanceof Float32Array
  },
  '<f8': {
    itemsize: 8,
    make: (b) => new Float64Array(b),
    view: (b, o, n) => new Float64Array(b, o, n),
    is: (d) => d instanceof Float64Array
  }
}

export const NPY_DTYPES = Object.keys(DTYPES) as NpyDtype[]

/** True on every platform Blockspin ships on; the swap below keeps big-endian hosts correct. */
const HOST_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

function swapBytes(bytes: Uint8Array, itemsize: number): void {
  if (itemsize === 1) return
  for (let i = 0; i < bytes.length; i += itemsize) bytes.subarray(i, i + itemsize).reverse()
}

/** Number of elements of a shape; NaN when the shape is not a list of non-negative integers. */
export function shapeSize(shape: readonly number[]): number {
  let n = 1
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) return NaN
    n *= d
  }
  return Number.isSafeInteger(n) ? n : NaN
}

function formatShape(shape: readonly number[]): string {
  if (shape.length === 1) return `(${shape[0]},)`
  return `(${shape.join(', ')})`
}

/** Encodes an array as a version 1.0 .npy file. A dtype/data mismatch is a programmer error. */
export function encodeNpy(arr: NpyArray): Uint8Array {
  const info = DTYPES[arr.dtype]
  if (!info) throw new Error(`encodeNpy: unsupported dtype ${JSON.stringify(arr.dtype)}`)
  if (!info.is(arr.data)) throw new Error(`encodeNpy: dtype ${arr.dtype} does not match a ${arr.data.constructor.name}`)
  const count = shapeSize(arr.shape)
  if (Number.isNaN(count)) throw new Error(`encodeNpy: bad shape [${arr.shape.join(', ')}]`)
  if (count !== arr.data.length) {
    throw new Error(
      `encodeNpy: shape [${arr.shape.join(', ')}] holds ${count} elements but the data has ${arr.data.length}`
    )
  }
  // Byte for byte what numpy.save writes (numpy/lib/format.py, _write_array_header and
  // _wrap_header): keys sorted, spare spaces so the first axis can grow to 21 digits in place,
  // then spaces and '\n' so magic + version + length + header is a multiple of 64.
  let dict = `{'descr': '${arr.dtype}', 'fortran_order': False, 'shape': ${formatShape(arr.shape)}, }`
  if (arr.shape.length > 0) dict += ' '.repeat(Math.max(0, GROWTH_AXIS_MAX_DIGITS - String(arr.shape[0]).length))
  const padding = ALIGN - ((10 + dict.length + 1) % ALIGN)
  const header = dict + ' '.repeat(padding) + '\n'
  if (header.length > 0xffff) throw new Error(`encodeNpy: header of ${header.length} bytes is too long for format 1.0`)
  const dataBytes = count * info.itemsize
  const out = new Uint8Array(10 + header.length + dataBytes)
  out.set(MAGIC, 0)
  out[6] = 1
  out[7] = 0
  out[8] = header.length & 0xff
  out[9] = header.length >>> 8
  for (let i = 0; i < header.length; i++) out[10 + i] = header.charCodeAt(i)
  const payload = new Uint8Array(arr.data.buffer, arr.data.byteOffset, dataBytes)
  out.set(payload, 10 + header.length)
  if (!HOST_LITTLE_ENDIAN) swapBytes(out.subarray(10 + header.length), info.itemsize)
  return out
}

export type NpyDecodeResult = { ok: true; array: NpyArray } | { ok: false; detail: string }

type PyValue = string | boolean | number[]

/**
 * Parses the header dict: a Python literal of the form {'key': value, ...} whose values are
 * strings, True/False or tuples of integers. A tiny tokenizer, never an evaluator.
 */
function parseHeaderDict(text: string): Map<string, PyValue> | string {
  let i = 0
  const skip = (): void => {
    while (i < text.length && /\s/.test(text[i])) i++
  }
  const readString = (): string | null => {
    const quote = text[i]
    if (quote !== "'" && quote !== '"') return null
    const end = text.indexOf(quote, i + 1)
    if (end < 0) return null
    const s = text.slice(i + 1, end)
    i = end + 1
    return s
  }
  const readValue = (): PyValue | null => {
    skip()
    if (text[i] === "'" || text[i] === '"') return readString()
    for (const [word, value] of [
      ['True', true],
      ['False', false]
    ] as const) {
      if (text.startsWith(word, i)) {
        i += word.length
        return value
      }
    }
    if (text[i] !== '(') return null
    const end = text.indexOf(')', i)
    if (end < 0) return null
    const inner = text.slice(i + 1, end).trim()
    i = end + 1
    if (inner === '') return []
    const parts = inner.split(',').map((p) => p.trim())
    if (parts[parts.length - 1] === '') parts.pop()
    if (!parts.every((p) => /^\d+L?$/.test(p))) return null
    return parts.map((p) => Number.parseInt(p, 10))
  }
  const dict = new Map<string, PyValue>()
  skip()
  if (text[i] !== '{') return 'the header is not a dictionary'
  i++
  for (;;) {
    skip()
    if (text[i] === '}') break
    const key = readString()
    if (key === null) return 'the header has a malformed key'
    skip()
    if (text[i] !== ':') return `the header key '${key}' has no value`
    i++
    const value = readValue()
    if (value === null) return `the header value of '${key}' is not understood`
    dict.set(key, value)
    skip()
    if (text[i] === ',') i++
    else if (text[i] !== '}') return 'the header dictionary is malformed'
  }
  i++
  skip()
  if (i !== text.length) return 'the header has trailing characters'
  return dict
}

/** Normalises byte-order marks that NumPy itself never writes but other writers may. */
function normaliseDescr(descr: string): NpyDtype | null {
  if (descr in DTYPES) return descr as NpyDtype
  const m = /^([<>=|])([iu]1)$/.exec(descr)
  if (m) return `|${m[2]}` as NpyDtype
  if (descr.startsWith('=') && `<${descr.slice(1)}` in DTYPES) return `<${descr.slice(1)}` as NpyDtype
  return null
}

/** The keys of a .npy header, no more, no fewer (numpy/lib/format.py, _read_array_header). */
const HEADER_KEYS = ['descr', 'fortran_order', 'shape']

/**
 * Decodes a .npy file. With `ownsBuffer` (the caller hands over `bytes` and its whole buffer),
 * the array is a view of `bytes` past the header when the data is aligned, instead of a copy.
 */
export function decodeNpy(bytes: Uint8Array, options: { ownsBuffer?: boolean } = {}): NpyDecodeResult {
  const fail = (detail: string): NpyDecodeResult => ({ ok: false, detail })
  if (bytes.length < 10 || MAGIC.some((b, k) => bytes[k] !== b)) return fail('is not a .npy file (bad magic bytes)')
  const major = bytes[6]
  const minor = bytes[7]
  if (minor !== 0 || (major !== 1 && major !== 2))
    return fail(`uses .npy format ${major}.${minor}, which Blockspin does not read`)
  const lengthBytes = major === 1 ? 2 : 4
  if (bytes.length < 8 + lengthBytes) return fail('has a truncated header')
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true)
  const dataStart = 8 + lengthBytes + headerLength
  if (bytes.length < dataStart) return fail('has a truncated header')
  let headerText = ''
  for (let k = 8 + lengthBytes; k < dataStart; k++) {
    if (bytes[k] > 0x7e) return fail('has a header that is not ASCII')
    headerText += String.fromCharCode(bytes[k])
  }
  const dict = parseHeaderDict(headerText)
  if (typeof dict === 'string') return fail(`has a malformed header (${dict})`)
  const unknown = [...dict.keys()].filter((key) => !HEADER_KEYS.includes(key))
  if (unknown.length) return fail(`has an unknown key '${unknown[0]}' in its header`)
  const descr = dict.get('descr')
  const fortran = dict.get('fortran_order')
  const shape = dict.get('shape')
  if (typeof descr !== 'string') return fail("has no 'descr' in its header")
  if (typeof fortran !== 'boolean') return fail("has no 'fortran_order' in its header")
  if (!Array.isArray(shape)) return fail("has no 'shape' in its header")
  const dtype = normaliseDescr(descr)
  if (!dtype) return fail(`has dtype '${descr}', which Blockspin does not support`)
  if (fortran) return fail('is stored in Fortran order, which Blockspin does not support')
  const count = shapeSize(shape)
  if (Number.isNaN(count)) return fail(`has an impossible shape (${shape.join(', ')})`)
  const info = DTYPES[dtype]
  const expected = count * info.itemsize
  const actual = bytes.length - dataStart
  if (actual !== expected) {
    return fail(`holds ${actual} data bytes but dtype ${dtype} with shape (${shape.join(', ')}) needs ${expected}`)
  }
  const owned = options.ownsBuffer && bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
  if (owned && dataStart % info.itemsize === 0 && HOST_LITTLE_ENDIAN) {
    return {
      ok: true,
      array: { dtype, shape: [...shape], data: info.view(bytes.buffer as ArrayBuffer, dataStart, count) }
    }
  }
  // A fresh, aligned buffer the typed array owns (not slice(): on a Node Buffer it is a view).
  const copy = new Uint8Array(bytes.subarray(dataStart))
  if (!HOST_LITTLE_ENDIAN) swapBytes(copy, info.itemsize)
  return { ok: true, array: { dtype, shape: [...shape], data: info.make(copy.buffer) } }
}
