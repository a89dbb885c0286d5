import { describe, expect, it } from 'vitest'
import { decodeNpy, encodeNpy } from '@shared/project/npy'
import type { NpyArray } from '@shared/project/types'

/**
 * Golden bytes written by NumPy 1.24.2 (`numpy.lib.format.write_array(f, a)`), so both
 * directions are checked against the reference implementation, not against ourselves.
 */
const PREFIX = '934e554d5059010076007b276465736372273a2027'
const pad = (n: number): string => '20'.repeat(n) + '0a'
const golden: { name: string; array: NpyArray; hex: string }[] = [
  {
    name: '|i1 (3,)',
    array: { dtype: '|i1', shape: [3], data: Int8Array.of(-128, 0, 127) },
    hex:
      PREFIX +
      '7c6931272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d' +
      pad(60) +
      '80007f'
  },
  {
    name: '|u1 (2,)',
    array: { dtype: '|u1', shape: [2], data: Uint8Array.of(0, 255) },
    hex:
      PREFIX +
      '7c7531272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d' +
      pad(60) +
      '00ff'
  },
  {
    name: '<i4 (2, 2)',
    array: { dtype: '<i4', shape: [2, 2], data: Int32Array.of(-2147483648, 2147483647, 0, -1) },
    hex:
      PREFIX +
      '3c6934272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c2032292c207d' +
      pad(58) +
      '00000080ffffff7f00000000ffffffff'
  },
  {
    name: '<u4 (2,)',
    array: { dtype: '<u4', shape: [2], data: Uint32Array.of(0, 4294967295) },
    hex:
      PREFIX +
      '3c7534272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d' +
      pad(60) +
      '00000000ffffffff'
  },
  {
    name: '<f4 (3,)',
    array: { dtype: '<f4', shape: [3], data: Float32Array.of(1.5, -0, Infinity) },
    hex:
      PREFIX +
      '3c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028332c292c207d' +
      pad(60) +
      '0000c03f000000800000807f'
  },
  {
    name: '<f8 (1, 3)',
    array: { dtype: '<f8', shape: [1, 3], data: Float64Array.of(NaN, -Infinity, 5e-324) },
    hex:
      PREFIX +
      '3c6638272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028312c2033292c207d' +
      pad(58) +
      '000000000000f87f000000000000f0ff0100000000000000'
  },
  {
    name: '<u4 () scalar',
    array: { dtype: '<u4', shape: [], data: Uint32Array.of(7) },
    hex: '934e554d5059010076007b276465736372273a20273c7534272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028292c207d20202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a07000000'
  },
  {
    name: '<f4 (0,) empty',
    array: { dtype: '<f4', shape: [0], data: new Float32Array(0) },
    hex:
      PREFIX + '3c6634272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028302c292c207d' + pad(60)
  }
]

const fromHex = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!.map((b) => Number.parseInt(b, 16)))
const toHex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
const ascii = (s: string): Uint8Array => Uint8Array.from(s, (c) => c.charCodeAt(0))

/** A .npy file with a hand-written header dict (version 1.0, padded to 64). */
function npyWithHeader(dict: string, data: Uint8Array, version: [number, number] = [1, 0]): Uint8Array {
  const padding = 64 - ((10 + dict.length + 1) % 64)
  const header = dict + ' '.repeat(padding) + '\n'
  const out = new Uint8Array(10 + header.length + data.length)
  out.set(ascii('\x93NUMPY'), 0)
  out[6] = version[0]
  out[7] = version[1]
  out[8] = header.length & 0xff
  out[9] = header.length >> 8
  out.set(ascii(header), 10)
  out.set(data, 10 + header.length)
  return out
}

describe('encodeNpy matches numpy.save byte for byte', () => {
  for (const { name, array, hex } of golden) {
    it(name, () => {
      const bytes = encodeNpy(array)
      expect(toHex(bytes)).toBe(hex)
      const headerLength = bytes[8] | (bytes[9] << 8)
      expect((10 + headerLength) % 64).toBe(0)
    })
  }

  it('keeps the header a multiple of 64 and ending in a newline for long shapes', () => {
    const bytes = encodeNpy({ dtype: '|u1', shape: [0, 1, 2, 3, 4, 5, 6, 7], data: new Uint8Array(0) })
    const headerLength = bytes[8] | (bytes[9] << 8)
    expect((10 + headerLength) % 64).toBe(0)
    expect(bytes[10 + headerLength - 1]).toBe(0x0a)
  })
})

