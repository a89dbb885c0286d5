import { describe, expect, it } from 'vitest'
import { strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { decodeProject, encodeProject, type DecodeResult } from '@shared/project/codec'
import { describeProjectError, type ProjectError } from '@shared/project/errors'
import { decodeNpy, encodeNpy } from '@shared/project/npy'
import { modelDataFromProject } from '@shared/project/model'
import type { ModelV2 } from '@shared/project/types'
import {
  centralRecords,
  editProjectJson,
  expectSentence,
  patchDeclaredSize,
  rezip,
  sampleDoc
} from './projectTestUtils'
import { rawZip, zip64Extra } from './hostileZip'

/** Hostile files: each gets a typed error in one line of printable text, never an exception. */

const encoded = encodeProject(sampleDoc(), '1.2.3')

function expectError(result: DecodeResult, tag: ProjectError['tag']): string {
  if (result.ok) throw new Error(`expected a ${tag} error, but the project opened`)
  expect(result.error.tag).toBe(tag)
  const text = describeProjectError(result.error)
  expectSentence(text)
  expect(text).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/)
  return text
}

/** A project.json of exactly this text, beside the sample's arrays. */
function withJsonText(text: string): Uint8Array {
  return rezip(encoded, (files) => (files['project.json'] = strToU8(text)))
}

/** A project.json that reads without its arrays: a newer format, reported as too new. */
const NEWER = '{"format":"blockspin","formatVersion":99,"appVersion":"9.0.0"}'

const nested = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth)

describe('ZIP64 extra fields are bounded by their own end and the file', () => {
  it('a field declaring more bytes than the file holds is a damaged container, not a RangeError', () => {
    const marker = 0xffffffff
    const bytes = rawZip([
      {
        name: 'project.json',
        data: strToU8('{}'),
        size: marker,
        compressedSize: marker,
        localHeaderOffset: marker,
        centralExtra: zip64Extra(0xffff)
      }
    ])
    expect(bytes.length).toBeLessThan(140)
    expect(expectError(decodeProject(bytes), 'not-zip')).toMatch(/ZIP64 extra field/)
  })
  it('a field whose values are missing is damaged too', () => {
    const bytes = rawZip([{ name: 'project.json', data: strToU8('{}'), size: 0xffffffff, centralExtra: zip64Extra(0) }])
    expectError(decodeProject(bytes), 'not-zip')
  })
  it('a well-formed ZIP64 size is still read', () => {
    const data = strToU8(NEWER)
    const bytes = rawZip([{ name: 'project.json', data, size: 0xffffffff, centralExtra: zip64Extra(8, [data.length]) }])
    expectError(decodeProject(bytes), 'too-new')
  })
})

describe('entry names agree between the local and central headers (as NumPy requires)', () => {
  it('refuses an entry whose local header names another file', () => {
    const good = rawZip([{ name: 'project.json', data: strToU8(NEWER) }])
    expectError(decodeProject(good), 'too-new')
    const twoNames = rawZip([{ name: 'project.json', localName: 'evil.json', data: strToU8(NEWER) }])
    expect(expectError(decodeProject(twoNames), 'not-zip')).toMatch(/different name in its local header/)
  })
})

describe('project.json: depth, numbers and size are bounded before it is parsed', () => {
  it('deep nesting in format or formatVersion is refused in one line, without overflowing the stack', () => {
    for (const field of ['format', 'formatVersion']) {
      const text = `{"format":"blockspin","formatVersion":2,"${field}":${nested(200_000)}}`
      expect(expectError(decodeProject(withJsonText(text)), 'bad-envelope')).toMatch(/nests deeper than 64 levels/)
    }
  })
  it('deep unknown fields are refused at parse time, so nothing later recurses through them', () => {
    const bytes = editProjectJson(encoded, (json) => (json.extra = JSON.parse(nested(100))))
    expectError(decodeProject(bytes), 'bad-envelope')
    const shallow = editProjectJson(encoded, (json) => (json.extra = JSON.parse(nested(30))))
    expect(decodeProject(shallow).ok).toBe(true)
  })
  it('a hostile format value is previewed without calling its toString', () => {
    const text = '{"format":{"toString":1,"valueOf":2},"formatVersion":2}'
    expect(expectError(decodeProject(withJsonText(text)), 'bad-envelope')).toMatch(/\{"toString":1,"valueOf":2\}/)
  })
  it('1e999 is refused instead of becoming Infinity (which a save would write as null)', () => {
    const bytes = withJsonText(
      new TextDecoder().decode(unzipSync(encoded)['project.json']).replace('{', '{"big": 1e999,')
    )
    expect(expectError(decodeProject(bytes), 'bad-envelope')).toMatch(/1e999 is too large/)
    const fine = withJsonText(
      new TextDecoder().decode(unzipSync(encoded)['project.json']).replace('{', '{"big": 1e308, "s": "1e999",')
    )
    expect(decodeProject(fine).ok).toBe(true)
  })
  it('a bad number gives a one-line message (V8 quotes the text around it, newlines included)', () => {
    for (const text of [
      '{"format":"blockspin","formatVersion": -\n\n}',
      '{"format":"blockspin",\n"formatVersion": nope\n}'
    ]) {
      expect(expectError(decodeProject(withJsonText(text)), 'bad-envelope')).toMatch(/not valid JSON/)
    }
  })
  it('a whitespace-bloated project.json is refused by its declared size, before it is inflated', () => {
    const text = new TextDecoder().decode(unzipSync(encoded)['project.json']).replace('{', '{' + ' '.repeat(3_000_000))
    const bytes = withJsonText(text)
    expect(bytes.length).toBeLessThan(20_000)
    expect(expectError(decodeProject(bytes, { maxJsonBytes: 1_000_000 }), 'bad-envelope')).toMatch(
      /more than the 1000000/
    )
  })
})

