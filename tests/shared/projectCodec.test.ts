import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { strFromU8, strToU8, unzipSync, zipSync, type Zippable } from 'fflate'
import { CURRENT_FORMAT_VERSION, decodeProject, encodeProject, type DecodeResult } from '@shared/project/codec'
import { describeProjectError, type ProjectError } from '@shared/project/errors'
import { encodeNpy } from '@shared/project/npy'
import {
  centralRecords,
  editProjectJson,
  expectSentence,
  patchDeclaredSize,
  rezip,
  sampleDoc
} from './projectTestUtils'

const encoded = encodeProject(sampleDoc(), '1.2.3')

function expectError(result: DecodeResult, tag: ProjectError['tag']): ProjectError {
  if (result.ok) throw new Error(`expected a ${tag} error, but the project opened`)
  expect(result.error.tag).toBe(tag)
  expectSentence(describeProjectError(result.error))
  return result.error
}

describe('encodeProject → decodeProject round trip', () => {
  it('returns every array of every dtype with identical dtype, shape and values', () => {
    const doc = sampleDoc()
    const result = decodeProject(encoded)
    if (!result.ok) throw new Error(describeProjectError(result.error))
    expect(result.migratedFrom).toBeNull()
    expect(Object.keys(result.doc.arrays).sort()).toEqual(Object.keys(doc.arrays).sort())
    for (const [id, original] of Object.entries(doc.arrays)) {
      const back = result.doc.arrays[id]
      expect(back.dtype, id).toBe(original.dtype)
      expect(back.shape, id).toEqual(original.shape)
      expect(back.data.constructor, id).toBe(original.data.constructor)
      expect(
        Array.from(back.data).map((v) => (Object.is(v, -0) ? '-0' : v)),
        id
      ).toEqual(Array.from(original.data).map((v) => (Object.is(v, -0) ? '-0' : v)))
    }
  })

  it('sets the envelope and lists every array with dtype, shape and the sha256 of its .npy file', () => {
    const files = unzipSync(encoded)
    const json = JSON.parse(strFromU8(files['project.json']))
    expect(json.format).toBe('blockspin')
    expect(json.formatVersion).toBe(CURRENT_FORMAT_VERSION)
    expect(json.appVersion).toBe('1.2.3')
    for (const [id, array] of Object.entries(sampleDoc().arrays)) {
      const npy = files[`arrays/${id}.npy`]
      expect(npy, id).toBeDefined()
      expect(json.arrays[id]).toEqual({
        dtype: array.dtype,
        shape: array.shape,
        sha256: createHash('sha256').update(npy).digest('hex')
      })
    }
  })

  it('rebuilds a stale arrays listing from the arrays actually given', () => {
    const doc = sampleDoc()
    doc.project.arrays = { ghost: { dtype: '<f8', shape: [1], sha256: '0'.repeat(64) } }
    const json = JSON.parse(strFromU8(unzipSync(encodeProject(doc, 'x'))['project.json']))
    expect(Object.keys(json.arrays).sort()).toEqual(Object.keys(doc.arrays).sort())
  })

  it('is deterministic: the same doc gives the same bytes', () => {
    expect(Buffer.from(encodeProject(sampleDoc(), '1.2.3')).equals(Buffer.from(encoded))).toBe(true)
  })

  it('does not depend on the machine time zone', () => {
    const saved = process.env.TZ
    try {
      for (const tz of ['America/New_York', 'Asia/Kolkata', 'UTC']) {
        process.env.TZ = tz
        expect(Buffer.from(encodeProject(sampleDoc(), '1.2.3')).equals(Buffer.from(encoded)), tz).toBe(true)
      }
    } finally {
      if (saved === undefined) delete process.env.TZ
      else process.env.TZ = saved
    }
  })

  it('keeps fields it does not know, at every level', () => {
    const doc = sampleDoc()
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown fields added on purpose
    const project = doc.project as Record<string, any>
    project.futureTopLevel = { nested: [1, 2, 3] }
    project.models[0].futureModelField = 'kept'
    project.models[0].lattice.futureLatticeField = true
    project.runs[0].futureRunField = 42
    project.runs[0].spec.futureSpecField = 'beta'
    project.runs[0].arrays.futureArrayRole = 'r1.spins'
    const once = decodeProject(encodeProject(doc, 'a'))
    if (!once.ok) throw new Error(describeProjectError(once.error))
    const twice = decodeProject(encodeProject(once.doc, 'b'))
    if (!twice.ok) throw new Error(describeProjectError(twice.error))
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- unknown fields read back
    const back = twice.doc.project as Record<string, any>
    expect(back.futureTopLevel).toEqual({ nested: [1, 2, 3] })
    expect(back.models[0].futureModelField).toBe('kept')
    expect(back.models[0].lattice.futureLatticeField).toBe(true)
    expect(back.runs[0].futureRunField).toBe(42)
    expect(back.runs[0].spec.futureSpecField).toBe('beta')
    expect(back.runs[0].arrays.futureArrayRole).toBe('r1.spins')
  })

  it('opens a file with unlisted extra entries and directory entries, ignoring them', () => {
    const bytes = rezip(encoded, (files) => {
      files['README.txt'] = strToU8('hello')
      files['arrays/'] = new Uint8Array(0)
    })
    expect(decodeProject(bytes).ok).toBe(true)
  })

  it('opens uncompressed (stored) entries read into a Node Buffer view', () => {
    const stored = zipSync(unzipSync(encoded) as Zippable, { level: 0 })
    const view = Buffer.alloc(stored.length + 64, 0xee).subarray(7, 7 + stored.length)
    view.set(stored)
    const result = decodeProject(view)
    if (!result.ok) throw new Error(describeProjectError(result.error))
    expect(Array.from(result.doc.arrays.counts.data)).toEqual([-2147483648, 2147483647])
    expect(result.doc.arrays['r1.rng'].data.length).toBe(4)
  })

  it('refuses to encode a bad array id, naming it', () => {
    const doc = sampleDoc()
    doc.arrays['../evil'] = { dtype: '|u1', shape: [1], data: Uint8Array.of(1) }
    expect(() => encodeProject(doc, 'x')).toThrow(/"\.\.\/evil"/)
  })
})