describe('decodeNpy reads numpy files', () => {
  for (const { name, array, hex } of golden) {
    it(name, () => {
      const result = decodeNpy(fromHex(hex))
      if (!result.ok) throw new Error(result.detail)
      expect(result.array.dtype).toBe(array.dtype)
      expect(result.array.shape).toEqual(array.shape)
      expect(result.array.data.constructor).toBe(array.data.constructor)
      expect(Array.from(result.array.data)).toEqual(Array.from(array.data))
    })
  }

  it('reads format 2.0 (numpy write_array version=(2, 0))', () => {
    const hex =
      '934e554d50590200740000007b276465736372273a20273c6934272c2027666f727472616e5f6f72646572273a2046616c73652c20277368617065273a2028322c292c207d202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020202020200a0100000002000000'
    const result = decodeNpy(fromHex(hex))
    if (!result.ok) throw new Error(result.detail)
    expect(Array.from(result.array.data)).toEqual([1, 2])
  })

  it('reads 16-byte-aligned headers of old numpy, double quotes and any key order', () => {
    const dict = `{"shape": (2,), "fortran_order": False, "descr": "<i4"}`
    const header = dict + ' '.repeat(16 - ((10 + dict.length + 1) % 16)) + '\n'
    const bytes = new Uint8Array(10 + header.length + 8)
    bytes.set(ascii('\x93NUMPY\x01\x00'), 0)
    bytes[8] = header.length
    bytes.set(ascii(header), 10)
    bytes.set([5, 0, 0, 0, 6, 0, 0, 0], 10 + header.length)
    const result = decodeNpy(bytes)
    if (!result.ok) throw new Error(result.detail)
    expect(Array.from(result.array.data)).toEqual([5, 6])
  })

  it('copies out of a Node Buffer view instead of aliasing its shared pool', () => {
    const file = encodeNpy({ dtype: '|i1', shape: [3], data: Int8Array.of(-1, 0, 1) })
    const pooled = Buffer.alloc(file.length + 100, 0x2f).subarray(50, 50 + file.length)
    pooled.set(file)
    const result = decodeNpy(pooled)
    if (!result.ok) throw new Error(result.detail)
    expect(result.array.data.length).toBe(3)
    expect(Array.from(result.array.data)).toEqual([-1, 0, 1])
  })

  it('returns an aligned copy even when the input is at an odd offset', () => {
    const file = encodeNpy({ dtype: '<f8', shape: [2], data: Float64Array.of(0.25, -8) })
    const shifted = new Uint8Array(file.length + 1)
    shifted.set(file, 1)
    const result = decodeNpy(shifted.subarray(1))
    if (!result.ok) throw new Error(result.detail)
    expect(Array.from(result.array.data)).toEqual([0.25, -8])
  })
})

describe('decodeNpy rejects what it cannot read, with a readable detail', () => {
  const ok = encodeNpy({ dtype: '<i4', shape: [2, 2], data: Int32Array.of(1, 2, 3, 4) })
  const cases: [string, Uint8Array, RegExp][] = [
    ['bad magic', ascii('PK\x03\x04 not npy at all'), /bad magic/],
    ['empty', new Uint8Array(0), /bad magic/],
    ['format 3.0', Uint8Array.from([...ok.subarray(0, 6), 3, 0, ...ok.subarray(8)]), /format 3\.0/],
    ['truncated header', ok.subarray(0, 40), /truncated header/],
    ['one data byte short', ok.subarray(0, ok.length - 1), /holds 15 data bytes .* needs 16/],
    ['one data byte too many', Uint8Array.from([...ok, 0]), /holds 17 data bytes .* needs 16/],
    [
      'unsupported dtype',
      npyWithHeader(`{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)),
      /'<i8'/
    ],
    [
      'big-endian',
      npyWithHeader(`{'descr': '>f8', 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(8)),
      /'>f8'/
    ],
    [
      'fortran order',
      npyWithHeader(`{'descr': '<i4', 'fortran_order': True, 'shape': (2, 2), }`, new Uint8Array(16)),
      /Fortran/
    ],
    ['no shape', npyWithHeader(`{'descr': '<i4', 'fortran_order': False, }`, new Uint8Array(4)), /'shape'/],
    [
      'negative dimension',
      npyWithHeader(`{'descr': '<i4', 'fortran_order': False, 'shape': (-1,), }`, new Uint8Array(4)),
      /header/
    ],
    ['not a dict', npyWithHeader(`['descr', '<i4']`, new Uint8Array(4)), /not a dictionary/],
    [
      'code in header',
      npyWithHeader(`{'descr': __import__('os'), 'fortran_order': False, 'shape': (1,), }`, new Uint8Array(4)),
      /not understood/
    ],
    [
      'trailing junk',
      npyWithHeader(`{'descr': '<i4', 'fortran_order': False, 'shape': (1,), } x`, new Uint8Array(4)),
      /trailing/
    ]
  ]
  for (const [name, bytes, detail] of cases) {
    it(name, () => {
      const result = decodeNpy(bytes)
      expect(result.ok).toBe(false)
      if (!result.ok) expect(result.detail).toMatch(detail)
    })
  }

  it('accepts the same hand-written header when it is valid (the cases above are not vacuous)', () => {
    const result = decodeNpy(
      npyWithHeader(`{'descr': '<i4', 'fortran_order': False, 'shape': (2, 2), }`, new Uint8Array(16))
    )
    expect(result.ok).toBe(true)
  })
})

describe('encodeNpy refuses programmer errors, naming the bad value', () => {
  it('dtype that does not match the typed array', () => {
    expect(() => encodeNpy({ dtype: '<f8', shape: [2], data: new Float32Array(2) })).toThrow(/<f8.*Float32Array/)
  })
  it('shape that does not match the data length', () => {
    expect(() => encodeNpy({ dtype: '|i1', shape: [4, 4], data: new Int8Array(15) })).toThrow(/16 elements.*15/)
  })
  it('non-integer dimension', () => {
    expect(() => encodeNpy({ dtype: '|i1', shape: [1.5], data: new Int8Array(1) })).toThrow(/bad shape/)
  })
})