describe('unpacked sizes are budgeted against the file', () => {
  it('a file that unpacks to far more than its length allows is refused before inflating', () => {
    const doc = sampleDoc()
    doc.arrays.zeros = { dtype: '<f8', shape: [500_000], data: new Float64Array(500_000) }
    const bytes = encodeProject(doc, 'x')
    expect(bytes.length * 256).toBeLessThan(4_000_000)
    expect(decodeProject(bytes).ok).toBe(true)
    expectError(decodeProject(bytes, { expansionFloor: 0 }), 'too-large')
  })
  it('an entry declaring more than deflate can produce from its bytes is refused before inflating', () => {
    const liar = patchDeclaredSize(encoded, 'arrays/r1.energy.npy', 50_000_000)
    expect(expectError(decodeProject(liar), 'array-corrupt')).toMatch(/more than its \d+ compressed bytes can hold/)
  })
  it('the arrays still come back exact (hashed while inflating, viewed rather than copied)', () => {
    const result = decodeProject(zipSync(unzipSync(encoded) as Zippable, { level: 0 }))
    if (!result.ok) throw new Error(describeProjectError(result.error))
    expect(Array.from(result.doc.arrays['r1.rng']!.data)).toEqual([0, 1, 0x80000000, 0xffffffff])
  })
})

describe('messages are one line with control characters escaped', () => {
  it('an entry name carrying terminal escape sequences is printed escaped', () => {
    const name = 'arrays/\u001b]0;pwned\u0007\u001b[2J.npy'
    const bytes = rawZip([{ name, data: new Uint8Array(1) }])
    const text = expectError(decodeProject(bytes), 'unsafe-entry')
    expect(text).toContain('\\u001b]0;pwned\\u0007')
  })
  it('C1 controls and line separators in a detail are escaped', () => {
    const text = describeProjectError({ tag: 'invalid', detail: 'a\u009b2Jb\u2028c\nd' })
    expect(text).toBe("The project's contents are invalid: a\\u009b2Jb\\u2028c\\u000ad.")
  })
})

describe('.npy headers are as strict as NumPy', () => {
  const npy = encodeNpy({ dtype: '<f8', shape: [2], data: Float64Array.of(1, 2) })
  const withHeader = (header: string): Uint8Array => {
    const text = header.padEnd(117, ' ') + '\n'
    const out = new Uint8Array(10 + text.length + 16)
    out.set(npy.subarray(0, 8))
    new DataView(out.buffer).setUint16(8, text.length, true)
    for (let k = 0; k < text.length; k++) out[10 + k] = text.charCodeAt(k)
    out.set(npy.subarray(npy.length - 16), 10 + text.length)
    return out
  }
  it('refuses a header with a key NumPy does not know', () => {
    expect(decodeNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), }")).ok).toBe(true)
    const extra = decodeNpy(withHeader("{'descr': '<f8', 'fortran_order': False, 'shape': (2,), 'evil': True, }"))
    expect(extra).toEqual({ ok: false, detail: "has an unknown key 'evil' in its header" })
  })
})

describe('graph models list a bounded number of bonds', () => {
  it('refuses more bonds than a graph on N sites may have (N(N−1)/2, or 16 per site for a multigraph)', () => {
    const model: ModelV2 = {
      id: 'g',
      name: 'G',
      lattice: { kind: 'graph', N: 4, bonds: 'g.bonds' },
      uniform: { K: 1, h: 0 },
      arrays: {}
    }
    const bonds = (n: number) => ({ 'g.bonds': { dtype: '<i4' as const, shape: [n, 2], data: new Int32Array(2 * n) } })
    expect(modelDataFromProject(model, bonds(64)).ok).toBe(true)
    const many = modelDataFromProject(model, bonds(65))
    expect(many).toEqual({
      ok: false,
      error: 'graph model “G” lists 65 bonds, more than the 64 a graph of 4 sites may have'
    })
  })
})

describe('anything the reader throws becomes a project error', () => {
  it('a central directory whose records were cut is reported, never thrown', () => {
    const cut = encoded.slice()
    const first = centralRecords(cut)[0]!
    new DataView(cut.buffer).setUint16(first.at + 30, 0xffff, true)
    expect(() => decodeProject(cut)).not.toThrow()
    expect(decodeProject(cut).ok).toBe(false)
  })
})