describe('decodeProject stage 1: ZIP sanity', () => {
  const withEntry = (name: string): Uint8Array => rezip(encoded, (files) => (files[name] = strToU8('x')))

  it('rejects ../ path traversal', () => {
    const error = expectError(decodeProject(withEntry('arrays/../../evil.npy')), 'unsafe-entry')
    expect(error).toMatchObject({ entry: 'arrays/../../evil.npy' })
    expectError(decodeProject(withEntry('../evil')), 'unsafe-entry')
  })
  it('rejects absolute paths, backslashes and drive letters', () => {
    for (const name of ['/etc/passwd', 'arrays\\..\\evil', 'C:/Windows/evil', 'c:evil']) {
      expect(decodeProject(withEntry(name)).ok, name).toBe(false)
      expectError(decodeProject(withEntry(name)), 'unsafe-entry')
    }
  })
  it('rejects duplicate entry names (a second, different project.json)', () => {
    const twin = zipSync({ ...unzipSync(encoded), 'project.jsoX': strToU8('{}') } as Zippable)
    const record = centralRecords(twin).find((r) => r.name === 'project.jsoX')!
    twin[record.at + 46 + 'project.json'.length - 1] = 'n'.charCodeAt(0)
    expect(centralRecords(twin).filter((r) => r.name === 'project.json')).toHaveLength(2)
    expectError(decodeProject(twin), 'unsafe-entry')
  })
  it('rejects 20,000 entries before inflating any', () => {
    const files: Zippable = { 'project.json': strToU8('{}') }
    for (let k = 0; k < 20_000; k++) files[`junk/${k}`] = new Uint8Array(0)
    const error = expectError(decodeProject(zipSync(files, { level: 0 })), 'too-many-entries')
    expect(error).toMatchObject({ count: 20_001, limit: 10_000 })
  })
  it('rejects an entry declaring a zip-bomb size (over 2 GiB) before inflating it', () => {
    const bomb = patchDeclaredSize(encoded, 'arrays/r1.spins.npy', 0xfffffff0)
    const error = expectError(decodeProject(bomb), 'too-large')
    expect(error).toMatchObject({ limit: 2 * 1024 ** 3 })
  })
  it('stops a real bomb at the configured limit', () => {
    const doc = sampleDoc()
    doc.arrays.zeros = { dtype: '<f8', shape: [1_000_000], data: new Float64Array(1_000_000) }
    const bytes = encodeProject(doc, 'x')
    expect(bytes.length).toBeLessThan(50_000)
    expectError(decodeProject(bytes, { maxTotalBytes: 1_000_000 }), 'too-large')
  })
  it('stops an entry that unpacks to more than it declares, and reports it damaged', () => {
    const doc = sampleDoc()
    doc.arrays.zeros = { dtype: '<f8', shape: [1_000_000], data: new Float64Array(1_000_000) }
    const liar = patchDeclaredSize(encodeProject(doc, 'x'), 'arrays/zeros.npy', 1000)
    const error = expectError(decodeProject(liar), 'array-corrupt')
    expect(error).toMatchObject({ id: 'zeros' })
    expect(describeProjectError(error)).toMatch(/more than its declared 1000 bytes/)
  })
  it('rejects what is not a ZIP at all', () => {
    const notZips = [
      new Uint8Array(0),
      strToU8('just text, definitely not an archive'),
      Uint8Array.of(0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, ...new Uint8Array(40)),
      encoded.subarray(0, encoded.length >> 1)
    ]
    for (const bytes of notZips) expectError(decodeProject(bytes), 'not-zip')
  })
  it('reports a damaged project.json (CRC mismatch) as not a valid container', () => {
    const copy = zipSync(unzipSync(encoded) as Zippable, { level: 0 })
    const at = Buffer.from(copy).indexOf('"format"')
    copy[at + 1] ^= 0x20
    expect(describeProjectError(expectError(decodeProject(copy), 'not-zip'))).toMatch(/CRC-32/)
  })
})

describe('decodeProject stage 2–3: envelope and version', () => {
  it('needs project.json', () => {
    expectError(decodeProject(rezip(encoded, (files) => delete files['project.json'])), 'missing-project-json')
  })
  it('needs valid JSON', () => {
    const bytes = rezip(encoded, (files) => (files['project.json'] = strToU8('{"format": "blockspin",')))
    expect(describeProjectError(expectError(decodeProject(bytes), 'bad-envelope'))).toMatch(/not valid JSON/)
  })
  it('needs a JSON object', () => {
    const bytes = rezip(encoded, (files) => (files['project.json'] = strToU8('[1, 2]')))
    expectError(decodeProject(bytes), 'bad-envelope')
  })
  it('needs format "blockspin"', () => {
    const error = expectError(decodeProject(editProjectJson(encoded, (j) => (j.format = 'tldraw'))), 'bad-envelope')
    expect(describeProjectError(error)).toMatch(/"tldraw"/)
  })
  it('needs an integer formatVersion from 1 up', () => {
    for (const v of ['1', 1.5, 0, -1, null]) {
      expectError(decodeProject(editProjectJson(encoded, (j) => (j.formatVersion = v))), 'bad-envelope')
    }
    expectError(decodeProject(editProjectJson(encoded, (j) => delete j.formatVersion)), 'bad-envelope')
  })
  it('names the version of a newer file in one exact sentence', () => {
    const newer = editProjectJson(encoded, (j) => {
      j.formatVersion = 99
      j.appVersion = '9.9'
      j.runs = 'whatever format 99 means by this'
    })
    const error = expectError(decodeProject(newer), 'too-new')
    expect(describeProjectError(error)).toBe(
      'This project was made by Blockspin 9.9 (format 99); update Blockspin to open it.'
    )
  })
  it('still says something sensible when a newer file has no app version', () => {
    const error = expectError(
      decodeProject(editProjectJson(encoded, (j) => ((j.formatVersion = 4), delete j.appVersion))),
      'too-new'
    )
    expect(describeProjectError(error)).toMatch(/format 4/)
  })
})

describe('decodeProject stage 5: schema validation', () => {
  it('reports where and what, readably', () => {
    const error = expectError(decodeProject(editProjectJson(encoded, (j) => (j.runs[0].spec.L = -3))), 'invalid')
    expect(describeProjectError(error)).toMatch(/runs\[0\]\.spec\.L: /)
  })
  it('checks references between runs, models and arrays', () => {
    expect(
      describeProjectError(
        expectError(decodeProject(editProjectJson(encoded, (j) => (j.runs[0].modelId = 'nope'))), 'invalid')
      )
    ).toMatch(/runs\[0\]\.modelId: no model has id "nope"/)
    const orphan = editProjectJson(encoded, (j) => (j.runs[0].arrays.spins = 'not.listed'))
    expect(describeProjectError(expectError(decodeProject(orphan), 'invalid'))).toMatch(/runs\[0\]\.arrays\.spins/)
  })
  it('rejects unsafe array ids in the listing', () => {
    const bytes = editProjectJson(encoded, (j) => (j.arrays['../x'] = j.arrays.counts))
    expect(describeProjectError(expectError(decodeProject(bytes), 'invalid'))).toMatch(/arrays/)
  })
})

describe('decodeProject stage 6: arrays', () => {
  it('reports a listed array that is missing', () => {
    const bytes = rezip(encoded, (files) => delete files['arrays/counts.npy'])
    expect(expectError(decodeProject(bytes), 'array-missing')).toMatchObject({ id: 'counts' })
  })
  it('reports a truncated array with its byte counts', () => {
    const bytes = rezip(
      encoded,
      (files) => (files['arrays/r1.energy.npy'] = files['arrays/r1.energy.npy'].subarray(0, 140))
    )
    const error = expectError(decodeProject(bytes), 'array-corrupt')
    expect(error).toMatchObject({ id: 'r1.energy' })
    expect(describeProjectError(error)).toMatch(/holds 12 data bytes .* needs 24/)
  })
  it('reports an array whose dtype or shape differs from the listing', () => {
    const bytes = editProjectJson(encoded, (j) => (j.arrays['r1.spins'].shape = [2, 8]))
    expect(describeProjectError(expectError(decodeProject(bytes), 'array-corrupt'))).toMatch(/lists \|i1 and \(2, 8\)/)
    const swapped = rezip(
      encoded,
      (files) => (files['arrays/r1.rng.npy'] = encodeNpy({ dtype: '<i4', shape: [4], data: new Int32Array(4) }))
    )
    expectError(decodeProject(swapped), 'array-corrupt')
  })
  it('reports a changed byte as a checksum failure', () => {
    const bytes = rezip(encoded, (files) => {
      const npy = files['arrays/r1.spins.npy'].slice()
      npy[npy.length - 1] = -npy[npy.length - 1]
      files['arrays/r1.spins.npy'] = npy
    })
    expect(expectError(decodeProject(bytes), 'checksum')).toMatchObject({ id: 'r1.spins' })
  })
  it('reports a wrong recorded checksum', () => {
    const bytes = editProjectJson(encoded, (j) => (j.arrays.counts.sha256 = 'ab'.repeat(32)))
    expectError(decodeProject(bytes), 'checksum')
  })
})

describe('describeProjectError', () => {
  it('gives a sentence for every tag', () => {
    const all: ProjectError[] = [
      { tag: 'io', detail: 'no such file' },
      { tag: 'not-zip', detail: 'no ZIP directory was found' },
      { tag: 'unsafe-entry', entry: '../evil' },
      { tag: 'too-many-entries', count: 20001, limit: 10000 },
      { tag: 'too-large', bytes: 3e9, limit: 2 ** 31 },
      { tag: 'missing-project-json' },
      { tag: 'bad-envelope', detail: 'project.json is not valid JSON' },
      { tag: 'too-new', formatVersion: 99, appVersion: '9.9' },
      { tag: 'migration-failed', from: 1, detail: 'step 1 → 2 failed: boom' },
      { tag: 'invalid', detail: 'runs[0].spec.L: Too small' },
      { tag: 'array-missing', id: 'a' },
      { tag: 'array-corrupt', id: 'a', detail: 'is truncated' },
      { tag: 'checksum', id: 'a' },
      { tag: 'outside-root', path: '/x' },
      { tag: 'not-permitted', path: '/x' }
    ]
    for (const error of all) expectSentence(describeProjectError(error))
  })
})
